"""What the sandbox saw of each request: its entry in the request journal
(core/journal.py) and, when lines are wanted, one line (method, path,
status, time, tenant, and for a refusal each code with its field and the
rule behind it). `serve` prints those lines (text or JSON); the pytest
plugin only when asked. The same line also goes to the `sandbox.requests`
logger, for whoever attaches a handler of their own to it.

It wraps the WSGI app itself (one call around the request, not Flask
hooks: each of those costs Flask a coroutine check per request), keeps raw
references, and redacts only when an entry is shown. What the request
learned on the way (whose call it was, why it was refused, which fault
answered) reaches it through the WSGI environ."""

from __future__ import annotations

import atexit
import logging
import sys
import threading
import time
from collections.abc import Iterable
from datetime import datetime

import orjson
from flask import Flask

from sandbox.core.api import AFTER_ANSWER, OBSERVED_FAULT, OBSERVED_OWNER, OBSERVED_PROBLEMS
from sandbox.core.clock import iso
from sandbox.core.errors import Problem as Refusal
from sandbox.core.journal import BODY_KEPT, Entry, Problem

log = logging.getLogger("sandbox.requests")
#: requests not worth a journal entry: health checks, reading the journal itself, the dashboard's pages
#: and its polling (its buttons call the controls, which are recorded)
UNRECORDED = ("/healthz", "/_sandbox/journal", "/_sandbox/ui")


def refused(environ: dict, problems: list[Refusal]) -> None:
    """Called by the error handlers: what refused this request."""
    environ[OBSERVED_PROBLEMS] = problems


