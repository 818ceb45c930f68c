"""Create a user, KYC (both methods), user verification, POA, account management."""

from __future__ import annotations

import re

import pytest
from schwifty import IBAN

from sandbox.config import Config
from tests.p100.client import PNG, files, user_body

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def error(response) -> tuple[int, str, str]:
    body = response.get_json()
    assert set(body) == {"errorCode", "errorMessage", "errorName"}
    return response.status_code, body["errorCode"], body["errorMessage"]


class TestCreateUser:
    def test_creates_a_user_with_zero_balances_and_fiat_waiting(self, p100):
        created = p100.create_user("alice")
        assert UUID.match(created["userId"]) and created["poaRequiredForExtended"] is False
        body = p100.get("/v1/user/balances/alice").get_json()
        assert body["userId"] == created["userId"]
        assert body["fiatBalances"][0] | {"id": None} == {"id": None, "amount": "0.00", "name": "eur", "rate": 1,
                                                          "iban": None, "status": "WAITING_TO_BE_ACTIVATED"}
        crypto = {b["name"]: b for b in body["cryptoBalances"]}
        assert crypto["btc"]["amount"] == "0.00000000" and crypto["usdc"]["amount"] == "0.000000"
        assert crypto["usdc"]["networkConfig"]["polygon"] == {
            "mainnet": False, "name": "amoy", "withdrawal": {"feeWithdrawal": 0.5, "minWithdrawal": 2},
            "deposit": {"minDeposit": 0}}

    def test_the_user_id_repeats_for_the_same_seed(self, p100, client):
        first = p100.create_user("alice")["userId"]
        assert client.post("/_sandbox/reset").status_code == 200
        assert p100.create_user("alice")["userId"] == first

    def test_reusing_an_external_user_id_is_p411_and_stores_nothing(self, p100):
        p100.create_user("alice", email="first@example.pl")
        response = p100.post("/v1/user/balances/crypto-and-fiat", user_body("alice", email="second@example.pl"))
        assert error(response)[:2] == (400, "P411")
        assert p100.patch("/v1/user", {"externalUserId": "alice"}).get_json()["email"] == "first@example.pl"

    def test_terms_must_be_accepted(self, p100):
        response = p100.post("/v1/user/balances/crypto-and-fiat", user_body("bob", hasAcceptedP100Tc=False))
        status, code, message = error(response)
        assert (status, code) == (400, "P403") and "hasAcceptedP100Tc" in message
        assert error(p100.get("/v1/user/balances/bob"))[:2] == (400, "P412")

    def test_validation_errors_name_the_field(self, p100):
        for field, value in (("country", "Poland"), ("email", "not-an-email"), ("birthDate", "2999-01-01"),
                             ("firstName", ""), ("nickname", "x")):
            status, code, message = error(p100.post("/v1/user/balances/crypto-and-fiat",
                                                    user_body("bob", **{field: value})))
            assert (status, code) == (400, "P403") and field in message, field

    def test_poa_country_users_need_proof_of_address(self, p100):
        assert p100.create_user("olena", country="UA")["poaRequiredForExtended"] is True


class TestApiKey:
    def test_missing_or_unknown_key_is_401_access_denied(self, client):
        for headers in ({}, {"x-api-key": "nope"}, {"x-api-key": ""}):
            response = client.get("/p100/v1/user/balances/alice", headers=headers)
            assert error(response) == (401, "P401", "Access Denied")

    def test_the_header_name_is_case_insensitive(self, client, p100):
        p100.create_user("alice")
        for name in ("X-API-KEY", "X-Api-Key", "x-api-key"):
            assert client.get("/p100/v1/user/balances/alice",
                              headers={name: "p100-sandbox-api-key"}).status_code == 200

    def test_controls_need_the_key_too(self, client, p100):
        p100.create_user("alice")
        response = client.post("/_sandbox/p100/users/alice/kyc", json={"verificationStatus": "VERIFIED"})
        assert error(response)[:2] == (401, "P401")


