"""Faults on purpose (WireMock's faults and delays, the providers' own rate
limits): for a tenant's requests matching a method and a path pattern, a
delay (fixed or a range), an error answer in the provider's own shape, a
dropped connection (closed with no answer), or a 503; each with a
probability, or for the next N matching calls.

A tenant's faults touch only its own calls (its credential must have been
accepted: an unauthenticated call is the provider's 401, fault or not);
the global form (POST /_sandbox/faults) names the provider and touches every
tenant's calls. A reset clears them."""

from __future__ import annotations

import fnmatch
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Response
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from sandbox.core.errors import Condition, Problem

DELAY, ERROR, DROP, UNAVAILABLE = "delay", "error", "drop", "unavailable"
KINDS = (DELAY, ERROR, DROP, UNAVAILABLE)
#: a response header that tells the server (and the plugin's interceptor) to drop the connection
DROP_HEADER = "X-Sandbox-Fault-Drop"
#: on an answer a fault gave on purpose: the fault's id (so a partner's logs say it was injected)
FAULT_HEADER = "X-Sandbox-Fault"
MAX_DELAY_MS = 60_000


@dataclass(frozen=True)
class FaultShapes:
    """How a provider answers a fault: the condition (its code, in its
    envelope) for each status, and the headers that go with it (e.g. Weavr's
    rate-limit headers). A status it does not name answers with its
    transport code for that class (bad request or a sandbox bug)."""

    conditions: Mapping[int, Condition] = field(default_factory=dict)
    headers: Callable[[int], dict[str, str]] = lambda status: {}


@dataclass
class Fault:
    id: str
    provider: str
    #: None: every tenant's calls (the global form)
    owner: str | None
    method: str
    path: str
    kind: str
    status: int | None = None
    delay_ms: tuple[int, int] = (0, 0)
    probability: float = 1.0
    #: how many more matching calls it answers (None: until removed)
    remaining: int | None = None
    hits: int = 0

    def matches(self, provider: str, owner: str | None, method: str, path: str) -> bool:
        return (self.provider == provider and (self.owner is None or self.owner == owner)
                and self.method in ("*", method) and fnmatch.fnmatchcase(path, self.path))

    def view(self) -> dict:
        low, high = self.delay_ms
        return {"id": self.id, "provider": self.provider, "method": self.method, "path": self.path,
                "kind": self.kind, "status": self.status,
                "delayMs": None if self.kind != DELAY else (low if low == high else [low, high]),
                "probability": self.probability, "remaining": self.remaining, "hits": self.hits}


class FaultSchema(Schema):
    """A fault to inject (the body of POST .../faults)."""

    method = fields.String(load_default="*", validate=validate.OneOf(
        ("*", "GET", "POST", "PUT", "PATCH", "DELETE")), metadata={"description": "An HTTP method, or * for any."})
    path = fields.String(required=True, validate=validate.Length(1, 500), metadata={
        "description": "A glob over the request's path, as the sandbox serves it (`/weavr/multi/consumers*`).",
        "example": "/p100/v1/transfer"})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS), metadata={
        "description": "delay: answer as usual, later; error: answer `status` in the provider's own error body "
                       "(429 with its rate-limit headers where it has them); drop: close the connection with no "
                       "answer; unavailable: a 503 in the provider's envelope."})
    # (no field examples: a status goes with kind error only and delayMs with delay only, so examples
    # taken field by field would make a body the server refuses; the operation's example is whole)
    status = fields.Integer(strict=True, validate=validate.Range(400, 599), metadata={
        "description": "With kind error (and only then): the status (400-599)."})
    delayMs = fields.Raw(metadata={"description": "With kind delay (and only then): milliseconds, or [min, max] for "
                                                  f"a random delay in that range (at most {MAX_DELAY_MS})."})
    probability = fields.Float(load_default=1.0, validate=validate.Range(0, 1), metadata={
        "description": "The chance that a matching call is answered by the fault."})
    times = fields.Integer(strict=True, load_default=None, allow_none=True, validate=validate.Range(1, 10**6),
                           metadata={"description": "Only the next N matching calls (then it is gone)."})

    @validates_schema
    def _coherent(self, data, **kwargs):
        kind = data["kind"]
        if kind == ERROR and "status" not in data:
            raise ValidationError("an error fault names its status (400-599)", "status")
        if kind != ERROR and "status" in data:
            raise ValidationError(f"a status goes with kind error, not {kind}", "status")
        if kind == DELAY:
            data["delayMs"] = delay_range(data.get("delayMs"))
        elif "delayMs" in data:
            raise ValidationError(f"delayMs goes with kind delay, not {kind}", "delayMs")


