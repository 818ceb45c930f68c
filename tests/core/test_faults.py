"""Faults on purpose, for every provider: an error in the provider's own
envelope, a 503, a delay, a dropped connection; for the next N calls or with
a probability; a tenant's faults never touch another tenant's calls; a
reset removes them."""

from __future__ import annotations

import http.client
import json
import re
import time

import pytest

from tests.toy.provider import KEY, KEY_2

TOY = {"x-toy-key": KEY}


def first_provider_call(harness, client):
    """A valid call of the provider's own API (not a control) that a tenant makes (with credentials:
    a tenant's faults touch its own calls; a public call such as a login is nobody's)."""
    return next(call for call in harness.calls(client).values()
                if not call.path.startswith("/_sandbox/") and call.headers and call.refused is None)


def inject(client, harness, call, **fault):
    provider = harness.provider.name
    controls = harness.provider.api.tenant_controls
    # the call's own scope (Prozora's counterparty is in its path)
    found = re.search(re.sub(r"<(?:\w+:)?\w+>", "[^/]+", controls.scope), call.path) if controls.scope else None
    scope = found.group(0) if found else ""
    headers = call.headers  # the call's own tenant (its credential also opens the provider's controls)
    answer = client.post(f"/_sandbox/{provider}{scope}/faults", json={"path": call.path.split("?")[0], **fault},
                         headers=headers)
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    return body["details"] if "details" in body and "errors" in body else body  # Ibanera's success envelope


def codes(harness, response) -> list[str]:
    return harness.provider.errors.catalogue.envelope.codes_in(response.get_json())


@pytest.mark.parametrize("status", [429, 500, 400])
def test_an_error_fault_answers_in_the_providers_envelope_for_the_next_call_only(client, harness, status):
    call = first_provider_call(harness, client)
    fault = inject(client, harness, call, kind="error", status=status, times=1)
    assert fault["remaining"] == 1
    faulted = call.send(client)
    assert faulted.status_code == status and codes(harness, faulted), faulted.get_data(as_text=True)
    assert call.succeeded(call.send(client))  # the next one is served as usual


def test_unavailable_is_a_503_in_the_providers_envelope(client, harness):
    call = first_provider_call(harness, client)
    inject(client, harness, call, kind="unavailable")
    for _ in range(2):
        answered = call.send(client)
        assert answered.status_code == 503 and codes(harness, answered)


def test_a_delay_answers_as_usual_later(client, harness):
    call = first_provider_call(harness, client)
    inject(client, harness, call, kind="delay", delayMs=150, times=1)
    started = time.perf_counter()
    assert call.succeeded(call.send(client))
    assert time.perf_counter() - started >= 0.15


def test_a_tenants_fault_never_touches_another_tenants_calls(client):
    client.post("/_sandbox/toy/faults", json={"path": "/toy/*", "kind": "error", "status": 429}, headers=TOY)
    assert client.get("/toy/v1/greetings/1", headers=TOY).status_code == 429
    other = client.post("/toy/v1/greetings", json={"name": "Bo", "language": "en"}, headers={"x-toy-key": KEY_2})
    assert other.status_code == 201
    assert client.get("/_sandbox/toy/faults", headers={"x-toy-key": KEY_2}).get_json() == {"faults": []}
    listed = client.get("/_sandbox/toy/faults", headers=TOY).get_json()["faults"]
    assert len(listed) == 1 and listed[0]["hits"] == 1
    # another tenant cannot remove it either
    assert client.delete(f"/_sandbox/toy/faults/{listed[0]['id']}", headers={"x-toy-key": KEY_2}).get_json() == {
        "removed": 0}
    assert client.delete(f"/_sandbox/toy/faults/{listed[0]['id']}", headers=TOY).get_json() == {"removed": 1}
    assert client.get("/toy/v1/greetings/1", headers=TOY).status_code == 200


def test_a_probability_answers_about_that_share_of_calls(client):
    client.post("/_sandbox/toy/faults", json={"path": "/toy/v1/greetings/*", "kind": "unavailable",
                                              "probability": 0.5}, headers=TOY)
    statuses = [client.get("/toy/v1/greetings/1", headers=TOY).status_code for _ in range(200)]
    assert 60 <= statuses.count(503) <= 140 and statuses.count(503) + statuses.count(200) == 200


