"""The HTTP server itself, over raw sockets to a real `serve`: keep-alive and
pipelining answer in order, HTTP/1.0 closes, chunked bodies and
`Expect: 100-continue` are read, and a request that waits (a delay fault, a
clock settle) runs beside the loop, which goes on answering everyone else."""

from __future__ import annotations

import json
import socket
import threading
import time
from contextlib import contextmanager

import pytest

from sandbox.testing.receiver import Receiver
from tests.server import Server

HEALTH = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
P100_KEY = "p100-sandbox-api-key"
RATE = "/p100/v1/exchange/get-rate"


@pytest.fixture(scope="module")
def server():
    with Server() as running:
        yield running


def connect(server: Server) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def read_answers(connection: socket.socket, count: int) -> list[tuple[int, dict, bytes]]:
    """`count` answers off one connection: (status, headers, body) each, framed by Content-Length."""
    data, answers = b"", []
    while len(answers) < count:
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            assert chunk, f"the connection closed after {len(answers)} answers"
            data += chunk
        head, _, data = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {name.lower(): value for name, value in (line.split(": ", 1) for line in lines[1:])}
        status = int(lines[0].split(" ")[1])
        if status == 100:
            continue
        length = int(headers["content-length"])
        while len(data) < length:
            chunk = connection.recv(65536)
            assert chunk, "the connection closed inside a body"
            data += chunk
        answers.append((status, headers, data[:length]))
        data = data[length:]
    return answers


@contextmanager
def rate_call_delayed(server: Server, ms: int):
    """P100's rate call answered `ms` later (a delay fault of the partner's own), until the block ends."""
    status, fault = server.request("POST", "/_sandbox/p100/faults", {"path": RATE, "kind": "delay", "delayMs": ms},
                                   {"x-api-key": P100_KEY})
    assert status == 201, fault
    try:
        yield
    finally:
        server.request("DELETE", "/_sandbox/p100/faults", headers={"x-api-key": P100_KEY})


def closed(connection: socket.socket) -> bool:
    return connection.recv(1) == b""