def delay_range(value: Any) -> tuple[int, int]:
    def ms(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_DELAY_MS:
            raise ValidationError(f"milliseconds from 0 to {MAX_DELAY_MS}", "delayMs")
        return v

    if isinstance(value, list) and len(value) == 2:
        low, high = ms(value[0]), ms(value[1])
        if low > high:
            raise ValidationError("[min, max] with min <= max", "delayMs")
        return low, high
    if value is None:
        raise ValidationError("a delay fault names its delayMs", "delayMs")
    return ms(value), ms(value)


class Faults:
    def __init__(self, seed: int = 0):
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def add(self, provider: str, owner: str | None, given: dict) -> Fault:
        low_high = given.get("delayMs") if given["kind"] == DELAY else (0, 0)
        fault = Fault(str(uuid.uuid4()), provider, owner, given["method"].upper(), given["path"], given["kind"],
                      given.get("status"), low_high, given["probability"], given["times"])
        with self._lock:
            self._faults.append(fault)
        return fault

    def list(self, provider: str | None = None, owner: str | None = None, *, every: bool = False) -> list[Fault]:
        """A tenant's faults (every: all of a provider's, the global ones too)."""
        with self._lock:
            return [f for f in self._faults if provider in (None, f.provider) and (every or f.owner == owner)]

    def remove(self, provider: str | None = None, owner: str | None = None, fault_id: str | None = None,
               *, every: bool = False) -> int:
        with self._lock:
            gone = [f for f in self._faults if provider in (None, f.provider) and (every or f.owner == owner)
                    and fault_id in (None, f.id)]
            self._faults = [f for f in self._faults if f not in gone]
            return len(gone)

    def clear(self) -> None:
        with self._lock:
            self._faults = []

    def any_delay(self) -> bool:
        """Whether some call may be answered late (read without the lock: a list read whole is consistent)."""
        return any(f.kind == DELAY for f in self._faults)

    def strike(self, provider: str, owner: str | None, method: str, path: str, *,
               only: str | None = None) -> Fault | None:
        """The fault that answers this call, if one does (its count goes down):
        of every tenant's faults (only None) or of the tenant `only`'s own."""
        if not self._faults:  # the common case: nothing injected, nothing to lock
            return None
        with self._lock:
            for fault in self._faults:
                if fault.owner != only or not fault.matches(provider, owner, method, path):
                    continue
                if fault.probability < 1 and self._random.random() >= fault.probability:
                    continue
                fault.hits += 1
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                return fault
            return None

    def delay_seconds(self, fault: Fault) -> float:
        low, high = fault.delay_ms
        return (low if low == high else self._random.randint(low, high)) / 1000


def answer(fault: Fault, faults: Faults, errors: type, shapes: FaultShapes):
    """What a struck fault does to the call: None after a delay (the call goes
    on as usual), else the answer (an error in the provider's envelope, a
    503, or a dropped connection)."""
    if fault.kind == DELAY:
        time.sleep(faults.delay_seconds(fault))
        return None
    if fault.kind == DROP:
        response = Response(status=502)  # never sent: the server closes the connection instead
        response.headers[DROP_HEADER] = "1"
        return response
    status = fault.status if fault.kind == ERROR else 503
    transport = errors.catalogue.transport
    condition = shapes.conditions.get(status) or (transport.bad_request if status < 500 else transport.unexpected)
    raise errors([Problem(condition, condition.field, {"rule": f"a fault injected on purpose ({fault.id})"})],
                 status=status, headers={**shapes.headers(status), FAULT_HEADER: fault.id})


class FaultViewSchema(Schema):
    id = fields.String(required=True)
    provider = fields.String(required=True)
    method = fields.String(required=True)
    path = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.Integer(required=True, allow_none=True)
    delayMs = fields.Raw(required=True, allow_none=True, metadata={"description": "ms, or [min, max]."})
    probability = fields.Float(required=True)
    remaining = fields.Integer(required=True, allow_none=True, metadata={"description": "Calls left (null: "
                                                                                         "until removed)."})
    hits = fields.Integer(required=True, metadata={"description": "Calls it has answered."})


class FaultListSchema(Schema):
    faults = fields.List(fields.Nested(FaultViewSchema), required=True)


class RemovedSchema(Schema):
    removed = fields.Integer(required=True)
