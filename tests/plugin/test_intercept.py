"""intercept(): calls to a provider's real host, made with requests or httpx
(sync and async), are answered by the in-process sandbox and never leave the
machine; every other URL passes through untouched.

"Never leave the machine" is observed with Python's audit hooks (PEP 578):
every DNS lookup (socket.getaddrinfo) and every connect (socket.connect) the
process makes is recorded, with nothing patched."""

from __future__ import annotations

import asyncio
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import requests

from sandbox.testing import InProcessSandbox

WEAVR = "https://sandbox.weavr.io"
P100 = "https://partner-api-stage.p100.io"


class NetworkLog:
    """What the process asked of the network while `recording`."""

    def __init__(self):
        self.recording = False
        self.lookups: list[str] = []
        self.connects: list[str] = []
        sys.addaudithook(self._hook)  # (audit hooks cannot be removed: gated by `recording`)

    def _hook(self, event, args):
        if not self.recording:
            return
        if event == "socket.getaddrinfo":
            self.lookups.append(str(args[0]))
        elif event == "socket.connect":
            address = args[1]
            self.connects.append(str(address[0]) if isinstance(address, tuple) else str(address))

    def __enter__(self):
        self.lookups.clear()
        self.connects.clear()
        self.recording = True
        return self

    def __exit__(self, *exc):
        self.recording = False


@pytest.fixture(scope="module")
def network():
    return NetworkLog()


@pytest.fixture(scope="module")
def running():
    running = InProcessSandbox()
    yield running
    running.close()


@pytest.fixture
def inproc(running):
    running.reset()
    return running


@pytest.fixture(scope="module")
def local_server():
    """A plain HTTP server on 127.0.0.1 that is not the sandbox: the passthrough target."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b"not the sandbox"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def consumer_body(profile_id: str, email: str) -> dict:
    return {"profileId": profile_id, "ipAddress": "127.0.0.1", "rootUser": {
        "name": "Ada", "surname": "Lovelace", "email": email, "mobile": {"countryCode": "+44", "number": "7700900123"},
        "dateOfBirth": {"year": 1990, "month": 12, "day": 10},
        "address": {"addressLine1": "1 Main Street", "city": "London", "postCode": "N1 9GU", "country": "GB"}}}


def weavr_key(sandbox) -> dict:
    return sandbox.credentials["weavr"][0]


def visible_in_sandbox(sandbox, consumer_id: str) -> bool:
    """Through the sandbox's own URL: setting the consumer's password works only if it is there."""
    with sandbox.weavr.client() as weavr:
        response = weavr.post(f"/multi/passwords/{consumer_id}/create", json={"password": {"value": "Passw0rd!"}})
    return response.status_code == 200


def test_requests_at_weavrs_real_url_reach_the_sandbox_and_not_the_network(inproc, network):
    key = weavr_key(inproc)
    with inproc.intercept(), network:
        response = requests.post(f"{WEAVR}/multi/consumers", headers={"api-key": key["api_key"]},
                                 json=consumer_body(key["consumer_profile_id"], "ada@example.com"))
    assert response.status_code == 200, response.text
    assert response.headers["request-ref"]  # Weavr's header, from the sandbox
    assert network.lookups == [] and network.connects == []
    assert visible_in_sandbox(inproc, response.json()["id"]["id"])


def test_httpx_sync_and_async_reach_the_sandbox_and_not_the_network(inproc, network):
    key = weavr_key(inproc)

    async def create_async():
        async with httpx.AsyncClient(base_url=f"{WEAVR}/multi", headers={"api-key": key["api_key"]}) as client:
            return await client.post("/consumers", json=consumer_body(key["consumer_profile_id"], "b@example.com"))

    with inproc.intercept(), network:
        sync = httpx.post(f"{WEAVR}/multi/consumers", headers={"api-key": key["api_key"]},
                          json=consumer_body(key["consumer_profile_id"], "a@example.com"))
        asynchronous = asyncio.run(create_async())
    assert (sync.status_code, asynchronous.status_code) == (200, 200), (sync.text, asynchronous.text)
    assert network.lookups == [] and network.connects == []
    assert visible_in_sandbox(inproc, sync.json()["id"]["id"])
    assert visible_in_sandbox(inproc, asynchronous.json()["id"]["id"])


def test_paths_map_onto_the_providers_prefix_with_the_query(inproc):
    with inproc.intercept():
        missing = requests.get(f"{P100}/v1/user/balances/nobody?x=1", headers={"x-api-key": "p100-sandbox-api-key"})
        simulator = httpx.post(f"{WEAVR}/simulate/api/consumers/1/verify", headers={"programme-key": "nope"})
    assert missing.json()["errorCode"] == "P412"  # P100's own answer, from /p100/v1/user/balances/<id>
    assert simulator.status_code in (401, 403)  # /weavr/simulate/api/... exists and guards its key


def test_another_host_passes_through_untouched(inproc, local_server, network):
    url, hits = local_server
    with inproc.intercept(), network:
        by_requests = requests.get(f"{url}/by-requests")
        by_httpx = httpx.get(f"{url}/by-httpx")
    assert (by_requests.text, by_httpx.text) == ("not the sandbox", "not the sandbox")
    assert hits[-2:] == ["/by-requests", "/by-httpx"]
    assert network.connects == ["127.0.0.1", "127.0.0.1"]  # the audit does see real connects


def test_a_host_of_your_own(inproc):
    prozora = inproc.credentials["prozora"][0]
    with inproc.intercept(hosts={"api.mybank.integrate.example": "prozora"}):
        response = requests.get(f"https://api.mybank.integrate.example/api/v1/counterparty/{prozora['counterparty']}"
                                "/customers", headers={"Authorization": f"bearer {prozora['employee_token']}"})
    assert response.json() == {"customers": [], "total": 0}


def test_a_host_for_an_unknown_provider_is_refused(inproc):
    with pytest.raises(ValueError, match="stripe"), inproc.intercept(hosts={"api.stripe.com": "stripe"}):
        pass
