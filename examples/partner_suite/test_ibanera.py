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