class TestKyc:
    def test_no_kyc_yet_is_p445(self, p100):
        p100.create_user("alice")
        assert error(p100.get("/v1/kyc/status/alice"))[:2] == (404, "P445")

    def test_method_b_verification_redirect_and_status(self, p100, client):
        p100.create_user("alice")
        response = p100.post("/v1/kyc", {"externalUserId": "alice", "documentType": "PASSPORT", "country": "PL",
                                         "incomeSource": "SALARY", "openAccountReason": "DAILY_USE",
                                         "occupation": "IT", "additionalInfo": "Developer"})
        assert response.status_code == 201
        vid = response.get_json()["verificationId"]
        assert p100.get("/v1/kyc/status/alice").get_json() == {
            "externalUserId": "alice", "verificationStatus": "NOT_VERIFIED", "attemptStatus": "PENDING",
            "rejectionReason": None}
        page = p100.get(f"/v1/kyc/verification/alice/{vid}")
        assert page.status_code == 200 and page.mimetype == "text/html"
        target = f"/_sandbox/p100/verification/{vid}"
        assert target in page.get_data(as_text=True)
        vendor = client.get(target)
        assert vendor.status_code == 200 and "alice" in vendor.get_data(as_text=True)
        assert error(p100.get("/v1/kyc/verification/alice/nope"))[:2] == (404, "P446")
        p100.kyc("alice", verificationStatus="NOT_VERIFIED", attemptStatus="REJECTED_BY_PROVIDER",
                 rejectionReason="NO_FACE_FOUND")
        assert p100.get("/v1/kyc/status/alice").get_json()["rejectionReason"] == "NO_FACE_FOUND"
        p100.kyc("alice", verificationStatus="VERIFIED", attemptStatus="SUCCESSFUL")
        assert p100.get("/v1/kyc/status/alice").get_json() == {
            "externalUserId": "alice", "verificationStatus": "VERIFIED", "attemptStatus": "SUCCESSFUL",
            "rejectionReason": None}

    def test_conditional_fields_of_a_verification(self, p100):
        p100.create_user("alice")
        base = {"externalUserId": "alice", "documentType": "ID_CARD", "country": "PL", "openAccountReason": "DAILY_USE"}
        required = (("BUSINESS_ACTIVITY", "taxId"), ("SALARY", "occupation"), ("TENANCY", "additionalInfo"))
        for source, missing in required:
            status, code, message = error(p100.post("/v1/kyc", {**base, "incomeSource": source}))
            assert (status, code) == (400, "P403") and missing in message

    def test_method_a_kyc_files(self, p100):
        p100.create_user("alice")
        response = p100.upload("/v1/user/kyc-files/alice", files(PNG, PNG, PNG))
        assert response.status_code == 201 and response.get_json()["status"] == "ADDED"
        assert p100.get("/v1/kyc/status/alice").get_json()["attemptStatus"] == "VERIFICATION"

    def test_kyc_file_checks(self, p100):
        p100.create_user("alice")
        assert error(p100.upload("/v1/user/kyc-files/alice", files(b"plain text", name="a.png")))[:2] == (400, "P426")
        assert error(p100.upload("/v1/user/kyc-files/alice", files(*[PNG] * 4)))[:2] == (400, "P426")
        assert error(p100.upload("/v1/user/kyc-files/alice", {}))[:2] == (400, "P426")
        big = PNG + b"\0" * (5 * 1024 * 1024)
        assert error(p100.upload("/v1/user/kyc-files/alice", files(big)))[:2] == (400, "P440")
        assert error(p100.upload("/v1/user/kyc-files/nobody", files(PNG)))[:2] == (400, "P412")
        assert error(p100.get("/v1/kyc/status/alice"))[:2] == (404, "P445")  # nothing was added
        json_body = p100.post("/v1/user/kyc-files/alice", {"files": []})
        assert error(json_body)[:2] == (415, "P415")

    def test_user_verification_needs_kyc_verified_then_activates_fiat_with_an_iban(self, p100):
        p100.create_user("alice")
        body = {"externalUserId": "alice", "documentType": "ID_CARD", "documentNumber": "ABC123"}
        assert error(p100.post("/v1/user/verification", body))[:2] == (400, "P459")
        p100.kyc("alice", verificationStatus="VERIFIED", attemptStatus="SUCCESSFUL")
        assert p100.post("/v1/user/verification", body).get_json() == {"externalUserId": "alice", "status": "ACTIVE"}
        fiat = p100.get("/v1/user/balances/alice").get_json()["fiatBalances"][0]
        assert fiat["status"] == "ACTIVE"
        assert IBAN(fiat["iban"]).country_code == "LT"  # schwifty validates the check digits

    def test_users_outside_iban_countries_get_no_iban(self, p100):
        p100.verified_user("sam", country="US", citizenship="US")
        fiat = p100.get("/v1/user/balances/sam").get_json()["fiatBalances"][0]
        assert fiat["status"] == "ACTIVE" and fiat["iban"] is None
        assert error(p100.get("/v1/user/sepa-deposit/info/sam"))[:2] == (400, "P459")


class TestPoa:
    def test_poa_lifecycle_and_codes(self, p100):
        p100.create_user("olena", country="UA")
        path = "/v1/user/poa-files/olena"
        assert error(p100.upload(path, files(*[PNG] * 4)))[:2] == (400, "P426")
        assert error(p100.upload(path, files(b"%!PS-Adobe", name="x.pdf")))[:2] == (400, "P426")
        assert error(p100.upload(path, files(PNG + b"\0" * (5 * 1024 * 1024))))[:2] == (400, "P440")
        pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
        response = p100.upload(path, files(PNG, pdf))
        assert response.status_code == 201 and response.get_json()["status"] == "WAITING"
        assert error(p100.upload(path, files(PNG))) == (202, "P211", "POA pending")
        assert p100.kyc("olena", poaStatus="APPROVED")["poaStatus"] == "APPROVED"
        assert error(p100.upload(path, files(PNG)))[:2] == (400, "P447")

    def test_no_poa_for_other_countries(self, p100):
        p100.create_user("alice")
        assert error(p100.upload("/v1/user/poa-files/alice", files(PNG)))[:2] == (404, "P460")


