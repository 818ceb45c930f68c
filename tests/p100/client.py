"""A small P100 client over Flask's test client, for the tests."""

from __future__ import annotations

import io
from dataclasses import dataclass

from tests.harness import PNG  # noqa: F401 (the tests' upload)

KEY, KEY_2 = "p100-sandbox-api-key", "p100-sandbox-api-key-2"
BASE, CONTROL = "/p100", "/_sandbox/p100"


def user_body(external_user_id: str, **overrides) -> dict:
    return {"externalUserId": external_user_id, "email": f"{external_user_id}@example.pl", "phone": "486012334567",
            "firstName": "Jan", "lastName": "Kowalski", "street": "ul. Marszałkowska", "number": "123/5",
            "city": "Warszawa", "postCode": "00-001", "country": "PL", "citizenship": "PL", "nationality": "PL",
            "birthCountry": "PL", "birthDate": "1990-05-15", "userIdentificationNumber": "123456789",
            "hasAcceptedP100Tc": True, **overrides}


def files(*contents: bytes, name: str = "doc.png") -> dict:
    return {"files": [(io.BytesIO(c), name) for c in contents]}


@dataclass
class P100Client:
    client: object
    key: str = KEY

    @property
    def headers(self) -> dict:
        return {"x-api-key": self.key}

    def get(self, path, **kwargs):
        return self.client.get(BASE + path, headers=self.headers, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.client.post(BASE + path, json=body, headers=self.headers, **kwargs)

    def patch(self, path, body=None):
        return self.client.patch(BASE + path, json=body, headers=self.headers)

    def delete(self, path):
        return self.client.delete(BASE + path, headers=self.headers)

    def upload(self, path, data):
        return self.client.post(BASE + path, data=data, headers=self.headers, content_type="multipart/form-data")

    def control(self, method, path, body=None):
        return self.client.open(CONTROL + path, method=method, json=body, headers=self.headers)

    # -- stories ---------------------------------------------------------------------------------
    def create_user(self, external_user_id: str, **overrides) -> dict:
        response = self.post("/v1/user/balances/crypto-and-fiat", user_body(external_user_id, **overrides))
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def kyc(self, external_user_id: str, **status):
        response = self.control("POST", f"/users/{external_user_id}/kyc", status)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def verified_user(self, external_user_id: str, **overrides) -> dict:
        """Created, KYC VERIFIED, user verification added: fiat ACTIVE with an IBAN."""
        created = self.create_user(external_user_id, **overrides)
        self.kyc(external_user_id, verificationStatus="VERIFIED", attemptStatus="SUCCESSFUL")
        response = self.post("/v1/user/verification", {"externalUserId": external_user_id, "documentType": "ID_CARD",
                                                      "documentNumber": "ABC123456"})
        assert response.status_code == 200, response.get_json()
        return created

    def deposit_fiat(self, external_user_id: str, amount: str, **extra):
        response = self.control("POST", f"/users/{external_user_id}/fiat-deposits", {"amount": amount, **extra})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def deposit_crypto(self, external_user_id: str, currency: str, amount: str, **extra):
        response = self.control("POST", f"/users/{external_user_id}/crypto-deposits",
                                {"currency": currency, "amount": amount, **extra})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def balances(self, external_user_id: str) -> dict[str, str]:
        body = self.get(f"/v1/user/balances/{external_user_id}").get_json()
        return {b["name"]: b["amount"] for b in body["fiatBalances"] + body["cryptoBalances"]}

    def lock(self, external_user_id: str, frm: str, to: str, amount: str) -> dict:
        response = self.get("/v1/exchange/get-lock", query_string={"externalUserId": external_user_id,
                                                                   "currencyFrom": frm, "currencyTo": to,
                                                                   "amount": amount})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def history(self, external_user_id: str, **query) -> dict:
        response = self.get(f"/v1/user/transactions/{external_user_id}", query_string=query)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def partner_balances(self) -> dict[str, str]:
        return self.control("GET", "/partner/balances").get_json()["balances"]
