"""Ibanera: a partner onboarding managees (its client logs in with the TOTP)."""

import json
from pathlib import Path

import httpx
import pyotp
import pytest

# The documented example body (with a real PNG as proof of address)
EXAMPLE = json.loads((Path(__file__).parents[1] / "ibanera-create-managee.json").read_text())


def managee(reference):
    return EXAMPLE | {"manageesReference": reference, "emailAddress": f"{reference}@partner.example"}


def test_create_then_list_a_managee(ibanera_client):
    created = ibanera_client.post("/api/v4/customer/managees/create", json=managee("ada"))
    assert created.status_code == 200, created.text
    managees_id = created.json()["details"]["manageesId"]

    listed = ibanera_client.get("/api/v1/customer/managees/list").json()["details"]
    assert [(m["manageesId"], m["verificationStatus"]) for m in listed] == [(managees_id, "Pending")]


def test_each_test_starts_from_the_scenario(ibanera_client):
    assert ibanera_client.get("/api/v1/customer/managees/list").json()["details"] == []


def test_accepting_kyc_opens_a_usd_account(sandbox, ibanera_client):
    managees_id = ibanera_client.post("/api/v4/customer/managees/create",
                                      json=managee("grace")).json()["details"]["manageesId"]
    sandbox.ibanera.set_verification(managees_id, "Accepted")
    accounts = ibanera_client.get("/api/v1/customer/manageeaccounts/list", params={"ManageesId": managees_id})
    assert [a["asset"] for a in accounts.json()["details"]] == ["USD"]


def test_login_with_pyotp_and_the_published_secret(sandbox):
    manager = sandbox.credentials["ibanera"][0]
    response = httpx.post(f"{sandbox.url}/ibanera/api/v1/public/auth/login", json={
        "username": manager["username"], "password": manager["password"],
        "otp": pyotp.TOTP(manager["totp_secret"]).now()})
    assert response.status_code == 200
    assert response.json()["details"]["accessToken"]


@pytest.mark.sandbox_scenario("scenarios/onboarded.yaml")
def test_a_scenario_of_our_own(sandbox, ibanera_client):
    assert sandbox.credentials["ibanera"][0]["username"] == "ops@partner.example"
    listed = ibanera_client.get("/api/v1/customer/managees/list").json()["details"]
    assert sorted((m["manageesReference"], m["verificationStatus"]) for m in listed) == [
        ("acme-001", "Accepted"), ("acme-002", "Pending")]


# -- callbacks: KYC that takes a while, signed webhooks, retries ---------------------------------------
def test_kyc_decided_ten_minutes_later_calls_back_signed_and_retried(sandbox, ibanera_client):
    sandbox.clock.freeze()  # sandbox time moves only when the test moves it
    sandbox.ibanera.set_outcomes(kyc={"progression": "after", "delay": "PT10M", "outcome": "Accepted"})
    hooks = sandbox.webhooks  # a receiver on 127.0.0.1, registered as the first manager's endpoint
    hooks.fail_next(1, status=500)  # our endpoint is down for the first delivery

    managees_id = ibanera_client.post("/api/v4/customer/managees/create",
                                      json=managee("ada")).json()["details"]["manageesId"]
    sandbox.clock.advance("PT10M")  # the review is done

    jumio = hooks.wait_for("MANAGEE_JUMIO_COMPLETED", timeout=5)
    assert jumio.status == 500 and hooks.verify(jumio)
    sandbox.clock.advance("PT1M")  # Ibanera retries with back-off: the first retry a minute later
    assert hooks.wait_for("MANAGEE_JUMIO_COMPLETED", count=2, timeout=5).status == 200
    kyc = hooks.wait_for("MANAGEE_KYC_UPDATED", timeout=5)
    assert hooks.verify(kyc)
    assert kyc.json["Data"]["ManageesId"] == managees_id and kyc.json["Data"]["VerificationStatus"] == "Accepted"
    listed = ibanera_client.get("/api/v1/customer/managees/list").json()["details"]
    assert [m["verificationStatus"] for m in listed] == ["Accepted"]


def test_a_magic_email_is_rejected_and_a_deposit_calls_back(sandbox, ibanera_client):
    sandbox.ibanera.set_outcomes(kyc={"progression": "immediate", "outcome": "Accepted"})
    hooks = sandbox.webhooks
    ibanera_client.post("/api/v4/customer/managees/create", json=managee("eve+kyc_rejected"))
    rejected = hooks.wait_for("MANAGEE_KYC_UPDATED", timeout=5)
    assert rejected.json["Data"]["VerificationStatus"] == "Rejected" and rejected.json["Data"]["RejectReason"]

    accepted = ibanera_client.post("/api/v4/customer/managees/create", json=managee("grace")).json()["details"]
    [account] = ibanera_client.get("/api/v1/customer/manageeaccounts/list",
                                   params={"ManageesId": accepted["manageesId"]}).json()["details"]
    ibanera_client.post("/api/v1/customer/simulations/payins",
                        json={"DestinationAccountId": account["id"], "TransferType": "ACH", "Amount": 25})
    deposit = hooks.wait_for("FIAT_DEPOSIT_RECEIVED", timeout=5)
    assert hooks.verify(deposit) and deposit.json["Data"]["AccountsId"] == account["id"]
    assert deposit.json["Data"]["Amount"] == 25
