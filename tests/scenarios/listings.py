"""What each provider shows of a world through its own endpoints, as one
comparable value: a snapshot round trip must leave it equal."""

from __future__ import annotations

from tests.ibanera.client import IbaneraClient
from tests.p100.client import P100Client
from tests.prozora.client import A, ProzoraClient, path

WEAVR_CONTROL = "/_sandbox/weavr"


def listings(client, weavr_tokens: dict[str, str], weavr_accounts: list[str], p100_users: list[str]) -> dict:
    ibanera = IbaneraClient(client, "manager@example.com").login()
    managees = ibanera.list_managees(PageSize=1000).get_json()["details"]
    accounts = ibanera.list_accounts(PageSize=1000).get_json()["details"]
    weavr = {}
    for consumer_id, token in weavr_tokens.items():
        headers = {"api-key": "weavr-sandbox-api-key", "Authorization": f"Bearer {token}"}
        weavr[consumer_id] = (client.get("/weavr/multi/consumers", headers=headers).get_json(),
                              client.get("/weavr/multi/consumers/kyc", headers=headers).get_json())
    weavr_balances = [client.get(f"{WEAVR_CONTROL}/managed_accounts/{a}",
                                 headers={"api-key": "weavr-sandbox-api-key"}).get_json() for a in weavr_accounts]
    p100 = P100Client(client)
    users = {user: (p100.get(f"/v1/user/balances/{user}").get_json(), p100.get(f"/v1/kyc/status/{user}").get_json(),
                    p100.get(f"/v1/user/transactions/{user}", query_string={"limit": 100}).get_json())
             for user in p100_users}
    partner = p100.control("GET", "/partner/balances").get_json()
    prozora = ProzoraClient(client)
    customers = prozora.listed(limit=1000)
    customer_accounts = {c["wallet_user_guid"]: client.get(path(A, c["wallet_user_guid"], "accounts"),
                                                           headers=prozora.headers()).get_json()
                         for c in customers["customers"]}
    return {"ibanera": (managees, accounts), "weavr": (weavr, weavr_balances), "p100": (users, partner),
            "prozora": (customers, customer_accounts)}
