"""One sandbox app served on a free 127.0.0.1 port by a daemon thread of the
test process, with what a test needs around it: its URL, the scenario's
credentials, reset, each provider's control endpoints and authenticated
clients (its Kit, declared on its Provider), and interception of the real hosts."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from functools import cached_property

from marshmallow import ValidationError

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.faults import FaultSchema
from sandbox.core.journal import Journal, Match
from sandbox.core.kit import Kit
from sandbox.core.provider import Provider
from sandbox.core.runtime import Sandbox, sandbox_of
from sandbox.observe import line
from sandbox.providers import PROVIDERS
from sandbox.server import create_server
from sandbox.testing.intercept import intercept as intercept_app
from sandbox.testing.receiver import Received, Receiver


class InProcessSandbox:
    def __init__(self, scenario: str | None = None, seed: int = 0, *, hosts: Mapping[str, str] | None = None,
                 threads: int = 4, providers: Mapping[str, Mapping] | None = None,
                 extra_providers: tuple[Provider, ...] = ()):
        """`providers`: each provider's own settings by name; `extra_providers`:
        providers of your own, served beside the built-in ones."""
        self.config = Config(host="127.0.0.1", port=0, scenario=scenario, seed=seed, threads=threads,
                             providers=dict(providers or {}))
        self.app = create_app(self.config, (*PROVIDERS, *extra_providers))
        self.hosts = dict(hosts or {})
        self._server = create_server(self.app, host="127.0.0.1", port=0, threads=threads,
                                     max_body_bytes=self.config.max_body_bytes, may_wait=self.app.may_wait)
        self.url = f"http://127.0.0.1:{self._server.effective_port}"
        self._thread = threading.Thread(target=self._server.run, name=f"fintech-sandbox {self.url}", daemon=True)
        self._thread.start()
        self._kits: dict[str, Kit] = {name: p.kit(self) for name, p in self.runtime.providers.items()}
        self._receiver: TestReceiver | None = None

    # -- the running sandbox ----------------------------------------------------------
    @property
    def runtime(self) -> Sandbox:
        """The sandbox itself: its store, its clock (`runtime.clock.advance(seconds)`), its scenario."""
        return sandbox_of(self.app)

    @property
    def clock(self):
        return self.runtime.clock

    def section(self, provider: str) -> dict:
        """The loaded scenario's section of one provider."""
        return self.runtime.scenario.sections[provider]

    def kit(self, provider: str) -> Kit:
        """What a test needs of one provider (also `sandbox.<provider>`)."""
        return self._kits[provider]

    def reset(self) -> None:
        """Back to the scenario as loaded, in memory (what POST /_sandbox/reset does)."""
        self.runtime.reset()

    @property
    def journal(self) -> JournalView:
        """What the sandbox received since the last reset (the plugin resets
        before each test): `find(...)`, `count(...)`, `lines()`."""
        return JournalView(self.runtime.journal)

    @property
    def faults(self) -> FaultsView:
        """`with sandbox.faults.inject("p100", path="/p100/v1/transfer", kind="error", status=429): ...`"""
        return FaultsView(self.runtime)

    @property
    def webhooks(self) -> TestReceiver:
        """A receiver on 127.0.0.1, registered (on first use) as the webhook
        endpoint of each provider's first tenant: `wait_for(event)`,
        `fail_next(n)`, `verify(delivery)`. Closed by end_test (the plugin
        does it after each test)."""
        if self._receiver is None:
            self._receiver = TestReceiver(self._kits)
            for name, provider in self.runtime.providers.items():
                if provider.webhooks is not None:
                    self._kits[name].set_webhooks(self._receiver.url_for(name))
        return self._receiver

    def end_test(self) -> None:
        """What a test started that must not outlive it (its webhook receiver)."""
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None

    @cached_property
    def credentials(self) -> dict[str, list[dict]]:
        """Per provider, the loaded scenario's credentials (first one: the default of its client)."""
        return {name: kit.credentials for name, kit in self._kits.items()}

    def intercept(self, hosts: Mapping[str, str] | None = None) -> AbstractContextManager[None]:
        """Send `requests`/`httpx` calls to the providers' real hosts here (see intercept.py)."""
        return intercept_app(self.app, {**self.hosts, **(hosts or {})})

    def close(self) -> None:
        self.end_test()
        self._server.close()  # its loop stops and closes every connection
        self._thread.join(5)
        self.runtime.close()

    # -- each provider: sandbox.ibanera, sandbox.weavr, sandbox.p100, sandbox.prozora ------------
    def __getattr__(self, name: str):
        kits = self.__dict__.get("_kits", {})
        if name in kits:
            return kits[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"<InProcessSandbox {self.url} scenario={self.runtime.scenario.name!r}>"


class TestReceiver(Receiver):
    """The plugin's receiver: it knows each provider's signature scheme."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, kits: dict[str, Kit]):
        super().__init__()
        self._kits = kits

    def verify(self, delivery: Received, secret: str | None = None) -> bool:
        """Whether the delivery carries its provider's own signature (made with
        the secret the receiver registered, or `secret`)."""
        return self._kits[delivery.provider].verify_webhook(delivery.headers, delivery.body, secret)


class JournalView:
    """The request journal as a test reads it."""

    def __init__(self, journal: Journal):
        self._journal = journal

    def find(self, provider: str | None = None, method: str | None = None, path: str | None = None,
             status: int | None = None, code: str | None = None, tenant: str | None = None,
             limit: int = 1000) -> list[dict]:
        """The matching requests, newest first, as GET /_sandbox/journal shows them (path: a glob)."""
        match = Match(provider, tenant, method, path, status, code)
        return [entry.view() for entry in self._journal.find(match, 0, limit)[0]]

    def count(self, provider: str | None = None, method: str | None = None, path: str | None = None,
              status: int | None = None, code: str | None = None, tenant: str | None = None) -> int:
        return self._journal.count(Match(provider, tenant, method, path, status, code))

    def lines(self) -> list[str]:
        """Every request, oldest first, one line each (as `serve` logs them)."""
        return [line(entry) for entry in reversed(self._journal.find(Match(), 0, self._journal.size)[0])]


class FaultsView:
    """Faults on purpose, for the length of a `with` block."""

    def __init__(self, sandbox: Sandbox):
        self._sandbox = sandbox

    @contextmanager
    def inject(self, provider: str, path: str, kind: str, method: str = "*", **options) -> Iterator[dict]:
        """A fault on every tenant's calls to `provider` matching `method` and the
        `path` glob (options: status, delayMs, probability, times); removed on exit."""
        if provider not in self._sandbox.providers:
            raise ValueError(f"no provider {provider!r}")
        try:
            given = FaultSchema().load({"method": method, "path": path, "kind": kind, **options})
        except ValidationError as exc:
            raise ValueError(f"not a fault: {exc.messages}") from None
        fault = self._sandbox.faults.add(provider, None, given)
        try:
            yield fault.view()
        finally:
            self._sandbox.faults.remove(provider, None, fault.id)
