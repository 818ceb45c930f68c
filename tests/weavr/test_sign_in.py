"""Email verification, password, login, access token, token life."""

from __future__ import annotations

from tests.weavr.client import CODE, PASSWORD, WeavrClient, error_code, invalid_fields


def verify(weavr, email, code=CODE):
    return weavr.post("/consumers/verification/email/verify", {"email": email, "verificationCode": code},
                      token=False)


def send(weavr, email):
    return weavr.post("/consumers/verification/email/send", {"email": email}, token=False)


def test_email_verification_code_is_123456(weavr):
    weavr.create()
    assert verify(weavr, weavr.email).status_code == 409  # no code sent yet
    assert error_code(verify(weavr, weavr.email)) == "VERIFICATION_CODE_INVALID"
    response = send(weavr, weavr.email)
    assert response.status_code == 204 and response.get_data() == b"" and response.headers["request-ref"]
    wrong = verify(weavr, weavr.email, "654321")
    assert wrong.status_code == 409 and error_code(wrong) == "VERIFICATION_CODE_INVALID"
    assert verify(weavr, weavr.email.upper()).status_code == 204
    again = verify(weavr, weavr.email)
    assert again.status_code == 409 and error_code(again) == "VERIFICATION_CODE_INVALID"  # [QA] already verified
    assert send(weavr, weavr.email).status_code == 204  # [QA] sending again is still 204


def test_email_verification_of_an_unknown_email(weavr):
    response = send(weavr, "nobody@example.com")
    assert response.status_code == 409 and error_code(response) == "EMAIL_NOT_FOUND"
    assert error_code(verify(weavr, "nobody@example.com")) == "VERIFICATION_CODE_INVALID"


def test_verification_code_must_be_six_digits(weavr):
    weavr.create()
    assert invalid_fields(verify(weavr, weavr.email, "12345")) == [("verificationCode", "REGEX", [])]
    assert invalid_fields(verify(weavr, weavr.email, "12345a")) == [("verificationCode", "REGEX", [])]
    assert invalid_fields(verify(weavr, "not-an-email", CODE)) == [("email", "REGEX", [])]


def create_password(weavr, user_id, value):
    return weavr.post(f"/passwords/{user_id}/create", {"password": {"value": value}}, token=False)


def test_password_policy_and_create_once(weavr):
    weavr.create()
    for value, code in (("Sh0rt!", "PASSWORD_TOO_SHORT"), ("Aa1!" * 8, "PASSWORD_TOO_LONG"),
                        ("password1!", "PASSWORD_TOO_SIMPLE"), ("Password!!", "PASSWORD_TOO_SIMPLE"),
                        ("Password12", "PASSWORD_TOO_SIMPLE")):
        response = create_password(weavr, weavr.id, value)
        assert response.status_code == 409 and error_code(response) == code, value
    response = create_password(weavr, weavr.id, PASSWORD)
    assert response.status_code == 200
    body = response.get_json()
    assert body["passwordInfo"] == {"identityId": {"type": "CONSUMER", "id": weavr.id}, "expiryDate": 0}
    # [QA] the token from password create is a usable session token
    weavr.token = body["token"]
    assert weavr.get("/consumers").status_code == 200
    again = create_password(weavr, weavr.id, PASSWORD)
    assert again.status_code == 409 and error_code(again) == "PASSWORD_ALREADY_CREATED"


def test_password_for_an_unknown_or_malformed_user(weavr):
    response = create_password(weavr, "99", PASSWORD)
    assert response.status_code == 409 and error_code(response) == "UNRESOLVED_IDENTITY"
    assert invalid_fields(create_password(weavr, "abc", PASSWORD)) == [("user_id", "REGEX", [])]
    assert invalid_fields(weavr.post("/passwords/1/create", {"password": {"value": None}}, token=False)) == [
        ("value", "REQUIRED", ["password"])]  # [QA] leaf name, parent in params


def login(weavr, password=PASSWORD):
    return weavr.post("/login_with_password", {"email": weavr.email, "password": {"value": password}},
                      token=False)


def test_login_needs_a_verified_email_and_the_right_password(weavr):
    weavr.create().create_password()
    refused = login(weavr)
    assert refused.status_code == 403 and refused.get_data() == b""  # [QA] email not verified yet
    weavr.verify_email()
    assert login(weavr, "Wrong-passw0rd").status_code == 403
    response = login(weavr)
    assert response.status_code == 200
    body = response.get_json()
    assert body["tokenType"] == "AUTH" and body["identity"] == {"type": "CONSUMER", "id": weavr.id}
    assert body["credentials"] == {"type": "ROOT", "id": weavr.id}


def test_access_token_for_the_logged_in_identity_only(weavr):
    other = WeavrClient(weavr.client).onboard()
    weavr.create().create_password().verify_email()
    auth_token = login(weavr).get_json()["token"]
    weavr.token = auth_token
    wrong = weavr.post("/access_token", {"identity": {"type": "CONSUMER", "id": other.id}})
    assert wrong.status_code == 403 and wrong.get_data() == b""
    assert weavr.post("/access_token", {"identity": {"type": "CORPORATE", "id": weavr.id}}).status_code == 403
    response = weavr.post("/access_token", {"identity": {"type": "CONSUMER", "id": weavr.id}})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "STANDARD" and body["identity"]["id"] == weavr.id and body["token"] != auth_token
    # without a bearer, the body's token is exchanged
    no_bearer = weavr.post("/access_token", {"identity": {"type": "CONSUMER", "id": weavr.id},
                                             "token": auth_token}, token=False)
    assert no_bearer.status_code == 200
    assert weavr.post("/access_token", {"identity": {"type": "CONSUMER", "id": weavr.id}},
                      token=False).status_code == 403


def test_tokens_expire_after_five_idle_minutes(weavr, sandbox):
    weavr.onboard()
    sandbox.clock.advance(200)
    assert weavr.get("/consumers").status_code == 200  # activity keeps it alive
    sandbox.clock.advance(200)
    assert weavr.get("/consumers").status_code == 200
    sandbox.clock.advance(301)
    response = weavr.get("/consumers")
    assert response.status_code == 401 and response.get_data() == b"" and response.headers["request-ref"]


def test_consumer_operations_need_a_bearer_token(weavr):
    weavr.create()
    for response in (weavr.get("/consumers"), weavr.get("/consumers/kyc"), weavr.patch("/consumers", {}),
                     weavr.post("/consumers/kyc")):
        assert response.status_code == 401 and response.get_data() == b""
    weavr.token = "forged"
    assert weavr.get("/consumers").status_code == 401
