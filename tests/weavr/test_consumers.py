"""POST/GET/PATCH /consumers: the spec's shapes, its 409s, its 400 body."""

from __future__ import annotations

import re

from tests.weavr.client import KEY, MULTI, WeavrClient, consumer_body, error_code, invalid_fields


def test_create_answers_the_spec_consumer(weavr, sandbox, count):
    sandbox.clock.advance(1000)
    expected_ms = int(sandbox.clock.timestamp() * 1000)
    response = weavr.post("/consumers", consumer_body(tag="acme-1", baseCurrency="EUR"), token=False)
    assert response.status_code == 200
    assert response.headers["request-ref"]
    consumer = response.get_json()
    assert consumer["id"]["type"] == "CONSUMER" and re.fullmatch(r"[0-9]+", consumer["id"]["id"])
    assert consumer["rootUser"]["id"] == consumer["id"]
    assert consumer["profileId"] == "1011" and consumer["tag"] == "acme-1" and consumer["baseCurrency"] == "EUR"
    assert consumer["feeGroup"] == "DEFAULT"  # [QA] when omitted
    root = consumer["rootUser"]
    assert (root["active"], root["emailVerified"], root["mobileNumberVerified"]) == (True, False, False)
    assert root["address"] == {"addressLine1": "1 Main Street", "city": "London", "postCode": "N1 9GU",
                               "country": "GB"}  # omitted sub-fields are left out, never null
    assert "occupation" not in root and "nationality" not in root
    assert abs(consumer["creationTimestamp"] - expected_ms) < 5000
    assert count("consumers") == 1


def test_get_and_patch_the_logged_in_consumer(weavr):
    weavr.onboard()
    response = weavr.patch("/consumers", {"name": "Augusta", "tag": "vip", "userTag": "root-tag",
                                          "occupation": "FINANCE", "feeGroup": "PREMIUM"})
    assert response.status_code == 200, response.get_json()
    assert response.headers["request-ref"]
    consumer = weavr.get("/consumers").get_json()
    assert consumer["rootUser"]["name"] == "Augusta" and consumer["rootUser"]["tag"] == "root-tag"
    assert consumer["tag"] == "vip" and consumer["feeGroup"] == "PREMIUM"
    assert consumer["rootUser"]["occupation"] == "FINANCE"
    assert consumer == response.get_json()


def test_duplicate_root_email_is_refused_and_nothing_stored(weavr, count):
    first = weavr.create()
    response = WeavrClient(weavr.client).post(
        "/consumers", consumer_body(rootUser={"email": first.email.upper()}), token=False)
    assert response.status_code == 409 and error_code(response) == "ROOT_EMAIL_NOT_UNIQUE"
    assert "request-ref" in response.headers
    assert count("consumers") == 1


def test_create_conflicts_from_the_scenario(weavr, count):
    cases = [
        ({"profileId": "9999"}, "PROFILE_NOT_FOUND"),  # no api-key's profile (another api-key's: 403)
        ({"baseCurrency": "JPY"}, "CURRENCY_UNSUPPORTED"),
        ({"feeGroup": "GOLD"}, "FEE_GROUP_INVALID"),
        ({"rootUser": {"address": {"country": "AF"}}}, "COUNTRY_UNSUPPORTED"),
        ({"rootUser": {"address": {"country": "XX"}}}, "COUNTRY_INVALID"),
        ({"rootUser": {"email": "someone@blocked.example"}}, "EMAIL_DOMAIN_NOT_ALLOWED"),
        ({"rootUser": {"mobile": {"countryCode": "+999", "number": "123456"}}}, "MOBILE_OR_COUNTRY_CODE_INVALID"),
    ]
    for overrides, code in cases:
        response = weavr.post("/consumers", consumer_body(**overrides), token=False)
        assert response.status_code == 409 and error_code(response) == code, (overrides, response.get_json())
    assert count("consumers") == 0


def test_bad_request_body_names_each_field_with_the_specs_error(weavr, count):
    body = consumer_body(rootUser={"name": "x" * 51, "mobile": {"number": "07abc"},
                                   "dateOfBirth": {"year": 1800, "month": 1, "day": 1}, "occupation": "ASTRONAUT"})
    del body["ipAddress"]
    response = weavr.post("/consumers", body, token=False)
    problems = invalid_fields(response)
    assert response.headers["request-ref"]
    assert ("ipAddress", "REQUIRED", []) in problems
    assert ("name", "SIZE", ["_", "50"]) in problems
    assert ("countryCode", "REQUIRED", ["rootUser.mobile"]) in problems  # leaf name, parent path in params
    assert ("number", "REGEX", []) in problems
    assert ("year", "RANGE", ["1900", "2100"]) in problems
    fields = {name: (error, params) for name, error, params in problems}
    assert fields["occupation"][0] == "IN" and "FINANCE" in fields["occupation"][1]
    assert count("consumers") == 0


def test_patterns_are_whole_string_matches(weavr):
    response = weavr.post("/consumers", consumer_body(rootUser={"address": {"country": "GBR"}}), token=False)
    assert ("country", "SIZE", ["2", "2"]) in invalid_fields(response)
    for value in ("1011\n", "1011x"):  # `$` ends the string, not a line
        response = weavr.post("/consumers", consumer_body(profileId=value), token=False)
        assert ("profileId", "REGEX", []) in invalid_fields(response)


