"""What the provider decides later, chosen by the test: for each kind of
transition a provider declares (a KYC review, a transfer settling), a
tenant picks how it progresses and how it ends:

    {"kyc": {"progression": "after", "delay": "PT10M", "outcome": "APPROVED"}}

* progression `immediate`: decided as soon as the request that started it
  has its answer; `manual`: only a control call decides; `after`: once the
  sandbox clock passes `delay` after the start.
* outcome: one of the kind's outcomes (e.g. APPROVED, or REJECTED with a
  `reason`).

Set per tenant in the scenario file (`outcomes:` on the tenant) and by
PUT /_sandbox/<provider>/outcomes with the provider's own credentials; kept
in the store (so a reset puts the scenario's back). A magic value in a
request (e.g. an email ending +kyc_rejected) may choose one entity's outcome;
a provider lists its magic values (GET /_sandbox/magic)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import timedelta

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from sandbox.core.clock import BadDuration, parse_duration
from sandbox.core.schedule import Scheduler
from sandbox.core.store import Collection

IMMEDIATE, MANUAL, AFTER = "immediate", "manual", "after"
PROGRESSIONS = (IMMEDIATE, MANUAL, AFTER)


@dataclass(frozen=True)
class Outcome:
    """How one transition of one entity goes."""

    progression: str = MANUAL
    delay: timedelta = timedelta(0)
    outcome: str = ""
    reason: str | None = None

    def view(self) -> dict:
        seconds = int(self.delay.total_seconds())
        return {"progression": self.progression, "delay": f"PT{seconds}S" if self.progression == AFTER else None,
                "outcome": self.outcome, "reason": self.reason}


@dataclass(frozen=True)
class Kind:
    """A transition a provider decides later."""

    name: str
    description: str
    #: its possible outcomes, the first the default
    outcomes: tuple[str, ...]
    #: how it progresses unless a tenant says otherwise (today's behaviour)
    default: str = MANUAL
    #: outcomes that take a reason, and the reason used when none is given
    reasons: dict[str, str] | None = None

    def default_outcome(self) -> Outcome:
        return Outcome(self.default, timedelta(0), self.outcomes[0], None)


@dataclass(frozen=True)
class Magic:
    """A value in a request that chooses an outcome, where the provider has no field for it."""

    field: str
    value: str
    effect: str

    def view(self) -> dict:
        return {"field": self.field, "value": self.value, "effect": self.effect}


def outcome_schema(kinds: Iterable[Kind]) -> type[Schema]:
    """The body of PUT /_sandbox/<provider>/outcomes (and a tenant's `outcomes:`
    in a scenario): each kind the provider has, each optional."""

    def one(kind: Kind) -> fields.Nested:
        class KindSchema(Schema):
            progression = fields.String(required=True, validate=validate.OneOf(PROGRESSIONS), metadata={
                "description": "immediate: decided once the starting request has its answer; manual: only a "
                               "control decides; after: once `delay` of sandbox time has passed."})
            delay = fields.String(load_default=None, allow_none=True, metadata={
                "description": "An ISO-8601 duration (PT10M), with `after`.", "example": "PT10M"})
            outcome = fields.String(load_default=kind.outcomes[0], validate=validate.OneOf(kind.outcomes))
            reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))

            @validates_schema
            def _delay(self, data, **kwargs):
                if data["progression"] == AFTER:
                    if not data.get("delay"):
                        raise ValidationError("`after` needs a delay, e.g. PT10M", "delay")
                    try:
                        parse_duration(data["delay"])
                    except BadDuration as exc:
                        raise ValidationError(str(exc), "delay") from None
                elif data.get("delay"):
                    raise ValidationError(f"a delay goes with `after`, not `{data['progression']}`", "delay")

        KindSchema.__name__ = f"{kind.name.title().replace('_', '')}Outcome"
        return fields.Nested(KindSchema, metadata={"description": kind.description})

    return Schema.from_dict({kind.name: one(kind) for kind in kinds}, name="Outcomes")


class Outcomes:
    """One provider's outcome settings per tenant, over its collection."""

    def __init__(self, provider: str, kinds: tuple[Kind, ...], settings: Collection, scheduler: Scheduler,
                 clock_now: Callable):
        self.provider = provider
        self.kinds = {kind.name: kind for kind in kinds}
        self._settings = settings
        self._scheduler = scheduler
        self._now = clock_now

    def of(self, tenant: str) -> dict[str, Outcome]:
        """Every kind's setting for the tenant (defaults where it set none)."""
        stored = self._settings.first(tenant) or {}
        found = {}
        for name, kind in self.kinds.items():
            given = stored.get(name)
            found[name] = kind.default_outcome() if given is None else Outcome(
                given["progression"], timedelta(seconds=given["delaySeconds"]), given["outcome"], given["reason"])
        return found

    def set(self, tenant: str, given: dict[str, dict]) -> dict[str, Outcome]:
        """Change the kinds named (as outcome_schema loaded them); the others keep theirs."""
        record = {name: {"progression": o["progression"],
                         "delaySeconds": parse_duration(o["delay"]).total_seconds() if o.get("delay") else 0,
                         "outcome": o["outcome"], "reason": o.get("reason")}
                  for name, o in given.items()}
        current = self._settings.first(tenant)
        if current is None:
            self._settings.insert(tenant, record)
        else:
            self._settings.update(tenant, current["id"], record)
        return self.of(tenant)

    def plan(self, tenant: str, kind: str, name: str, decide: Callable[[Outcome], None],
             outcome: str | None = None) -> Outcome:
        """A transition just started: run `decide(outcome)` when the tenant's
        setting for `kind` says (now, after its delay, or never: a control
        decides). `outcome` (a magic value's) overrides the setting's."""
        setting = self.of(tenant)[kind]
        chosen = outcome or setting.outcome
        setting = replace(setting, outcome=chosen, reason=self._reason(kind, chosen, setting.reason))
        if setting.progression != MANUAL:
            self._scheduler.at(self._now() + setting.delay, self.provider, tenant, f"{kind}: {name}",
                               lambda: decide(setting))
        return setting

    def _reason(self, kind: str, outcome: str, given: str | None) -> str | None:
        reasons = self.kinds[kind].reasons or {}
        return (given or reasons.get(outcome)) if outcome in reasons else None
