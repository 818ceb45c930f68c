"""A small Prozora client for tests: what a bank's integration would do."""

from __future__ import annotations

A = "0b8f6a0e-6d2c-4c37-9b7e-5a1d2c3e4f50"
B = "1c9a7b1f-7e3d-4d48-8c8f-6b2e3d4f5a61"
TOKEN_A, TOKEN_B, TOKEN_KYIV = "prozora-sandbox-token", "prozora-sandbox-token-2", "prozora-branch-token"
KYIV, LVIV, ODESA = ("ae8051f5-da84-468b-a635-643e363b5cd9", "6805b5ad-5537-4173-a02f-32c46d2ccdc6",
                     "576e866c-b0fd-45eb-8d5b-282eba04adc4")
UAH_A = "GC2BKLYOOYPDEFJKLKY6FNNRQMGFLVHJKQRGNSSRRGSMPGF32LHCQVGF"
USDC_A = "GCKLZLMYTLRBKM6BDZJYAKHDBSNCGBSN7EDF32FMIAYFAITLCB45ZJW4"
UAH_B = "GAAACAQDAQCQMBYIBEFAWDANBYHRAEISCMKBKFQXDAMRUGY4DUPB7JZX"
UAH_TYPE_A = "5e3f4309-c152-48b3-8091-046708694f90"
IBANS = ("UA213223130000026007233566001", "DE89370400440532013000", "GB29NWBK60161331926819",
         "FR1420041010050500013M02606", "NL91ABNA0417164300")
NOWHERE = "00000000-0000-4000-8000-000000000000"


def path(counterparty: str, *rest: str) -> str:
    return "/".join((f"/prozora/api/v1/counterparty/{counterparty}/customers", *rest))


def error_of(response) -> str:
    body = response.get_json()
    assert set(body) == {"error"}, body
    return body["error"]


def customer_body(**fields) -> dict:
    return {"asset_code": "UAH", "asset_issuer": UAH_A, **fields}


class ProzoraClient:
    """One employee: its token and counterparty."""

    def __init__(self, client, token: str = TOKEN_A, counterparty: str = A):
        self.client = client
        self.token = token
        self.counterparty = counterparty

    def headers(self) -> dict:
        return {"Authorization": f"bearer {self.token}"}

    def create(self, counterparty: str | None = None, **fields):
        counterparty = counterparty or self.counterparty
        issuer = UAH_A if counterparty == A else UAH_B
        body = {"asset_code": "UAH", "asset_issuer": issuer, **fields}
        return self.client.post(path(counterparty), json=body, headers=self.headers())

    def created(self, **fields) -> dict:
        response = self.create(**fields)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def list(self, counterparty: str | None = None, **query):
        return self.client.get(path(counterparty or self.counterparty), query_string=query, headers=self.headers())

    def listed(self, **query) -> dict:
        response = self.list(**query)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def update(self, customer: str, counterparty: str | None = None, **fields):
        return self.client.put(path(counterparty or self.counterparty, customer), json=fields,
                               headers=self.headers())

    def add_account(self, customer: str, counterparty: str | None = None, **fields):
        return self.client.post(path(counterparty or self.counterparty, customer, "accounts"), json=fields,
                                headers=self.headers())

    def accounts(self, customer: str, counterparty: str | None = None, **query):
        return self.client.get(path(counterparty or self.counterparty, customer, "accounts"), query_string=query,
                               headers=self.headers())

    def customer(self, guid: str) -> dict | None:
        """The customer as the list shows it (the docs' way of "show one customer")."""
        found = self.listed(wallet_user_guids=guid)["customers"]
        return found[0] if found else None