def test_pipelined_requests_are_answered_in_order_on_one_connection(server):
    login = json.dumps({"username": "nobody@example.com", "password": "x", "otp": "123456"}).encode()
    raw = (HEALTH + b"POST /ibanera/api/v1/public/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           b"Content-Length: %d\r\n\r\n" % len(login) + login + b"GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
    with connect(server) as connection:
        connection.sendall(raw)
        answers = read_answers(connection, 3)
        assert [status for status, _, _ in answers] == [200, 400, 404]
        assert json.loads(answers[0][2])["status"] == "ok"
        assert json.loads(answers[1][2])["errors"][0]["messageCode"] == "Username_Or_Password_Incorrect"
        connection.sendall(HEALTH)  # the connection is still open for more
        assert read_answers(connection, 1)[0][0] == 200


def test_http_1_0_closes_unless_kept_alive(server):
    with connect(server) as connection:
        connection.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
        (status, headers, _), = read_answers(connection, 1)
        assert (status, headers["connection"]) == (200, "close") and closed(connection)
    with connect(server) as connection:
        connection.sendall(b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" * 2)
        answers = read_answers(connection, 2)
        assert [(status, headers["connection"]) for status, headers, _ in answers] == [(200, "keep-alive")] * 2


def test_a_chunked_body_with_expect_100_continue_is_read_whole(server):
    login = json.dumps({"username": "manager@example.com", "password": "sandbox-password", "otp": "123456"}).encode()
    head = (b"POST /ibanera/api/v1/public/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n")
    with connect(server) as connection:
        connection.sendall(head)
        assert connection.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"  # nothing of the body sent yet
        half = len(login) // 2
        connection.sendall(b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (half, login[:half], len(login) - half, login[half:]))
        (status, _, body), = read_answers(connection, 1)
    assert status == 200 and json.loads(body)["details"]["accessToken"]


def test_a_delayed_answer_does_not_hold_up_anyone_else(server):
    """A delay fault on one P100 path: while its call waits, calls on other
    connections (another path, the health check) are answered at once."""
    with rate_call_delayed(server, 1500):
        delayed: dict = {}

        def slow_call():
            started = time.monotonic()
            delayed["answer"] = server.request("GET", RATE + "?from=EUR&to=USDT", headers={"x-api-key": P100_KEY})
            delayed["seconds"] = time.monotonic() - started

        caller = threading.Thread(target=slow_call)
        caller.start()
        time.sleep(0.3)  # the delayed call is waiting by now
        started = time.monotonic()
        for _ in range(5):
            assert server.request("GET", "/healthz")[0] == 200
            assert server.request("GET", "/_sandbox/p100/partner/balances", headers={"x-api-key": P100_KEY})[0] == 200
        others = time.monotonic() - started
        caller.join(10)
        assert others < 1.0, f"10 calls took {others:.2f} s while one call waited"
    assert delayed["seconds"] >= 1.5  # and then answered as usual:
    assert delayed["answer"] == server.request("GET", RATE + "?from=EUR&to=USDT", headers={"x-api-key": P100_KEY})


def test_a_delayed_call_and_the_one_pipelined_after_it_are_answered_in_order(server):
    """The delayed call waits on a worker thread; the next request on its
    connection, answered on the loop, still comes second."""
    with rate_call_delayed(server, 300), connect(server) as connection:
        connection.sendall(b"GET " + RATE.encode() + b"?from=EUR&to=USDT HTTP/1.1\r\nHost: x\r\n"
                           b"x-api-key: " + P100_KEY.encode() + b"\r\n\r\n" + HEALTH)
        answers = read_answers(connection, 2)
    assert json.loads(answers[0][2])["errorMessage"] == "Validation error: currencyFrom"  # the rate call's own answer
    assert json.loads(answers[1][2])["status"] == "ok"


def test_a_malformed_request_pipelined_after_a_delayed_call_is_refused_after_its_answer(server):
    with rate_call_delayed(server, 300), connect(server) as connection:
        connection.sendall(b"GET " + RATE.encode() + b"?from=EUR HTTP/1.1\r\nHost: x\r\n"
                           b"x-api-key: " + P100_KEY.encode() + b"\r\n\r\n"
                           b"GET /p100/v1/users HTTP/1.1\r\nA header without a colon\r\n\r\n")
        (first, _, body), (second, headers, refusal) = read_answers(connection, 2)
        assert closed(connection)
    assert (first, json.loads(body)["errorCode"]) == (400, "P403")  # the rate call's own answer, first
    assert (second, headers["connection"], json.loads(refusal)["errorName"]) == (400, "close", "validation-error")


def test_a_client_that_goes_away_mid_request_leaves_the_server_answering(server):
    with connect(server) as connection:
        connection.sendall(b"POST /ibanera/api/v1/public/auth/login HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
    with connect(server) as connection:
        connection.sendall(HEALTH)
        assert read_answers(connection, 1)[0][0] == 200


def test_a_settling_clock_move_does_not_hold_up_anyone_else():
    """`POST /_sandbox/clock` with `settle` waits for a slow receiver's answer: on a worker
    thread (its declaration says it may wait), while the loop answers everyone else."""
    receiver = Receiver()
    try:
        with Server() as server:
            key = {"x-api-key": P100_KEY}
            endpoint = {"url": receiver.url_for("p100"), "secret": "whsec-settle-test"}
            assert server.request("PUT", "/_sandbox/p100/webhooks", endpoint, key)[0] == 200
            receiver.slow(1.5)
            deposit = {"currency": "btc", "amount": "0.01"}
            assert server.request("POST", "/_sandbox/p100/users/ada/crypto-deposits", deposit, key)[0] == 201
            moved: list = []
            started = time.monotonic()
            settling = threading.Thread(target=lambda: moved.append(
                server.request("POST", "/_sandbox/clock", {"settle": True})))
            settling.start()
            time.sleep(0.2)  # the move now waits for the delivery's attempt
            with connect(server) as connection:
                connection.sendall(HEALTH)
                [(status, _, _)] = read_answers(connection, 1)
            health_after = time.monotonic() - started
            settling.join(10)
            settled_after = time.monotonic() - started
    finally:
        receiver.close()
    assert status == 200 and health_after < 0.9, f"/healthz waited {health_after:.2f} s for the settling move"
    assert moved and moved[0][0] == 200 and moved[0][1]["settled"] is True
    assert settled_after > 1.0  # the move did wait for the slow receiver
