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
    """Subclass once per provider (its kit.py) and set `name`."""

    name = ""

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
