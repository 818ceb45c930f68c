"""Prozora's valid calls, for the provider-neutral tests."""

from __future__ import annotations

from sandbox.providers.prozora import provider
from tests.harness import Call, Harness
from tests.prozora.client import IBANS, KYIV, TOKEN_B, UAH_A, USDC_A, A, B, ProzoraClient, path


class ProzoraHarness(Harness):
    provider = provider

    def calls(self, client):
        prozora = ProzoraClient(client)
        guid = prozora.created(login="harness@example.com", iban=IBANS[0])["customer_guid"]
        headers = prozora.headers()
        full = {"asset_code": "USDC", "asset_issuer": USDC_A, "balance_allowed": 1, "balance_asset_code": "UAH",
                "balance_asset_issuer": UAH_A, "branch_guid": KYIV, "iban": IBANS[1], "is_disabled": False,
                "kyc_level": 1, "login": "new@example.com", "name": "Olena", "paternal_name": "Ivanivna",
                "phone_number": "+380501234567", "segment": "PL", "status": "active", "surname": "Shevchenko"}
        return {
            ("post", "/api/v1/counterparty/{counterparty_guid}/customers"): Call(
                "post", path(A), full, headers=headers),
            ("get", "/api/v1/counterparty/{counterparty_guid}/customers"): Call(
                "get", path(A), query={"logins": "harness@example.com", "kyc_levels": "0", "is_disabled": "false",
                                       "statuses": "active", "limit": 10, "offset": 0,
                                       "ordering": "created_at_desc", "search_string": "harness",
                                       "min_created_at": "2000-01-01", "min_balance_allowed": "0"},
                headers=headers),
            ("put", "/api/v1/counterparty/{counterparty_guid}/customers/{customer_guid}"): Call(
                "put", path(A, guid), {"name": "Taras", "kyc_level": 2, "balance_allowed": 10.5, "branch_guid": KYIV,
                                       "wallet_user_guid": guid, "is_disabled": True, "segment": "PI"},
                headers=headers),
            ("post", "/api/v1/counterparty/{counterparty_guid}/customers/{customer_guid}/accounts"): Call(
                "post", path(A, guid, "accounts"), {"iban": IBANS[2]}, headers=headers),
            ("get", "/api/v1/counterparty/{counterparty_guid}/customers/{customer_guid}/accounts"): Call(
                "get", path(A, guid, "accounts"), query={"iban": IBANS[0]}, headers=headers),
            # the same operations at the docs' OpenAPI blocks' paths (without /api/v1), each on its own customer
            **self.short_calls(prozora),
            # last: it puts the counterparty's records back to the scenario
            ("post", "/counterparty/{counterparty_guid}/reset"): Call(
                "post", f"/_sandbox/prozora/counterparty/{A}/reset", headers=headers),
        }

    @staticmethod
    def short_calls(prozora: ProzoraClient) -> dict:
        """A valid call of each alias: the customer paths without /api/v1."""
        guid = prozora.created(login="short@example.com")["customer_guid"]
        headers = prozora.headers()
        short = f"/prozora/counterparty/{A}/customers"
        documented = "/counterparty/{counterparty_guid}/customers"
        return {
            ("post", documented): Call("post", short, {"asset_code": "UAH", "asset_issuer": UAH_A,
                                                       "login": "short-new@example.com"}, headers=headers),
            ("get", documented): Call("get", short, query={"kyc_levels": ["0", "1"]}, headers=headers),
            ("put", f"{documented}/{{customer_guid}}"): Call("put", f"{short}/{guid}", {"status": "verified"},
                                                             headers=headers),
            ("post", f"{documented}/{{customer_guid}}/accounts"): Call("post", f"{short}/{guid}/accounts", {},
                                                                       headers=headers),
            ("get", f"{documented}/{{customer_guid}}/accounts"): Call("get", f"{short}/{guid}/accounts",
                                                                      headers=headers),
        }

    def credentials(self, client, method, path):
        """The document's examples are counterparty B's employee's calls (B holds the default scenario's
        example customer): its session token, as the bank got it from the employee's login."""
        return ProzoraClient(client, TOKEN_B, B).headers()
