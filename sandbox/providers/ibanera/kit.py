"""What tests need of Ibanera: its managers' credentials, clients logged in
with a fresh TOTP on each call, its control helpers (core's as the first
manager), its webhook signature check and plugin fixtures."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sandbox.core.kit import ControlError, Kit, closing, fixture
from sandbox.providers.ibanera.events import SIGNATURE_HEADER, signature
from sandbox.providers.ibanera.services.auth import ShortSecretTOTP  # also takes a partner's 80-bit secrets

if TYPE_CHECKING:
    import httpx


class IbaneraKit(Kit):
    """Managers log in with username, password and their TOTP; every private
    call carries the bearer token and a fresh TOTP (computed on the sandbox's
    clock, so a test that moves the clock still sends a valid code)."""

    name = "ibanera"

    def __init__(self, sandbox):
        super().__init__(sandbox)
        self._tokens: dict[str, str] = {}  # tokens outlive a reset: one login per manager per session

    @property
    def credentials(self) -> list[dict]:
        return [{"username": m["username"], "password": m["password"], "totp_secret": m["totp_secret"]}
                for m in self.section["managers"]]

    def _manager(self, username: str | None) -> dict:
        managers = self.credentials
        found = next((m for m in managers if username is None or m["username"] == username), None)
        if found is None:
            raise ControlError(f"no Ibanera manager {username!r} in the scenario")
        return found

    def totp(self, username: str | None = None) -> str:
        """The manager's current TOTP code, on the sandbox's clock."""
        return ShortSecretTOTP(self._manager(username)["totp_secret"]).at(self.sandbox.clock.now())

    def token(self, username: str | None = None) -> str:
        manager = self._manager(username)
        if manager["username"] not in self._tokens:
            response = self._client().post("/api/v1/public/auth/login", json={
                "username": manager["username"], "password": manager["password"], "otp": self.totp(username)})
            if response.status_code != 200:
                raise ControlError(f"Ibanera login of {manager['username']} answered {response.text}")
            self._tokens[manager["username"]] = response.json()["details"]["accessToken"]
        return self._tokens[manager["username"]]

    def client(self, username: str | None = None) -> httpx.Client:
        """Logged in as `username` (default: the scenario's first manager)."""
        token = self.token(username)

        def with_totp(request: httpx.Request) -> httpx.Request:
            request.headers["Authorization"] = f"Bearer {token}"
            request.headers["otp"] = self.totp(username)
            return request

        return self._client(auth=with_totp)

    @fixture
    def ibanera_client(self) -> Iterator[httpx.Client]:
        """httpx.Client at <url>/ibanera, logged in as the first manager (bearer + fresh TOTP)."""
        yield from closing(self.client())

    # -- controls ----------------------------------------------------------------------------
    def tenant_auth(self) -> tuple[dict, str]:
        """Core's controls as the scenario's first manager: its bearer token, no scope."""
        return {"Authorization": f"Bearer {self.token()}"}, ""

    def unwrap(self, answer: Any) -> Any:
        """Ibanera's controls answer in its success envelope: the `details`."""
        return answer["details"] if isinstance(answer, dict) and "details" in answer else answer

    def verify_webhook(self, headers: dict[str, str], body: bytes, secret: str | None = None) -> bool:
        """webhook-signature = base64(SHA-256(body + hash secret)) (events.py)."""
        given = next((v for name, v in headers.items() if name.lower() == SIGNATURE_HEADER), "")
        expected = signature(body, self.WEBHOOK_SECRET if secret is None else secret)
        return hmac.compare_digest(given.encode(), expected.encode())

    def set_verification(self, managees_id: int, status: str, reject_reason: str | None = None,
                         username: str | None = None) -> dict:
        """Accept or reject a Pending managee's KYC (as its manager)."""
        body = {"status": status} | ({"rejectReason": reject_reason} if reject_reason else {})
        return self._control("POST", f"/managees/{managees_id}/verification",
                             {"Authorization": f"Bearer {self.token(username)}"}, body)
