"""Reset, and errors under /ibanera, as an Ibanera partner sees them."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.ibanera.client import IbaneraClient


def test_reset_returns_to_the_scenario(client, ibanera, sandbox):
    first = ibanera.new_managee(emailAddress="before@example.com")
    ibanera.accepted_managee(emailAddress="accepted@example.com")
    for _ in range(5):  # lock manager 2
        client.post("/ibanera/api/v1/public/auth/login",
                    json={"username": "manager2@example.com", "password": "x", "otp": "123456"})
    sandbox.clock.advance(120)

    response = client.post("/_sandbox/reset")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "reset" and body["scenario"] == "default" and body["tookMs"] >= 0

    assert ibanera.list_managees().get_json()["details"] == []
    assert ibanera.list_accounts().get_json()["details"] == []
    IbaneraClient(client, "manager2@example.com").login()  # the lock is gone
    # ids start over, so a test suite sees the same ids on every run
    assert ibanera.new_managee(emailAddress="before@example.com") == first
    assert abs((sandbox.clock.now() - datetime.now(UTC)).total_seconds()) < 5  # the clock is back too


def test_unknown_paths_under_a_provider_use_its_envelope(client):
    for path in ("/ibanera", "/ibanera/", "/ibanera/api/v9/customer/managees/create"):
        response = client.post(path, json={})
        assert response.status_code == 404, path
        assert response.get_json() == {"id": 0, "details": None, "status": "0",
                                       "errors": [{"fieldName": "", "messageCode": "Not_Found"}]}