def test_the_global_form_touches_every_tenant_and_a_reset_removes_every_fault(client):
    assert client.post("/_sandbox/faults", json={"provider": "toy", "path": "/toy/*", "kind": "unavailable"}
                       ).status_code == 201
    assert client.get("/toy/v1/greetings/1", headers=TOY).status_code == 503
    assert client.get("/toy/v1/greetings/1", headers={"x-toy-key": KEY_2}).status_code == 503
    assert client.post("/_sandbox/reset").status_code == 200
    assert client.get("/_sandbox/faults").get_json() == {"faults": []}
    assert client.get("/toy/v1/greetings/1", headers=TOY).status_code == 200


@pytest.mark.parametrize("fault", [
    {"kind": "error"}, {"kind": "error", "status": 200}, {"kind": "delay"}, {"kind": "delay", "delayMs": -1},
    {"kind": "delay", "delayMs": [5, 1]}, {"kind": "drop", "status": 500}, {"kind": "boom"},
    {"kind": "drop", "probability": 2}, {"kind": "drop", "times": 0},
])
def test_a_fault_that_cannot_be_is_refused_in_the_providers_envelope(client, fault):
    refused = client.post("/_sandbox/toy/faults", json={"path": "/toy/*", **fault}, headers=TOY)
    assert refused.status_code == 400 and refused.get_json()["problem"]["code"] == "bad_field", refused.get_json()
    assert client.get("/_sandbox/toy/faults", headers=TOY).get_json() == {"faults": []}


def test_a_dropped_connection_is_closed_with_no_answer_over_a_real_socket():
    from sandbox.testing import InProcessSandbox
    from tests.toy.provider import provider as toy

    sandbox = InProcessSandbox(extra_providers=(toy,))
    try:
        with sandbox.faults.inject("toy", path="/toy/v1/greetings/*", kind="drop", times=1):
            port = int(sandbox.url.rsplit(":", 1)[1])
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/toy/v1/greetings/1", headers=TOY)
            with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
                connection.getresponse()
            connection.close()
            again = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            again.request("GET", "/toy/v1/greetings/1", headers=TOY)
            assert again.getresponse().status == 200  # only the next call was dropped
    finally:
        sandbox.close()


def test_the_global_form_answers_even_a_call_without_credentials(client):
    client.post("/_sandbox/faults", json={"provider": "toy", "path": "/toy/*", "kind": "unavailable", "times": 1})
    assert client.get("/toy/v1/greetings/1").status_code == 503  # not the 401 it would be
    assert client.get("/toy/v1/greetings/1").status_code == 401


#: each provider's shape of an injected 429 and 503 (its own envelope and code)
SHAPES = {
    "ibanera": {429: "Too_Many_Requests", 503: "Service_Unavailable"},
    "prozora": {429: "too many requests", 503: "service unavailable"},
}


def harness_of(name: str):
    from tests.conftest import HARNESSES

    return next(h for h in HARNESSES if h.provider.name == name)


@pytest.mark.parametrize("provider", sorted(SHAPES))
def test_a_rate_limit_and_an_outage_come_in_the_providers_own_shape(client, provider):
    harness = harness_of(provider)
    call = first_provider_call(harness, client)
    inject(client, harness, call, kind="error", status=429, times=1)
    inject(client, harness, call, kind="unavailable", times=1)
    limited, down = call.send(client), call.send(client)
    assert (limited.status_code, codes(harness, limited)) == (429, [SHAPES[provider][429]])
    assert (down.status_code, codes(harness, down)) == (503, [SHAPES[provider][503]])
    assert limited.headers["X-Sandbox-Fault"] and down.headers["X-Sandbox-Fault"]


@pytest.mark.parametrize("provider", ["ibanera", "p100", "weavr", "prozora"])
def test_each_providers_call_can_be_dropped_over_a_real_socket(provider):
    """The drop of a tenant's own call, on the wire: the connection closes with no answer."""
    from flask.testing import FlaskClient

    from sandbox.testing import InProcessSandbox

    sandbox = InProcessSandbox()
    try:
        client = FlaskClient(sandbox.app)
        harness = harness_of(provider)
        call = first_provider_call(harness, client)
        inject(client, harness, call, kind="drop", times=1)
        connection = http.client.HTTPConnection("127.0.0.1", int(sandbox.url.rsplit(":", 1)[1]), timeout=5)
        connection.request(call.method.upper(), call.path, body=json.dumps(call.body or {}),
                           headers={"Content-Type": "application/json", **call.headers})
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            connection.getresponse()
        connection.close()
    finally:
        sandbox.close()
