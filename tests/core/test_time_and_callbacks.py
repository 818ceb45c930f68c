"""Time passes and providers call back, as core gives it to every provider,
driven over HTTP on the toy provider (one endpoint that emits GREETED and,
once its approval is decided, APPROVAL_DECIDED): the sandbox clock, outcomes
a tenant chooses, signed webhooks delivered off the request path, retried
on the provider's schedule in sandbox time, in order, per tenant."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from sandbox.testing.receiver import Receiver
from tests.toy.provider import KEY, KEY_2, ToyKit

SECRET = "whsec-toy"
#: how long a test waits for a delivery (the worker is a background thread; CI machines are busy)
WAIT = 10
_names = itertools.count(1)


def control(client, method, path, key=KEY, **kwargs):
    return client.open(f"/_sandbox/toy{path}", method=method, headers={"x-toy-key": key}, **kwargs)


def hooks(client, receiver, key=KEY, secret=SECRET):
    answer = control(client, "PUT", "/webhooks", key, json={"url": receiver.url_for("toy"), "secret": secret})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def greet(client, key=KEY, name=None) -> dict:
    answer = client.post("/toy/v1/greetings", json={"name": name or f"Guest{next(_names)}", "language": "en"},
                         headers={"x-toy-key": key})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["greeting"]


def approval(client, greeting_id, key=KEY) -> str:
    return client.get(f"/toy/v1/greetings/{greeting_id}", headers={"x-toy-key": key}).get_json()["greeting"][
        "approval"]


def advance(client, duration: str) -> dict:
    moved = client.post("/_sandbox/clock", json={"advance": duration})
    assert moved.status_code == 200, moved.get_json()
    return moved.get_json()


def deliveries(client, key=KEY, **query) -> list[dict]:
    return control(client, "GET", "/webhooks/deliveries", key, query_string=query).get_json()["deliveries"]


def verified(delivery) -> bool:
    return ToyKit.verify_webhook(ToyKit.__new__(ToyKit), delivery.headers, delivery.body, SECRET)


def settle(client, state="delivered", count=1, key=KEY, timeout=3.0, attempts=1) -> list[dict]:
    """The outbox once `count` messages reached `state` with at least `attempts`
    attempts each (the worker records attempts in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in deliveries(client, key, state=state, limit=1000) if len(m["attempts"]) >= attempts]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.01)


# -- the clock ----------------------------------------------------------------------------------
def test_the_clock_shows_moves_freezes_and_refuses_what_is_not_a_move(client):
    shown = client.get("/_sandbox/clock").get_json()
    assert set(shown) == {"now", "frozen"} and shown["frozen"] is False
    assert client.post("/_sandbox/clock", json={"set": "2027-01-01T00:00:00Z", "freeze": True}).get_json()[
        "now"] == "2027-01-01T00:00:00.000Z"
    time.sleep(0.02)
    assert client.get("/_sandbox/clock").get_json() == {"now": "2027-01-01T00:00:00.000Z", "frozen": True}
    assert advance(client, "PT10M")["now"] == "2027-01-01T00:10:00.000Z"
    for body, field in (({"advance": "P1M"}, "advance"), ({"advance": "soon"}, "advance"),
                        ({"advance": "-PT1M"}, "advance"), ({"set": "2027-01-01T00:00:00"}, "set"),
                        ({"freeze": "yes"}, "freeze"), ({}, None), ({"later": "PT1M"}, "later")):
        refused = client.post("/_sandbox/clock", json=body)
        assert refused.status_code == 400, body
        assert refused.get_json()["error"]["code"] == "invalid_clock" and refused.get_json()["error"].get(
            "field") == field, body
    assert client.get("/_sandbox/clock").get_json()["now"] == "2027-01-01T00:10:00.000Z"  # nothing moved
    client.post("/_sandbox/reset")
    assert client.get("/_sandbox/clock").get_json()["frozen"] is False


