"""One running sandbox: the store, the clock, the fakes, each provider's
runtime, the scenario baseline that reset returns to, and the reset hooks."""

from __future__ import annotations

import gc
from collections.abc import Callable

from flask import Flask, current_app

from sandbox.config import Config
from sandbox.core.clock import Clock
from sandbox.core.fakes import Fakes
from sandbox.core.provider import Context, Provider
from sandbox.core.scenario import load_scenario
from sandbox.core.store import Store


def settle_heap() -> None:
    """Once the app is built and before serving: collect, then freeze what is
    left (Flask, marshmallow, apispec, the scenario: ~40k objects) out of the
    garbage collector's sight, so a full collection during a request does not
    walk it again and again. For a long-running server, not for test suites
    that build many apps (their cycles would never be collected)."""
    gc.collect()
    gc.freeze()


def sandbox_of(app: Flask | None = None) -> Sandbox:
    """The sandbox behind an app (by default the one handling this request)."""
    return (app or current_app).extensions["sandbox"]


class Sandbox:
    def __init__(self, config: Config, providers: tuple[Provider, ...], planned: tuple[str, ...] = ()):
        self.config = config
        self.providers = {p.name: p for p in providers}
        self.scenario = load_scenario(config.scenario, providers, planned)
        self.store, self.clock, self.fakes = Store(), Clock(), Fakes(config.seed)
        self.runtimes = {
            name: p.bind(Context(config, self.store, self.clock, self.fakes, p.settings_from(config)))
            for name, p in self.providers.items()
        }
        for name, provider in self.providers.items():
            provider.load_scenario(self.runtimes[name], self.scenario.sections[name])
        self._baseline = self.store.snapshot()
        # Core services first, then each provider's own hook.
        self._reset_hooks: list[Callable[[], None]] = [lambda: self.store.restore(self._baseline), self.clock.reset]
        self._reset_hooks += [lambda p=p: p.reset(self.runtimes[p.name]) for p in self.providers.values()]
        if config.state_file:
            self.store.persist_to(config.state_file)

    def on_reset(self, hook: Callable[[], None]) -> None:
        """Run `hook` on every reset (after the store, clock and providers)."""
        self._reset_hooks.append(hook)

    def runtime(self, provider: str):
        return self.runtimes[provider]

    def provider_for(self, path: str) -> Provider | None:
        return next((p for p in self.providers.values() if p.owns(path)), None)

    def reset(self) -> None:
        """Back to the scenario as loaded: a restore, not a reload."""
        for hook in self._reset_hooks:
            hook()

    def close(self) -> None:
        self.store.close()
