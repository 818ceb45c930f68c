"""The pytest plugin (entry point `pytest11: sandbox`): the sandbox in a
partner's own test process, the way moto serves AWS.

Fixtures
    sandbox          the in-process sandbox (sandbox.testing.InProcessSandbox), reset before the test:
                     .url, .credentials, .reset(), .clock, .runtime, .intercept(),
                     .ibanera / .weavr / .p100 / .prozora: .client(...) and each control endpoint
    intercept        the sandbox, with calls to the providers' real hosts (requests, httpx) routed to it
    and each provider's own, declared by its Kit (core.kit.fixture): ibanera_client, weavr_client,
    weavr_consumer, p100_client, prozora_client

Options: --sandbox-scenario FILE, --sandbox-seed N, --sandbox-host HOST=PROVIDER (repeatable),
         --sandbox-provider MODULE:NAME (repeatable; or the ini line `sandbox_providers`): a provider of
         your own, served beside the built-in ones, with its Kit's fixtures.
Marker:  @pytest.mark.sandbox_scenario("file.yaml") (relative to the test's file): that test or module
         runs against its own sandbox with that scenario.

One sandbox per scenario per session, started on first use, on its own free
port: under pytest-xdist each worker process has its own. Nothing here is
autouse, so a suite that defines fixtures of the same names (conftest
fixtures win over a plugin's) or does not use them never starts a sandbox."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from sandbox.providers import BUILT_IN

MARKER = "sandbox_scenario"
EXTRA_PROVIDERS_INI = "sandbox_providers"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sandbox", "fintech-sandbox (in-process provider sandbox)")
    group.addoption("--sandbox-scenario", metavar="FILE", default=None,
                    help="scenario YAML for the session's sandbox (default: the bundled default scenario)")
    group.addoption("--sandbox-seed", metavar="N", type=int, default=0,
                    help="seed of every generated value (default 0)")
    group.addoption("--sandbox-host", metavar="HOST=PROVIDER", action="append", default=[],
                    help="also intercept HOST as PROVIDER's real host (e.g. your Prozora or Ibanera host)")
    group.addoption("--sandbox-provider", metavar="MODULE:NAME", action="append", default=[],
                    help="also serve this provider of your own (a sandbox.core.provider.Provider)")
    group.addoption("--sandbox-log", action="store_true", default=False,
                    help="print a line per request the sandbox answers (as `fintech-sandbox serve` does)")
    parser.addini(EXTRA_PROVIDERS_INI, type="linelist", default=[],
                  help="providers of your own to serve beside the built-in ones, one MODULE:NAME a line")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}(file): run against a sandbox loaded from this scenario YAML "
                                       "(a path relative to the test's file)")
    for item in config.getoption("sandbox_host"):  # a mistake stops the run before any test
        _host_pair(item)
    extra = _extra_providers(config)  # a partner's own: imported now, as named
    config.stash[_EXTRA] = extra
    for name, fixtures in BUILT_IN.items():  # the registry's names: no provider is imported
        config.pluginmanager.register(_kit_fixtures(name, fixtures), f"sandbox-{name}-fixtures")
    for provider in extra:
        config.pluginmanager.register(_kit_fixtures(provider.name, tuple(provider.kit.fixtures()), provider.kit),
                                      f"sandbox-{provider.name}-fixtures")
    if config.getoption("sandbox_log"):
        from sandbox import observe

        observe.configure()


def _is_in_process(running) -> bool:
    """The plugin's own sandbox (a suite may have a `sandbox` fixture of its own)."""
    if running is None:
        return False
    from sandbox.testing import InProcessSandbox

    return isinstance(running, InProcessSandbox)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test that used the sandbox shows what the sandbox received
    (like pytest's captured output): one line per request, refusals with
    their code, field and rule."""
    outcome = yield
    report = outcome.get_result()
    running = getattr(item, "funcargs", {}).get("sandbox")
    if report.when == "call" and report.failed and _is_in_process(running):
        lines = running.journal.lines()
        report.sections.append(("sandbox requests", "\n".join(lines) if lines else "(none)"))


_EXTRA = pytest.StashKey[tuple]()


def _extra_providers(config: pytest.Config) -> tuple:
    """The providers named by --sandbox-provider and the ini's sandbox_providers."""
    found = []
    for spec in (*config.getini(EXTRA_PROVIDERS_INI), *config.getoption("sandbox_provider")):
        module, _, name = spec.partition(":")
        try:
            found.append(getattr(importlib.import_module(module), name or "provider"))
        except (ImportError, AttributeError) as exc:
            raise pytest.UsageError(f"sandbox provider {spec!r}: {exc}") from None
    return tuple(found)


def _kit_fixtures(provider: str, names: tuple[str, ...], kit: type | None = None):
    """An object holding one pytest fixture per fixture a provider's Kit
    declares, registered as a plugin (pytest reads fixtures from a plugin's
    attributes). The Kit itself is reached only when a test asks for one."""
    holder = type(f"{provider.title()}Fixtures", (), {})

    def make(name: str):
        def kit_fixture(self, sandbox):
            produced = getattr(sandbox.kit(provider), name)()
            if inspect.isgenerator(produced):
                yield from produced
            else:
                yield produced

        kit_fixture.__doc__ = (getattr(kit, name).__doc__ if kit is not None else
                               f"{provider}'s Kit.{name} (sandbox.providers.{provider}.kit), on the `sandbox`.")
        return pytest.fixture(name=name)(kit_fixture)

    for name in names:
        setattr(holder, name, make(name))
    return holder()


class _Sandboxes:
    """The session's sandboxes, one per scenario, each started on first use."""

    def __init__(self, config: pytest.Config):
        self.extra = config.stash[_EXTRA]
        self.seed = config.getoption("sandbox_seed")
        scenario = config.getoption("sandbox_scenario")
        self.default = str(Path(scenario).resolve()) if scenario else None
        self.hosts = dict(_host_pair(item) for item in config.getoption("sandbox_host"))
        self._running: dict[str | None, object] = {}

    def get(self, scenario: str | None):
        from sandbox.testing import InProcessSandbox

        key = scenario or self.default
        if key not in self._running:
            self._running[key] = InProcessSandbox(key, self.seed, hosts=self.hosts, extra_providers=self.extra)
        return self._running[key]

    def close(self) -> None:
        for running in self._running.values():
            running.close()


def _host_pair(item: str) -> tuple[str, str]:
    host, sep, provider = item.partition("=")
    if not sep or not host or not provider:
        raise pytest.UsageError(f"--sandbox-host wants HOST=PROVIDER, got {item!r}")
    return host.strip().lower(), provider.strip()


@pytest.fixture(scope="session")
def _fintech_sandboxes(pytestconfig):
    sandboxes = _Sandboxes(pytestconfig)
    yield sandboxes
    sandboxes.close()


@pytest.fixture
def sandbox(request, _fintech_sandboxes):
    """The in-process sandbox, back to its scenario (an in-memory restore) before this test."""
    marker = request.node.get_closest_marker(MARKER)
    scenario = None
    if marker is not None:
        if len(marker.args) != 1:
            raise pytest.UsageError(f"@pytest.mark.{MARKER} takes one scenario file")
        scenario = str((request.path.parent / marker.args[0]).resolve())
    running = _fintech_sandboxes.get(scenario)
    running.reset()
    yield running
    running.end_test()


@pytest.fixture
def intercept(sandbox):
    """Calls made with requests or httpx to the providers' real hosts go to the sandbox during the test."""
    with sandbox.intercept():
        yield sandbox
