"""Serving the app with waitress, one process, many threads (state is shared).

Waitress answers some requests itself before the app sees them: a body over
its limit, malformed HTTP (a bad request line, a header without a colon,
headers too large, a bad chunk size), and transfer encodings it does not
support (with a 501, a 5xx). Those answers are rendered here through the
app's own transport-error handling, so they come in the envelope of the
provider that owns the path (the sandbox's own when the path is unreadable),
with a 4xx: an unsupported encoding is 415, as it is for the app.

After such an answer the connection closes, but not at once: a client may
still be sending what waitress refused (headers over its limit, say), and
closing a socket with unread data resets the connection, which throws the
answer away on the client's side. So the channel shuts its sending side,
reads and discards until the client is done (or LINGER_SECONDS pass), and
only then closes, as nginx's lingering close does."""

from __future__ import annotations

import socket
import time

from flask import Flask
from waitress.adjustments import Adjustments
from waitress.channel import ClientDisconnected, HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    RequestEntityTooLarge,
    RequestHeaderFieldsTooLarge,
    UnsupportedMediaType,
)

from sandbox.core.faults import DROP_HEADER

_FROM_WAITRESS = {413: RequestEntityTooLarge, 431: RequestHeaderFieldsTooLarge, 501: UnsupportedMediaType}
#: waitress's own limit sits this far above the app's, so the app answers most oversize bodies itself
BODY_SLACK = 1024 * 1024
#: how long a refused client may go on sending before the connection is closed anyway
LINGER_SECONDS = 2.0


class TargetKeepingParser(HTTPRequestParser):
    """Keeps the request line's path as soon as it arrives: waitress sets
    `path` only once every header is valid (and to "/" when the headers are
    over its limit), and a bad header should still be answered in the
    envelope of the provider the path names."""

    target_path = ""
    _request_line_seen = False

    def received(self, data):
        if not self._request_line_seen and self.body_rcv is None:
            head = self.header_plus + data
            line_end = head.find(b"\n")
            if line_end >= 0:
                self._request_line_seen = True  # look once, not on every later chunk of the headers
                request_line = head[:line_end].strip().split(b" ")
                if len(request_line) == 3:
                    self.target_path = request_line[1].split(b"?", 1)[0].decode("latin-1")
        return super().received(data)


class EnvelopeErrorTask(ErrorTask):
    def execute(self):
        error = self.request.error
        exc = _FROM_WAITRESS.get(error.code, BadRequest)(error.body)
        path = getattr(self.request, "target_path", "") or getattr(self.request, "path", "")
        status, headers, body = render(self.channel.server.flask_app, path, exc)
        self.status = status
        self.response_headers.extend(headers)
        self.channel.linger_on_close = True
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class EnvelopeChannel(HTTPChannel):
    parser_class = TargetKeepingParser
    error_task_class = EnvelopeErrorTask
    linger_on_close = False  # set by an error answer: drain the client before closing
    linger_until = 0.0  # while lingering: the monotonic time it ends

    def handle_close(self):
        if self.linger_on_close and not self.linger_until and self.connected:
            try:
                self.socket.shutdown(socket.SHUT_WR)  # the answer is sent; the client reads it to EOF
            except OSError:
                return super().handle_close()
            self.linger_until = time.monotonic() + LINGER_SECONDS
            return None
        return super().handle_close()

    def readable(self):
        return bool(self.linger_until) or super().readable()

    def writable(self):
        return not self.linger_until and super().writable()

    def handle_read(self):
        if not self.linger_until:
            return super().handle_read()
        try:
            drained = self.socket.recv(self.adj.recv_bytes)
        except OSError:
            drained = b""
        if not drained or time.monotonic() > self.linger_until:
            self.linger_on_close = False
            super().handle_close()
        return None


class SandboxServer(TcpWSGIServer):
    channel_class = EnvelopeChannel
    flask_app: Flask  # waitress keeps the WSGI callable wrapped; errors are rendered by the app itself


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


def dropping(app: Flask):
    """The WSGI app, except that an answer marked as a dropped connection (a
    fault injected on purpose) is never sent: the connection just closes."""
    marker = DROP_HEADER.lower()

    def wsgi(environ, start_response):
        seen = {}

        def start(status, headers, exc_info=None):
            if any(name.lower() == marker for name, _ in headers):
                seen["drop"] = True
                return lambda data: None
            return start_response(status, headers, exc_info)

        chunks = app(environ, start)
        if seen:
            close = getattr(chunks, "close", None)
            if close:
                close()
            raise ClientDisconnected("a fault dropped the connection on purpose")
        return chunks

    return wsgi


def create_server(app: Flask, *, host: str, port: int, threads: int, max_body_bytes: int) -> SandboxServer:
    """A waitress server on host:port (port 0: a free one, see effective_port)."""
    adj = Adjustments(host=host, port=port, threads=threads, max_request_body_size=max_body_bytes + BODY_SLACK,
                      ident="fintech-sandbox")
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    server = SandboxServer(dropping(app), {}, True, None, dispatcher=dispatcher, adj=adj, sockinfo=adj.listen[0])
    server.flask_app = app
    return server
