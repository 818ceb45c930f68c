"""A webhook receiver for a test: an HTTP server on 127.0.0.1 (a thread of
the test process) that records every delivery the sandbox makes, answers
as the test asks (fail the next N, be slow), and lets the test wait for an
event. One receiver serves every provider, each under its own path prefix
(`url_for("weavr")` -> http://127.0.0.1:<port>/weavr), so a delivery says
whose it is."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    """One delivery as the receiver saw it."""

    provider: str
    #: the path after the provider's prefix (Weavr's /consumers/kyc/watch, P100's /webhook/user/status)
    path: str
    headers: dict[str, str]
    body: bytes
    #: the status the receiver answered
    status: int
    #: the provider's name for the event (Ibanera's Type; else the path)
    type: str = ""
    at: float = field(default_factory=time.monotonic)

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


def default_type(path: str, body: Any) -> str:
    """An event's name: the body's "Type" (Ibanera), else the path."""
    return body.get("Type") if isinstance(body, dict) and isinstance(body.get("Type"), str) else path


class Receiver:
    def __init__(self, event_type: Callable[[str, Any], str] = default_type):
        self.received: list[Received] = []
        self._event_type = event_type
        self._plan: list[int] = []  # statuses to answer next, then 200
        self._delay = 0.0
        self._lock = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server's name for it
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status = receiver._answer()
                provider, _, rest = self.path.lstrip("/").partition("/")
                path = "/" + rest
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                delivery = Received(provider, path, dict(self.headers.items()), body, status,
                                    receiver._event_type(path, parsed))
                with receiver._lock:  # listed before it is answered: the order deliveries came in
                    receiver.received.append(delivery)
                    receiver._lock.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # quiet: a test's output is the test's
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="webhook-receiver",
                                        daemon=True)  # close() waits one poll: keep it short
        self._thread.start()

    def url_for(self, provider: str) -> str:
        return f"{self.url}/{provider}"

    # -- how it answers ----------------------------------------------------------------------
    def fail_next(self, count: int, status: int = 500) -> None:
        """Answer the next `count` deliveries with `status` (then 200 again)."""
        with self._lock:
            self._plan.extend([status] * count)

    def slow(self, seconds: float) -> None:
        """Take this long over every answer (a slow receiver)."""
        self._delay = seconds

    def _answer(self) -> int:
        if self._delay:
            time.sleep(self._delay)
        with self._lock:
            return self._plan.pop(0) if self._plan else 200

    # -- what it got -------------------------------------------------------------------------
    def of(self, event: str | None = None, provider: str | None = None) -> list[Received]:
        """The deliveries received so far, oldest first (of one event type or path, one provider)."""
        with self._lock:
            return [r for r in self.received if event in (None, r.type, r.path) and provider in (None, r.provider)]

    def wait_for(self, event: str, timeout: float = 2.0, count: int = 1, provider: str | None = None) -> Received:
        """The `count`-th delivery of `event` (its type or path), once it arrives;
        AssertionError after `timeout` seconds, naming what did arrive."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [r for r in self.received if event in (r.type, r.path) and provider in (None, r.provider)]
                if len(found) >= count:
                    return found[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [f"{r.provider} {r.type} ({r.status})" for r in self.received]
                    raise AssertionError(f"no {event!r} delivery #{count} within {timeout} s; received: {seen}")
                self._lock.wait(left)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