# -- outcomes -----------------------------------------------------------------------------------
def test_after_a_delay_the_outcome_is_decided_when_the_clock_passes_it(client, frozen, receiver):
    hooks(client, receiver)
    set_to = control(client, "PUT", "/outcomes", json={"approval": {"progression": "after", "delay": "PT10M",
                                                                     "outcome": "APPROVED"}})
    assert set_to.get_json()["approval"] == {"progression": "after", "delay": "PT600S", "outcome": "APPROVED",
                                             "reason": None}
    greeting = greet(client)
    assert greeting["approval"] == "PENDING"
    assert advance(client, "PT9M59S")["ran"] == 0 and approval(client, greeting["id"]) == "PENDING"
    assert advance(client, "PT1S")["ran"] == 1 and approval(client, greeting["id"]) == "APPROVED"
    decided = receiver.wait_for("/approvals", timeout=WAIT)
    assert decided.json == {"id": greeting["id"], "approval": "APPROVED", "reason": None} and verified(decided)
    assert not verified(type(decided)(**{**vars(decided), "body": decided.body.replace(b"APPROVED", b"REJECTED")}))


def test_immediate_is_decided_once_the_starting_request_has_its_answer(client):
    control(client, "PUT", "/outcomes", json={"approval": {"progression": "immediate", "outcome": "REJECTED"}})
    greeting = greet(client)
    assert greeting["approval"] == "PENDING"  # what the creating request answered ...
    assert approval(client, greeting["id"]) == "REJECTED"  # ... and decided before the next one
    assert deliveries(client)[0]["body"] == {"id": greeting["id"], "approval": "REJECTED",
                                                          "reason": "NOT_NICE"}


def test_manual_is_decided_by_no_amount_of_time(client, frozen):
    assert control(client, "GET", "/outcomes").get_json()["approval"]["progression"] == "manual"  # the default
    greeting = greet(client)
    advance(client, "P30D")
    assert approval(client, greeting["id"]) == "PENDING"


def test_a_magic_value_chooses_one_entitys_outcome_and_is_listed(client):
    control(client, "PUT", "/outcomes", json={"approval": {"progression": "immediate", "outcome": "APPROVED"}})
    assert approval(client, greet(client, name="Eve-rejected")["id"]) == "REJECTED"
    assert approval(client, greet(client, name="Bob")["id"]) == "APPROVED"
    assert {"provider": "toy", "field": "name", "value": "ends with -rejected",
            "effect": "the greeting's approval is REJECTED"} in client.get("/_sandbox/magic").get_json()["magic"]


@pytest.mark.parametrize("body", [
    {"approval": {"progression": "later"}}, {"approval": {"progression": "after"}},
    {"approval": {"progression": "after", "delay": "P1M"}}, {"approval": {"progression": "manual", "delay": "PT1M"}},
    {"approval": {"progression": "immediate", "outcome": "MAYBE"}}, {"approval": "immediate"}, {"kyc": {}},
])
def test_an_outcome_that_cannot_be_is_refused_in_the_providers_envelope_and_changes_nothing(client, body):
    before = control(client, "GET", "/outcomes").get_json()
    refused = control(client, "PUT", "/outcomes", json=body)
    assert refused.status_code == 400 and refused.get_json()["problem"]["code"] == "bad_field", refused.get_json()
    assert control(client, "GET", "/outcomes").get_json() == before


# -- delivery, retries, order ------------------------------------------------------------------
def test_a_failed_delivery_is_retried_on_the_providers_schedule_in_sandbox_time(client, frozen, receiver):
    hooks(client, receiver)
    receiver.fail_next(2, status=500)
    greeting = greet(client)
    first = receiver.wait_for("/", count=1, timeout=WAIT)
    assert first.status == 500 and first.json == {"id": greeting["id"], "name": greeting["name"],
                                                  "text": greeting["text"]}
    advance(client, "PT9S")
    time.sleep(0.2)
    assert len(receiver.of("/")) == 1  # not before the first retry's moment (10 s)
    advance(client, "PT1S")
    assert receiver.wait_for("/", count=2, timeout=WAIT).status == 500
    advance(client, "PT20S")
    assert receiver.wait_for("/", count=3, timeout=WAIT).status == 200
    [message] = settle(client, attempts=3)
    assert [a["status"] for a in message["attempts"]] == [500, 500, 200] and message["nextAttemptAt"] is None
    started = message["attempts"][0]["at"]
    assert [a["at"] for a in message["attempts"]][1:] != [started, started]  # sandbox times, 10 s and 20 s later
    assert all(verified(r) for r in receiver.of("/"))


