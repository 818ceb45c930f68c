"""A partner's per-test cost through the pytest plugin's path: the sandbox
in-process (sandbox.testing.InProcessSandbox, what the `sandbox` fixture
is), reset, then one authenticated create and one list with the plugin's own
logged-in client (`ibanera_client`: httpx to the in-process app, bearer token
and a fresh TOTP on every call). For comparison, the same cycle with a plain
httpx client at the sandbox's port (loopback socket, the server's loop).

    python bench/plugin_overhead.py                 # 1000 cycles
    python bench/plugin_overhead.py --cycles 200

Also times the same cycle with the plugin's `intercept()`: a `requests`
session at a real Weavr URL answered by the in-process app (Weavr's consumer
create and get). Exit status 1 when the median Ibanera cycle exceeds 3 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL_MS = 3.0
BODY = json.loads((ROOT / "examples" / "ibanera-create-managee.json").read_text())


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[int(0.9 * len(ordered))]
    return f"median {statistics.median(ordered):.2f} ms, p90 {p90:.2f} ms, max {ordered[-1]:.2f} ms"


def main() -> int:
    import requests

    from sandbox.testing import InProcessSandbox

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=1000)
    args = parser.parse_args()

    started = time.perf_counter()
    sandbox = InProcessSandbox()
    print(f"in-process sandbox up at {sandbox.url} in {(time.perf_counter() - started) * 1000:.0f} ms")
    ibanera = sandbox.ibanera.client()
    cycle: list[float] = []
    for i in range(args.cycles + 50):  # the first 50: warm-up
        t0 = time.perf_counter()
        sandbox.reset()
        created = ibanera.post("/api/v4/customer/managees/create", json=BODY)
        listed = ibanera.get("/api/v1/customer/managees/list")
        elapsed = (time.perf_counter() - t0) * 1000
        assert created.status_code == 200 and len(listed.json()["details"]) == 1, (created.text, listed.text)
        if i >= 50:
            cycle.append(elapsed)

    import httpx

    socket_client = httpx.Client(base_url=f"{sandbox.url}/ibanera", trust_env=False,
                                 headers={"Authorization": f"Bearer {sandbox.ibanera.token()}", "otp": "123456"})
    over_socket: list[float] = []
    for i in range(args.cycles // 4 + 20):
        t0 = time.perf_counter()
        sandbox.reset()
        created = socket_client.post("/api/v4/customer/managees/create", json=BODY)
        listed = socket_client.get("/api/v1/customer/managees/list")
        elapsed = (time.perf_counter() - t0) * 1000
        assert created.status_code == 200 and len(listed.json()["details"]) == 1, (created.text, listed.text)
        if i >= 20:
            over_socket.append(elapsed)

    key = sandbox.credentials["weavr"][0]
    session = requests.Session()
    session.headers["api-key"] = key["api_key"]
    consumer = {"profileId": key["consumer_profile_id"], "ipAddress": "127.0.0.1", "rootUser": {
        "name": "Ada", "surname": "Lovelace", "email": "ada@example.com",
        "mobile": {"countryCode": "+44", "number": "7700900123"}, "dateOfBirth": {"year": 1990, "month": 12, "day": 10},
        "address": {"addressLine1": "1 Main Street", "city": "London", "postCode": "N1 9GU", "country": "GB"}}}
    intercepted: list[float] = []
    with sandbox.intercept():
        for i in range(args.cycles // 4 + 20):
            t0 = time.perf_counter()
            sandbox.reset()
            created = session.post("https://sandbox.weavr.io/multi/consumers", json=consumer)
            sent = session.post("https://sandbox.weavr.io/multi/consumers/verification/email/send",
                                json={"email": "ada@example.com"})
            elapsed = (time.perf_counter() - t0) * 1000
            assert created.status_code == 200 and sent.status_code == 204, (created.text, sent.text)
            if i >= 20:
                intercepted.append(elapsed)
    sandbox.close()

    print(f"reset + Ibanera create + list, the plugin's ibanera_client ({args.cycles}): {summary(cycle)}")
    print(f"the same, plain httpx at {sandbox.url} ({len(over_socket)}): {summary(over_socket)}")
    print(f"reset + Weavr create + send, requests through intercept() ({len(intercepted)}): {summary(intercepted)}")
    if statistics.median(cycle) > GOAL_MS:
        print(f"FAIL: the median cycle is over {GOAL_MS} ms", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
