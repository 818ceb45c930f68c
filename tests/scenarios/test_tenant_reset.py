"""A shared sandbox: each tenant resets its own records with its own
credential (the provider's auth), and no other tenant's."""

from __future__ import annotations

from tests.ibanera.client import IbaneraClient
from tests.p100.client import KEY_2, P100Client
from tests.prozora.client import TOKEN_B, TOKEN_KYIV, UAH_B, B, ProzoraClient
from tests.weavr.client import KEY_2 as WEAVR_KEY_2
from tests.weavr.client import WeavrClient


def test_ibanera_a_managers_reset_leaves_the_other_managers_records(client):
    a = IbaneraClient(client, "manager@example.com").login()
    b = IbaneraClient(client, "manager2@example.com").login()
    a_managee, _ = a.accepted_managee(emailAddress="a@example.com")
    b_managee = b.new_managee(emailAddress="b@example.com")
    response = client.post("/_sandbox/ibanera/reset", headers={"Authorization": a.headers()["Authorization"]})
    assert response.status_code == 200 and response.get_json()["details"]["records"] >= 2
    assert a.list_managees().get_json()["details"] == [] and a.list_accounts().get_json()["details"] == []
    assert [m["manageesId"] for m in b.list_managees().get_json()["details"]] == [b_managee]
    assert a.new_managee(emailAddress="a@example.com") > max(a_managee, b_managee)  # ids never go back
    refused = client.post("/_sandbox/ibanera/reset", headers={"Authorization": "Bearer nope"})
    assert refused.status_code == 401 and refused.get_json()["errors"][0]["messageCode"] == "Unauthorised"


def test_weavr_an_api_keys_reset_leaves_the_other_keys_records(client):
    a = WeavrClient(client).onboard()
    account = a.open_account("EUR", 500)
    b = WeavrClient(client, WEAVR_KEY_2).onboard()
    b_account = b.open_account("EUR", 300)
    assert a.control("/reset").status_code == 200
    assert a.get("/consumers").status_code == 401  # its token went with its consumer
    assert client.get(f"/_sandbox/weavr/managed_accounts/{account['id']}",
                      headers={"api-key": a.api_key}).status_code == 404
    assert b.get("/consumers").get_json()["rootUser"]["email"] == b.email
    assert b.balance(b_account["id"]) == 300
    assert client.post("/_sandbox/weavr/reset", headers={"api-key": "nope"}).status_code == 401


def test_p100_a_partners_reset_leaves_the_other_partners_records(client):
    a, b = P100Client(client), P100Client(client, KEY_2)
    a.verified_user("alice")
    a.deposit_fiat("alice", "10.00")
    b.verified_user("bob")
    b.deposit_fiat("bob", "20.00")
    partner_b = b.control("GET", "/partner/balances").get_json()
    assert a.control("POST", "/reset").status_code == 200
    assert a.get("/v1/user/balances/alice").get_json()["errorCode"] == "P412"
    assert b.get("/v1/user/balances/bob").get_json()["fiatBalances"][0]["amount"] == "20.00"
    assert b.control("GET", "/partner/balances").get_json() == partner_b
    assert client.post("/_sandbox/p100/reset", headers={"x-api-key": "nope"}).status_code == 401


def test_prozora_a_counterpartys_reset_leaves_the_other_counterpartys_records(client):
    a = ProzoraClient(client)
    b = ProzoraClient(client, TOKEN_B, B)
    a.created(login="a@example.com")
    b_guid = b.created(login="b@example.com", asset_issuer=UAH_B)["customer_guid"]
    b_before = b.listed()
    assert b_guid in [c["wallet_user_guid"] for c in b_before["customers"]]
    reset = client.post(f"/_sandbox/prozora/counterparty/{a.counterparty}/reset", headers=a.headers())
    assert reset.status_code == 200 and reset.get_json()["records"] == 2
    assert a.listed()["total"] == 0
    assert b.listed() == b_before
    # another counterparty's employee, or one branch's, cannot reset A
    for token in (TOKEN_B, TOKEN_KYIV):
        refused = client.post(f"/_sandbox/prozora/counterparty/{a.counterparty}/reset",
                              headers={"Authorization": f"bearer {token}"})
        assert refused.status_code == 403 and refused.get_json() == {"error": "permission denied"}
