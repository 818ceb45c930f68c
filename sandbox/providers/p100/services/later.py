"""What P100 tells the partner and decides after the request, as the other
services use it: events go to the partner's outbox (core delivers them),
transitions are decided as the partner's outcome settings say.

Two choices of P100's own:
* `immediate` is decided inside the request that starts it, so its answer
  already shows the decision, as it did before the sandbox had a clock (a
  deposit answers SUCCESSFUL, KYC files ADDED); `after` and `manual` go to
  core's outcomes (the scheduler decides them, or a control does).
* While a scenario is seeded nothing is sent: its records are history, not
  news (and each reset restores them without a sound)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from sandbox.core.context import Context
from sandbox.core.outcomes import IMMEDIATE, Outcome
from sandbox.core.webhooks import Event


class Later:
    def __init__(self, context: Context):
        self.callbacks = context.callbacks
        self.outcomes = context.outcomes
        self.seeding = False

    def emit(self, tenant: str, *events: Event | None) -> None:
        """Each event (None: nothing happened) in the tenant's outbox, in order."""
        if self.seeding:
            return
        for event in events:
            if event is not None:
                self.callbacks.emit(tenant, event)

    def plan(self, tenant: str, kind: str, name: str, decide: Callable[[Outcome], None],
             outcome: str | None = None) -> Outcome:
        """Decide `name` (a transition of `kind`) as the tenant's setting says;
        `outcome` (a magic value's, or a rule's) overrides the setting's. Returns
        the setting it follows (its progression says whether it is decided)."""
        setting = self.outcomes.of(tenant)[kind]
        if setting.progression != IMMEDIATE:
            return self.outcomes.plan(tenant, kind, name, decide, outcome)
        chosen = outcome or setting.outcome
        reasons = self.outcomes.kinds[kind].reasons or {}
        setting = replace(setting, outcome=chosen,
                          reason=(setting.reason or reasons.get(chosen)) if chosen in reasons else None)
        decide(setting)
        return setting

    @contextmanager
    def seeded(self) -> Iterator[None]:
        """Seed a scenario: no event leaves."""
        self.seeding = True
        try:
            yield
        finally:
            self.seeding = False
