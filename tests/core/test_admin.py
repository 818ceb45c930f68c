"""Health, reset, and errors outside any provider."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.ibanera.client import IbaneraClient


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["scenario"] == "default" and "ibanera" in body["providers"]


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


def test_reset_only_by_post(client):
    response = client.get("/_sandbox/reset")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_unknown_paths_outside_providers_are_json(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_unknown_paths_under_a_provider_use_its_envelope(client):
    for path in ("/ibanera", "/ibanera/", "/ibanera/api/v9/customer/managees/create"):
        response = client.post(path, json={})
        assert response.status_code == 404, path
        assert response.get_json() == {"id": 0, "details": None, "status": "0",
                                       "errors": [{"fieldName": "", "messageCode": "Not_Found"}]}
