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


def test_kyc_that_takes_ten_minutes_calls_back_signed(sandbox, weavr_consumer):
    """The partner's webhook handler meets Weavr's KYC callbacks: decided ten
    minutes later in sandbox time, signed with the api-key, retried after a
    failure as the clock moves."""
    sandbox.weavr.set_outcomes(kyc={"progression": "after", "delay": "PT10M", "outcome": "APPROVED"})
    hooks = sandbox.webhooks  # a receiver on 127.0.0.1, registered as the first api-key's endpoint
    sandbox.clock.freeze()
    assert weavr_consumer["client"].post("/multi/consumers/kyc").status_code == 200
    started = hooks.wait_for("/consumers/kyc/watch", timeout=10)
    assert started.json["status"] == "INITIATED" and hooks.verify(started)  # signature and signature-v2

    hooks.fail_next(1)  # the partner's endpoint is down when the decision comes
    sandbox.clock.advance("PT10M")
    refused = hooks.wait_for("/consumers/kyc/watch", timeout=10, count=2)
    assert refused.status == 500 and refused.json["status"] == "APPROVED"
    sandbox.clock.advance("PT1M")  # Weavr tries again
    retried = hooks.wait_for("/consumers/kyc/watch", timeout=10, count=3)
    assert retried.status == 200 and retried.json == refused.json and hooks.verify(retried)
    activated = hooks.wait_for("/consumers/consumer_activated/watch", timeout=10)
    assert activated.json == {"actionDoneBy": "ADMIN", "emailAddress": weavr_consumer["email"]}

    [approval] = [d for d in sandbox.weavr.deliveries(type="/consumers/kyc/watch") if d["body"]["status"] == "APPROVED"]
    assert [attempt["status"] for attempt in approval["attempts"]] == [500, 200]


def test_a_held_fee_charge_completes_with_its_callback(sandbox, weavr_consumer):
    sandbox.weavr.set_outcomes(fee={"progression": "manual"})
    hooks = sandbox.webhooks
    account = sandbox.weavr.open_managed_account(weavr_consumer["id"], "EUR", balance=1000)
    charged = weavr_consumer["client"].post("/multi/consumers/fees/charge", json={
        "feeType": "PRINTED_CARD_ACCOUNT_STATEMENT", "source": {"type": "managed_accounts", "id": account["id"]}})
    assert charged.json()["state"] == "INITIALISED"
    sandbox.weavr.complete_fee_charge(charged.json()["transactionId"]["id"])
    fee = hooks.wait_for("/fees/watch", timeout=10)
    assert hooks.verify(fee) and fee.json["chargeFee"]["id"] == charged.json()["transactionId"]["id"]
    assert fee.json["type"] == "COMPLETED"
