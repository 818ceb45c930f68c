"""Per provider, what a test needs of an in-process sandbox: the scenario's
credentials, an authenticated `httpx.Client` at the provider's base URL, and
one helper per sandbox control endpoint (/_sandbox/<provider>/...). Helpers
return the control's JSON answer and raise ControlError when it refuses."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from sandbox.testing.running import InProcessSandbox


class ControlError(AssertionError):
    """A sandbox control endpoint refused: the test's setup is wrong; the message says how."""


class Kit:
    name = ""

    def __init__(self, sandbox: InProcessSandbox):
        self.sandbox = sandbox
        self.section = sandbox.runtime.scenario.sections[self.name]
        self._transport: httpx.WSGITransport | None = None  # holds nothing to close

    @property
    def credentials(self) -> list[dict]:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        return f"{self.sandbox.url}/{self.name}"

    def _client(self, headers: dict | None = None, auth=None, base_url: str | None = None) -> httpx.Client:
        """A client of the in-process app itself (httpx's WSGI transport: the
        same app and state as the served port, without the socket and server
        thread in between, which would double a test's cost)."""
        if self._transport is None:
            self._transport = httpx.WSGITransport(app=self.sandbox.app)
        return httpx.Client(base_url=base_url or self.base_url, headers=headers, auth=auth,
                            transport=self._transport, trust_env=False, timeout=30)

    def _control(self, method: str, path: str, headers: dict, body: Any = None) -> Any:
        response = self._client(base_url=self.sandbox.url).request(method, f"/_sandbox/{self.name}{path}",
                                                                   json=body, headers=headers)
        if response.is_error:
            raise ControlError(f"{method} /_sandbox/{self.name}{path} answered {response.status_code}: {response.text}")
        return response.json() if response.content else None


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
        from sandbox.providers.ibanera.auth import ShortSecretTOTP  # also takes a partner's 80-bit secrets

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
        kit, token = self, self.token(username)

        class TotpAuth(httpx.Auth):
            def auth_flow(self, request):
                request.headers["Authorization"] = f"Bearer {token}"
                request.headers["otp"] = kit.totp(username)
                yield request

        return self._client(auth=TotpAuth())

    # -- controls ----------------------------------------------------------------------------
    def set_verification(self, managees_id: int, status: str, reject_reason: str | None = None,
                         username: str | None = None) -> dict:
        """Accept or reject a Pending managee's KYC (as its manager)."""
        body = {"status": status} | ({"rejectReason": reject_reason} if reject_reason else {})
        return self._control("POST", f"/managees/{managees_id}/verification",
                             {"Authorization": f"Bearer {self.token(username)}"}, body)


class WeavrKit(Kit):
    name = "weavr"
    PASSWORD = "Passw0rd!"
    EMAIL_CODE = "123456"
    _emails = itertools.count(1)

    @property
    def credentials(self) -> list[dict]:
        return [{"api_key": k["api_key"], "consumer_profile_id": k["consumer_profile_id"]}
                for k in self.section["api_keys"]]

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

    @staticmethod
    def _ok(response) -> Any:
        if response.is_error:
            raise ControlError(f"{response.request.method} {response.request.url.path} answered "
                               f"{response.status_code}: {response.text}")
        return response.json() if response.content else None

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


class P100Kit(Kit):
    name = "p100"

    @property
    def credentials(self) -> list[dict]:
        return [{"api_key": k["api_key"]} for k in self.section["api_keys"]]

    def _headers(self, api_key: str | None) -> dict:
        return {"x-api-key": api_key or self.credentials[0]["api_key"]}

    def client(self, api_key: str | None = None) -> httpx.Client:
        return self._client(headers=self._headers(api_key))

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


class ProzoraKit(Kit):
    """No control endpoints: a bank's employees do everything through the API."""

    name = "prozora"

    @property
    def credentials(self) -> list[dict]:
        return [{"counterparty": c["id"], "employee_token": c["employee_token"],
                 "branches": [{"guid": b["guid"], "employee_token": b.get("employee_token")}
                              for b in c.get("branches", [])]}
                for c in self.section["counterparties"]]

    def client(self, employee_token: str | None = None) -> httpx.Client:
        """At the employee's counterparty: /prozora/api/v1/counterparty/<guid> (so `client.get("/customers")`)."""
        token = employee_token or self.credentials[0]["employee_token"]
        counterparty = next((c["counterparty"] for c in self.credentials
                             if token in (c["employee_token"], *(b["employee_token"] for b in c["branches"]))), None)
        if counterparty is None:
            raise ControlError(f"no Prozora employee token {token!r} in the scenario")
        return self._client(headers={"Authorization": f"bearer {token}"},
                            base_url=f"{self.base_url}/api/v1/counterparty/{counterparty}")


KITS: dict[str, type[Kit]] = {kit.name: kit for kit in (IbaneraKit, WeavrKit, P100Kit, ProzoraKit)}
