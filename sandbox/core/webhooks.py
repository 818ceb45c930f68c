"""Webhooks: each event a provider emits is a message, stored in its
tenant's outbox before any delivery, signed the provider's way, and
delivered off the request path by one worker thread; every attempt is
recorded (time, status, answer or error), failures are retried on the
provider's schedule in sandbox time until acknowledged or given up, and a
message can be sent again on demand (Svix's and Stripe's model).

A tenant's messages are delivered in the order their causes happened: the
next one waits until the one before it is acknowledged or given up. Each
tenant's outbox keeps its latest OUTBOX_SIZE messages (the oldest finished
ones go first), so a receiver that stays down costs bounded memory.

A provider says how it calls back with a `WebhookPolicy`: how it signs,
which answers acknowledge, its retry schedule; its events are `Event`s."""

from __future__ import annotations

import itertools
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from marshmallow import Schema, fields, validate

from sandbox.core.clock import Clock, iso
from sandbox.core.store import Collection

log = logging.getLogger(__name__)

OUTBOX_SIZE = 1000
PROVENANCE_NOTE = ("Delivered by one worker off the request path, a tenant's events in the order their causes "
                   "happened; retried in sandbox time on the provider's schedule.")
#: how long the worker waits for a receiver's answer (wall-clock seconds)
TIMEOUT_SECONDS = 5.0
#: how long a settle waits at most for the deliveries due (two receivers that time out, then it answers)
SETTLE_SECONDS = 10.0
#: how much of a receiver's answer an attempt keeps
ANSWER_KEPT = 2048
PENDING, DELIVERED, FAILED, NO_ENDPOINT = "pending", "delivered", "failed", "no-endpoint"
#: no proxy, whatever the environment says: the receivers are the partner's, usually on this machine
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Event:
    """One callback as the provider documents it."""

    #: the provider's name for it (Ibanera's Type, a Weavr or P100 path)
    type: str
    body: Any
    #: appended to the tenant's webhook URL (Weavr's /consumers/kyc/watch, P100's /webhook/user/status)
    path: str = ""


@dataclass(frozen=True)
class Target:
    """Where a tenant's events go and the secret they are signed with."""

    url: str
    secret: str = ""


class WebhookPolicy(ABC):
    """How one provider calls back."""

    #: the delay before each retry, after a failed attempt (its length: how many retries)
    retries: tuple[timedelta, ...]
    #: in words, with provenance, for the document and the README
    description: str = ""

    @abstractmethod
    def headers(self, body: bytes, target: Target, message_id: str, published: datetime) -> dict[str, str]:
        """The headers that authenticate a delivery (its signature)."""

    def acknowledged(self, status: int) -> bool:
        """Whether the receiver's answer ends the retries."""
        return 200 <= status < 300

    def secret(self, tenant: str, given: str) -> str:
        """The secret a tenant's events are signed with: the one it set (a
        provider that signs with the tenant's own credential says so here)."""
        return given

    def shown(self, name: str, value: str) -> str:
        """A header as the outbox shows it (a secret sent as is: its prefix only)."""
        return value


@dataclass
class Attempt:
    at: datetime
    status: int | None
    answer: str | None
    error: str | None
    took_ms: float
    manual: bool = False

    def view(self) -> dict:
        return {"at": iso(self.at), "status": self.status, "answer": self.answer, "error": self.error,
                "tookMs": self.took_ms, "redelivery": self.manual}


@dataclass
class Message:
    id: str
    seq: int
    provider: str
    tenant: str
    type: str
    url: str | None
    body: bytes
    headers: dict[str, str]
    created: datetime
    state: str = PENDING
    attempts: list[Attempt] = field(default_factory=list)
    next_attempt: datetime | None = None
    #: a redelivery asked for: one attempt, out of order, at this moment (its retries keep their own)
    resend_at: datetime | None = None

    def due(self) -> datetime:
        return self.resend_at or self.next_attempt

    def view(self, policy: WebhookPolicy) -> dict:
        return {"id": self.id, "type": self.type, "state": self.state, "url": self.url,
                "createdAt": iso(self.created),
                "nextAttemptAt": iso(self.next_attempt) if self.next_attempt and self.state == PENDING else None,
                "headers": {name: policy.shown(name, value) for name, value in self.headers.items()},
                "body": orjson.loads(self.body), "attempts": [a.view() for a in self.attempts]}


class Outbox:
    """One tenant's messages, oldest first, at most `size`; the pending ones
    also in their own queue, so the next to deliver is found at once."""

    def __init__(self, size: int):
        self.messages: deque[Message] = deque()
        self.pending: deque[Message] = deque()
        self.resends: list[Message] = []
        self.size = size
        self.dropped = 0

    def add(self, message: Message) -> None:
        if len(self.messages) >= self.size:
            finished = self.messages[0] if self.messages[0].state != PENDING else next(
                (m for m in self.messages if m.state != PENDING), None)
            victim = finished or self.messages[0]
            self.messages.remove(victim)
            if victim.state == PENDING:
                self.pending.remove(victim)
            self.dropped += 1
        self.messages.append(message)
        if message.state == PENDING:
            self.pending.append(message)

    def head(self) -> Message | None:
        """The next message to deliver in order: the oldest still pending."""
        return self.pending[0] if self.pending else None

    def finished(self, message: Message) -> None:
        """A pending message was delivered or given up: the next one is the head."""
        if message in self.pending:
            self.pending.remove(message)  # the head, unless a redelivery ended a later one's retries


