"""What tests need of P100: its API keys, clients, its control helpers and
plugin fixtures."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sandbox.core.kit import ControlError, Kit, closing, fixture
from sandbox.providers.p100.events import AUTHORIZATION

if TYPE_CHECKING:
    import httpx


class P100Kit(Kit):
    name = "p100"

    @property
    def credentials(self) -> list[dict]:
        return [{"api_key": k["api_key"]} for k in self.section["api_keys"]]

    def _headers(self, api_key: str | None) -> dict:
        return {"x-api-key": api_key or self.credentials[0]["api_key"]}

    def client(self, api_key: str | None = None) -> httpx.Client:
        return self._client(headers=self._headers(api_key))

    # -- core's controls and webhooks ------------------------------------------------------------
    def tenant_auth(self) -> tuple[dict, str]:
        """Core's controls take the first API key, at /_sandbox/p100 itself."""
        return self._headers(None), ""

    def verify_webhook(self, headers: dict[str, str], body: bytes, secret: str | None = None) -> bool:
        """P100's scheme: the Authorization header is the secret token itself (WEBHOOK_SECRET by default)."""
        given = next((v for name, v in headers.items() if name.lower() == AUTHORIZATION.lower()), None)
        return given is not None and hmac.compare_digest(given.encode(), (secret or self.WEBHOOK_SECRET).encode())

    @fixture
    def p100_client(self) -> Iterator[httpx.Client]:
        """httpx.Client at <url>/p100 with the first x-api-key."""
        yield from closing(self.client())

    # -- controls ----------------------------------------------------------------------------
    def crypto_deposit(self, external_user_id: str, currency: str, amount: str, api_key: str | None = None,
                       **extra) -> dict:
        """extra: network, holdForTravelRule."""
        return self._control("POST", f"/users/{external_user_id}/crypto-deposits", self._headers(api_key),
                             {"currency": currency, "amount": str(amount), **extra})

    def fiat_deposit(self, external_user_id: str, amount: str, api_key: str | None = None, **extra) -> dict:
        """extra: senderIban, senderName, title."""
        return self._control("POST", f"/users/{external_user_id}/fiat-deposits", self._headers(api_key),
                             {"amount": str(amount), **extra})

    def set_kyc(self, external_user_id: str, api_key: str | None = None, **statuses) -> dict:
        """statuses: verificationStatus, attemptStatus, rejectionReason, poaStatus."""
        return self._control("POST", f"/users/{external_user_id}/kyc", self._headers(api_key), statuses)

    def partner_balances(self, api_key: str | None = None) -> dict:
        return self._control("GET", "/partner/balances", self._headers(api_key))

    def set_partner_balances(self, balances: dict, api_key: str | None = None) -> dict:
        return self._control("PUT", "/partner/balances", self._headers(api_key),
                             {"balances": {k: str(v) for k, v in balances.items()}})

    def verification_page(self, verification_id: str) -> str:
        """The sandbox's KYC vendor page (HTML) that Redirect to Verification leads to."""
        response = self._client(base_url=self.sandbox.url).get(f"/_sandbox/p100/verification/{verification_id}")
        if response.is_error:
            raise ControlError(f"verification page {verification_id} answered {response.status_code}")
        return response.text
