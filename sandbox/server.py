"""Serving the app with waitress, one process, many threads (state is shared).

Waitress answers some requests itself before the app sees them: a body over
its limit, malformed HTTP (a bad request line, a header without a colon,
headers too large, a bad chunk size), and transfer encodings it does not
support (with a 501, a 5xx). Those answers are rendered here through the
app's own transport-error handling, so they come in the envelope of the
provider that owns the path (the sandbox's own when the path is unreadable),
with a 4xx: an unsupported encoding is 415, as it is for the app."""

from __future__ import annotations

from flask import Flask
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher
from werkzeug.exceptions import (
    BadRequest, HTTPException, RequestEntityTooLarge, RequestHeaderFieldsTooLarge, UnsupportedMediaType,
)

_FROM_WAITRESS = {413: RequestEntityTooLarge, 431: RequestHeaderFieldsTooLarge, 501: UnsupportedMediaType}
#: waitress's own limit sits this far above the app's, so the app answers most oversize bodies itself
BODY_SLACK = 1024 * 1024


class TargetKeepingParser(HTTPRequestParser):
    """Keeps the request line's path before the headers are parsed: waitress
    sets `path` only once every header is valid, and a bad header should
    still be answered in the envelope of the provider the path names."""

    target_path = ""

    def parse_header(self, header_plus):
        request_line = header_plus.split(b"\n", 1)[0].rstrip(b"\r").split(b" ")
        if len(request_line) == 3:
            self.target_path = request_line[1].split(b"?", 1)[0].decode("latin-1")
        return super().parse_header(header_plus)


class EnvelopeErrorTask(ErrorTask):
    def execute(self):
        error = self.request.error
        exc = _FROM_WAITRESS.get(error.code, BadRequest)(error.body)
        path = getattr(self.request, "path", "") or getattr(self.request, "target_path", "")
        status, headers, body = render(self.channel.server.flask_app, path, exc)
        self.status = status
        self.response_headers.extend(headers)
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class EnvelopeChannel(HTTPChannel):
    parser_class = TargetKeepingParser
    error_task_class = EnvelopeErrorTask


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
        except Exception:  # noqa: BLE001 - the fallback below answers
            continue
    return "400 Bad Request", [("Content-Type", "application/json")], b'{"error":{"status":400}}'


def create_server(app: Flask, *, host: str, port: int, threads: int, max_body_bytes: int) -> SandboxServer:
    """A waitress server on host:port (port 0: a free one, see effective_port)."""
    adj = Adjustments(host=host, port=port, threads=threads, max_request_body_size=max_body_bytes + BODY_SLACK,
                      ident="fintech-sandbox")
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    server = SandboxServer(app, {}, True, None, dispatcher=dispatcher, adj=adj, sockinfo=adj.listen[0])
    server.flask_app = app
    return server
