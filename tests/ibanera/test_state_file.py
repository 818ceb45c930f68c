"""--state-file against the real server: a reset is final, even if the
process is killed right after it."""

from __future__ import annotations

from tests.ibanera.payloads import managee
from tests.server import Server

LOGIN = "/ibanera/api/v1/public/auth/login"
CREATE = "/ibanera/api/v4/customer/managees/create"
LIST = "/ibanera/api/v1/customer/managees/list?PageSize=100"


def auth_headers(server: Server) -> dict:
    status, body = server.request("POST", LOGIN, {"username": "manager@example.com", "password": "sandbox-password",
                                                  "otp": "123456"})
    assert status == 200, body
    return {"Authorization": f"Bearer {body['details']['accessToken']}", "otp": "123456"}


def test_a_reset_then_a_crash_does_not_bring_back_the_records_from_before(tmp_path):
    state = str(tmp_path / "state.json")
    with Server("--state-file", state) as server:
        headers = auth_headers(server)
        status, body = server.request("POST", CREATE, managee(), headers)
        assert status == 200, body
        assert len(server.request("GET", LIST, headers=headers)[1]["details"]) == 1
        assert server.request("POST", "/_sandbox/reset")[0] == 200
        server.process.kill()  # SIGKILL: no shutdown, no compaction
        server.process.wait(10)
    with Server("--state-file", state) as server:
        status, body = server.request("GET", LIST, headers=auth_headers(server))
        assert (status, body["details"]) == (200, [])
