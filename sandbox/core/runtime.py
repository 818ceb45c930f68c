"""One running sandbox: the store, the clock, the fakes, each provider's
runtime, and the scenario baseline that reset returns to."""

from __future__ import annotations

from sandbox.config import Config
from sandbox.core.clock import Clock
from sandbox.core.fakes import Fakes
from sandbox.core.provider import Context, Provider
from sandbox.core.scenario import load_scenario
from sandbox.core.store import Store


class Sandbox:
    def __init__(self, config: Config, providers: tuple[Provider, ...], planned: tuple[str, ...] = ()):
        self.config = config
        self.providers = {p.name: p for p in providers}
        self.scenario = load_scenario(config.scenario, providers, planned)
        self.context = Context(config=config, store=Store(), clock=Clock(), fakes=Fakes(config.seed))
        self.runtimes = {name: p.bind(self.context) for name, p in self.providers.items()}
        for name, provider in self.providers.items():
            provider.load_scenario(self.runtimes[name], self.scenario.sections[name])
        self._baseline = self.store.snapshot()
        if config.state_file:
            self.store.persist_to(config.state_file)

    @property
    def store(self) -> Store:
        return self.context.store

    @property
    def clock(self) -> Clock:
        return self.context.clock

    def runtime(self, provider: str):
        return self.runtimes[provider]

    def provider_for(self, path: str) -> Provider | None:
        return next((p for p in self.providers.values() if p.owns(path)), None)

    def reset(self) -> None:
        """Back to the scenario as loaded: a restore, not a reload."""
        self.store.restore(self._baseline)
        self.clock.reset()

    def close(self) -> None:
        self.store.close()
