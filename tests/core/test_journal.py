"""What the sandbox received, for every provider: each request in the
journal with its tenant, status, answer and, for a refusal, the code, field
and rule behind it; searched and counted exactly; a tenant sees only its
own; and no password, TOTP code, token or secret in any entry."""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request

from sandbox.core.api import AFTER_ANSWER
from sandbox.core.clock import iso
from sandbox.testing.running import InProcessSandbox
from tests.toy.provider import KEY, KEY_2
from tests.toy.provider import provider as toy

#: values no journal entry may show in full: the default scenario's secrets and what the calls send
SECRETS = ("sandbox-password", "Passw0rd!", "3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4", "p100-sandbox-api-key",
           "weavr-sandbox-api-key", "prozora-sandbox-token", "toy-key", "\"123456\"")  # the code as a value


def journal(client, **query) -> dict:
    answer = client.get("/_sandbox/journal", query_string=query)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def greet(client, key=KEY, environ_overrides=None, **body):
    return client.post("/toy/v1/greetings", json={"language": "en", **body}, headers={"x-toy-key": key},
                       environ_overrides=environ_overrides)


def test_a_refusal_names_its_code_field_and_rule_and_a_credential_shows_its_prefix(client):
    greet(client, name="")
    [entry] = journal(client, provider="toy")["requests"]
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/toy/v1/greetings", 400)
    assert entry["problems"] == [{"code": "bad_field", "field": "name", "rule": "may not be blank"}]
    assert entry["tenant"] == "toy-…" and entry["headers"]["X-Toy-Key"] == "toy-…"
    assert entry["body"] == {"language": "en", "name": ""} and entry["answer"]["problem"]["code"] == "bad_field"
    assert entry["tookMs"] > 0 and entry["at"].endswith("Z")


def test_search_filters_and_pages_newest_first(client):
    for name in ("Ann", "Ben", "Ann"):
        greet(client, name=name)
    client.get("/toy/v1/greetings/1", headers={"x-toy-key": KEY})
    assert [e["status"] for e in journal(client, provider="toy")["requests"]] == [200, 409, 201, 201]
    assert journal(client, method="POST", status=409)["total"] == 1
    assert journal(client, code="name_taken")["requests"][0]["body"]["name"] == "Ann"
    assert journal(client, path="/toy/v1/greetings/*")["total"] == 1
    page = journal(client, provider="toy", offset=1, limit=2)
    assert page["total"] == 4 and [e["status"] for e in page["requests"]] == [409, 201]
    assert journal(client, tenant=KEY)["total"] == 4 and journal(client, tenant=KEY_2)["total"] == 0
    counted = client.post("/_sandbox/journal/count", json={"provider": "toy", "status": 201}).get_json()
    assert counted == {"count": 2}
    assert client.delete("/_sandbox/journal").get_json()["cleared"] >= 4 and journal(client)["total"] == 0


def test_count_is_exact_under_eight_threads(app, client):
    def send():
        own = app.test_client()
        for _ in range(25):
            own.get("/toy/v1/greetings/1", headers={"x-toy-key": KEY})

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert client.post("/_sandbox/journal/count", json={"path": "/toy/v1/greetings/1"}).get_json() == {"count": 200}


def test_a_tenant_sees_only_its_own_requests(client):
    greet(client, KEY, name="Mine")
    greet(client, KEY_2, name="Theirs")
    own = client.get("/_sandbox/toy/journal", headers={"x-toy-key": KEY}).get_json()
    assert [e["body"]["name"] for e in own["requests"]] == ["Mine"] and own["total"] == 1
    assert client.post("/_sandbox/toy/journal/count", json={}, headers={"x-toy-key": KEY_2}).get_json() == {
        "count": 1}
    assert client.delete("/_sandbox/toy/journal", headers={"x-toy-key": KEY}).get_json() == {"cleared": 1}
    assert journal(client, tenant=KEY_2)["total"] == 1  # the other tenant's stays


def test_the_global_journal_is_an_admin_control(client):
    from sandbox.app import create_app
    from sandbox.config import Config
    from tests.conftest import PROVIDERS

    guarded = create_app(Config(admin_token="let-me-in"), PROVIDERS).test_client()
    for method, path in (("GET", "/_sandbox/journal"), ("POST", "/_sandbox/journal/count"),
                         ("DELETE", "/_sandbox/journal")):
        assert guarded.open(path, method=method, json={}).status_code == 401
        assert guarded.open(path, method=method, json={},
                            headers={"Authorization": "Bearer let-me-in"}).status_code == 200


