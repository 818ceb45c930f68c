"""One running sandbox: the store, the clock, the fakes, each provider's
runtime, the scenario baseline that reset returns to, and the reset hooks.

What a scenario builds (the store, the runtimes, the baseline) is one
`World`; loading another scenario at run time builds a new world aside and
swaps it in with one assignment, so a request sees one world or the other."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app

from sandbox.config import Config
from sandbox.core.api import EXTENSION
from sandbox.core.clock import Clock
from sandbox.core.context import Context
from sandbox.core.errors import ApiError
from sandbox.core.fakes import Fakes
from sandbox.core.faults import Faults
from sandbox.core.journal import Journal
from sandbox.core.outcomes import Outcomes
from sandbox.core.provider import Provider
from sandbox.core.scenario import Scenario, ScenarioError, load_scenario
from sandbox.core.schedule import Scheduler
from sandbox.core.store import Snapshot, Store
from sandbox.core.webhooks import Callbacks, Webhooks

SNAPSHOT_FORMAT = "fintech-sandbox/snapshot"
SNAPSHOT_VERSION = 1


def settle_heap() -> None:
    """Once the app is built and before serving: freeze what is there (Flask,
    marshmallow, apispec, the scenario: ~40k objects) out of the garbage
    collector's sight, so a full collection during a request does not walk it
    again and again. No full collection first: it would cost ~50 ms of start-up
    to free ~10 objects (the young collections while seeding took the rest),
    which stay frozen. For a long-running server, not for test suites that
    build many apps (their cycles would never be collected)."""
    gc.freeze()


def sandbox_of(app: Flask | None = None) -> Sandbox:
    """The sandbox behind an app (by default the one handling this request)."""
    return (app or current_app).extensions[EXTENSION]


@dataclass
class World:
    scenario: Scenario
    store: Store
    runtimes: dict[str, Any]
    baseline: Snapshot


class Sandbox:
    def __init__(self, config: Config, providers: tuple[Provider, ...], planned: tuple[str, ...] = ()):
        self.config = config
        self.providers = {p.name: p for p in providers}
        self.planned = planned
        self.clock, self.fakes = Clock(), Fakes(config.seed)
        self.scheduler, self.webhooks = Scheduler(self.clock), Webhooks(self.clock)
        self.journal, self.faults = Journal(config.journal_size), Faults(config.seed)
        for provider in providers:
            if provider.webhooks is not None:
                self.webhooks.register(provider.name, provider.webhooks)
        self.world = self._build(load_scenario(config.scenario, providers, planned))
        self._reset_hooks: list[Callable[[], None]] = [self.scheduler.cancel, self.webhooks.clear, self.faults.clear,
                                                       self.journal.clear,
                                                       lambda: self.store.restore(self.world.baseline),
                                                       self.clock.reset]
        if config.state_file:
            self.store.persist_to(config.state_file)

    # -- the current world -------------------------------------------------------------
    @property
    def scenario(self) -> Scenario:
        return self.world.scenario

    @property
    def store(self) -> Store:
        return self.world.store

    @property
    def runtimes(self) -> dict[str, Any]:
        return self.world.runtimes

    def _build(self, scenario: Scenario) -> World:
        """A new store seeded from the scenario by each provider's loader."""
        store = Store()
        contexts = {name: self._context(p, store, scenario) for name, p in self.providers.items()}
        runtimes = {name: p.build(contexts[name]) for name, p in self.providers.items()}
        for name, provider in self.providers.items():
            try:
                provider.load_scenario(runtimes[name], scenario.sections[name])
            except ScenarioError:
                raise
            except ApiError as exc:  # a provider's own refusal the schema did not foresee
                raise scenario.seeding_error(name, ", ".join(p.condition.code for p in exc.problems)) from exc
            except Exception as exc:
                raise scenario.seeding_error(name, str(exc) or type(exc).__name__) from exc
        baseline = store.snapshot()
        for context in contexts.values():
            context.baseline = baseline
        return World(scenario, store, runtimes, baseline)

    def _context(self, provider: Provider, store: Store, scenario: Scenario) -> Context:
        name = provider.name
        callbacks = outcomes = None
        if provider.webhooks is not None:
            callbacks = Callbacks(name, self.webhooks, store.collection(f"{name}.webhook_endpoints"))
        if provider.outcomes:
            outcomes = Outcomes(name, provider.outcomes, store.collection(f"{name}.outcome_settings"),
                                self.scheduler, self.clock.now)
        return Context(name, self.config, store, self.clock, self.fakes, provider.settings_from(self.config),
                       scheduler=self.scheduler, callbacks=callbacks, outcomes=outcomes, journal=self.journal,
                       faults=self.faults, scenario=scenario.name)

    def load(self, scenario: Scenario) -> None:
        """Replace the whole state with another (validated) scenario, which
        becomes the baseline that reset returns to."""
        world = self._build(scenario)
        self.scheduler.cancel()
        self.webhooks.clear()
        self._swap(world)
        self.clock.reset()

    def _swap(self, world: World) -> None:
        """Serve `world` from now on (one assignment), and let the old one go."""
        old, self.world = self.world, world
        old.store.close()
        if self.config.state_file:
            self.store.persist_to(self.config.state_file, resume=False)

    # -- lookups -------------------------------------------------------------------------
    def runtime(self, provider: str):
        return self.runtimes[provider]

    def provider_for(self, path: str) -> Provider | None:
        return next((p for p in self.providers.values() if p.owns(path)), None)

    # -- reset ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the scenario as loaded: a restore, not a reload."""
        for hook in self._reset_hooks:
            hook()

    # -- snapshots -------------------------------------------------------------------------
    def export(self) -> dict:
        """The whole state as JSON-able data: what PUT /_sandbox/snapshot takes back."""
        return {
            "format": SNAPSHOT_FORMAT, "version": SNAPSHOT_VERSION,
            "scenario": {"name": self.scenario.name, "text": self.scenario.text,
                         "path": str(self.scenario.path) if self.scenario.path else None},
            "seed": self.fakes.seed,
            "clockOffsetSeconds": self.clock.offset().total_seconds(),
            "clockFrozen": self.clock.frozen,
            **self.store.export(),
        }

    def restore_export(self, exported: dict, scenario: Scenario | None) -> None:
        """Become exactly the exported state. `scenario`: the snapshot's own
        scenario, when it is not the one loaded (it is loaded first, and
        becomes the baseline). What was queued (transitions, webhook messages)
        belongs to the state left behind, and is dropped."""
        if scenario is not None:
            seed, self.fakes.seed = self.fakes.seed, exported["seed"]
            try:
                world = self._build(scenario)
                world.store.load_export(exported)  # checked before anything is swapped
            except Exception:
                self.fakes.seed = seed
                raise
            self._swap(world)
        else:
            self.store.load_export(exported)
        self.scheduler.cancel()
        self.webhooks.clear()
        self.fakes.seed = exported["seed"]
        self.clock.set_offset(timedelta(seconds=exported["clockOffsetSeconds"]), exported.get("clockFrozen", False))

    def close(self) -> None:
        self.scheduler.close()
        self.webhooks.close()
        self.store.close()
