"""Tenants never see each other: every api-key owns its consumers, accounts,
tokens and references; one consumer's token reads only that consumer."""

from __future__ import annotations

from tests.weavr.client import CONTROL, KEY_2, WeavrClient, consumer_body, error_code


def test_api_key_2_never_sees_api_key_1s_consumers(client):
    one = WeavrClient(client).onboard()
    account = one.open_account("EUR", balance=1000)
    two = WeavrClient(client, KEY_2)
    # the same email is free under another api-key
    assert two.post("/consumers", consumer_body(KEY_2, rootUser={"email": one.email}), token=False).status_code == 200
    lonely = WeavrClient(client).create()  # an email only api-key 1 knows
    assert error_code(two.post("/consumers/verification/email/send", {"email": lonely.email},
                               token=False)) == "EMAIL_NOT_FOUND"
    assert error_code(two.post(f"/passwords/{one.id}/create", {"password": {"value": "Passw0rd!"}},
                               token=False)) == "UNRESOLVED_IDENTITY"
    two.consumer = one.consumer
    assert two.simulate(f"/consumers/{one.id}/verify").status_code == 404
    assert two.simulate(f"/accounts/{account['id']}/deposit",
                        {"depositAmount": {"currency": "EUR", "amount": 5}}).get_json() == {
        "code": "DENIED_ACCOUNT_NOT_FOUND"}
    assert client.get(f"{CONTROL}/managed_accounts/{account['id']}", headers={"api-key": KEY_2}).status_code == 404
    assert two.control(f"/consumers/{one.id}/managed_accounts", {"currency": "EUR"}).status_code == 404
    assert one.balance(account["id"]) == 1000


def test_a_token_is_refused_with_another_api_key(client):
    one = WeavrClient(client).onboard()
    stolen = WeavrClient(client, KEY_2)
    stolen.token = one.token
    response = stolen.get("/consumers")
    assert response.status_code == 403 and error_code(response) == "INSUFFICIENT_PERMISSIONS"
    assert response.headers["request-ref"]


def test_one_consumers_token_reads_only_that_consumer(client):
    alice = WeavrClient(client).onboard(rootUser={"name": "Alice"})
    bob = WeavrClient(client).onboard(rootUser={"name": "Bob"})
    assert alice.get("/consumers").get_json()["rootUser"]["name"] == "Alice"
    assert bob.get("/consumers").get_json()["rootUser"]["name"] == "Bob"
    bob_account = bob.open_account("EUR", balance=1000)
    response = alice.post("/consumers/fees/charge", {"feeType": "PRINTED_CARD_ACCOUNT_STATEMENT",
                                                     "source": {"type": "managed_accounts", "id": bob_account["id"]}})
    assert error_code(response) == "IDENTITY_NOT_OWNER_OF_INSTRUMENT"
    exchange = alice.post("/access_token", {"identity": {"type": "CONSUMER", "id": bob.id}})
    assert exchange.status_code == 403
    alice.patch("/consumers", {"tag": "alice-only"})
    assert "tag" not in bob.get("/consumers").get_json()
