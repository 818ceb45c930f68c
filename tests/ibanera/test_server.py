"""The real server: `fintech-sandbox serve` on 127.0.0.1, over real sockets."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from tests.ibanera.payloads import managee
from tests.server import ROOT, Server

LOGIN = "/ibanera/api/v1/public/auth/login"
CREATE = "/ibanera/api/v4/customer/managees/create"
LIST = "/ibanera/api/v1/customer/managees/list"


def auth_headers(server: Server, username: str = "manager@example.com") -> dict:
    status, body = server.request("POST", LOGIN, {"username": username, "password": "sandbox-password",
                                                  "otp": "123456"})
    assert status == 200, body
    return {"Authorization": f"Bearer {body['details']['accessToken']}", "otp": "123456"}


def test_serve_prints_urls_and_credentials_and_stops_cleanly():
    with Server("--seed", "3") as server:
        banner = "\n".join(server.banner)
        assert f"{server.url}/ibanera" in banner and f"{server.url}/ibanera/openapi.json" in banner
        assert "scenario: default, seed: 3" in banner
        credentials = "/ password sandbox-password / TOTP secret"
        assert f"manager@example.com {credentials} 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4 (widget client)" in banner
        assert f"manager2@example.com {credentials} PTPWMOP5F66FT6PHAHIQNPOGG7JPCQ4X" in banner
        status, body = server.request("GET", "/healthz")
        assert status == 200 and body["status"] == "ok"
        assert server.stop() == 0


def test_concurrent_requests_keep_state_consistent():
    with Server() as server:
        headers = auth_headers(server)

        def create(i: int):
            return server.request("POST", CREATE, managee(emailAddress=f"c{i}@example.com"), headers)

        def create_same(_):
            return server.request("POST", CREATE, managee(emailAddress="race@example.com"), headers)

        with ThreadPoolExecutor(8) as pool:
            created = list(pool.map(create, range(40)))
            raced = list(pool.map(create_same, range(8)))
        assert all(status == 200 for status, _ in created)
        ids = [body["details"]["manageesId"] for _, body in created]
        assert len(set(ids)) == 40
        assert sorted(status for status, _ in raced) == [200] + [400] * 7
        assert all(body["errors"] == [{"fieldName": "EmailAddress", "messageCode": "Email_Already_Exists"}]
                   for status, body in raced if status == 400)
        _status, body = server.request("GET", f"{LIST}?PageSize=100", headers=headers)
        assert len(body["details"]) == 41


def test_oversized_body_over_the_wire_gets_the_envelope():
    with Server("--max-body-bytes", "4096") as server:
        headers = auth_headers(server)
        status, body = server.request("POST", CREATE, raw=b'{"a": "' + b"x" * 10000 + b'"}', headers=headers)
        assert status == 413
        assert body == {"id": 0, "details": None, "status": "0",
                        "errors": [{"fieldName": "", "messageCode": "Request_Too_Large"}]}
        assert server.request("GET", LIST, headers=headers)[1]["details"] == []


def test_state_file_survives_a_restart_and_reset_returns_to_the_scenario(tmp_path):
    state = tmp_path / "state.json"
    with Server("--state-file", str(state)) as server:
        created = server.request("POST", CREATE, managee(), auth_headers(server))[1]["details"]["manageesId"]
        assert server.stop() == 0
    assert str(created) in json.loads(state.read_text())["ibanera.managees"]
    with Server("--state-file", str(state)) as server:
        headers = auth_headers(server)
        listed = server.request("GET", LIST, headers=headers)[1]["details"]
        assert [m["manageesId"] for m in listed] == [created]
        # the next id continues after the stored ones
        second = server.request("POST", CREATE, managee(emailAddress="two@example.com"), headers)[1]
        assert second["details"]["manageesId"] == created + 1
        assert server.request("POST", "/_sandbox/reset")[0] == 200
        assert server.request("GET", LIST, headers=headers)[1]["details"] == []


def test_state_file_survives_a_crash(tmp_path):
    """Each write reaches the journal at once: a kill -9 loses nothing."""
    state = tmp_path / "state.json"
    with Server("--state-file", str(state)) as server:
        headers = auth_headers(server)
        created = server.request("POST", CREATE, managee(), headers)[1]["details"]["manageesId"]
        server.request("POST", f"/_sandbox/ibanera/managees/{created}/verification", {"status": "Accepted"}, headers)
        server.process.kill()
        server.process.wait(10)
    # a write torn by the crash ends the journal; the sandbox starts anyway
    journal = tmp_path / "state.json.journal"
    journal.write_text(journal.read_text() + '["ibanera.managees", 99, {"trunc')
    with Server("--state-file", str(state)) as server:
        listed = server.request("GET", LIST, headers=auth_headers(server))[1]["details"]
        assert [(m["manageesId"], m["verificationStatus"]) for m in listed] == [(created, "Accepted")]


def test_serve_refuses_a_bad_scenario(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("ibanra: {}\n")
    result = subprocess.run([sys.executable, "-m", "sandbox", "serve", "--scenario", str(bad)], cwd=ROOT,
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode != 0 and "bad.yaml:1: ibanra: unknown section" in result.stderr


def test_env_vars_configure_serve(tmp_path):
    import os

    env = {**os.environ, "SANDBOX_STRICT_OTP": "1"}
    with Server(env=env) as server:
        status, body = server.request("POST", LOGIN, {"username": "manager@example.com",
                                                      "password": "sandbox-password", "otp": "123456"})
        # 123456 is refused in strict mode (unless it is the real TOTP right now: one in a million)
        assert status == 400 and body["errors"] == [{"fieldName": "Otp", "messageCode": "Invalid"}]


def test_below_flask_a_double_slash_and_options_answer_in_the_envelope():
    """Over a real socket: what Werkzeug would answer with a 308 HTML redirect
    or a 200 text/html, the sandbox answers in Ibanera's envelope."""
    import http.client

    with Server() as server:
        host, port = server.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("POST", "//ibanera//api/v1/public/auth/login", body=b"{}",
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 404 and response.getheader("Content-Type") == "application/json"
        assert json.loads(response.read()) == {"id": 0, "details": None, "status": "0",
                                               "errors": [{"fieldName": "", "messageCode": "Not_Found"}]}
        connection.request("OPTIONS", LIST)
        response = connection.getresponse()
        assert response.status == 204 and response.read() == b"" and "GET" in response.getheader("Allow")
