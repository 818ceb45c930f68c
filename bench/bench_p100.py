#!/usr/bin/env python
"""Micro-benchmark: does P100 latency stay flat as the number of users grows?

Two apps, one pre-filled with 1,000 users and one with 100,000 (10,000 with
--quick), each user with its 9 balances, are measured side by side in one
process through Flask's test client (the whole WSGI stack, no network):

* HTTP create user (a user and its 9 balance records, one transaction);
* HTTP internal transfer partner -> user (a money operation: two ledger
  movements and two running balances, one transaction);
* HTTP get balances and HTTP history page 1 of that user.

ABBA rounds (the sizes alternate which goes first), medians and p90, ratio
of medians (big / small). Exit status 1 when any ratio exceeds 1.5.

    /work/main/.venv/bin/python bench/bench_p100.py [--quick]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.runtime import sandbox_of
from tests.p100.client import KEY, P100Client, user_body

TARGET_RATIO = 1.5
perf = time.perf_counter


class Sandbox:
    def __init__(self, size: int):
        self.size = size
        self.app = create_app(Config())
        self.client = self.app.test_client()
        self.p100 = P100Client(self.client)
        self.runtime = sandbox_of(self.app).runtime("p100")
        self.serial = 0

    def fill(self) -> float:
        """Pre-fill through the service layer (the handler's code after validation); returns users/s."""
        template = {key: value for key, value in user_body("x").items() if key != "hasAcceptedP100Tc"}
        start = perf()
        for i in range(self.size - 1):
            self.runtime.users.create(KEY, {**template, "externalUserId": f"fill-{i}"})
        self.p100.verified_user("bench")  # the user the money operations credit
        self.p100.control("PUT", "/partner/balances", {"balances": {"eur": "100000000.00"}})
        return self.size / (perf() - start)

    def create_user(self) -> float:
        self.serial += 1
        body = user_body(f"http-{self.serial}")
        start = perf()
        response = self.client.post("/p100/v1/user/balances/crypto-and-fiat", json=body, headers=self.p100.headers)
        elapsed = perf() - start
        assert response.status_code == 201, response.get_json()
        return elapsed

    def transfer(self) -> float:
        body = {"destinationExternalUserId": "bench", "currency": "eur", "amount": "1.00"}
        start = perf()
        response = self.client.post("/p100/v1/transfer", json=body, headers=self.p100.headers)
        elapsed = perf() - start
        assert response.status_code == 201, response.get_json()
        return elapsed

    def balances(self) -> float:
        start = perf()
        response = self.client.get("/p100/v1/user/balances/bench", headers=self.p100.headers)
        elapsed = perf() - start
        assert response.status_code == 200
        return elapsed

    def history(self) -> float:
        start = perf()
        response = self.client.get("/p100/v1/user/transactions/bench?page=1&limit=20", headers=self.p100.headers)
        elapsed = perf() - start
        assert response.status_code == 200
        return elapsed


CASES = ("create_user", "transfer", "balances", "history")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="1k vs 10k users, fewer requests")
    parser.add_argument("--requests", type=int, default=None, help="timed requests per case per size")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    big = 10_000 if args.quick else 100_000
    requests = args.requests or (200 if args.quick else 600)
    began = perf()
    apps = []
    for size in (1_000, big):
        sandbox = Sandbox(size)
        rate = sandbox.fill()
        print(f"filled {size:>7,} users ({size * 10:,} records) at {rate:,.0f} users/s")
        apps.append(sandbox)
    timings = {(case, s.size): [] for case in CASES for s in apps}
    per_round = max(1, requests // args.rounds)
    gc.collect()
    for r in range(args.rounds):
        order = apps if r % 2 == 0 else list(reversed(apps))
        for sandbox in order:
            for _ in range(per_round):
                for case in CASES:
                    timings[(case, sandbox.size)].append(getattr(sandbox, case)())
    worst = 0.0
    print(f"{'case':<14}{'1k median':>12}{'big median':>12}{'ratio':>8}{'1k p90':>10}{'big p90':>10}  (ms)")
    for case in CASES:
        small, large = timings[(case, 1_000)], timings[(case, big)]
        ratio = statistics.median(large) / statistics.median(small)
        worst = max(worst, ratio)
        p90 = lambda xs: statistics.quantiles(xs, n=10)[-1] * 1000
        print(f"{case:<14}{statistics.median(small) * 1000:>12.3f}{statistics.median(large) * 1000:>12.3f}"
              f"{ratio:>8.2f}{p90(small):>10.3f}{p90(large):>10.3f}")
    print(f"users after the run: {[s.runtime.users.users.page(KEY, limit=0).total for s in apps]}; "
          f"{perf() - began:.0f} s in all")
    if worst > TARGET_RATIO:
        print(f"FAIL: a ratio of medians is {worst:.2f} > {TARGET_RATIO}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
