"""Weavr's valid calls, for the provider-neutral tests."""

from __future__ import annotations

from sandbox.providers.weavr import examples as x
from sandbox.providers.weavr import provider
from tests.harness import Call, Harness
from tests.weavr.client import CODE, CONTROL, KEY, MULTI, PASSWORD, SIMULATOR, WeavrClient, consumer_body


class WeavrHarness(Harness):
    provider = provider

    def calls(self, client):
        main = WeavrClient(client).onboard()
        account = main.open_account("EUR", balance=10_000)
        fresh = WeavrClient(client).create()  # no password yet, email not verified
        unverified = WeavrClient(client).create()
        assert main.post("/consumers/verification/email/send", {"email": unverified.email}).status_code == 204
        pending = WeavrClient(client).create()
        reviewed = WeavrClient(client).create()
        key = {"api-key": KEY}
        private = main.headers()
        programme = {"programme-key": KEY}
        fee = {"feeType": "PRINTED_CARD_ACCOUNT_STATEMENT", "source": {"type": "managed_accounts", "id": account["id"]}}
        charged = main.post("/consumers/fees/charge", fee).get_json()["transactionId"]["id"]

        def a_held_charge(client) -> str:
            """A charge the api-key's `fee` outcome holds: the path of its completion."""
            held = {"fee": {"progression": "manual"}}
            assert client.put(f"{CONTROL}/outcomes", json=held, headers=key).status_code == 200
            charge = main.post("/consumers/fees/charge", fee).get_json()
            assert charge["state"] == "INITIALISED", charge
            return f"{CONTROL}/fee_charges/{charge['transactionId']['id']}/complete"

        return {
            ("post", "/multi/consumers"): Call("post", f"{MULTI}/consumers", consumer_body(), headers=key),
            ("get", "/multi/consumers"): Call("get", f"{MULTI}/consumers", headers=private),
            ("patch", "/multi/consumers"): Call("patch", f"{MULTI}/consumers", {"tag": "harness"}, headers=private),
            ("post", "/multi/consumers/verification/email/send"): Call(
                "post", f"{MULTI}/consumers/verification/email/send", {"email": fresh.email}, headers=key),
            ("post", "/multi/consumers/verification/email/verify"): Call(
                "post", f"{MULTI}/consumers/verification/email/verify",
                {"email": unverified.email, "verificationCode": CODE}, headers=key),
            ("post", "/multi/consumers/kyc"): Call("post", f"{MULTI}/consumers/kyc", {"kycLevel": "KYC_LEVEL_2"},
                                                   headers=private),
            ("get", "/multi/consumers/kyc"): Call("get", f"{MULTI}/consumers/kyc", headers=private),
            ("post", "/multi/consumers/fees/charge"): Call("post", f"{MULTI}/consumers/fees/charge", fee,
                                                           headers=private),
            ("post", "/multi/passwords/{user_id}/create"): Call(
                "post", f"{MULTI}/passwords/{fresh.id}/create", {"password": {"value": PASSWORD}}, headers=key),
            ("post", "/multi/login_with_password"): Call(
                "post", f"{MULTI}/login_with_password", {"email": main.email, "password": {"value": PASSWORD}},
                headers=key),
            ("post", "/multi/access_token"): Call(
                "post", f"{MULTI}/access_token", {"identity": {"type": "CONSUMER", "id": main.id}}, headers=private),
            ("post", "/simulate/api/consumers/{consumer_id}/verify"): Call(
                "post", f"{SIMULATOR}/consumers/{pending.id}/verify", headers=programme),
            ("post", "/simulate/api/accounts/{account_id}/deposit"): Call(
                "post", f"{SIMULATOR}/accounts/{account['id']}/deposit",
                {"depositAmount": {"currency": "EUR", "amount": 1000}}, headers=programme),
            ("post", "/simulate/api/accounts/deposit"): Call(
                "post", f"{SIMULATOR}/accounts/deposit",
                {"depositAmount": {"currency": "EUR", "amount": 1000},
                 "destinationIbanDetails": {"iban": account["iban"]}}, headers=programme),
            ("post", "/consumers/{consumer_id}/kyc"): Call(
                "post", f"{CONTROL}/consumers/{reviewed.id}/kyc", {"status": "APPROVED"}, headers=key),
            ("post", "/consumers/{consumer_id}/managed_accounts"): Call(
                "post", f"{CONTROL}/consumers/{main.id}/managed_accounts", {"currency": "GBP", "balance": 5},
                headers=key),
            ("get", "/managed_accounts/{account_id}"): Call(
                "get", f"{CONTROL}/managed_accounts/{account['id']}", headers=key),
            ("get", "/fee_charges/{charge_id}"): Call("get", f"{CONTROL}/fee_charges/{charged}", headers=key),
            ("post", "/fee_charges/{charge_id}/complete"): Call(
                "post", f"{CONTROL}/fee_charges/{charged}/complete", headers=key, prepare=a_held_charge),
            # last: it puts this api-key's records back to the scenario
            ("post", "/reset"): Call("post", f"{CONTROL}/reset", headers=key),
        }

    def event_call(self, client):
        """A login of the scenario's consumer who can log in (Ada): /login/watch."""
        return Call("post", f"{MULTI}/login_with_password", {"email": x.ADA_EMAIL, "password": {"value": x.PASSWORD}},
                    headers={"api-key": KEY})

    def credentials(self, client, method, path):
        """What a partner of the default scenario sends: its api-key (also the
        simulator's programme-key) and, where a user token is wanted, a bearer
        token of the scenario's consumer who can log in (Ada): her login (auth)
        token for the access-token exchange, the exchanged access token for the
        consumer operations."""
        headers = {"api-key": KEY, "programme-key": KEY}
        operation = client.get("/weavr/openapi.json").get_json()["paths"][path][method]
        schemes = {name for requirement in operation.get("security", ()) for name in requirement}
        if "auth_token" in schemes:
            response = client.post(f"{MULTI}/login_with_password", headers=headers,
                                   json={"email": x.ADA_EMAIL, "password": {"value": x.PASSWORD}})
            assert response.status_code == 200, response.get_data(as_text=True)
            token = response.get_json()["token"]
            if operation["operationId"] != "requestAccessToken":
                response = client.post(f"{MULTI}/access_token", json={"identity": {"type": "CONSUMER", "id": x.ADA}},
                                       headers={**headers, "Authorization": f"Bearer {token}"})
                assert response.status_code == 200, response.get_data(as_text=True)
                token = response.get_json()["token"]
            headers["Authorization"] = f"Bearer {token}"
        return headers
