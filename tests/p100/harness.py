"""P100's valid calls, for the provider-neutral tests."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.providers.p100 import provider
from sandbox.providers.p100.routes.cards import CARD_ENDPOINTS
from tests.harness import Call, Harness
from tests.p100.client import BASE, CONTROL, KEY, PNG, P100Client, files, user_body

H = {"x-api-key": KEY}


@dataclass(frozen=True)
class UploadCall(Call):
    """A multipart/form-data upload (no JSON body)."""

    uploads: int = 1

    def send(self, client, *, body=None, query=None, **kwargs):
        return client.open(self.path, method=self.method.upper(), data=files(*[PNG] * self.uploads),
                           headers=self.headers, content_type="multipart/form-data", **kwargs)


class P100Harness(Harness):
    provider = provider

    def calls(self, client):
        p = P100Client(client)
        p.verified_user("h-rich")
        p.deposit_fiat("h-rich", "500.00")
        p.deposit_crypto("h-rich", "btc", "0.50000000")
        held = p.deposit_crypto("h-rich", "eth", "1.00000000", holdForTravelRule=True)["cryptoDepositId"]
        lock = p.lock("h-rich", "btc", "eur", "0.01")["lockId"]
        exchange = p.post("/v1/exchange", {"externalUserId": "h-rich", "amount": "0.01", "currencyFrom": "btc",
                                           "currencyTo": "eur", "lockId": p.lock("h-rich", "btc", "eur", "0.01")
                                           ["lockId"]}).get_json()["exchangeId"]
        sepa = p.post("/v1/sepa-transfer", {"sourceExternalUserId": "h-rich", "currency": "eur", "amount": "1.00",
                                            "destinationIban": "LT601010012345678901",
                                            "transferTitle": "Invoice #1"}).get_json()["transferId"]
        withdrawal = p.post("/v1/crypto-withdrawal", {
            "sourceExternalUserId": "h-rich", "currency": "btc", "amount": "0.001", "walletAddress": "tb1qsandbox",
            "name": "Jan Kowalski", "walletType": "NON_CUSTODIAL", "receiverType": "NATURAL",
        }).get_json()["withdrawalId"]
        transfer = p.post("/v1/transfer", {"destinationExternalUserId": "h-rich", "currency": "eur",
                                           "amount": "1.00"}).get_json()["transferId"]
        p.create_user("h-plain")
        p.create_user("h-poa", country="UA")
        p.create_user("h-doomed")
        verification = p.post("/v1/kyc", {"externalUserId": "h-plain", "documentType": "PASSPORT", "country": "PL",
                                          "incomeSource": "SALARY", "openAccountReason": "DAILY_USE",
                                          "occupation": "IT", "additionalInfo": "Engineer"}).get_json()
        vid = verification["verificationId"]
        n = len(p.history("h-rich")["transactions"])
        calls = {
            ("post", "/v1/user/balances/crypto-and-fiat"): Call(
                "post", f"{BASE}/v1/user/balances/crypto-and-fiat", user_body(f"h-new-{n}"), headers=H),
            ("get", "/v1/user/balances/{external_user_id}"): Call("get", f"{BASE}/v1/user/balances/h-rich", headers=H),
            ("post", "/v1/user/kyc-files/{external_user_id}"): UploadCall(
                "post", f"{BASE}/v1/user/kyc-files/h-plain", headers=H, uploads=3),
            ("post", "/v1/kyc"): Call("post", f"{BASE}/v1/kyc", {
                "externalUserId": "h-plain", "documentType": "ID_CARD", "country": "PL",
                "incomeSource": "BUSINESS_ACTIVITY", "openAccountReason": "CURRENCY_EXCHANGE", "taxId": "PL123"},
                headers=H),
            ("get", "/v1/kyc/verification/{external_user_id}/{verification_id}"): Call(
                "get", f"{BASE}/v1/kyc/verification/h-plain/{vid}", headers=H),
            ("get", "/v1/kyc/status/{external_user_id}"): Call("get", f"{BASE}/v1/kyc/status/h-plain", headers=H),
            ("post", "/v1/user/verification"): Call("post", f"{BASE}/v1/user/verification", {
                "externalUserId": "h-rich", "documentType": "PASSPORT", "documentNumber": "XK1234567",
                "documentIssueDate": "2020-01-01", "documentExpiryDate": "2030-01-01"}, headers=H),
            ("post", "/v1/user/poa-files/{external_user_id}"): UploadCall(
                "post", f"{BASE}/v1/user/poa-files/h-poa", headers=H),
            ("patch", "/v1/user"): Call("patch", f"{BASE}/v1/user", {"externalUserId": "h-plain",
                                                                     "city": "Kraków", "phone": "48123"}, headers=H),
            ("delete", "/v1/user/{external_user_id}"): Call("delete", f"{BASE}/v1/user/h-doomed", headers=H),
            ("patch", "/v1/user/suspend/{external_user_id}"): Call("patch", f"{BASE}/v1/user/suspend/h-plain",
                                                                   headers=H),
            ("patch", "/v1/user/unsuspend/{external_user_id}"): Call("patch", f"{BASE}/v1/user/unsuspend/h-plain",
                                                                     headers=H),
            ("get", "/v1/user/transactions/{external_user_id}"): Call(
                "get", f"{BASE}/v1/user/transactions/h-rich", query={"page": "1", "limit": "5"}, headers=H),
            ("get", "/v1/exchange/get-rate"): Call("get", f"{BASE}/v1/exchange/get-rate", query={
                "currencyFrom": "btc", "currencyTo": "eur", "amount": "0.5"}, headers=H),
            ("get", "/v1/exchange/get-lock"): Call("get", f"{BASE}/v1/exchange/get-lock", query={
                "externalUserId": "h-rich", "currencyFrom": "eur", "currencyTo": "btc", "amount": "10"}, headers=H),
            ("post", "/v1/exchange"): Call("post", f"{BASE}/v1/exchange", {
                "externalUserId": "h-rich", "amount": "0.01", "currencyFrom": "btc", "currencyTo": "eur",
                "lockId": lock}, headers=H),
            ("get", "/v1/exchange/{exchange_id}"): Call("get", f"{BASE}/v1/exchange/{exchange}", headers=H),
            ("get", "/v1/user/sepa-deposit/info/{external_user_id}"): Call(
                "get", f"{BASE}/v1/user/sepa-deposit/info/h-rich", headers=H),
            ("get", "/v1/user/sepa-deposit/contacts/{external_user_id}"): Call(
                "get", f"{BASE}/v1/user/sepa-deposit/contacts/h-rich", headers=H),
            ("post", "/v1/sepa-transfer"): Call("post", f"{BASE}/v1/sepa-transfer", {
                "sourceExternalUserId": "h-rich", "currency": "eur", "amount": "2.50",
                "destinationIban": "DE89370400440532013000", "transferTitle": "Rent", "receiverType": "NATURAL",
                "receiverFirstName": "John", "receiverLastName": "Doe"}, headers=H),
            ("get", "/v1/sepa-transfer/details/{transfer_id}"): Call(
                "get", f"{BASE}/v1/sepa-transfer/details/{sepa}", headers=H),
            ("get", "/v1/crypto-withdrawal/get-network-fee"): Call(
                "get", f"{BASE}/v1/crypto-withdrawal/get-network-fee", query={"currency": "usdc", "network": "polygon"},
                headers=H),
            ("post", "/v1/crypto-withdrawal"): Call("post", f"{BASE}/v1/crypto-withdrawal", {
                "sourceExternalUserId": "h-rich", "currency": "btc", "amount": 0.002, "walletAddress": "tb1qsandbox",
                "memo": "payout", "network": "btc", "name": "Jan Kowalski", "walletType": "CUSTODIAL",
                "receiverType": "NATURAL"}, headers=H),
            ("get", "/v1/crypto-withdrawal/details/{withdrawal_id}"): Call(
                "get", f"{BASE}/v1/crypto-withdrawal/details/{withdrawal}", headers=H),
            ("patch", "/v1/crypto-deposit/travel-rule"): Call("patch", f"{BASE}/v1/crypto-deposit/travel-rule", {
                "cryptoDepositId": held, "name": "Anna Nowak", "walletType": "CUSTODIAL", "receiverType": "NATURAL"},
                headers=H),
            ("post", "/v1/transfer"): Call("post", f"{BASE}/v1/transfer", {
                "sourceExternalUserId": "h-rich", "currency": "eur", "amount": "3.00"}, headers=H),
            ("get", "/v1/transfer/details/{transfer_id}"): Call(
                "get", f"{BASE}/v1/transfer/details/{transfer}", headers=H),
            # sandbox controls
            ("post", "/users/{external_user_id}/crypto-deposits"): Call(
                "post", f"{CONTROL}/users/h-rich/crypto-deposits", {"currency": "usdc", "amount": "25",
                                                                    "network": "polygon", "holdForTravelRule": False},
                headers=H),
            ("post", "/users/{external_user_id}/fiat-deposits"): Call(
                "post", f"{CONTROL}/users/h-rich/fiat-deposits", {
                    "amount": "100.00", "senderIban": "DE89370400440532013000", "senderName": "Jan Kowalski",
                    "title": "top-up"}, headers=H),
            ("post", "/users/{external_user_id}/kyc"): Call("post", f"{CONTROL}/users/h-plain/kyc", {
                "verificationStatus": "NOT_VERIFIED", "attemptStatus": "REJECTED_BY_PROVIDER",
                "rejectionReason": "NO_FACE_FOUND", "poaStatus": "QUESTIONED"}, headers=H),
            ("get", "/partner/balances"): Call("get", f"{CONTROL}/partner/balances", headers=H),
            ("put", "/partner/balances"): Call("put", f"{CONTROL}/partner/balances", {
                "balances": {"eur": "2000.00", "btc": "1"}}, headers=H),
            ("get", "/verification/{verification_id}"): Call("get", f"{CONTROL}/verification/{vid}"),
        }
        for method, path, _ in CARD_ENDPOINTS:
            concrete = path.replace("<external_user_id>", "h-rich").replace("<card_id>", "card-1")
            documented = path.replace("<", "{").replace(">", "}")
            # the card module reads no body: it is off whatever is sent
            calls[(method.lower(), documented)] = Call(method.lower(), f"{BASE}{concrete}", headers=H, refused=400)
        # last: it puts this API key's records back to the scenario
        calls[("post", "/reset")] = Call("post", f"{CONTROL}/reset", headers=H)
        return calls

    def event_call(self, client):
        """A partner -> user transfer: settled at once, a /transfer-webhook event."""
        return Call("post", f"{BASE}/v1/transfer", {"destinationExternalUserId": "ada", "currency": "eur",
                                                    "amount": "1.00"}, headers=H)

    def credentials(self, client, method, path):
        return dict(H)