def test_a_receiver_that_never_acknowledges_is_given_up_after_the_last_retry(client, frozen, receiver):
    hooks(client, receiver)
    receiver.fail_next(10, status=503)
    greet(client)
    for step, attempts in (("PT10S", 2), ("PT20S", 3), ("PT40S", 4)):
        receiver.wait_for("/", count=attempts - 1, timeout=WAIT)
        advance(client, step)
    receiver.wait_for("/", count=4, timeout=WAIT)
    [message] = settle(client, state="failed", attempts=4)
    assert [a["status"] for a in message["attempts"]] == [503] * 4
    advance(client, "P1D")
    time.sleep(0.2)
    assert len(receiver.of("/")) == 4  # given up: no fifth


def test_a_tenants_events_arrive_in_the_order_their_causes_happened(client, frozen, receiver):
    hooks(client, receiver)
    receiver.fail_next(1)
    greetings = [greet(client) for _ in range(3)]
    receiver.wait_for("/", count=1, timeout=WAIT)
    time.sleep(0.2)
    assert len(receiver.of("/")) == 1  # the next waits for the one before it
    advance(client, "PT10S")
    receiver.wait_for("/", count=4, timeout=WAIT)
    assert [r.json["id"] for r in receiver.of("/")] == [greetings[0]["id"]] + [g["id"] for g in greetings]


def test_a_settled_clock_move_answers_once_each_due_delivery_was_attempted(client, frozen, receiver):
    """A script that moves the clock and reads the outbox (or its receiver) next sees the attempts: with
    `settle`, the move answers once each delivery now due was attempted, however slow the receiver."""
    hooks(client, receiver)
    receiver.fail_next(1, status=500)
    greet(client)
    receiver.wait_for("/", count=1, timeout=WAIT)
    receiver.slow(0.5)
    moved = client.post("/_sandbox/clock", json={"advance": "PT10S", "settle": True})
    assert moved.status_code == 200 and moved.get_json()["settled"] is True
    [message] = deliveries(client)  # read at once: no polling
    assert (message["state"], [a["status"] for a in message["attempts"]]) == ("delivered", [500, 200])
    assert [r.status for r in receiver.of("/")] == [500, 200]


def test_settle_alone_waits_for_what_is_due_and_a_slow_receiver_is_said_unsettled(client, frozen, receiver):
    from sandbox.core.runtime import sandbox_of

    hooks(client, receiver)
    assert client.post("/_sandbox/clock", json={"settle": True}).get_json()["settled"] is True  # nothing due
    receiver.slow(0.6)
    greet(client)
    sandbox = sandbox_of(client.application)
    assert sandbox.webhooks.settle(0.1) is False  # the receiver is still answering
    assert sandbox.webhooks.settle(WAIT) is True
    assert [a["status"] for a in deliveries(client)[0]["attempts"]] == [200]


def test_a_delivery_is_sent_again_on_demand(client, receiver):
    hooks(client, receiver)
    greet(client)
    [message] = settle(client)
    again = control(client, "POST", f"/webhooks/deliveries/{message['id']}/redeliver")
    assert again.status_code == 202 and again.get_json()["id"] == message["id"]
    receiver.wait_for("/", count=2, timeout=WAIT)
    [message] = settle(client, attempts=2)
    assert [a["redelivery"] for a in message["attempts"]] == [False, True]
    assert control(client, "POST", "/webhooks/deliveries/00000000-0000-4000-8000-000000000000/redeliver",
                   ).status_code == 404


