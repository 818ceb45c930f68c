"""What tests need of Weavr: its api-keys, clients, a consumer onboarded the
documented way, its control helpers, its webhook signature check and plugin
fixtures."""

from __future__ import annotations

import hmac
import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sandbox.core.kit import Kit, closing, fixture
from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr import events as ev

if TYPE_CHECKING:
    import httpx


class WeavrKit(Kit):
    name = "weavr"
    PASSWORD = "Passw0rd!"
    EMAIL_CODE = k.SANDBOX_VERIFICATION_CODE
    _emails = itertools.count(1)

    @property
    def credentials(self) -> list[dict]:
        return [{"api_key": key["api_key"], "consumer_profile_id": key["consumer_profile_id"]}
                for key in self.section["api_keys"]]

    def _key(self, api_key: str | None) -> str:
        return api_key or self.credentials[0]["api_key"]

    def client(self, api_key: str | None = None, token: str | None = None) -> httpx.Client:
        """At /weavr (paths /multi/... and /simulate/api/...) with `api-key`
        (also sent as the simulator's `programme-key`) and, given, a consumer's token."""
        key = self._key(api_key)
        headers = {"api-key": key, "programme-key": key} | ({"Authorization": f"Bearer {token}"} if token else {})
        return self._client(headers=headers)

    def consumer(self, api_key: str | None = None, **root_user) -> dict:
        """A consumer onboarded the documented way (create, password, email
        verified, login, access token): {"id", "email", "password", "token", "consumer"}."""
        key = self._key(api_key)
        profile = next(c["consumer_profile_id"] for c in self.credentials if c["api_key"] == key)
        email = root_user.pop("email", f"consumer{next(self._emails)}@example.com")
        root = {"name": "Ada", "surname": "Lovelace", "email": email,
                "mobile": {"countryCode": "+44", "number": "7700900123"},
                "dateOfBirth": {"year": 1990, "month": 12, "day": 10},
                "address": {"addressLine1": "1 Main Street", "city": "London", "postCode": "N1 9GU",
                            "country": "GB"}} | root_user
        with self.client(key) as weavr:
            consumer = self._ok(weavr.post("/multi/consumers", json={"profileId": profile, "rootUser": root,
                                                                     "ipAddress": "127.0.0.1"}))
            consumer_id = consumer["id"]["id"]
            self._ok(weavr.post(f"/multi/passwords/{consumer_id}/create", json={"password": {"value": self.PASSWORD}}))
            self._ok(weavr.post("/multi/consumers/verification/email/send", json={"email": email}))
            self._ok(weavr.post("/multi/consumers/verification/email/verify",
                                json={"email": email, "verificationCode": self.EMAIL_CODE}))
            auth = self._ok(weavr.post("/multi/login_with_password",
                                       json={"email": email, "password": {"value": self.PASSWORD}}))["token"]
            token = self._ok(weavr.post("/multi/access_token", headers={"Authorization": f"Bearer {auth}"},
                                        json={"identity": {"type": "CONSUMER", "id": consumer_id}}))["token"]
        return {"id": consumer_id, "email": email, "password": self.PASSWORD, "token": token, "consumer": consumer}

    @fixture
    def weavr_client(self) -> Iterator[httpx.Client]:
        """httpx.Client at <url>/weavr with the first api-key (also the simulator's programme-key)."""
        yield from closing(self.client())

    @fixture
    def weavr_consumer(self) -> Iterator[dict]:
        """An onboarded consumer: {"id", "email", "password", "token", "client"} (client sends its token)."""
        consumer = self.consumer()
        with self.client(token=consumer["token"]) as client:
            yield consumer | {"client": client}

    # -- controls ----------------------------------------------------------------------------
    def set_kyc(self, consumer_id: str | int, status: str, api_key: str | None = None) -> dict:
        """PENDING_REVIEW, APPROVED or REJECTED (final)."""
        return self._control("POST", f"/consumers/{consumer_id}/kyc", {"api-key": self._key(api_key)},
                             {"status": status})

    def open_managed_account(self, consumer_id: str | int, currency: str = "EUR", balance: int = 0,
                             api_key: str | None = None) -> dict:
        return self._control("POST", f"/consumers/{consumer_id}/managed_accounts", {"api-key": self._key(api_key)},
                             {"currency": currency, "balance": balance})

    def managed_account(self, account_id: str | int, api_key: str | None = None) -> dict:
        """The account and its balance (minor units)."""
        return self._control("GET", f"/managed_accounts/{account_id}", {"api-key": self._key(api_key)})

    def fee_charge(self, charge_id: str | int, api_key: str | None = None) -> dict:
        """A fee charge and its state (INITIALISED while the api-key's `fee` outcome holds it)."""
        return self._control("GET", f"/fee_charges/{charge_id}", {"api-key": self._key(api_key)})

    def complete_fee_charge(self, charge_id: str | int, api_key: str | None = None) -> dict:
        return self._control("POST", f"/fee_charges/{charge_id}/complete", {"api-key": self._key(api_key)})

    # -- core's controls and webhooks -----------------------------------------------------------
    def tenant_auth(self) -> tuple[dict, str]:
        return {"api-key": self._key(None)}, ""

    def set_webhooks(self, url: str, secret: str | None = None) -> dict:
        """Send the first api-key's events to `url` (Weavr signs with the api-key: no secret to give)."""
        return self.core_control("PUT", "/webhooks", {"url": url})

    def verify_webhook(self, headers: dict[str, str], body: bytes, secret: str | None = None) -> bool:
        """Both of Weavr's signatures [spec], keyed with the api-key (`secret`: another api-key)."""
        def header(name: str) -> str:
            return next((v for n, v in headers.items() if n.lower() == name), "")

        key, call_ref, timestamp = secret or self._key(None), header("call-ref"), header("published-timestamp")
        return bool(timestamp) and hmac.compare_digest(header("signature"), ev.sign(key, timestamp.encode())) \
            and hmac.compare_digest(header("signature-v2"),
                                    ev.sign(key, call_ref.encode() + body + timestamp.encode()))
