"""What a provider's runtime is given: the shared services of one running
sandbox (no Flask), and the operations on a tenant's records that every
provider offers through core's controls."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.config import Config
from sandbox.core.clock import Clock
from sandbox.core.fakes import Fakes
from sandbox.core.faults import Faults
from sandbox.core.journal import Journal, Match
from sandbox.core.outcomes import Outcomes
from sandbox.core.schedule import Scheduler
from sandbox.core.store import Snapshot, Store
from sandbox.core.webhooks import Callbacks


@dataclass
class Context:
    provider: str
    config: Config
    store: Store
    clock: Clock
    fakes: Fakes
    #: this provider's own settings (defaults filled in)
    settings: Mapping[str, Any] = field(default_factory=dict)
    #: transitions the provider decides later, on the sandbox clock
    scheduler: Scheduler | None = None
    #: its tenants' webhook endpoints and outboxes (None: it documents no callbacks)
    callbacks: Callbacks | None = None
    #: its tenants' chosen outcomes of what it decides later
    outcomes: Outcomes | None = None
    #: what the sandbox received, and the faults injected on purpose
    journal: Journal | None = None
    faults: Faults | None = None
    #: the loaded scenario's name, and its state as loaded (set once the scenario is seeded)
    scenario: str = ""
    baseline: Snapshot | None = None

    def reset_tenant(self, tenant: str) -> dict:
        """One tenant's records of this provider back to the scenario as
        loaded (its webhook endpoint and outcomes too), its queued
        transitions and its outbox dropped; every other tenant's, and the
        clock, untouched."""
        started = time.perf_counter()
        if self.scheduler is not None:
            self.scheduler.cancel(self.provider, tenant)
        if self.callbacks is not None:
            self.callbacks.forget(tenant)
        if self.faults is not None:
            self.faults.remove(self.provider, tenant)
        if self.journal is not None:
            self.journal.clear(Match(provider=self.provider, owner=tenant))
        changed = self.store.restore_tenant(self.baseline, tenant, f"{self.provider}.")
        return {"status": "reset", "scenario": self.scenario, "records": changed,
                "tookMs": round((time.perf_counter() - started) * 1000, 3)}


@dataclass
class ProviderRuntime:
    """The base of each provider's runtime (its services over the store):
    core's controls reach the shared services through its context."""

    context: Context