class TargetSchema(Schema):
    """A tenant's webhook endpoint, in a scenario file or a control's body."""

    url = fields.URL(required=True, schemes={"http", "https"}, require_tld=False,
                     validate=validate.Length(max=2048),
                     metadata={"description": "Where events are POSTed (http or https).",
                               "example": "http://127.0.0.1:9000/hooks"})
    secret = fields.String(load_default="", validate=validate.Length(max=256),
                           metadata={"description": "The secret the provider signs with (see the provider's "
                                                    "webhook scheme)."})


class Webhooks:
    """Every provider's outboxes and the one worker that delivers them."""

    def __init__(self, clock: Clock, outbox_size: int = OUTBOX_SIZE, timeout: float = TIMEOUT_SECONDS):
        self._clock = clock
        self._policies: dict[str, WebhookPolicy] = {}
        self._outboxes: dict[tuple[str, str], Outbox] = {}
        self._size, self._timeout = outbox_size, timeout
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        #: told when an attempt is recorded (its own condition: a notify() meant for the worker must wake it)
        self._attempted = threading.Condition(self._lock)
        self._worker: threading.Thread | None = None
        self._closed = False
        clock.subscribe(self._time_moved)

    def register(self, provider: str, policy: WebhookPolicy) -> None:
        self._policies[provider] = policy

    def policy(self, provider: str) -> WebhookPolicy:
        return self._policies[provider]

    # -- emitting ----------------------------------------------------------------------------
    def emit(self, provider: str, tenant: str, event: Event, target: Target | None) -> Message:
        """Store the event as a message in the tenant's outbox; the worker delivers it."""
        policy = self._policies[provider]
        now = self._clock.now()
        body = orjson.dumps(event.body)
        message_id = str(uuid.uuid4())
        url = target.url.rstrip("/") + event.path if target else None
        headers = {"Content-Type": "application/json"}
        if target:
            headers |= policy.headers(body, target, message_id, now)
        message = Message(message_id, next(self._seq), provider, tenant, event.type, url, body, headers, now,
                          state=PENDING if target else NO_ENDPOINT, next_attempt=now if target else None)
        with self._lock:
            self._outbox(provider, tenant).add(message)
            if target:
                self._start()
                self._wake.notify()
        return message

    # -- reading and redelivering --------------------------------------------------------------
    def messages(self, provider: str, tenant: str) -> list[Message]:
        """The tenant's messages, newest first."""
        with self._lock:
            return list(reversed(self._outbox(provider, tenant).messages))

    def find(self, provider: str, tenant: str, message_id: str) -> Message | None:
        with self._lock:
            return next((m for m in self._outbox(provider, tenant).messages if m.id == message_id), None)

    def redeliver(self, provider: str, tenant: str, message_id: str) -> Message | None:
        """Send a message once more, now, whatever its state (a manual resend)."""
        with self._lock:
            message = next((m for m in self._outbox(provider, tenant).messages if m.id == message_id), None)
            if message is None or message.url is None:
                return message
            message.resend_at = self._clock.now()
            outbox = self._outbox(provider, tenant)
            if message not in outbox.resends:
                outbox.resends.append(message)
            self._start()
            self._wake.notify()
            return message

    def settle(self, timeout: float) -> bool:
        """Wait until no delivery is due now or under way: each one that was due has been attempted (and,
        if it failed, waits for its retry). For a script or a test that moved the clock and reads the
        outbox or its receiver next. False if `timeout` seconds passed first."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._next()[0] is not None:  # (one being sent is still due until recorded)
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    return False
                self._attempted.wait(left)
        return True

    def dropped(self, provider: str, tenant: str) -> int:
        with self._lock:
            return self._outbox(provider, tenant).dropped

    def clear(self, provider: str | None = None, tenant: str | None = None) -> None:
        """Forget the outboxes (of a provider's tenant; all by default): a reset."""
        with self._lock:
            for key in [k for k in self._outboxes if provider in (None, k[0]) and tenant in (None, k[1])]:
                del self._outboxes[key]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._wake.notify()
        self._clock.unsubscribe(self._time_moved)

    # -- the worker ------------------------------------------------------------------------------
    def _outbox(self, provider: str, tenant: str) -> Outbox:
        outbox = self._outboxes.get((provider, tenant))
        if outbox is None:
            outbox = self._outboxes[(provider, tenant)] = Outbox(self._size)
        return outbox

    def _start(self) -> None:
        if self._worker is None and not self._closed:
            self._worker = threading.Thread(target=self._work, name="sandbox-webhooks", daemon=True)
            self._worker.start()

    def _time_moved(self) -> None:
        with self._lock:
            self._wake.notify()

    def _next(self) -> tuple[Message | None, float | None]:
        """The message to send now, or how long to wait for the next one (None: until woken)."""
        now = self._clock.now()
        candidates = []
        for outbox in self._outboxes.values():
            candidates += outbox.resends
            head = outbox.head()
            if head is not None and head not in outbox.resends:
                candidates.append(head)
        if not candidates:
            return None, None
        first = min(candidates, key=lambda m: (m.due(), m.seq))
        if first.due() <= now:
            return first, 0
        return None, None if self._clock.frozen else max((first.due() - now).total_seconds(), 0.001)

    def _work(self) -> None:
        while True:
            with self._lock:
                while True:
                    if self._closed:
                        return
                    message, wait = self._next()
                    if message is not None:
                        break
                    self._wake.wait(wait)
                manual = message.resend_at is not None
            attempt = self._send(message, manual)
            with self._lock:
                self._record(message, attempt)
                self._attempted.notify_all()

    def _send(self, message: Message, manual: bool) -> Attempt:
        at = self._clock.now()
        started = time.perf_counter()
        request = urllib.request.Request(message.url, data=message.body, headers=message.headers, method="POST")
        status = answer = error = None
        try:
            with _OPENER.open(request, timeout=self._timeout) as response:
                status, answer = response.status, response.read(ANSWER_KEPT)
        except urllib.error.HTTPError as exc:
            status, answer = exc.code, exc.read(ANSWER_KEPT)
        except (OSError, ValueError) as exc:  # refused, reset, timed out, a bad URL
            error = f"{type(exc).__name__}: {getattr(exc, 'reason', None) or exc}"
        text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else None
        return Attempt(at, status, text, error, round((time.perf_counter() - started) * 1000, 3), manual)

    def _record(self, message: Message, attempt: Attempt) -> None:
        message.attempts.append(attempt)
        policy = self._policies[message.provider]
        acknowledged = attempt.status is not None and policy.acknowledged(attempt.status)
        outbox = self._outbox(message.provider, message.tenant)
        if attempt.manual:
            message.resend_at = None
            if message in outbox.resends:
                outbox.resends.remove(message)
            if acknowledged and message.state == PENDING:
                message.state, message.next_attempt = DELIVERED, None
                outbox.finished(message)
            elif acknowledged:
                message.state = DELIVERED
            return
        if acknowledged:
            message.state, message.next_attempt = DELIVERED, None
            outbox.finished(message)
            return
        if message.state != PENDING:  # delivered or given up meanwhile (a redelivery's answer)
            return
        retries = [a for a in message.attempts if not a.manual]
        if len(retries) > len(policy.retries):
            message.state, message.next_attempt = FAILED, None
            outbox.finished(message)
        else:
            # from when the attempt started: a test that saw it fail and then moved the clock finds it due
            message.next_attempt = attempt.at + policy.retries[len(retries) - 1]


class Callbacks:
    """One provider's webhooks as its services see them: each tenant's
    endpoint (kept in the store, so a reset puts the scenario's back) and
    `emit`, which puts an event in the tenant's outbox."""

    def __init__(self, provider: str, webhooks: Webhooks, endpoints: Collection):
        self.provider = provider
        self._webhooks = webhooks
        self._endpoints = endpoints

    @property
    def policy(self) -> WebhookPolicy:
        return self._webhooks.policy(self.provider)

    def emit(self, tenant: str, event: Event) -> Message:
        return self._webhooks.emit(self.provider, tenant, event, self.target(tenant))

    def target(self, tenant: str) -> Target | None:
        found = self._endpoints.first(tenant)
        return Target(found["url"], found["secret"]) if found and found["url"] else None

    def configure(self, tenant: str, url: str, secret: str) -> Target:
        secret = self.policy.secret(tenant, secret)
        current = self._endpoints.first(tenant)
        if current is None:
            self._endpoints.insert(tenant, {"url": url, "secret": secret})
        else:
            self._endpoints.update(tenant, current["id"], {"url": url, "secret": secret})
        return Target(url, secret)

    def messages(self, tenant: str) -> list[Message]:
        return self._webhooks.messages(self.provider, tenant)

    def dropped(self, tenant: str) -> int:
        return self._webhooks.dropped(self.provider, tenant)

    def redeliver(self, tenant: str, message_id: str) -> Message | None:
        return self._webhooks.redeliver(self.provider, tenant, message_id)

    def forget(self, tenant: str) -> None:
        """Drop the tenant's outbox (its tenant reset)."""
        self._webhooks.clear(self.provider, tenant)

    def remove(self, tenant: str) -> None:
        current = self._endpoints.first(tenant)
        if current is not None:  # an endpoint is forgotten by pointing it nowhere
            self._endpoints.update(tenant, current["id"], {"url": None, "secret": ""})