class Observed:
    """The WSGI app, with each request recorded (and logged) once answered."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.sandbox = app.extensions["sandbox"]

    def __call__(self, environ: dict, start_response):
        started = time.perf_counter()
        answered: list = []
        body = environ["wsgi.input"] = Teed(environ["wsgi.input"])

        def start(status, headers, exc_info=None):
            answered[:] = [status, headers]
            return start_response(status, headers, exc_info)

        chunks = self.wsgi_app(environ, start)
        sandbox = self.sandbox
        scheduler = sandbox.scheduler
        if scheduler.has_due():  # a transition this request made due (an immediate outcome) is decided first
            scheduler.run_due()
        path = environ.get("PATH_INFO", "")
        keep = sandbox.journal.size or _lines is not None or log.isEnabledFor(logging.INFO)
        if not keep or path.startswith(UNRECORDED) or path == "/" or (path.startswith("/_sandbox/") and
                                                                       "/journal" in path):
            return chunks
        answer = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        took = round((time.perf_counter() - started) * 1000, 3)
        at = sandbox.clock.now()
        after = environ.get(AFTER_ANSWER)
        if after is None:
            self._record(environ, answered, body.kept, answer, at, took)
        else:  # our server writes the answer first; whoever reads the journal before that settles it
            journal = sandbox.journal
            journal.later(lambda: self._record(environ, answered, body.kept, answer, at, took))
            after.append(journal.settle)
        return [answer]

    def _record(self, environ: dict, answered: list, body: bytes, answer: bytes, at: datetime, took: float) -> None:
        sandbox = self.sandbox
        path = environ.get("PATH_INFO", "")
        provider = sandbox.provider_for(path)
        status, headers = answered
        problems = tuple(Problem(p.condition.code, p.field, (p.params or {}).get("rule") or p.condition.when)
                         for p in environ.get(OBSERVED_PROBLEMS, ()))
        answer_type = next((v for k, v in headers if k.lower() == "content-type"), "")
        journal = sandbox.journal
        entry = Entry(journal.next_id(), at, provider.name if provider else "sandbox",
                      environ.get(OBSERVED_OWNER), environ.get("REQUEST_METHOD", ""), path,
                      environ.get("QUERY_STRING", ""), _headers(environ), body[:BODY_KEPT],
                      environ.get("CONTENT_TYPE", ""), int(status.split(" ", 1)[0]), answer[:BODY_KEPT], answer_type,
                      took, problems, environ.get(OBSERVED_FAULT))
        journal.record(entry)
        if _lines is not None:
            _lines.write(entry)
        if log.isEnabledFor(logging.INFO):  # a handler someone attached to `sandbox.requests` themselves
            log.info(line(entry), extra={"sandbox_entry": entry})


class Teed:
    """The request's input stream, keeping (up to BODY_KEPT bytes of) what
    the app reads of it: the body as received, unread if nobody read it."""

    def __init__(self, stream):
        self._stream = stream
        self.kept = b""

    def read(self, *args) -> bytes:
        data = self._stream.read(*args)
        if len(self.kept) < BODY_KEPT:
            self.kept += data[:BODY_KEPT - len(self.kept)]
        return data

    def readinto(self, buffer) -> int | None:
        readinto = getattr(self._stream, "readinto", None)
        if readinto is None:  # PEP 3333 asks read() of wsgi.input, not readinto() (cheroot's has none)
            data = self._stream.read(len(buffer))
            memoryview(buffer)[:len(data)] = data
            count = len(data)
        else:
            count = readinto(buffer)
        if count and len(self.kept) < BODY_KEPT:
            self.kept += bytes(memoryview(buffer)[:min(count, BODY_KEPT - len(self.kept))])
        return count

    def readline(self, *args) -> bytes:
        data = self._stream.readline(*args)
        if len(self.kept) < BODY_KEPT:
            self.kept += data[:BODY_KEPT - len(self.kept)]
        return data

    def __iter__(self):
        return iter(self.readline, b"")

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _headers(environ: dict) -> list[tuple[str, str]]:
    """The request's headers, as sent (their names in Werkzeug's spelling)."""
    found = [(key[5:].replace("_", "-").title(), value) for key, value in environ.items() if key.startswith("HTTP_")]
    if environ.get("CONTENT_TYPE"):
        found.append(("Content-Type", environ["CONTENT_TYPE"]))
    return found


def install(app: Flask) -> None:
    app.wsgi_app = Observed(app, app.wsgi_app)


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


def json_line(entry: Entry) -> str:
    """--log-format json: one JSON object a line."""
    return orjson.dumps({"at": iso(entry.at), "method": entry.method, "path": entry.path, "status": entry.status,
                         "ms": entry.took_ms, "provider": entry.provider, "tenant": entry.tenant,
                         "fault": entry.fault, "problems": [p.view() for p in entry.problems]}).decode()


#: how long a request's line may wait in the buffer before it is written out
FLUSH_SECONDS = 0.05


class RequestLines:
    """A line per request, written straight to a buffered stream and flushed
    within FLUSH_SECONDS by a thread of its own.

    Not through `logging`: a record there (LogRecord, handler lock,
    formatter) cost 15-30 µs of a ~110 µs answer inside the server (measured
    with `--quiet` against the same run without lines). Nor a write per
    line: that is a system call per request, even when PYTHONUNBUFFERED asks
    stdout for one; a reader sees each line 50 ms later at most. The lines
    left at exit are flushed then."""

    def __init__(self, stream, fmt: str = "text"):
        self._stream = _buffered(stream)
        self._format = json_line if fmt == "json" else line
        self._written = threading.Event()
        self._lock = threading.Lock()  # a request on a worker thread writes too
        self._pending = False  # lines written since the last flush
        threading.Thread(target=self._flush_soon, name="log-flush", daemon=True).start()
        atexit.register(self.flush)

    def write(self, entry: Entry) -> None:
        text = self._format(entry) + "\n"
        with self._lock:
            try:
                self._stream.write(text)
            except (OSError, ValueError):  # nobody reads the lines any more (a closed pipe): the answer goes out
                return
            first, self._pending = not self._pending, True
        if first:  # the flusher is told once per flush, not once per line
            self._written.set()

    def flush(self) -> None:
        with self._lock:
            self._pending = False
            try:
                self._stream.flush()
            except (OSError, ValueError):  # a reader gone (a closed pipe): the lines have nowhere to go
                pass

    def _flush_soon(self) -> None:
        while True:
            self._written.wait()
            time.sleep(FLUSH_SECONDS)
            self._written.clear()
            self.flush()


def _buffered(stream):
    """The same file as `stream`, with a buffer of its own (a stream without a file, as a test's capture, as is)."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return stream
    return open(fd, "w", buffering=1 << 16, encoding=stream.encoding or "utf-8",
                errors=getattr(stream, "errors", None) or "backslashreplace", closefd=False)


#: where request lines go when `serve` (or the plugin's --sandbox-log) asks for them
_lines: RequestLines | None = None


def configure(fmt: str = "text", quiet: bool = False) -> None:
    """Print a line per request on stdout (serve's default)."""
    global _lines
    _lines = None if quiet else RequestLines(sys.stdout, fmt)


__all__: Iterable[str] = ("Observed", "configure", "install", "line", "refused")
