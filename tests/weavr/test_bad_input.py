"""Bad input in Weavr (issue #17), each class sent over HTTP: refused with a
4xx in Weavr's envelope (the spec's 400 BadRequestError, the simulator's
ClientInvalidRequest, 403 Forbidden) and nothing stored or changed."""

from __future__ import annotations

import pytest

from tests.weavr.client import KEY, KEY_2, PROFILE, WeavrClient, consumer_body, error_code, invalid_fields

CONTROL_CHARACTERS = ("Ada\x00", "A\x1bda", "Ada\n", "Ad\x7fa")


def simulator_fields(response) -> list[tuple[str, str, list]]:
    """(name, type, params) of the simulator's 400 ClientInvalidRequest, after checking its shape."""
    body = response.get_json()
    assert response.status_code == 400 and body["validation"]["invalid"] is True, body
    return [(f["name"], e["type"], e["params"]) for f in body["validation"]["fields"] for e in f["errors"]]


# -- text holds no control character ---------------------------------------------------------------
@pytest.mark.parametrize("value", CONTROL_CHARACTERS)
def test_a_control_character_in_a_name_is_refused_on_create_and_patch(weavr, count, value):
    for field in ("name", "surname"):
        response = weavr.post("/consumers", consumer_body(rootUser={field: value}), token=False)
        assert invalid_fields(response) == [(field, "REGEX", [])]
    assert count("consumers") == 0
    weavr.onboard()
    for field in ("name", "surname"):
        assert invalid_fields(weavr.patch("/consumers", {field: value})) == [(field, "REGEX", [])]
    assert weavr.get("/consumers").get_json()["rootUser"]["name"] == "Ada"


def test_a_control_character_anywhere_text_is_taken(weavr, count):
    assert sorted(invalid_fields(weavr.post("/consumers", consumer_body(rootUser={
        "address": {"addressLine1": "1 Main\x00Street", "country": "GB"}, "placeOfBirth": "Lon\tdon"}),
        token=False))) == [("addressLine1", "REGEX", []), ("placeOfBirth", "REGEX", [])]
    assert count("consumers") == 0
    weavr.onboard()
    account = weavr.open_account("EUR", balance=1000)
    fee = {"feeType": "PRINTED_CARD_ACCOUNT_STATEMENT\x00", "source": {"type": "managed_accounts",
                                                                      "id": account["id"]}}
    assert invalid_fields(weavr.post("/consumers/fees/charge", fee)) == [("feeType", "REGEX", [])]
    assert weavr.balance(account["id"]) == 1000 and count("fee_charges") == 0


def test_a_password_is_text_and_must_match_exactly(weavr, count):
    weavr.create()
    for value in ("Passw0rd!\x00", "Pass\x00w0rd!"):
        refused = weavr.post(f"/passwords/{weavr.id}/create", {"password": {"value": value}}, token=False)
        assert invalid_fields(refused) == [("value", "REGEX", [])]
    assert count("tokens") == 0
    weavr.create_password().verify_email()
    # HMAC pads a short key with NULs, so a hash alone would take "Passw0rd!\x00" for "Passw0rd!"
    for value in ("Passw0rd!\x00", "Passw0rd!\x00\x00"):
        login = weavr.post("/login_with_password", {"email": weavr.email, "password": {"value": value}},
                           token=False)
        assert invalid_fields(login) == [("value", "REGEX", [])]
    assert count("tokens") == 1  # the password's own token; no login
    assert weavr.post("/login_with_password", {"email": weavr.email, "password": {"value": "Passw0rd! "}},
                      token=False).status_code == 403


# -- values that cannot exist ----------------------------------------------------------------------
def test_a_date_of_birth_that_is_not_in_the_calendar(weavr, count):
    for when, last in (({"year": 1990, "month": 2, "day": 30}, "28"), ({"year": 1992, "month": 2, "day": 30}, "29"),
                       ({"year": 1990, "month": 4, "day": 31}, "30")):
        response = weavr.post("/consumers", consumer_body(rootUser={"dateOfBirth": when}), token=False)
        assert invalid_fields(response) == [("day", "RANGE", ["1", last])]
    assert count("consumers") == 0
    leap = weavr.post("/consumers", consumer_body(rootUser={"dateOfBirth": {"year": 1992, "month": 2, "day": 29}}),
                      token=False)
    assert leap.status_code == 200
    weavr.consumer = leap.get_json()
    weavr.create_password().verify_email().login()
    assert invalid_fields(weavr.patch("/consumers", {"dateOfBirth": {"year": 2001, "month": 2, "day": 29}})) == [
        ("day", "RANGE", ["1", "28"])]
    assert weavr.get("/consumers").get_json()["rootUser"]["dateOfBirth"]["day"] == 29


