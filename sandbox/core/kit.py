"""What a test needs of one provider (its Kit): the scenario's credentials,
an authenticated `httpx.Client` at the provider's base URL, one helper per
sandbox control endpoint (/_sandbox/<provider>/...), and the pytest fixtures
the plugin offers for it. Each provider declares its Kit on its Provider;
the pytest plugin and sandbox.testing hold no per-provider table.

httpx is imported when a client is made: serving needs no test package."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import httpx
    from flask import Flask

    from sandbox.core.clock import Clock

FIXTURE_MARK = "__sandbox_fixture__"


class ControlError(AssertionError):
    """A sandbox control endpoint refused: the test's setup is wrong; the message says how."""


class SandboxHandle(Protocol):
    """What a Kit needs of the running sandbox (sandbox.testing.InProcessSandbox)."""

    url: str
    app: Flask

    @property
    def clock(self) -> Clock: ...

    def section(self, provider: str) -> dict:
        """The loaded scenario's section of this provider."""
        ...


def fixture(method: Callable) -> Callable:
    """Mark a Kit method as a pytest fixture of the plugin, named after the
    method: `def ibanera_client(self)`, as a generator when it has something
    to close after the test (yield the value, then close it)."""
    setattr(method, FIXTURE_MARK, True)
    return method


class Kit:
    """Subclass once per provider (its kit.py) and set `name`; a provider
    with webhooks says how its signature is checked (verify_webhook)."""

    name = ""
    #: the secret the pytest plugin's receiver registers with
    WEBHOOK_SECRET = "whsec-sandbox-test"

    def __init__(self, sandbox: SandboxHandle):
        self.sandbox = sandbox
        self.section = sandbox.section(self.name)
        self._transport: httpx.WSGITransport | None = None  # holds nothing to close

    @classmethod
    def fixtures(cls) -> dict[str, Callable]:
        """The plugin fixtures this kit declares (see `fixture`), by name."""
        return {name: getattr(cls, name) for name in dir(cls) if getattr(getattr(cls, name), FIXTURE_MARK, False)}

    @property
    def credentials(self) -> list[dict]:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        return f"{self.sandbox.url}/{self.name}"

    def _client(self, headers: dict | None = None, auth: Any = None, base_url: str | None = None) -> httpx.Client:
        """A client of the in-process app itself (httpx's WSGI transport: the
        same app and state as the served port, without the socket and server
        thread in between, which would double a test's cost)."""
        import httpx

        if self._transport is None:
            self._transport = httpx.WSGITransport(app=self.sandbox.app)
        return httpx.Client(base_url=base_url or self.base_url, headers=headers, auth=auth,
                            transport=self._transport, trust_env=False, timeout=30)

    def _control(self, method: str, path: str, headers: dict, body: Any = None) -> Any:
        """A control of this provider (/_sandbox/<name><path>): its JSON answer, or ControlError."""
        response = self._client(base_url=self.sandbox.url).request(method, f"/_sandbox/{self.name}{path}",
                                                                   json=body, headers=headers)
        if response.is_error:
            raise ControlError(f"{method} /_sandbox/{self.name}{path} answered {response.status_code}: {response.text}")
        return response.json() if response.content else None

    # -- core's controls (core/controls.py), as the scenario's first tenant ----------------------------
    def tenant_auth(self) -> tuple[dict, str]:
        """(the headers, the scope path) of core's controls for the scenario's first tenant."""
        raise NotImplementedError(f"{self.name}'s kit does not say how its controls authenticate")

    def unwrap(self, answer: Any) -> Any:
        """A control's answer without the provider's success envelope, if it has one."""
        return answer

    def core_control(self, method: str, path: str, body: Any = None, **query) -> Any:
        headers, scope = self.tenant_auth()
        suffix = ("?" + "&".join(f"{k}={v}" for k, v in query.items())) if query else ""
        return self.unwrap(self._control(method, f"{scope}{path}{suffix}", headers, body))

    def set_webhooks(self, url: str, secret: str | None = None) -> dict:
        """Send the first tenant's events to `url`, signed with `secret` (WEBHOOK_SECRET by default)."""
        return self.core_control("PUT", "/webhooks", {"url": url, "secret": self.WEBHOOK_SECRET if secret is None
                                                      else secret})

    def set_outcomes(self, **kinds: dict) -> dict:
        """e.g. set_outcomes(kyc={"progression": "after", "delay": "PT10M", "outcome": "APPROVED"})."""
        return self.core_control("PUT", "/outcomes", kinds)

    def deliveries(self, **query) -> list[dict]:
        """The first tenant's outbox, newest first (query: type, state, limit)."""
        return self.core_control("GET", "/webhooks/deliveries", **query)["deliveries"]

    def redeliver(self, delivery_id: str) -> dict:
        return self.core_control("POST", f"/webhooks/deliveries/{delivery_id}/redeliver")

    def verify_webhook(self, headers: dict[str, str], body: bytes, secret: str | None = None) -> bool:
        """Whether a delivery carries the provider's own signature (with WEBHOOK_SECRET by default)."""
        raise NotImplementedError(f"{self.name} documents no webhooks")

    @staticmethod
    def _ok(response: httpx.Response) -> Any:
        """A provider call made while setting a test up: its JSON answer, or ControlError."""
        if response.is_error:
            raise ControlError(f"{response.request.method} {response.request.url.path} answered "
                               f"{response.status_code}: {response.text}")
        return response.json() if response.content else None


def closing(client: httpx.Client) -> Iterator[httpx.Client]:
    """A fixture's body for a client: yield it, close it after the test."""
    with client:
        yield client