class TestAccountManagement:
    def test_update_changes_contact_and_address_only(self, p100):
        p100.create_user("alice")
        updated = p100.patch("/v1/user", {"externalUserId": "alice", "email": "new@example.pl", "city": "Gdańsk"})
        assert updated.status_code == 200
        assert updated.get_json()["email"] == "new@example.pl" and updated.get_json()["city"] == "Gdańsk"
        assert updated.get_json()["country"] == "PL"
        for field in ("country", "firstName", "birthDate"):
            status, code, message = error(p100.patch("/v1/user", {"externalUserId": "alice", field: "X"}))
            assert (status, code) == (400, "P403") and field in message

    def test_suspend_blocks_money_until_unsuspended(self, p100):
        p100.verified_user("alice")
        p100.deposit_fiat("alice", "100.00")
        assert p100.patch("/v1/user/suspend/alice").get_json() == {"externalUserId": "alice", "status": "SUSPENDED"}
        refused = [
            p100.post("/v1/transfer", {"sourceExternalUserId": "alice", "currency": "eur", "amount": "1"}),
            p100.post("/v1/sepa-transfer", {"sourceExternalUserId": "alice", "currency": "eur", "amount": "1",
                                            "destinationIban": "DE89370400440532013000", "transferTitle": "x"}),
            p100.get("/v1/exchange/get-lock", query_string={"externalUserId": "alice", "currencyFrom": "eur",
                                                            "currencyTo": "btc", "amount": "1"}),
            p100.control("POST", "/users/alice/fiat-deposits", {"amount": "1"}),
            p100.control("POST", "/users/alice/crypto-deposits", {"currency": "btc", "amount": "1"}),
        ]
        assert [error(r)[:2] for r in refused] == [(400, "P455")] * len(refused)
        assert p100.balances("alice")["eur"] == "100.00"
        assert p100.get("/v1/user/balances/alice").status_code == 200  # still readable
        assert p100.patch("/v1/user/unsuspend/alice").get_json()["status"] == "ACTIVE"
        assert p100.post("/v1/transfer", {"sourceExternalUserId": "alice", "currency": "eur",
                                          "amount": "1"}).status_code == 201

    def test_a_deleted_user_is_gone_everywhere(self, p100, client):
        p100.verified_user("alice")
        assert p100.delete("/v1/user/alice").get_json() == {"externalUserId": "alice", "status": "DELETED"}
        gone = [
            p100.get("/v1/user/balances/alice"), p100.get("/v1/kyc/status/alice"),
            p100.get("/v1/user/transactions/alice"), p100.get("/v1/user/sepa-deposit/info/alice"),
            p100.get("/v1/user/sepa-deposit/contacts/alice"), p100.patch("/v1/user", {"externalUserId": "alice"}),
            p100.patch("/v1/user/suspend/alice"), p100.delete("/v1/user/alice"),
            p100.post("/v1/transfer", {"destinationExternalUserId": "alice", "currency": "eur", "amount": "1"}),
            p100.control("POST", "/users/alice/kyc", {"verificationStatus": "VERIFIED"}),
            p100.control("POST", "/users/alice/fiat-deposits", {"amount": "1"}),
        ]
        assert [error(r)[:2] for r in gone] == [(400, "P412")] * len(gone)
        assert error(p100.post("/v1/user/balances/crypto-and-fiat", user_body("alice")))[:2] == (400, "P411")


class TestUploadTransport:
    def test_odd_multipart_bodies_are_p426_or_p415_never_a_500(self, p100, client):
        p100.create_user("alice")
        for content_type, data in (("multipart/form-data", b"garbage"), ("multipart/form-data; boundary=", b""),
                                   ("multipart/form-data; boundary=xx", (b"--xx\r\nContent-Disposition: form-data; "
                                                                         b"name=\"files\"; filename=\"a\"\r\n\r\nabc")),
                                   ("text/plain", b"x")):
            response = client.post("/p100/v1/user/kyc-files/alice", data=data,
                                   headers={**p100.headers, "Content-Type": content_type})
            assert error(response)[:2] in {(400, "P426"), (415, "P415")}, content_type
        assert error(p100.get("/v1/kyc/status/alice"))[:2] == (404, "P445")


class TestUploadOverTheBodyLimit:
    @pytest.fixture
    def config(self):
        return Config(max_body_bytes=64 * 1024)

    def test_an_upload_past_the_limit_is_413(self, p100):
        p100.create_user("alice")
        response = p100.upload("/v1/user/kyc-files/alice", files(PNG + b"\0" * 100_000))
        assert error(response)[:2] == (413, "P413")


def test_a_new_attempt_keeps_the_verification_status(p100):
    p100.create_user("alice")
    p100.kyc("alice", verificationStatus="EXPIRED", attemptStatus="SUCCESSFUL")
    p100.upload("/v1/user/kyc-files/alice", files(PNG))
    assert p100.get("/v1/kyc/status/alice").get_json()["verificationStatus"] == "EXPIRED"
    assert p100.get("/v1/kyc/status/alice").get_json()["attemptStatus"] == "VERIFICATION"
