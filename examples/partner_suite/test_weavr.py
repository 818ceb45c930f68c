"""Weavr: a partner's existing client code, pointed at Weavr's real sandbox
URL, runs unchanged against the in-process sandbox through intercept."""

import asyncio

import httpx
import requests

WEAVR = "https://sandbox.weavr.io"


class PartnerWeavrClient:
    """The partner's production client: plain requests at Weavr's URL."""

    def __init__(self, api_key, base=WEAVR):
        self.base = base
        self.session = requests.Session()
        self.session.headers["api-key"] = api_key

    def create_consumer(self, profile_id, email):
        response = self.session.post(f"{self.base}/multi/consumers", json={
            "profileId": profile_id, "ipAddress": "127.0.0.1",
            "rootUser": {"name": "Ada", "surname": "Lovelace", "email": email,
                         "mobile": {"countryCode": "+44", "number": "7700900123"},
                         "dateOfBirth": {"year": 1990, "month": 12, "day": 10},
                         "address": {"addressLine1": "1 Main Street", "city": "London", "postCode": "N1 9GU",
                                     "country": "GB"}}})
        response.raise_for_status()
        return response.json()


def test_an_unchanged_requests_client_at_the_real_url(intercept):
    key = intercept.credentials["weavr"][0]
    consumer = PartnerWeavrClient(key["api_key"]).create_consumer(key["consumer_profile_id"], "ada@partner.example")
    assert consumer["rootUser"]["emailVerified"] is False
    # It is in the in-process sandbox: set its password there, through the sandbox's own URL
    with intercept.weavr.client() as weavr:
        created = weavr.post(f"/multi/passwords/{consumer['id']['id']}/create",
                             json={"password": {"value": "Passw0rd!"}})
    assert created.status_code == 200, created.text


def test_an_httpx_async_client_at_the_real_url(intercept, weavr_consumer):
    headers = {"api-key": intercept.credentials["weavr"][0]["api_key"],
               "Authorization": f"Bearer {weavr_consumer['token']}"}

    async def kyc_status():
        async with httpx.AsyncClient(base_url=f"{WEAVR}/multi", headers=headers) as weavr:
            return await weavr.post("/consumers/kyc"), await weavr.get("/consumers/kyc")

    started, status = asyncio.run(kyc_status())
    assert started.status_code == 200 and started.json()["kycLevel"] == "KYC_LEVEL_2"
    assert status.json()["fullDueDiligence"] == "INITIATED"


def test_kyc_approved_then_fees_charged(sandbox, weavr_consumer, weavr_client):
    consumer_id = weavr_consumer["id"]
    assert weavr_consumer["client"].post("/multi/consumers/kyc").status_code == 200
    assert weavr_client.post(f"/simulate/api/consumers/{consumer_id}/verify").status_code == 204
    assert weavr_consumer["client"].get("/multi/consumers/kyc").json()["fullDueDiligence"] == "APPROVED"

    account = sandbox.weavr.open_managed_account(consumer_id, "EUR", balance=1000)
    charged = weavr_consumer["client"].post("/multi/consumers/fees/charge", json={
        "feeType": "PRINTED_CARD_ACCOUNT_STATEMENT", "source": {"type": "managed_accounts", "id": account["id"]}})
    assert charged.status_code == 200, charged.text
    assert sandbox.weavr.managed_account(account["id"])["balance"] == 850


def test_a_consumer_sees_only_itself(weavr_consumer, sandbox):
    other = sandbox.weavr.consumer(api_key=sandbox.credentials["weavr"][1]["api_key"])
    me = weavr_consumer["client"].get("/multi/consumers").json()
    assert me["id"]["id"] == weavr_consumer["id"] != other["id"]
