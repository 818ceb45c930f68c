#!/usr/bin/env python
"""Micro-benchmark: do Weavr's consumer create and get stay flat as the store
grows? Each size runs in its own process (its own heap, so garbage
collection at 100k cannot slow the 1k run or the other way round):

* a fresh app is pre-filled with N consumers of the first api-key through
  ConsumerService.create (the handler's code after validation);
* then HTTP POST /weavr/multi/consumers and HTTP GET /weavr/multi/consumers
  (with an access token, so the token lookup is timed too) are timed call
  by call through Flask's test client (the whole WSGI stack, no network),
  alternating, after a warm-up.

The parent prints, per case, the median at each size, the ratio of medians
(big / small), p99 and max. Exit status 1 when a ratio exceeds 1.5.

    python bench/bench_weavr.py            # 1k vs 100k consumers
    python bench/bench_weavr.py --quick    # 1k vs 10k, fewer requests
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.5
perf = time.perf_counter


def measure(size: int, requests: int) -> dict:
    """In the child process: fill, then time create and get."""
    from sandbox.app import create_app
    from sandbox.config import Config
    from sandbox.core.runtime import sandbox_of
    from sandbox.providers.weavr.schemas import ConsumerCreateSchema
    from sandbox.providers.weavr.services.auth import Caller
    from tests.weavr.client import KEY, WeavrClient, consumer_body

    app = create_app(Config())
    client = app.test_client()
    runtime = sandbox_of(app).runtime("weavr")
    caller = Caller(runtime.auth.programmes[KEY])
    template = ConsumerCreateSchema().load_request(consumer_body())
    t0 = perf()
    for i in range(size - 1):
        body = {**template, "rootUser": {**template["rootUser"], "email": f"fill{i}@bench.example.com"}}
        runtime.consumers.create(caller, body)
    fill_seconds = perf() - t0
    reader = WeavrClient(client).onboard()  # the size-th consumer, with an access token
    headers = {"api-key": KEY}

    def create(n: int) -> float:
        body = consumer_body(rootUser={"email": f"timed{n}@bench.example.com"})
        start = perf()
        response = client.post("/weavr/multi/consumers", json=body, headers=headers)
        elapsed = perf() - start
        assert response.status_code == 200, response.get_json()
        return elapsed

    def get(_: int) -> float:
        start = perf()
        response = client.get("/weavr/multi/consumers", headers=reader.headers())
        elapsed = perf() - start
        assert response.status_code == 200, response.get_json()
        return elapsed

    for n in range(50):  # warm-up
        create(-n - 1), get(n)
    times: dict[str, list[float]] = {"create": [], "get": []}
    for n in range(requests):
        times["create"].append(create(n))
        times["get"].append(get(n))
    return {"size": size, "fill_seconds": fill_seconds, "times": times}


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"median": statistics.median(ordered), "p99": ordered[int(len(ordered) * 0.99) - 1], "max": ordered[-1]}


def run_child(size: int, requests: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(size), "--requests", str(requests)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1k vs 10k, fewer requests")
    parser.add_argument("--requests", type=int, default=None, help="timed requests per case")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    requests = args.requests or (300 if args.quick else 1000)
    if args.child is not None:
        print(json.dumps(measure(args.child, requests)))
        return 0
    sizes = (1_000, 10_000 if args.quick else 100_000)
    started = perf()
    results = [run_child(size, requests) for size in sizes]
    for r in results:
        print(f"filled {r['size']:>7,} consumers in {r['fill_seconds']:.1f} s "
              f"({r['size'] / max(r['fill_seconds'], 1e-9):,.0f}/s)")
    small, big = results
    failed = []
    print(f"{'case':<8} {'median 1k':>10} {'median big':>11} {'ratio':>6} {'p99 1k':>8} {'p99 big':>8} "
          f"{'max 1k':>8} {'max big':>8}   (ms)")
    for case in ("create", "get"):
        a, b = summary(small["times"][case]), summary(big["times"][case])
        ratio = b["median"] / a["median"]
        print(f"{case:<8} {a['median'] * 1e3:>10.3f} {b['median'] * 1e3:>11.3f} {ratio:>6.2f} "
              f"{a['p99'] * 1e3:>8.3f} {b['p99'] * 1e3:>8.3f} {a['max'] * 1e3:>8.3f} {b['max'] * 1e3:>8.3f}")
        if ratio > TARGET_RATIO:
            failed.append(f"{case} ratio {ratio:.2f} > {TARGET_RATIO}")
    print(f"{requests} timed requests per case per size; sizes {sizes[0]:,} and {sizes[1]:,}; "
          f"total {perf() - started:.1f} s")
    if failed:
        print("FAIL: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
