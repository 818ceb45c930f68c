"""What the sandbox saw of each request: its entry in the request journal
(core/journal.py) and, when a log is wanted, one line on the
`sandbox.requests` logger (method, path, status, time, tenant, and for a
refusal each code with its field and the rule behind it). `serve` prints
those lines (text or JSON); the pytest plugin only when asked."""

from __future__ import annotations

import logging
import sys
import time

import orjson
from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from sandbox.core.errors import Problem as Refusal
from sandbox.core.journal import BODY_KEPT, Entry, Problem
from sandbox.core.runtime import sandbox_of

log = logging.getLogger("sandbox.requests")
#: requests not worth a journal entry: reading the journal itself, health checks
UNRECORDED = ("/healthz", "/_sandbox/journal")


def install(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_record)


def refused(problems: list[Refusal]) -> None:
    """Called by the error handlers: what refused this request."""
    g.sandbox_problems = problems


def _start() -> None:
    g.sandbox_started = time.perf_counter()


def _record(response: Response) -> Response:
    started = g.get("sandbox_started")
    path = request.path
    if started is None or path.startswith(UNRECORDED) or (path.startswith("/_sandbox/") and "/journal" in path):
        return response
    took = round((time.perf_counter() - started) * 1000, 3)
    sandbox = sandbox_of()
    if not sandbox.journal.size and not log.isEnabledFor(logging.INFO):
        return response  # --journal-size 0 and no log: nothing to keep
    provider = sandbox.provider_for(path)
    problems = tuple(Problem(p.condition.code, p.field, (p.params or {}).get("rule") or p.condition.when)
                     for p in g.get("sandbox_problems", ()))
    journal = sandbox.journal
    try:
        body = request.get_data(cache=True)
    except HTTPException:  # too large to read: the answer (413) says so; the journal keeps no body
        body = b""
    answer = response.get_data() if not response.direct_passthrough else b""
    entry = Entry(journal.next_id(), sandbox.clock.now(), provider.name if provider else "sandbox",
                  g.get("sandbox_owner"), request.method, path, request.query_string.decode("latin-1"),
                  list(request.headers.items()), body[:BODY_KEPT], request.mimetype or "", response.status_code,
                  answer[:BODY_KEPT], response.mimetype or "", took, problems, g.get("sandbox_fault"))
    journal.record(entry)
    if log.isEnabledFor(logging.INFO):
        log.info(line(entry), extra={"sandbox_entry": entry})
    return response


def line(entry: Entry) -> str:
    """One request as a log line."""
    text = f"{entry.method} {entry.path} {entry.status} {entry.took_ms:.1f}ms"
    if entry.tenant:
        text += f" tenant={entry.tenant}"
    if entry.fault:
        text += " fault"
    for problem in entry.problems:
        text += f" | {problem.code}" + (f" {problem.field}" if problem.field else "") + f": {problem.rule}"
    return text


class JsonLines(logging.Formatter):
    """--log-format json: one JSON object a line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: Entry | None = getattr(record, "sandbox_entry", None)
        if entry is None:
            return orjson.dumps({"message": record.getMessage()}).decode()
        return orjson.dumps({"at": entry.view()["at"], "method": entry.method, "path": entry.path,
                             "status": entry.status, "ms": entry.took_ms, "provider": entry.provider,
                             "tenant": entry.tenant, "fault": entry.fault,
                             "problems": [p.view() for p in entry.problems]}).decode()


def configure(fmt: str = "text", quiet: bool = False) -> None:
    """Print a line per request on stdout (serve's default)."""
    log.handlers.clear()
    log.propagate = False
    if quiet:
        log.setLevel(logging.WARNING)
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonLines() if fmt == "json" else logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)

