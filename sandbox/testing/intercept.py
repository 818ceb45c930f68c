"""Calls to a provider's real host answered by an in-process sandbox app.

`requests` is intercepted with `responses` and `httpx` (sync and async) with
`respx`, the libraries partners already use to stub HTTP; each matched call
is handed to the sandbox's WSGI app (Werkzeug's test client: the same app and
state the served port answers with, and no socket at all). Every other URL
passes through to the network untouched."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from urllib.parse import urlsplit

from flask import Flask

from sandbox.core.faults import DROP_HEADER

#: the providers' real sandbox hosts, as /work/shared/reference names them, and
#: the provider whose prefix their paths go under (Weavr's /multi and
#: /simulate/api are served at /weavr/multi and /weavr/simulate/api). Ibanera's
#: sandbox host is not published and Prozora's is per bank (api.<alias>...):
#: name yours with intercept(hosts={...}) or --sandbox-host HOST=PROVIDER.
REAL_HOSTS: dict[str, str] = {
    "sandbox.weavr.io": "weavr",
    "partner-api-stage.p100.io": "p100",
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
# Hop-by-hop and length headers: the WSGI client sets its own
_DROPPED_REQUEST_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}
_DROPPED_RESPONSE_HEADERS = {"content-length", "transfer-encoding", "connection"}


def forward(app: Flask, provider: str, method: str, url: str, headers: Mapping[str, str], body: bytes | None):
    """(status, headers, body) of the app's answer to a call made to a real
    host: its path under /<provider>."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in headers.items() if k.lower() not in _DROPPED_REQUEST_HEADERS]
    response = app.test_client().open(f"/{provider}{parts.path or '/'}", method=method, query_string=parts.query,
                                      headers=kept, data=body or b"")
    out = [(k, v) for k, v in response.headers.items() if k.lower() not in _DROPPED_RESPONSE_HEADERS]
    return response.status_code, out, response.get_data()


def _host_pattern(host: str) -> re.Pattern:
    return re.compile(rf"^https?://{re.escape(host)}(:\d+)?(/.*)?$", re.IGNORECASE)


@contextmanager
def intercept(app: Flask, hosts: Mapping[str, str] | None = None) -> Iterator[None]:
    """Within the block, `requests` and `httpx` calls to REAL_HOSTS (plus
    `hosts`: host -> provider name) are answered by `app`."""
    import responses
    import respx

    routed = {**REAL_HOSTS, **(hosts or {})}
    unknown = set(routed.values()) - set(app.extensions["sandbox"].providers)
    if unknown:
        raise ValueError(f"no such provider(s) to intercept for: {sorted(unknown)}")

    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    router = respx.MockRouter(assert_all_called=False, assert_all_mocked=False)
    for host, provider in routed.items():
        for method in METHODS:
            mock.add_callback(method, _host_pattern(host), callback=_requests_callback(app, provider),
                              content_type=None)
        router.route(host=host).mock(side_effect=_httpx_side_effect(app, provider))
    mock.add_passthru(re.compile(".*"))  # only consulted for URLs nothing above matched
    router.route().pass_through()
    with mock, router:
        yield


def _requests_callback(app: Flask, provider: str):
    def callback(request):
        body = request.body.encode() if isinstance(request.body, str) else request.body
        if body is not None and not isinstance(body, bytes):
            body = b"".join(body)  # a generator body (streamed upload)
        answer = forward(app, provider, request.method, request.url, request.headers, body)
        if dropped(answer[1]):
            import requests

            raise requests.ConnectionError("the sandbox dropped the connection (a fault injected on purpose)")
        return answer
    return callback


def _httpx_side_effect(app: Flask, provider: str):
    import httpx

    def side_effect(request):
        status, headers, body = forward(app, provider, request.method, str(request.url), request.headers,
                                        request.content)
        if dropped(headers):
            raise httpx.RemoteProtocolError("the sandbox dropped the connection (a fault injected on purpose)",
                                            request=request)
        return httpx.Response(status, headers=headers, content=body)
    return side_effect


def dropped(headers) -> bool:
    """Whether the answer is a dropped connection (a fault), which a real socket would never deliver."""
    return any(name.lower() == DROP_HEADER.lower() for name, _ in headers)
