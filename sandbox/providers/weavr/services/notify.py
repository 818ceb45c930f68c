"""What Weavr tells an api-key's webhook endpoint, and what it decides later,
for the other services: an event goes to the api-key's outbox once the change
it reports is stored (core delivers it, signed, off the request path); a
transition is planned on the api-key's outcome setting (events.py says which).

Nothing is sent or planned while a scenario is seeded: a scenario is a
state, not a history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from sandbox.core.context import Context
from sandbox.core.outcomes import IMMEDIATE, MANUAL, Outcome
from sandbox.core.webhooks import Event


class Notifier:
    def __init__(self, context: Context):
        self.context = context
        self._quiet = False

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Seeding a scenario: no event, no plan (the runtime serves nothing yet)."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def now_ms(self) -> int:
        return int(self.context.clock.timestamp() * 1000)

    def emit(self, tenant: str, event: Event) -> None:
        if not self._quiet:
            self.context.callbacks.emit(tenant, event)

    def progression(self, tenant: str, kind: str) -> str:
        """How the api-key's `kind` progresses (immediate, after, manual)."""
        return self.context.outcomes.of(tenant)[kind].progression

    def plan(self, tenant: str, kind: str, name: str, decide: Callable[[Outcome], None],
             outcome: str | None = None) -> None:
        """Run `decide` when the api-key's setting for `kind` says. `outcome`
        (a magic value's) overrides the setting's; [inferred] where the
        setting leaves it to a control (manual), a magic value decides at once."""
        if self._quiet:
            return
        outcomes = self.context.outcomes
        if outcome is not None and outcomes.of(tenant)[kind].progression == MANUAL:
            reason = (outcomes.kinds[kind].reasons or {}).get(outcome)
            chosen = Outcome(IMMEDIATE, timedelta(0), outcome, reason)
            self.context.scheduler.at(self.context.clock.now(), self.context.provider, tenant, f"{kind}: {name}",
                                      lambda: decide(chosen))
            return
        outcomes.plan(tenant, kind, name, decide, outcome)
