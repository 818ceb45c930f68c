#!/usr/bin/env python
"""Micro-benchmark: do Prozora's filtered customer lists stay flat as a
counterparty grows, and is a full `search_string` scan fast enough?

Two apps, one seeded with 1,000 customers of counterparty A and one with
100,000 (10,000 with --quick), through the scenario's `seed_customers` (the
service's own create path). Then, through Flask's test client (the whole
WSGI stack), interleaved between the sizes in ABBA rounds, a page of 20 of:

* each indexed filter (one customer GUID, three logins, a branch, a
  status, a kyc level), and a status for the Kyiv branch employee (its
  branch and the status: a composite index), newest first: target
  median(big) / median(1k) <= 1.5;
* two indexed filters at once (status and kyc level): reported, no target
  (the smaller candidate set is walked, so it grows with the data);
* `search_string` that matches nothing (a full scan of the counterparty):
  target median at the big size < 150 ms.

Exit status: 0 when every target holds, 1 otherwise (with FAIL lines).

    /work/main/.venv/bin/python bench/bench_prozora.py [--quick]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.runtime import sandbox_of
from sandbox.core.scenario import default_scenario_text
from sandbox.providers import PROVIDERS

A = "0b8f6a0e-6d2c-4c37-9b7e-5a1d2c3e4f50"
KYIV = "ae8051f5-da84-468b-a635-643e363b5cd9"
LIST = f"/prozora/api/v1/counterparty/{A}/customers"
HEADERS = {"Authorization": "bearer prozora-sandbox-token"}
RATIO_TARGET = 1.5
SCAN_TARGET_MS = 150.0
perf = time.perf_counter


class Population:
    """An app whose counterparty A holds `size` generated customers."""

    def __init__(self, size: int, scratch: Path):
        scenario = yaml.safe_load(default_scenario_text(PROVIDERS))
        scenario["prozora"]["counterparties"][0]["seed_customers"] = size
        path = scratch / f"prozora-{size}.yaml"
        path.write_text(yaml.safe_dump(scenario))
        t0 = perf()
        self.app = create_app(Config(scenario=str(path)))
        self.seconds = perf() - t0
        self.size = size
        self.client = self.app.test_client()
        self.kyiv = {"Authorization": "bearer prozora-branch-token"}
        customers = sandbox_of(self.app).store.collection("prozora.customers").page(A, offset=size // 2, limit=3)
        self.guid = customers.items[0]["wallet_user_guid"]
        self.logins = [c["login"] or "nobody@example.com" for c in customers.items]

    def cases(self) -> dict[str, dict]:
        newest = {"ordering": "created_at_desc", "limit": "20"}
        return {
            "guid": {"wallet_user_guids": self.guid, **newest},
            "logins (3)": {"logins": self.logins, **newest},
            "branch": {"branch_guids": KYIV, **newest},
            "status": {"statuses": "active", **newest},
            "kyc level": {"kyc_levels": "2", **newest},
            "kyiv: status": {"statuses": "active", **newest, "headers": self.kyiv},
            "status+kyc": {"statuses": "active", "kyc_levels": "2", **newest},
            "search (scan)": {"search_string": "no-such-person", **newest},
        }

    def time(self, query: dict) -> float:
        headers = query.get("headers", HEADERS)
        query = {key: value for key, value in query.items() if key != "headers"}
        t0 = perf()
        response = self.client.get(LIST, query_string=query, headers=headers)
        elapsed = perf() - t0
        assert response.status_code == 200, response.get_json()
        return elapsed


def measure(small: Population, big: Population, requests: int, rounds: int) -> dict[str, tuple[list, list]]:
    names = list(small.cases())
    times = {name: ([], []) for name in names}
    per_round = max(1, requests // rounds)
    for r in range(rounds):
        order = (small, big) if r % 2 == 0 else (big, small)  # ABBA: noise falls on both sizes alike
        for population in order:
            cases = population.cases()
            slot = 0 if population is small else 1
            # A case's requests run back to back: the scan case walks the whole counterparty and
            # would otherwise evict the caches the next (indexed) request of the big app uses.
            for name in names:
                for _ in range(per_round):
                    times[name][slot].append(population.time(cases[name]))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1k vs 10k customers, fewer requests")
    parser.add_argument("--requests", type=int, default=None, help="timed requests per case per size")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    big_size = 10_000 if args.quick else 100_000
    requests = args.requests or (40 if args.quick else 100)
    started = perf()
    with tempfile.TemporaryDirectory() as scratch:
        small = Population(1_000, Path(scratch))
        big = Population(big_size, Path(scratch))
    print(f"seeded 1k customers in {small.seconds:.1f} s, {big_size // 1000}k in {big.seconds:.1f} s "
          f"(scenario seed_customers, through CustomerService.create_customer)")
    for population in (small, big):  # warm-up: first-call imports and caches out of the figures
        for query in population.cases().values():
            population.time(query)
    gc.collect()
    gc.freeze()
    times = measure(small, big, requests, args.rounds)
    failures = []
    print(f"{'case':<15} {'1k median':>10} {f'{big_size // 1000}k median':>12} {'ratio':>6} {'p90 big':>9}  target")
    for name, (at_small, at_big) in times.items():
        a, b = statistics.median(at_small) * 1000, statistics.median(at_big) * 1000
        p90 = statistics.quantiles(at_big, n=10)[-1] * 1000
        if name == "search (scan)":
            target, ok = f"big < {SCAN_TARGET_MS:.0f} ms", b < SCAN_TARGET_MS
        elif name == "status+kyc":
            target, ok = "(reported only)", True
        else:
            target, ok = f"ratio <= {RATIO_TARGET}", b / a <= RATIO_TARGET
        print(f"{name:<15} {a:>8.2f}ms {b:>10.2f}ms {b / a:>6.2f} {p90:>7.2f}ms  {target}{'' if ok else '  FAIL'}")
        if not ok:
            failures.append(name)
    print(f"total run time {perf() - started:.0f} s", flush=True)
    for name in failures:
        print(f"FAIL: {name}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