def test_missing_api_key_is_400_and_unknown_api_key_is_401_without_body(client):
    response = client.post(f"{MULTI}/consumers", json=consumer_body())
    assert invalid_fields(response) == [("api-key", "REQUIRED", [])]
    for headers in ({"api-key": ""}, {"api-key": "nope"}):
        response = client.post(f"{MULTI}/consumers", json=consumer_body(), headers=headers)
        assert response.status_code == 401 and response.get_data() == b"" and response.headers["request-ref"]
        assert "Content-Type" not in response.headers


def test_email_change_waits_for_verification(weavr):
    weavr.onboard()
    old = weavr.email
    response = weavr.patch("/consumers", {"email": "new-address@example.com"})
    assert response.status_code == 200
    assert response.get_json()["rootUser"]["email"] == old  # [QA] staged, not yet active
    assert response.get_json()["rootUser"]["emailVerified"] is True
    weavr.verify_email("new-address@example.com")
    assert weavr.get("/consumers").get_json()["rootUser"]["email"] == "new-address@example.com"


def test_email_changes_too_often_and_to_a_taken_email(weavr, sandbox):
    other = WeavrClient(weavr.client).create()
    weavr.onboard()
    taken = weavr.patch("/consumers", {"email": other.email})
    assert taken.status_code == 409 and error_code(taken) == "EMAIL_NOT_UNIQUE"
    assert weavr.patch("/consumers", {"email": "first-change@example.com"}).status_code == 200
    again = weavr.patch("/consumers", {"email": "second-change@example.com"})
    assert again.status_code == 409 and error_code(again) == "TOO_FREQUENT_EMAIL_CHANGES"
    # a staged email is reserved: nobody else may register it meanwhile
    response = WeavrClient(weavr.client).post(
        "/consumers", consumer_body(rootUser={"email": "first-change@example.com"}), token=False)
    assert response.status_code == 409 and error_code(response) == "ROOT_EMAIL_NOT_UNIQUE"
    sandbox.clock.advance(3601)
    weavr.login()  # the token went idle meanwhile
    assert weavr.patch("/consumers", {"email": "second-change@example.com"}).status_code == 200


def test_kyc_approved_freezes_personal_fields(weavr):
    weavr.onboard().approve_kyc()
    for change in ({"name": "Other"}, {"surname": "Other"}, {"email": "moved@example.com"},
                   {"mobile": {"countryCode": "+44", "number": "7700900999"}},
                   {"dateOfBirth": {"year": 1991, "month": 1, "day": 1}}, {"address": {"country": "DE"}}):
        response = weavr.patch("/consumers", change)
        assert response.status_code == 409 and error_code(response) == "CONSUMER_VERIFIED", change
    assert weavr.get("/consumers").get_json()["rootUser"]["name"] == "Ada"
    same = weavr.patch("/consumers", {"name": "Ada", "tag": "still-editable"})  # not a change
    assert same.status_code == 200 and same.get_json()["tag"] == "still-editable"


def test_patch_validation_and_currency(weavr):
    weavr.onboard()
    bad_mobile = weavr.patch("/consumers", {"mobile": {"countryCode": "+999", "number": "1"}})
    assert bad_mobile.status_code == 409 and error_code(bad_mobile) == "MOBILE_OR_COUNTRY_CODE_INVALID"
    assert ("name", "REGEX", []) in invalid_fields(weavr.patch("/consumers", {"name": "R2D2"}))
    assert ("name", "SIZE", ["_", "20"]) in invalid_fields(weavr.patch("/consumers", {"name": "x" * 21}))
    # PATCH has no 409 for an unsupported currency: 400, the allowed values in params
    assert invalid_fields(weavr.patch("/consumers", {"baseCurrency": "JPY"})) == [
        ("baseCurrency", "IN", ["EUR", "GBP", "USD"])]
    assert weavr.patch("/consumers", {"baseCurrency": "GBP"}).get_json()["baseCurrency"] == "GBP"


def test_unknown_fields_are_ignored_and_null_is_no_fields_value(weavr, count):
    response = weavr.post("/consumers", consumer_body(surprise=1), token=False)
    assert response.status_code == 200 and "surprise" not in response.get_json()
    # the spec's types are not nullable: null is the wrong type for an optional field, missing for a required one
    for overrides, expected in (({"tag": None}, ("tag", "REGEX", [])),
                                ({"rootUser": {"locale": None}}, ("locale", "REGEX", [])),
                                ({"rootUser": {"name": None}}, ("name", "REQUIRED", ["rootUser"]))):
        assert invalid_fields(weavr.post("/consumers", consumer_body(**overrides), token=False)) == [expected]
    assert count("consumers") == 1


def test_second_api_key_has_its_own_profile(client):
    from tests.weavr.client import KEY_2

    consumer = WeavrClient(client, KEY_2).create().consumer
    assert consumer["profileId"] == "2011"


def test_transport_errors_are_the_specs_default_error_with_request_ref(client):
    for response, status, code in (
        (client.get("/weavr/multi/no/such/thing"), 404, "NOT_FOUND"),
        (client.delete("/weavr/multi/consumers"), 405, "METHOD_NOT_ALLOWED"),
        (client.post("/weavr/multi/consumers", data="a=1", headers={"api-key": KEY}), 415, "UNSUPPORTED_MEDIA_TYPE"),
        (client.post("/weavr/multi/consumers", data="{", content_type="application/json", headers={"api-key": KEY}),
         400, "MALFORMED_JSON"),
    ):
        assert response.status_code == status and response.headers["request-ref"]
        body = response.get_json()
        assert body["code"] == code and len(body["message"]) <= 255  # the spec's Error {code, message}
