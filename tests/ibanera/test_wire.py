"""Bytes no well-behaved client sends, over a raw socket to the real server:
what the server refuses before the app sees it (malformed HTTP, headers or a
body over its limits, a transfer encoding it does not read) comes back as a
4xx in the envelope of the provider the path names."""

from __future__ import annotations

import json
import socket

import pytest

from tests.server import Server

LOGIN = b"/ibanera/api/v1/public/auth/login"
JSON = b"Content-Type: application/json\r\n"


@pytest.fixture(scope="module")
def server():
    with Server("--max-body-bytes", "1024") as running:
        yield running


def exchange(server: Server, raw: bytes) -> tuple[int, str, dict]:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(raw)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split(" ")[1]), headers.get("Content-Type", ""), json.loads(body)


@pytest.mark.parametrize("raw,status,code", [
    (b"POST " + LOGIN + b" HTTP/1.1\r\nHost: x\r\n" + JSON + b"Content-Length: 3000000\r\n\r\n{}",
     413, "Request_Too_Large"),
    (b"POST " + LOGIN + b" HTTP/1.1\r\nHost: x\r\n" + JSON + b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
     415, "Unsupported_Media_Type"),
    (b"POST " + LOGIN + b" HTTP/1.1\r\nHost: x\r\n" + JSON
     + b"Content-Encoding: gzip\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
     415, "Unsupported_Media_Type"),
    (b"POST " + LOGIN + b" HTTP/1.1\r\nHost: x\r\n" + JSON + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
     400, "Invalid"),
    (b"POST " + LOGIN + b" HTTP/1.1\r\nHost: x\r\n" + JSON + b"Content-Length: abc\r\n\r\n{}", 400, "Invalid"),
    (b"POST " + LOGIN + b" HTTP/1.1\r\nHost: x\r\nA header without a colon\r\n\r\n", 400, "Invalid"),
    (b"GET /ibanera/x HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", 400, "Invalid"),
    (b"get /ibanera/api/v1/customer/managees/list HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Invalid"),
    (b"GET /ibanera/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Invalid"),
], ids=["body-over-the-server-limit", "transfer-encoding-gzip", "content-encoding-gzip", "bad-chunk-size",
        "bad-content-length", "header-without-colon", "nul-in-header", "lower-case-method", "non-utf8-target"])
def test_malformed_http_is_a_4xx_in_the_envelope(server, raw, status, code):
    answered, content_type, body = exchange(server, raw)
    assert (answered, content_type) == (status, "application/json")
    assert body == {"id": 0, "details": None, "status": "0", "errors": [{"fieldName": "", "messageCode": code}]}


def test_an_unreadable_request_line_gets_the_sandboxs_own_body(server):
    answered, content_type, body = exchange(server, b"\x16\x03\x01 not http at all\r\n\r\n")
    assert (answered, content_type) == (400, "application/json") and body["error"]["status"] == 400


def test_headers_over_the_servers_limit_get_an_answer_the_client_can_read(server):
    """256 KiB of headers: the server refuses them while the client is still
    sending; the server keeps reading (and discarding) until the client is
    done, so its answer is not lost to a connection reset."""
    raw = b"GET /ibanera/api/v1/customer/managees/list HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-Padding-%d: %s\r\n" % (i, b"a" * 1000) for i in range(300)) + b"\r\n"
    assert len(raw) > 256 * 1024
    answered, content_type, body = exchange(server, raw)
    assert (answered, content_type) == (431, "application/json")
    assert body == {"id": 0, "details": None, "status": "0", "errors": [{"fieldName": "", "messageCode": "Invalid"}]}
