"""Health, reset, and errors outside any provider."""

from __future__ import annotations

from sandbox.providers import PROVIDERS as SERVED


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["scenario"] == "default"
    assert {p.name for p in SERVED} <= set(body["providers"])


def test_reset_only_by_post(client):
    response = client.get("/_sandbox/reset")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_unknown_paths_outside_providers_are_json(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
