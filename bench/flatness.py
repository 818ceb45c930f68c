"""Flat to the last millisecond: Ibanera create and list latency (median,
p99, p99.9, max), memory per stored managee, reset time and the longest
full garbage collection, at 1k, 10k and 100k managees, each size in its
own process (so one size's memory and GC history cannot colour another's).
Then start-up: time to the first healthy answer of a real server, and its
first create next to its second.

    python bench/flatness.py                    # 1k, 10k, 100k (~2 min)
    python bench/flatness.py --sizes 1000 10000 --requests 500   # quicker

The sizes take turns: every size's process is filled first, then each runs
a round of `--requests / --rounds` creates and lists while the others wait
(10 rounds, the order turned around each round), so a slow spell of the
machine falls on every size alike instead of on whichever ran then.

Requests go through the whole WSGI stack in-process (Flask's test client),
so the figures are the sandbox's own, without a network or server between.
Exit status 1 when a goal fails (printed with FAIL); the goals are issue
7's: p99.9 and max at the largest size within 1.5x of the smallest, a
full GC at most 20 ms, at most 1.5 KiB per managee, reset at most 1 ms,
a test's reset + create + list at most 3 ms (median), first healthy answer
within 0.5 s. "test ms" is that cycle: what a partner's test costs in-process.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LOGIN = {"username": "manager@example.com", "password": "sandbox-password", "otp": "123456"}
BASE = "/ibanera"
GOAL_TAIL_RATIO, GOAL_GC_MS, GOAL_BYTES, GOAL_RESET_MS, GOAL_START_S, GOAL_CYCLE_MS = 1.5, 20.0, 1536, 1.0, 0.5, 3.0


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"p50": statistics.median(ordered), "p99": at(0.99), "p999": at(0.999), "max": ordered[-1]}


# -- one size, in its own process ------------------------------------------------------
class Size:
    """One size's sandbox, filled, timed in rounds when the parent says so."""

    def __init__(self, size: int):
        from sandbox.app import create_app
        from sandbox.core.runtime import sandbox_of, settle_heap
        from sandbox.providers.ibanera import schemas
        from tests.ibanera.payloads import managee

        self.size = size
        self.app = create_app()
        settle_heap()  # as `fintech-sandbox serve` does before serving
        self.sandbox = sandbox_of(self.app)
        self.client = self.app.test_client()
        token = self.client.post(f"{BASE}/api/v1/public/auth/login", json=LOGIN).get_json()["details"]["accessToken"]
        self.headers = {"Authorization": f"Bearer {token}", "otp": "123456"}
        runtime = self.sandbox.runtime("ibanera")
        manager = runtime.auth.authenticate(self.headers["Authorization"], "123456")
        template = schemas.CreateManageeSchema().load_request(managee(), runtime.managees.rules_for(manager))

        gc.collect()
        before = rss()
        for i in range(size):  # through the service: what a create stores, without HTTP
            runtime.managees.create_managee(manager, {**template, "emailAddress": f"fill{i}@bench.example.com"})
        gc.collect()
        self.bytes_per_record = (rss() - before) / size
        started = time.perf_counter()
        gc.collect()
        self.full_gc_ms = (time.perf_counter() - started) * 1000
        self.body = managee()
        self.done = 0
        self.create: list[float] = []
        self.listing: list[float] = []

    def round(self, requests: int) -> None:
        client, headers, body = self.client, self.headers, self.body
        middle = max(1, self.size // 10 // 2)
        for i in range(self.done, self.done + requests):  # alternate, as a partner's suite would
            body["emailAddress"] = f"timed{i}@bench.example.com"
            started = time.perf_counter()
            response = client.post(f"{BASE}/api/v4/customer/managees/create", json=body, headers=headers)
            self.create.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.get_json()
            page = 1 if i % 2 else middle
            started = time.perf_counter()
            response = client.get(f"{BASE}/api/v1/customer/managees/list?PageNumber={page}&PageSize=10",
                                  headers=headers)
            self.listing.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and len(response.get_json()["details"]) == 10
        self.done += requests

    def finish(self, requests: int) -> dict:
        client, headers, body, sandbox = self.client, self.headers, self.body, self.sandbox
        stored = sandbox.store.count()
        started = time.perf_counter()
        response = client.post("/_sandbox/reset")
        reset_http_ms = (time.perf_counter() - started) * 1000
        reset_ms = response.get_json()["tookMs"]

        # What a partner's test costs in-process: reset, one authenticated create, one list.
        cycle = []
        for i in range(min(requests, 500)):
            started = time.perf_counter()
            sandbox.reset()
            body["emailAddress"] = f"cycle{i}@bench.example.com"
            assert client.post(f"{BASE}/api/v4/customer/managees/create", json=body, headers=headers).status_code == 200
            assert client.get(f"{BASE}/api/v1/customer/managees/list", headers=headers).status_code == 200
            cycle.append((time.perf_counter() - started) * 1000)
        return {"size": self.size, "stored_at_reset": stored, "bytes_per_record": self.bytes_per_record,
                "full_gc_ms": self.full_gc_ms, "reset_ms": reset_ms, "reset_http_ms": reset_http_ms,
                "test_cycle_ms": statistics.median(cycle),
                "create": percentiles(self.create), "list": percentiles(self.listing)}


def serve_one(size: int, requests: int) -> None:
    """A size's process: filled, then `round N` and `finish` lines from the parent, one answer line each."""
    one = Size(size)
    print("ready", flush=True)
    for command in sys.stdin:
        verb, *arg = command.split()
        if verb == "round":
            one.round(int(arg[0]))
            print("done", flush=True)
        elif verb == "finish":
            print(json.dumps(one.finish(requests)), flush=True)
            return


def measure(sizes: list[int], requests: int, rounds: int) -> list[dict]:
    """Every size in its own process, filled one after another, then timed in turns."""
    workers = []
    try:
        for size in sizes:
            worker = subprocess.Popen([sys.executable, __file__, "--one", str(size), "--requests", str(requests)],
                                      cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            workers.append(worker)
            _expect(worker, "ready")
        per_round = [requests // rounds + (1 if r < requests % rounds else 0) for r in range(rounds)]
        for r, count in enumerate(per_round):
            for worker in (workers if r % 2 == 0 else workers[::-1]):
                worker.stdin.write(f"round {count}\n")
                worker.stdin.flush()
                _expect(worker, "done")
        results = []
        for worker in workers:
            worker.stdin.write("finish\n")
            worker.stdin.flush()
            results.append(json.loads(_expect(worker, None)))
        return results
    finally:
        for worker in workers:
            worker.kill()
            worker.wait()


def _expect(worker: subprocess.Popen, word: str | None) -> str:
    line = worker.stdout.readline().strip()
    if not line or (word is not None and line != word):
        raise RuntimeError(f"a size's process answered {line!r} (expected {word or 'its figures'})")
    return line


# -- start-up of a real server ----------------------------------------------------------
def measure_start() -> dict:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = started + 10
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.perf_counter() > deadline:
                    raise RuntimeError("the server never became healthy") from None
                time.sleep(0.005)
        healthy_s = time.perf_counter() - started

        def post(path, body, headers=None):
            request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                             headers={"Content-Type": "application/json", **(headers or {})})
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.load(response)

        from tests.ibanera.payloads import managee

        token = post(f"{BASE}/api/v1/public/auth/login", LOGIN)["details"]["accessToken"]
        headers = {"Authorization": f"Bearer {token}", "otp": "123456"}
        creates = []
        for i in range(3):
            t = time.perf_counter()
            post(f"{BASE}/api/v4/customer/managees/create", managee(emailAddress=f"start{i}@bench.example.com"),
                 headers)
            creates.append((time.perf_counter() - t) * 1000)
        return {"healthy_s": healthy_s, "creates_ms": creates}
    finally:
        server.terminate()
        server.wait(10)


# -- the report -------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--requests", type=int, default=2000, help="timed creates and lists per size")
    parser.add_argument("--rounds", type=int, default=10, help="turns each size takes (default 10)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: this process is one size
    args = parser.parse_args()
    if args.one:
        serve_one(args.one, args.requests)
        return 0

    print(f"{time.strftime('%Y-%m-%dT%H:%M:%S%z')}  {os.uname().machine}  nproc {os.cpu_count()}  "
          f"python {sys.version.split()[0]}  {args.requests} timed creates and lists per size, "
          f"in {args.rounds} alternating rounds")
    results = measure(args.sizes, args.requests, max(1, min(args.rounds, args.requests)))

    print(f"\n{'size':>7} | {'op':6} | {'p50 ms':>7} {'p99 ms':>7} {'p99.9 ms':>8} {'max ms':>7} | "
          f"{'B/record':>8} {'full GC ms':>10} {'reset ms':>8} {'test ms':>7}")
    for r in results:
        for op in ("create", "list"):
            p = r[op]
            extra = (f"{r['bytes_per_record']:8.0f} {r['full_gc_ms']:10.1f} {r['reset_ms']:8.3f} "
                     f"{r['test_cycle_ms']:7.3f}" if op == "create" else "")
            print(f"{r['size']:>7} | {op:6} | "
                  f"{p['p50']:7.3f} {p['p99']:7.3f} {p['p999']:8.3f} {p['max']:7.3f} | {extra}")

    failures = []
    small, big = results[0], results[-1]
    print(f"\ntails, {big['size']} vs {small['size']} (goal <= {GOAL_TAIL_RATIO}x):")
    for op in ("create", "list"):
        for q in ("p999", "max"):
            ratio = big[op][q] / small[op][q]
            verdict = "ok" if ratio <= GOAL_TAIL_RATIO else "FAIL"
            failures += [f"{op} {q}"] if verdict == "FAIL" else []
            print(f"  {op:6} {q:4}: {small[op][q]:7.3f} -> {big[op][q]:7.3f} ms  {ratio:5.2f}x  {verdict}")
    for r in results:
        checks = [("full GC", r["full_gc_ms"], GOAL_GC_MS, "ms"), ("bytes per managee", r["bytes_per_record"],
                  GOAL_BYTES, "B"), ("reset", r["reset_ms"], GOAL_RESET_MS, "ms"),
                  ("reset + create + list (median)", r["test_cycle_ms"], GOAL_CYCLE_MS, "ms")]
        for name, value, goal, unit in checks:
            if value > goal:
                failures.append(f"{name} at {r['size']}")
                print(f"  FAIL {name} at {r['size']}: {value:.1f} {unit} (goal <= {goal} {unit})")

    start = measure_start()
    verdict = "ok" if start["healthy_s"] <= GOAL_START_S else "FAIL"
    failures += ["start"] if verdict == "FAIL" else []
    print(f"\nstart: first healthy answer after {start['healthy_s']:.3f} s ({verdict}); creates after start: "
          + ", ".join(f"{ms:.2f} ms" for ms in start["creates_ms"]))
    if failures:
        print("FAIL: " + ", ".join(failures), file=sys.stderr)
        return 1
    print("OK: every goal holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