@pytest.mark.parametrize("address", ["999.1.1.1", "1.2.3", "256.0.0.1", "127.0.0.1 ", "localhost", "::g", "1.2.3.4/8"])
def test_an_ip_address_that_is_not_one(weavr, count, address):
    response = weavr.post("/consumers", consumer_body(ipAddress=address), token=False)
    assert ("ipAddress", "REGEX", []) in invalid_fields(response) or ("ipAddress", "SIZE", ["5", "45"]) in \
        invalid_fields(response)
    assert count("consumers") == 0


def test_ip_addresses_of_both_kinds_are_taken(weavr):
    for address in ("192.0.2.10", "2001:db8::1", "::ffff:192.0.2.1"):
        assert weavr.post("/consumers", consumer_body(ipAddress=address), token=False).status_code == 200


def test_an_email_past_the_rfcs_lengths(weavr, count):
    for email, expected in (("a" * 9_988 + "@example.com", ("email", "SIZE", ["_", "254"])),
                            ("a" * 65 + "@example.com", ("email", "REGEX", []))):
        assert invalid_fields(weavr.post("/consumers", consumer_body(rootUser={"email": email}), token=False)) == [
            expected]
        assert invalid_fields(weavr.post("/consumers/verification/email/send", {"email": email}, token=False)) == [
            expected]
    assert count("consumers") == 0
    assert weavr.post("/consumers", consumer_body(rootUser={"email": "a" * 64 + "@example.com"}),
                      token=False).status_code == 200


# -- null and wrong types where the official spec does not allow them (schemathesis found these) ----------
def test_null_is_not_a_value_of_the_specs_fields(weavr):
    weavr.onboard()
    assert invalid_fields(weavr.post("/consumers/kyc", {"prefillDetails": [{"name": "", "value": None}]})) == [
        ("value", "REGEX", [])]
    assert invalid_fields(weavr.post("/consumers/kyc", {"kycLevel": None})) == [("kycLevel", "REGEX", [])]
    assert weavr.get("/consumers/kyc").get_json()["fullDueDiligence"] == "NOT_STARTED"
    assert weavr.post("/consumers/kyc", {"prefillDetails": [{"name": "", "value": ""}]}).status_code == 200


def test_the_simulator_refuses_a_wrongly_typed_network_and_an_id_past_int64(weavr):
    weavr.onboard()
    account = weavr.open_account("EUR")
    for network in (None, 7, "CARRIER_PIGEON"):
        body = {"depositAmount": {"currency": "EUR", "amount": 100}, "paymentNetwork": network}
        found = simulator_fields(weavr.simulate(f"/accounts/{account['id']}/deposit", body))
        assert [(name, kind) for name, kind, _ in found] == [("paymentNetwork", "IN" if network == "CARRIER_PIGEON"
                                                              else "REGEX")]
    too_big = 2**63
    found = simulator_fields(weavr.simulate(f"/accounts/{too_big}/deposit",
                                            {"depositAmount": {"currency": "EUR", "amount": 100}}))
    assert found == [("account_id", "RANGE", [str(-2**63), str(2**63 - 1)])]
    assert simulator_fields(weavr.simulate(f"/consumers/{too_big}/verify"))[0][:2] == ("consumer_id", "RANGE")
    assert weavr.balance(account["id"]) == 0


# -- 403 where Weavr answers it ------------------------------------------------------------------------
def test_another_programmes_profile_is_forbidden(client, count):
    """[QA] CreateConsumer_DifferentInnovatorApiKey_Forbidden: a programme's profile with another's api-key."""
    response = WeavrClient(client, KEY).post("/consumers", consumer_body(KEY_2), token=False)
    assert response.status_code == 403 and error_code(response) == "INSUFFICIENT_PERMISSIONS"
    assert response.headers["request-ref"]
    back = WeavrClient(client, KEY_2).post("/consumers", {**consumer_body(KEY_2), "profileId": PROFILE[KEY]},
                                           token=False)
    assert back.status_code == 403
    assert count("consumers") == 0
    unknown = WeavrClient(client, KEY).post("/consumers", consumer_body(profileId="424242"), token=False)
    assert unknown.status_code == 409 and error_code(unknown) == "PROFILE_NOT_FOUND"
