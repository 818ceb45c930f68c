"""A small Weavr client for tests: what a partner's integration would do."""

from __future__ import annotations

import itertools

MULTI = "/weavr/multi"
SIMULATOR = "/weavr/simulate/api"
CONTROL = "/_sandbox/weavr"
KEY, KEY_2 = "weavr-sandbox-api-key", "weavr-sandbox-api-key-2"
PROFILE = {KEY: "1011", KEY_2: "2011"}
PASSWORD = "Passw0rd!"
CODE = "123456"
_emails = itertools.count(1)


def consumer_body(api_key: str = KEY, **overrides) -> dict:
    root = {
        "name": "Ada", "surname": "Lovelace", "email": f"ada{next(_emails)}@example.com",
        "mobile": {"countryCode": "+44", "number": "7700900123"},
        "dateOfBirth": {"year": 1990, "month": 12, "day": 10},
        "address": {"addressLine1": "1 Main Street", "city": "London", "postCode": "N1 9GU", "country": "GB"},
    }
    root |= overrides.pop("rootUser", {})
    return {"profileId": PROFILE[api_key], "rootUser": root, "ipAddress": "127.0.0.1", **overrides}


def invalid_fields(response) -> list[tuple[str, str, list]]:
    """(fieldName, error, params) of a 400 BadRequestError, after checking its shape."""
    body = response.get_json()
    assert response.status_code == 400 and body["message"] == "Invalid request", body
    return [(f["fieldName"], f["error"], f["params"]) for f in body["syntaxErrors"]["invalidFields"]]


def error_code(response) -> str:
    return response.get_json()["errorCode"]


class WeavrClient:
    def __init__(self, client, api_key: str = KEY):
        self.client = client
        self.api_key = api_key
        self.token: str | None = None
        self.consumer: dict | None = None

    # -- raw calls ----------------------------------------------------------------
    def headers(self, token: bool = True, **extra) -> dict:
        headers = {"api-key": self.api_key, **extra}
        if token and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def post(self, path: str, json=None, token: bool = True, **headers):
        return self.client.post(f"{MULTI}{path}", json=json, headers=self.headers(token, **headers))

    def get(self, path: str):
        return self.client.get(f"{MULTI}{path}", headers=self.headers())

    def patch(self, path: str, json):
        return self.client.patch(f"{MULTI}{path}", json=json, headers=self.headers())

    def simulate(self, path: str, json=None):
        return self.client.post(f"{SIMULATOR}{path}", json=json, headers={"programme-key": self.api_key})

    def control(self, path: str, json=None):
        return self.client.post(f"{CONTROL}{path}", json=json, headers={"api-key": self.api_key})

    # -- the consumer's life -----------------------------------------------------------
    @property
    def id(self) -> str:
        return self.consumer["id"]["id"]

    @property
    def email(self) -> str:
        return self.consumer["rootUser"]["email"]

    def create(self, **overrides) -> WeavrClient:
        response = self.post("/consumers", consumer_body(self.api_key, **overrides), token=False)
        assert response.status_code == 200, response.get_json()
        self.consumer = response.get_json()
        return self

    def create_password(self, password: str = PASSWORD) -> WeavrClient:
        response = self.post(f"/passwords/{self.id}/create", {"password": {"value": password}}, token=False)
        assert response.status_code == 200, response.get_json()
        return self

    def verify_email(self, email: str | None = None) -> WeavrClient:
        email = email or self.email
        assert self.post("/consumers/verification/email/send", {"email": email}, token=False).status_code == 204
        response = self.post("/consumers/verification/email/verify", {"email": email, "verificationCode": CODE},
                             token=False)
        assert response.status_code == 204, response.get_json()
        return self

    def login(self, password: str = PASSWORD) -> WeavrClient:
        response = self.post("/login_with_password", {"email": self.email, "password": {"value": password}},
                             token=False)
        assert response.status_code == 200, response.get_json()
        self.token = response.get_json()["token"]
        response = self.post("/access_token", {"identity": {"type": "CONSUMER", "id": self.id}})
        assert response.status_code == 200, response.get_json()
        self.token = response.get_json()["token"]
        return self

    def onboard(self, **overrides) -> WeavrClient:
        """Created, password set, email verified, logged in with an access token."""
        return self.create(**overrides).create_password().verify_email().login()

    def approve_kyc(self) -> WeavrClient:
        assert self.simulate(f"/consumers/{self.id}/verify").status_code == 204
        return self

    def open_account(self, currency: str = "EUR", balance: int = 0) -> dict:
        response = self.control(f"/consumers/{self.id}/managed_accounts", {"currency": currency, "balance": balance})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def balance(self, account_id: str) -> int:
        response = self.client.get(f"{CONTROL}/managed_accounts/{account_id}", headers={"api-key": self.api_key})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["balance"]