def handed_out(value, found: set) -> set:
    """Every token a provider's answer hands out (under a key ending in token)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if str(key).lower().endswith("token") and isinstance(item, str) and len(item) > 8:
                found.add(item)
            handed_out(item, found)
    elif isinstance(value, list):
        for item in value:
            handed_out(item, found)
    return found


def test_no_secret_in_any_entry_across_every_providers_calls(client, harness, sandbox):
    client.delete("/_sandbox/journal")
    tokens: set = set()
    for call in harness.every_call(client).values():
        answer = call.send(client)
        handed_out(answer.get_json(silent=True), tokens)
    listed = journal(client, limit=1000)
    assert listed["total"] > 0
    shown = json.dumps(listed["requests"])
    leaked = [secret for secret in (*SECRETS, *tokens) if secret in shown]
    assert not leaked, f"{harness.provider.name}: the journal shows {leaked}"


class ReadOnlyInput:
    """A WSGI input with read() and nothing more, as PEP 3333 asks (cheroot's has no readinto)."""

    def __init__(self, data: bytes):
        self._data = data

    def read(self, size: int = -1) -> bytes:
        size = len(self._data) if size is None or size < 0 else size
        taken, self._data = self._data[:size], self._data[size:]
        return taken

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def test_a_body_from_an_input_without_readinto_is_read_and_journalled(app, client):
    body = json.dumps({"name": "Ann", "language": "en"}).encode()
    answer = client.post("/toy/v1/greetings", headers={"x-toy-key": KEY, "Content-Type": "application/json"},
                         environ_overrides={"wsgi.input": ReadOnlyInput(body), "CONTENT_LENGTH": str(len(body))})
    assert answer.status_code == 201, answer.get_json()
    [entry] = journal(client, provider="toy")["requests"]
    assert entry["body"] == {"name": "Ann", "language": "en"} and entry["status"] == 201


def test_a_call_answered_but_not_yet_journalled_is_found_by_the_next_read(client, sandbox):
    """Our server writes an answer before it journals the call (core.api.AFTER_ANSWER); a read that
    comes first, as a test's thread reading the journal at once, still finds the call, as of when it was answered."""
    later: list = []
    before = sandbox.clock.now()
    greet(client, name="Ann", environ_overrides={AFTER_ANSWER: later})
    answered = sandbox.clock.now()
    assert later, "the journal entry was made before the answer went out"
    sandbox.clock.advance(3600)
    [entry] = journal(client, provider="toy")["requests"]
    assert (entry["path"], entry["body"]["name"]) == ("/toy/v1/greetings", "Ann")
    assert iso(before) <= entry["at"] <= iso(answered)
    for job in later:  # what the server does once the answer is out: nothing twice
        job()
    assert journal(client, provider="toy")["total"] == 1


def test_the_answer_goes_out_before_a_slow_log_handler_hears_of_it():
    """A handler someone attached to `sandbox.requests` that takes its time holds up no answer."""
    release, heard = threading.Event(), []

    class Slow(logging.Handler):
        def emit(self, record):
            heard.append(record.getMessage())
            release.wait(10)

    logger, handler = logging.getLogger("sandbox.requests"), Slow()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    served = InProcessSandbox(extra_providers=(toy,))
    try:
        request = urllib.request.Request(f"{served.url}/toy/v1/greetings", method="POST",
                                         data=json.dumps({"language": "en", "name": "Ann"}).encode(),
                                         headers={"x-toy-key": KEY, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=3) as answer:  # the handler holds the loop for 10 s
            assert answer.status == 201
        assert served.journal.count(path="/toy/v1/greetings") == 1  # while the handler still holds
        release.set()
        deadline = time.monotonic() + 5
        while not heard and time.monotonic() < deadline:
            time.sleep(0.01)
        assert heard and heard[0].startswith("POST /toy/v1/greetings 201 ")
    finally:
        release.set()
        logger.removeHandler(handler)
        logger.setLevel(level)
        served.close()
