"""What the sandbox received, and why it refused it (WireMock's request
journal, Prism's violation log): a bounded ring of the latest requests and
their answers, each with its provider, tenant, method, path, query, headers
and body (redacted: sandbox/core/redact.py), status, answer, error codes and
the rule behind each refusal, and the time it took. It can be searched and
counted exactly, per tenant or across them.

The ring holds `size` entries (--journal-size, default 1,000): memory stays
flat however many requests pass."""

from __future__ import annotations

import fnmatch
import itertools
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from marshmallow import Schema, fields, validate

from sandbox.core import redact
from sandbox.core.clock import iso

DEFAULT_SIZE = 1000
#: a body longer than this is kept cut (a 10 MiB upload must not stay in memory a thousand times)
BODY_KEPT = 64 * 1024


@dataclass(frozen=True)
class Problem:
    """Why a request was refused: the provider's code, the field, and the rule."""

    code: str
    field: str | None
    rule: str

    def view(self) -> dict:
        return {"code": self.code, "field": self.field, "rule": self.rule}


@dataclass
class Entry:
    """One request and its answer, kept as they were (bytes, header pairs)
    and redacted when shown, so recording costs next to nothing."""

    id: int
    at: datetime
    provider: str
    #: the tenant as the sandbox knows it (for filtering; shown redacted when it is a credential)
    owner: str | None
    method: str
    path: str
    query: str
    headers: list[tuple[str, str]]
    body: bytes
    content_type: str
    status: int
    answer: bytes
    answer_type: str
    took_ms: float
    problems: tuple[Problem, ...] = ()
    #: the fault that answered it, if one did on purpose
    fault: str | None = None

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    @property
    def tenant(self) -> str | None:
        """The tenant as shown: a credential sent as a header (an api-key) shows its prefix only."""
        owner = self.owner
        if owner and any(owner in value for name, value in self.headers if redact.is_secret_header(name)):
            return redact.shown(owner)
        return owner

    def view(self) -> dict:
        return {"id": self.id, "at": iso(self.at), "provider": self.provider, "tenant": self.tenant,
                "method": self.method, "path": self.path, "query": self.query,
                "headers": redact.headers(self.headers), "body": _shown(self.body, self.content_type),
                "status": self.status, "answer": _shown(self.answer, self.answer_type), "tookMs": self.took_ms,
                "problems": [p.view() for p in self.problems], "fault": self.fault}


def _shown(raw: bytes, content_type: str) -> Any:
    """A body as the journal shows it: JSON redacted, a form's files by size, other text cut."""
    if not raw:
        return None
    if content_type.startswith("multipart/"):
        return f"<multipart body, {len(raw)} bytes: files not shown>"
    if "json" in content_type:
        try:
            return redact.body(orjson.loads(raw))
        except orjson.JSONDecodeError:
            pass
    text = raw[:redact.TEXT_KEPT].decode("utf-8", "replace")
    return text + (f"… ({len(raw)} bytes)" if len(raw) > redact.TEXT_KEPT else "")


@dataclass(frozen=True)
class Match:
    """Which entries a search or a count is about; every given criterion must hold."""

    provider: str | None = None
    owner: str | None = None
    method: str | None = None
    #: a glob over the path (`/weavr/multi/consumers*`)
    path: str | None = None
    status: int | None = None
    code: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __call__(self, entry: Entry) -> bool:
        return ((self.provider is None or entry.provider == self.provider)
                and (self.owner is None or entry.owner == self.owner)
                and (self.method is None or entry.method == self.method.upper())
                and (self.path is None or fnmatch.fnmatchcase(entry.path, self.path))
                and (self.status is None or entry.status == self.status)
                and (self.code is None or self.code in entry.codes)
                and (self.since is None or entry.at >= self.since)
                and (self.until is None or entry.at <= self.until))


