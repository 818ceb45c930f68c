"""`serve` prints one line per request: method, path, status, time, tenant,
and for a refusal each code with its field and the rule behind it; as text
or one JSON object a line; never a password, code, token or key."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time

import pytest

from tests.server import ROOT, Server

LOGIN = "/ibanera/api/v1/public/auth/login"
SECRETS = ("sandbox-password", "p100-sandbox-api-key", "weavr-sandbox-api-key", '"123456"', "Passw0rd!")


def logged(server: Server, count: int, timeout: float = 5.0) -> list[str]:
    """The lines after the banner, once `count` of them have come."""
    deadline = time.monotonic() + timeout
    while True:
        start = next(i for i, line in enumerate(server.banner) if line.startswith("SANDBOX_URL=")) + 1
        lines = server.banner[start:]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.02)


def calls(server: Server) -> None:
    server.request("POST", LOGIN, {"username": "", "password": "sandbox-password", "otp": "123456"})
    server.request("POST", LOGIN, {"username": "manager@example.com", "password": "sandbox-password",
                                   "otp": "123456"})
    server.request("GET", "/p100/v1/user/balances/nobody", headers={"x-api-key": "p100-sandbox-api-key"})
    server.request("POST", "/weavr/multi/login_with_password", {"email": "a@b.example",
                                                                  "password": {"value": "Passw0rd!"}},
                   headers={"api-key": "weavr-sandbox-api-key"})


def test_a_refused_call_prints_one_line_naming_the_field_and_the_rule():
    with Server() as server:
        calls(server)
        lines = logged(server, 4)
    assert len(lines) == 4, lines
    refused, ok, unknown_user, _ = lines
    assert refused.startswith(f"POST {LOGIN} 400 ") and "| Required Username: is required" in refused
    assert ok.startswith(f"POST {LOGIN} 200 ")
    assert unknown_user.startswith("GET /p100/v1/user/balances/nobody 400") and "tenant=p100…" in unknown_user
    assert "P412" in unknown_user
    leaked = [secret for secret in SECRETS if any(secret in line for line in lines)]
    assert not leaked, leaked


def test_json_lines_parse_and_hide_the_same_secrets():
    with Server("--log-format", "json") as server:
        calls(server)
        lines = logged(server, 4)
    parsed = [json.loads(line) for line in lines]
    assert [(p["method"], p["status"]) for p in parsed][:2] == [("POST", 400), ("POST", 200)]
    assert parsed[0]["problems"] == [{"code": "Required", "field": "Username", "rule": "is required"}]
    assert parsed[2]["tenant"] == "p100…" and parsed[2]["provider"] == "p100"
    assert not [secret for secret in SECRETS if any(secret in line for line in lines)]


@pytest.mark.parametrize("flag", ["--quiet"])
def test_quiet_prints_no_line_per_request(flag):
    with Server(flag) as server:
        calls(server)
        time.sleep(0.3)
        assert logged(server, 1, timeout=0.2) == []


def test_lines_nobody_reads_any_more_do_not_break_the_answers(tmp_path):
    """`serve | head -3`: once the reader is gone, writing a line fails (a closed pipe); every request
    is still answered as ever, well past the 64 KiB the lines' buffer holds."""
    ready = tmp_path / "url"
    server = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--port", "0", "--ready-file", str(ready)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not (ready.exists() and ready.read_text().strip()):
            assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
            time.sleep(0.05)
        server.stdout.close()  # the reader goes away
        host, port = ready.read_text().strip().removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        statuses = set()
        for _ in range(1500):  # ~70 bytes of line each: past the buffer, so its writes meet the closed pipe
            connection.request("GET", "/ibanera/api/v1/customer/managees/list")
            answer = connection.getresponse()
            answer.read()
            statuses.add(answer.status)
        connection.close()
        assert statuses == {401} and server.poll() is None
    finally:
        server.terminate()
        server.wait(10)
