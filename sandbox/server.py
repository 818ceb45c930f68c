"""Serving the app: one process, one event loop, the app called on it.

The sandbox's work is CPU in one interpreter: every request takes the GIL
for its whole time. A pool of threads each holding a connection (waitress)
spends ~0.3 ms of every request handing the GIL and the socket between
threads: Flask's hello-world there does 2,300 requests/s on this machine,
under the rate the sandbox has to beat. So connections are read by one asyncio loop
(uvloop where it is installed), requests are parsed by httptools (llhttp,
Node's own parser, in C), and the WSGI app is called on the loop itself,
with no hand-over at all.

A request that may wait for wall-clock time (a delay fault armed, a clock
settle: `may_wait`) runs on a worker thread instead (`threads` of them), so
the loop goes on answering every other connection meanwhile.

What the answer does not depend on (the journal entry, the request line)
the app leaves in the environ's AFTER_ANSWER list, run once the answer is
written and before the loop reads on: at one connection a create then
answers 1.2x the requests a second, and the next request still finds the entry.

What a client gets wrong is answered here, in the envelope of the provider
that owns the path (the sandbox's own when the path is unreadable), with a
4xx: malformed HTTP 400, headers over MAX_HEADER_BYTES 431, a body over
the limit 413, a transfer encoding other than chunked 415. After such an
answer the connection closes, but not at once: a client may still be
sending what was refused, and closing a socket with unread data resets the
connection, which throws the answer away on the client's side. So the
sending side is shut, what the client goes on sending is read and
discarded until it is done (or LINGER_SECONDS pass), and only then is the
connection closed, as nginx's lingering close does."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from email.utils import formatdate
from io import BytesIO
from urllib.parse import unquote_to_bytes

import httptools
from flask import Flask
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    RequestEntityTooLarge,
    RequestHeaderFieldsTooLarge,
    UnsupportedMediaType,
)

from sandbox.core.api import AFTER_ANSWER
from sandbox.core.faults import DROP_HEADER

try:  # the faster loop where it is built (not on Windows)
    import uvloop
except ImportError:  # pragma: no cover - asyncio's own loop serves the same
    uvloop = None

log = logging.getLogger("sandbox.server")

#: the request line and headers together, at most (waitress's and nginx's large-buffer limit)
MAX_HEADER_BYTES = 256 * 1024
#: this server's body limit sits this far above the app's, so the app answers most oversize bodies itself
BODY_SLACK = 1024 * 1024
#: how long a refused client may go on sending before the connection is closed anyway
LINGER_SECONDS = 2.0
#: a connection with no request in flight closes after this long without a byte
IDLE_SECONDS = 120.0
SERVER_HEADER = b"Server: fintech-sandbox\r\n"
CLOSE = b"Connection: close\r\n"
KEEP_ALIVE_1_0 = b"Connection: keep-alive\r\n"  # HTTP/1.0 closes unless told otherwise
_DROP = DROP_HEADER.lower()
_BODILESS = ("1", "204", "304")  # statuses that have no body, nor a Content-Length (RFC 9110 8.6)

WaitCheck = Callable[[dict], bool]


class Refused(Exception):
    """A request this server answers itself (in the owner's envelope), then closes."""

    def __init__(self, error: HTTPException):
        super().__init__(error.code)
        self.error = error


class Connection(asyncio.Protocol):
    """One client connection: bytes in, parsed requests answered in order."""

    def __init__(self, server: SandboxServer):
        self.server = server
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.environ: dict = {}
        self.url = b""
        self.body: list[bytes] = []
        self.body_size = 0
        self.head_bytes = 0  # request line and headers of the message being read
        self.in_body = False
        self.waiting: deque[tuple[dict, bytes]] = deque()  # parsed while an answer was still being made
        self.busy = False  # a request is on a worker thread
        self.refused: HTTPException | None = None  # refused while busy: answered after the busy one
        self.lingering = False
        self.head_seen = b""  # the first bytes of a message: its target, when the parser cannot say
        self.last_active = time.monotonic()
        self.peer = ("", "")
        self.eof = False

    # -- asyncio ---------------------------------------------------------------------------
    def connection_made(self, transport):
        self.transport = transport
        peer = transport.get_extra_info("peername")
        if peer:
            self.peer = (str(peer[0]), str(peer[1]))
        self.server.connections.add(self)

    def connection_lost(self, exc):
        self.server.connections.discard(self)
        self.transport = None

    def data_received(self, data: bytes):
        if self.lingering:
            return  # what a refused client still sends: read and dropped
        self.last_active = time.monotonic()
        if not self.in_body:
            self.head_bytes += len(data)
            if len(self.head_seen) < 2048:
                self.head_seen += data[:2048]
        try:
            if not self.in_body and self.head_bytes > MAX_HEADER_BYTES:
                raise Refused(RequestHeaderFieldsTooLarge())
            self.parser.feed_data(data)
        except Refused as refused:
            self.refuse(refused.error)
        except httptools.HttpParserCallbackError as exc:
            cause = exc.__context__
            if not isinstance(cause, Refused):  # one of this server's callbacks failed: a bug, told in the log
                log.error("reading a request failed", exc_info=cause)
            self.refuse(cause.error if isinstance(cause, Refused) else BadRequest())
        except httptools.HttpParserUpgrade:
            self.close_after_answers()  # no protocol is upgraded to: answered as plain HTTP, then closed
        except httptools.HttpParserError:
            self.refuse(BadRequest())

    def eof_received(self):
        self.eof = True
        if self.lingering:
            self.transport.close()
            return None
        return True if self.busy or self.waiting else None  # a half-closed client still gets its answer

    # -- httptools callbacks ---------------------------------------------------------------
    def on_message_begin(self):
        self.url = b""
        self.environ = {}
        self.body = []
        self.body_size = 0

    def on_url(self, url: bytes):
        self.url += url

    def on_header(self, name: bytes, value: bytes):
        key = _ENVIRON_KEYS.get(name)
        if key is None:
            key = _environ_key(name)
        text = value.decode("latin-1")
        environ = self.environ
        environ[key] = f"{environ[key]},{text}" if key in environ else text

    def on_headers_complete(self):
        self.in_body = True
        environ, server = self.environ, self.server
        coding = environ.get("HTTP_TRANSFER_ENCODING")
        if coding is not None and coding.strip().lower() != "chunked":
            raise Refused(UnsupportedMediaType("Send the body without a Transfer-Encoding other than chunked."))
        length = environ.get("CONTENT_LENGTH")
        if length is not None and length.isdigit() and int(length) > server.max_body_bytes:
            raise Refused(RequestEntityTooLarge())
        url = self.url
        if url[:1] == b"/":
            path, _, query = url.partition(b"?")
        else:  # absolute form, or "*"
            parsed = httptools.parse_url(url)
            path, query = parsed.path or b"/", parsed.query or b""
        environ.update(server.base_environ)
        environ["REQUEST_METHOD"] = self.parser.get_method().decode("ascii")
        environ["SERVER_PROTOCOL"] = "HTTP/" + self.parser.get_http_version()
        environ["PATH_INFO"] = unquote_to_bytes(path).decode("latin-1") if b"%" in path else path.decode("latin-1")
        environ["QUERY_STRING"] = query.decode("latin-1")
        environ["REQUEST_URI"] = environ["RAW_URI"] = url.decode("latin-1")
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = self.peer
        if environ.get("HTTP_EXPECT", "").lower() == "100-continue":
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def on_body(self, chunk: bytes):
        self.body_size += len(chunk)
        if self.body_size > self.server.max_body_bytes:
            raise Refused(RequestEntityTooLarge())
        self.body.append(chunk)

    def on_message_complete(self):
        body = b"".join(self.body)
        environ = self.environ
        environ["wsgi.input"] = BytesIO(body)
        if "HTTP_TRANSFER_ENCODING" in environ:  # the body arrived in chunks, now whole: its length is known
            del environ["HTTP_TRANSFER_ENCODING"]
            environ["CONTENT_LENGTH"] = str(len(body))
        if not self.parser.should_keep_alive():
            keep_alive = CLOSE
        else:
            keep_alive = KEEP_ALIVE_1_0 if environ["SERVER_PROTOCOL"] == "HTTP/1.0" else b""
        self.in_body = False
        self.head_bytes = 0
        self.head_seen = b""
        if self.busy or self.waiting:
            self.waiting.append((environ, keep_alive))
        else:
            self.dispatch(environ, keep_alive)

    # -- answering -------------------------------------------------------------------------
    def dispatch(self, environ: dict, keep_alive: bytes) -> None:
        server = self.server
        after = environ[AFTER_ANSWER] = []
        if server.may_wait(environ):
            self.busy = True
            self.transport.pause_reading()
            future = server.loop.run_in_executor(server.workers, server.call, environ)
            future.add_done_callback(lambda done: self.answered(done, keep_alive, after))
        else:
            self.send(server.call(environ), keep_alive)
            run_after_answer(after)

    def answered(self, done: asyncio.Future, keep_alive: bytes, after: list) -> None:
        self.busy = False
        if self.transport is None or self.transport.is_closing():
            run_after_answer(after)
            return
        self.send(done.result(), keep_alive)
        run_after_answer(after)
        if self.refused is not None:  # what came after it was refused: answered now, in order
            self.refuse(self.refused)
            return
        while self.waiting and not self.busy and not self.transport.is_closing():
            environ, keep_alive = self.waiting.popleft()
            self.dispatch(environ, keep_alive)
        if self.transport.is_closing():
            return
        if self.eof and not self.busy:
            self.transport.close()  # the client sent its last request and half-closed: all of it is answered
        elif not self.busy:
            self.transport.resume_reading()

    def send(self, answer: tuple[bytes, bytes] | None, keep_alive: bytes) -> None:
        """Write an answer; keep_alive is the Connection header it needs (CLOSE: and then close)."""
        transport = self.transport
        if transport is None:
            return
        if answer is None:  # a fault dropped the connection on purpose: nothing is sent
            transport.close()
            return
        head, body = answer
        transport.write(head + keep_alive + self.server.date_line() + b"\r\n" + body)
        if keep_alive is CLOSE:
            transport.close()

    def close_after_answers(self) -> None:
        if self.transport is not None and not self.busy:
            self.transport.close()

    def refuse(self, error: HTTPException) -> None:
        """Answer what this server refused, in the envelope of the provider the target names, then linger."""
        if self.transport is None or self.lingering:
            return
        if self.busy:  # the request before it is still on a worker thread: its answer goes first
            self.refused = error
            return
        self.refused = None
        path = self.environ.get("PATH_INFO") or _target(self.url or self.head_seen)
        status, headers, body = render(self.server.app, path, error)
        head = [f"HTTP/1.1 {status}\r\n".encode("latin-1"), SERVER_HEADER, b"Connection: close\r\n",
                b"Content-Length: %d\r\n" % len(body)]
        head.extend(f"{name}: {value}\r\n".encode("latin-1") for name, value in headers)
        self.transport.write(b"".join(head) + self.server.date_line() + b"\r\n" + body)
        self.lingering = True
        self.waiting.clear()
        try:
            self.transport.write_eof()  # the answer is sent; the client reads it to the end
        except (OSError, RuntimeError, NotImplementedError):
            self.transport.close()
            return
        self.server.loop.call_later(LINGER_SECONDS, self.transport.close)


#: a header's name as sent -> its environ key: the same few names come on every request
_ENVIRON_KEYS: dict[bytes, str] = {}


def _environ_key(name: bytes) -> str:
    key = name.decode("latin-1").upper().replace("-", "_")
    if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        key = "HTTP_" + key
    if len(_ENVIRON_KEYS) < 1024:  # a client sending made-up names does not grow it without end
        _ENVIRON_KEYS[name] = key
    return key


def _target(seen: bytes) -> str:
    """The path of a request line as sent, or "" (an on_url that never came: a bad method, say)."""
    if seen[:1] != b"/":
        line = seen.split(b"\n", 1)[0].strip().split(b" ")
        seen = line[1] if len(line) == 3 else b""
    return seen.split(b"?", 1)[0].decode("latin-1")


class SandboxServer:
    """The listening socket (bound at once: connections queue until run()), its loop and its workers."""

    def __init__(self, app: Flask, sock: socket.socket, *, threads: int, max_body_bytes: int,
                 may_wait: WaitCheck | None):
        self.app = app
        self.socket = sock
        self.max_body_bytes = max_body_bytes + BODY_SLACK
        self.may_wait: WaitCheck = may_wait or (lambda environ: False)
        self.workers = ThreadPoolExecutor(threads, thread_name_prefix="fintech-sandbox worker")
        self.connections: set[Connection] = set()
        self.loop: asyncio.AbstractEventLoop = uvloop.new_event_loop() if uvloop else asyncio.new_event_loop()
        host, port = sock.getsockname()[:2]
        self.effective_port = port
        self.base_environ = {
            "SCRIPT_NAME": "", "SERVER_NAME": host, "SERVER_PORT": str(port), "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "wsgi.multithread": True,
            "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.input_terminated": True,
        }
        self._date = (0, b"")
        self._running = threading.Event()
        self._closed = False

    # -- per request -----------------------------------------------------------------------
    def call(self, environ: dict) -> tuple[bytes, bytes] | None:
        """The app's answer as (status line and headers, body), or None for a dropped connection."""
        started: list = []

        def start_response(status, headers, exc_info=None):
            started[:] = (status, headers)
            return _no_write

        try:
            chunks = self.app(environ, start_response)
            try:
                body = chunks[0] if type(chunks) is list and len(chunks) == 1 else b"".join(chunks)
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()
        except Exception:  # Flask answers every error of a view; this is one of the server's glue
            log.exception("the app failed outside its own error handling")
            status, headers, body = render(self.app, environ.get("PATH_INFO", "/"), InternalServerError())
            headers.append(("Content-Length", str(len(body))))
        else:
            status, headers = started
        head = [b"HTTP/1.1 ", status.encode("latin-1"), b"\r\n", SERVER_HEADER]
        sized = False
        for name, value in headers:
            lowered = name.lower()
            if lowered == _DROP:
                return None
            if lowered == "content-length":
                sized = True
            head.append(f"{name}: {value}\r\n".encode("latin-1"))
        if not sized and not status.startswith(_BODILESS):
            head.append(b"Content-Length: %d\r\n" % len(body))
        return b"".join(head), body

    def date_line(self) -> bytes:
        now = int(time.time())
        if self._date[0] != now:
            self._date = (now, b"Date: " + formatdate(now, usegmt=True).encode("ascii") + b"\r\n")
        return self._date[1]

    # -- lifetime --------------------------------------------------------------------------
    def run(self) -> None:
        """Serve on this thread until close() (from any thread)."""
        loop = self.loop
        asyncio.set_event_loop(loop)
        loop.add_reader(self.socket.fileno(), self._accept)
        sweeper = loop.call_later(IDLE_SECONDS / 4, self._sweep)
        self._running.set()
        try:
            if not self._closed:
                loop.run_forever()
        finally:
            sweeper.cancel()
            loop.remove_reader(self.socket.fileno())
            self.socket.close()
            for connection in list(self.connections):
                if connection.transport is not None:
                    connection.transport.abort()
            loop.run_until_complete(asyncio.sleep(0))  # let the transports' close callbacks run
            loop.close()
            self.workers.shutdown(wait=False, cancel_futures=True)

    def serve_until_stopped(self) -> None:
        """Serve on a thread of its own until SIGINT (Ctrl-C) or SIGTERM, then stop. The main thread
        only waits, so Python runs a signal's handler there at once (with the loop asleep in
        epoll_wait on the main thread, one SIGTERM in ~80 starts went unanswered until the next
        request came). The handler stops the loop rather than raise: an exception raised into
        Thread.join marks a running thread as ended (CPython 3.11), and the process then hung at exit."""
        serving = threading.Thread(target=self.run, name="fintech-sandbox loop", daemon=True)
        previous = {number: signal.signal(number, lambda *_: self.close())
                    for number in (signal.SIGINT, signal.SIGTERM)}
        serving.start()
        try:
            while serving.is_alive():
                serving.join(0.5)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            self.close()
            serving.join(10)

    def _accept(self) -> None:
        """Every connection waiting to be accepted, now. (uvloop's own server accepts one per turn of
        the loop: at 200 connections the last waited ~4 s for its first answer, while the loop answered
        the others' requests; measured, hello-world p99 1.2 s and wrk timeouts, now 80 ms.)"""
        loop = self.loop
        while True:
            try:
                connection, _ = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # out of file descriptors, say: try again shortly rather than spin
                log.warning("cannot accept a connection: %s", exc)
                loop.remove_reader(self.socket.fileno())
                loop.call_later(0.1, loop.add_reader, self.socket.fileno(), self._accept)
                return
            connection.setblocking(False)
            task = loop.create_task(loop.connect_accepted_socket(lambda: Connection(self), connection))
            task.add_done_callback(_gone_before_served)

    def _sweep(self) -> None:
        """Close connections idle for IDLE_SECONDS (a client that opened one and went away)."""
        cutoff = time.monotonic() - IDLE_SECONDS
        for connection in list(self.connections):
            if connection.last_active < cutoff and not connection.busy and connection.transport is not None:
                connection.transport.close()
        self.loop.call_later(IDLE_SECONDS / 4, self._sweep)

    def close(self) -> None:
        """Stop serving; from the serving thread itself or any other."""
        self._closed = True
        if self.loop.is_closed():
            return
        if self._running.is_set():
            try:
                self.loop.call_soon_threadsafe(self.loop.stop)
            except RuntimeError:  # the loop closed meanwhile
                pass
        elif not self.loop.is_running():
            self.socket.close()  # never served


def _gone_before_served(task: asyncio.Task) -> None:
    """A client that closed its connection while it was being set up: nothing to answer."""
    if not task.cancelled() and task.exception() is not None:
        log.debug("a connection closed before it was served: %s", task.exception())


def run_after_answer(jobs: list) -> None:
    """What the app left for after its answer (core.api.AFTER_ANSWER), on the loop before it reads on:
    the next request, on any connection, finds it done. The answer is out: a failure is only logged."""
    for job in jobs:
        try:
            job()
        except Exception:
            log.exception("work after an answer failed")


def _no_write(data: bytes) -> None:
    raise NotImplementedError("the sandbox's views return their bodies; none writes through start_response")


def render(app: Flask, path: str, exc: HTTPException) -> tuple[str, list[tuple[str, str]], bytes]:
    """(status line, headers, body) of the app's answer to a transport error on
    `path`. Must not fail: a path the app cannot even parse gets the sandbox's
    own envelope."""
    for candidate in (path or "/", "/"):
        try:
            with app.test_request_context(candidate):
                response = app.handle_http_exception(exc)
            headers = [(k, v) for k, v in response.headers.to_wsgi_list() if k.lower() not in ("content-length",)]
            return response.status, headers, response.get_data()
        except Exception:  # noqa: BLE001, S112 - the fallback below answers
            continue
    return "400 Bad Request", [("Content-Type", "application/json")], b'{"error":{"status":400}}'


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening (port 0: a free one). Raises OSError
    (socket.gaierror for a host with no address)."""
    family, kind, proto, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                         flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def create_server(app: Flask, *, host: str, port: int, threads: int, max_body_bytes: int,
                  may_wait: WaitCheck | None = None) -> SandboxServer:
    """A server listening on host:port (port 0: a free one, see effective_port); run() serves."""
    return SandboxServer(app, listening_socket(host, port), threads=threads, max_body_bytes=max_body_bytes,
                         may_wait=may_wait)