class Journal:
    def __init__(self, size: int = DEFAULT_SIZE):
        self._entries: deque[Entry] = deque(maxlen=size)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._pending: deque[Callable[[], None]] = deque()
        self._settling = threading.Lock()
        self.size = size

    def next_id(self) -> int:
        return next(self._ids)

    def later(self, recording: Callable[[], None]) -> None:
        """A recording to make once its answer is out (sandbox/observe.py). Every read settles
        first, so a reader on any thread finds each request whose answer it could have seen."""
        self._pending.append(recording)

    def settle(self) -> None:
        """Make the recordings left for later, in the order they were left."""
        pending = self._pending
        while pending:
            with self._settling:
                if not pending:
                    return
                pending.popleft()()

    def record(self, entry: Entry) -> None:
        with self._lock:
            self._entries.append(entry)

    def find(self, match: Match, offset: int = 0, limit: int = 100) -> tuple[list[Entry], int]:
        """(a page of the matching entries, newest first; how many match)."""
        self.settle()
        with self._lock:
            found = [e for e in reversed(self._entries) if match(e)]
        return found[offset:offset + limit], len(found)

    def count(self, match: Match) -> int:
        self.settle()
        with self._lock:
            return sum(1 for e in self._entries if match(e))

    def since(self, first_id: int) -> list[Entry]:
        """The entries recorded from `first_id` on, oldest first (a test's own requests)."""
        self.settle()
        with self._lock:
            return [e for e in self._entries if e.id >= first_id]

    def clear(self, match: Match | None = None) -> int:
        """Forget the matching entries (all by default); returns how many."""
        self.settle()
        with self._lock:
            if match is None:
                dropped = len(self._entries)
                self._entries.clear()
                return dropped
            kept = [e for e in self._entries if not match(e)]
            dropped = len(self._entries) - len(kept)
            self._entries.clear()
            self._entries.extend(kept)
            return dropped


class MatchSchema(Schema):
    """Which requests: every given criterion must hold."""

    method = fields.String(validate=validate.OneOf(("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")))
    path = fields.String(validate=validate.Length(1, 500), metadata={
        "description": "A glob over the path (`/weavr/multi/consumers*`).", "example": "/p100/v1/transfer"})
    status = fields.Integer(validate=validate.Range(100, 599))
    code = fields.String(validate=validate.Length(1, 200), metadata={"description": "An error code the answer "
                                                                                   "carried."})
    since = fields.AwareDateTime(metadata={"description": "Sandbox time, with its zone."})
    until = fields.AwareDateTime()


class GlobalMatchSchema(MatchSchema):
    provider = fields.String(validate=validate.Length(1, 50), metadata={"description": "A provider, or sandbox."})
    tenant = fields.String(validate=validate.Length(1, 500), metadata={
        "description": "The tenant (a credential that is a tenant, such as an api-key, in full)."})


class PageQuerySchema(Schema):
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 10**6))
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))


def match_of(given: dict, **fixed) -> Match:
    """A Match from a loaded MatchSchema (and what the caller fixes: its provider, its tenant)."""
    return Match(provider=fixed.get("provider", given.get("provider")),
                 owner=fixed.get("owner", given.get("tenant")), method=given.get("method"), path=given.get("path"),
                 status=given.get("status"), code=given.get("code"), since=given.get("since"),
                 until=given.get("until"))


class ProblemSchema(Schema):
    code = fields.String(required=True)
    field = fields.String(required=True, allow_none=True)
    rule = fields.String(required=True, metadata={"description": "The rule that refused it, in words."})


class EntrySchema(Schema):
    id = fields.Integer(required=True)
    at = fields.String(required=True, metadata={"description": "Sandbox time."})
    provider = fields.String(required=True)
    tenant = fields.String(required=True, allow_none=True, metadata={
        "description": "A credential that is a tenant (an api-key) shows its first 4 characters."})
    method = fields.String(required=True)
    path = fields.String(required=True)
    query = fields.String(required=True)
    headers = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                          metadata={"description": "Credentials show their first 4 characters."})
    body = fields.Raw(required=True, allow_none=True, metadata={
        "description": "JSON with every password, code, token and secret hidden, and files by size."})
    status = fields.Integer(required=True)
    answer = fields.Raw(required=True, allow_none=True, metadata={"description": "Redacted the same way."})
    tookMs = fields.Float(required=True)
    problems = fields.List(fields.Nested(ProblemSchema), required=True,
                           metadata={"description": "Why it was refused: each code, its field and the rule."})
    fault = fields.String(required=True, allow_none=True, metadata={"description": "The fault that answered it."})


class EntriesSchema(Schema):
    requests = fields.List(fields.Nested(EntrySchema), required=True, metadata={"description": "Newest first."})
    total = fields.Integer(required=True, metadata={"description": "How many match."})


class CountSchema(Schema):
    count = fields.Integer(required=True)


class ClearedSchema(Schema):
    cleared = fields.Integer(required=True)