def test_with_no_endpoint_events_are_kept_as_no_endpoint_and_never_sent(client):
    greet(client)
    [message] = deliveries(client)
    assert message["state"] == "no-endpoint" and message["attempts"] == [] and message["url"] is None


def test_a_slow_receiver_never_holds_up_the_request_that_caused_the_event(client, receiver):
    hooks(client, receiver)
    receiver.slow(1.0)
    started = time.perf_counter()
    greet(client)
    assert time.perf_counter() - started < 0.5
    receiver.wait_for("/", timeout=WAIT)


def test_a_thousand_events_to_a_receiver_that_is_down_take_no_thread_each_and_resume_in_order(client, frozen):
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now: every delivery is refused
    control(client, "PUT", "/webhooks", json={"url": f"http://127.0.0.1:{port}/toy", "secret": SECRET})
    threads = threading.active_count()
    ids = [greet(client)["id"] for _ in range(500)]  # two events each: GREETED, then (manual) nothing else
    ids += [greet(client)["id"] for _ in range(500)]
    assert threading.active_count() <= threads + 1  # at most the one delivery worker, whatever the count
    pending = deliveries(client, state="pending", limit=1000)
    assert len(pending) == 1000 and sum(len(m["attempts"]) for m in pending) <= 2  # only the head is tried
    # the receiver comes back on that port; at the head's next retry everything flows, in order
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    got = []

    class Up(BaseHTTPRequestHandler):
        def do_POST(self):
            got.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    up = ThreadingHTTPServer(("127.0.0.1", port), Up)
    threading.Thread(target=up.serve_forever, daemon=True).start()
    try:
        advance(client, "PT10S")
        settle(client, count=1000, timeout=30)
        import json

        assert [json.loads(b)["id"] for b in got] == ids
    finally:
        up.shutdown()
        up.server_close()


# -- tenants --------------------------------------------------------------------------------------
def test_tenants_never_see_each_others_outcomes_endpoints_outboxes_or_events(client, frozen, receiver):
    other = Receiver()
    try:
        hooks(client, receiver, KEY)
        hooks(client, other, KEY_2, secret="whsec-other")
        control(client, "PUT", "/outcomes", KEY_2, json={"approval": {"progression": "immediate",
                                                                      "outcome": "REJECTED"}})
        assert control(client, "GET", "/outcomes", KEY).get_json()["approval"]["progression"] == "manual"
        assert control(client, "GET", "/webhooks", KEY).get_json()["url"] == receiver.url_for("toy")
        mine, theirs = greet(client, KEY), greet(client, KEY_2)
        assert approval(client, mine["id"]) == "PENDING" and approval(client, theirs["id"], KEY_2) == "REJECTED"
        other.wait_for("/approvals", timeout=WAIT)
        receiver.wait_for("/", timeout=WAIT)
        time.sleep(0.2)
        assert {r.json["id"] for r in receiver.of()} == {mine["id"]}
        assert {r.json["id"] for r in other.of()} == {theirs["id"]}
        assert {m["body"]["id"] for m in deliveries(client, KEY)} == {mine["id"]}
        their_message = deliveries(client, KEY_2)[0]["id"]
        assert control(client, "POST", f"/webhooks/deliveries/{their_message}/redeliver", KEY).status_code == 404
        # one tenant's reset drops its own outbox and settings, not the other's
        control(client, "POST", "/reset", KEY)
        assert deliveries(client, KEY) == [] and deliveries(client, KEY_2)
        assert control(client, "GET", "/webhooks", KEY).get_json()["url"] is None
        assert control(client, "GET", "/outcomes", KEY_2).get_json()["approval"]["progression"] == "immediate"
    finally:
        other.close()


def test_a_reset_drops_queued_transitions_and_outboxes(client, frozen):
    control(client, "PUT", "/outcomes", json={"approval": {"progression": "after", "delay": "PT1M"}})
    greet(client)
    assert deliveries(client)
    client.post("/_sandbox/reset")
    assert deliveries(client) == []
    assert client.post("/_sandbox/clock", json={"freeze": True, "advance": "PT2M"}).get_json()["ran"] == 0
