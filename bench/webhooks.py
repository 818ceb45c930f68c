#!/usr/bin/env python
"""Webhooks off the request path, measured.

1. A receiver that takes 2 s per answer must not slow the request that
   caused the event: the creating request's latency over a real socket,
   with no webhook configured (A) and with the slow receiver (B), in
   alternating rounds; medians and tails of each, and B/A.
2. Events to a receiver that is down cost bounded memory and no thread per
   event: N events (each size in its own process), RSS and thread count
   before and after, and every message delivered in order once the
   receiver comes back.

The provider is the tests' toy (tests/toy: one creating request that emits
an event), served by the in-process sandbox on 127.0.0.1 beside the
built-in providers, so what is measured is core's webhook machinery.

    python bench/webhooks.py [--rounds 5] [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx

from sandbox.testing import InProcessSandbox
from tests.toy.provider import KEY
from tests.toy.provider import provider as toy


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Slow(BaseHTTPRequestHandler):
    delay = 2.0

    def do_POST(self):  # http.server's name for it
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        time.sleep(self.delay)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def serve(handler) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def latency(args) -> None:
    sandbox = InProcessSandbox(extra_providers=(toy,), threads=4)
    receiver = serve(Slow)
    hooks_url = f"http://127.0.0.1:{receiver.server_address[1]}/toy"
    headers = {"x-toy-key": KEY}
    names = iter(range(10**9))
    samples: dict[str, list[float]] = {"A": [], "B": []}
    with httpx.Client(base_url=sandbox.url, headers=headers, timeout=30, trust_env=False) as http:
        for _ in range(30):  # warm up
            http.post("/toy/v1/greetings", json={"name": f"w{next(names)}", "language": "en"})
        for round_ in range(args.rounds):
            for mode in ("A", "B") if round_ % 2 == 0 else ("B", "A"):
                sandbox.reset()
                if mode == "B":
                    http.put("/_sandbox/toy/webhooks", json={"url": hooks_url, "secret": "s"}).raise_for_status()
                for _ in range(args.requests):
                    started = time.perf_counter()
                    answer = http.post("/toy/v1/greetings", json={"name": f"n{next(names)}", "language": "en"})
                    samples[mode].append((time.perf_counter() - started) * 1000)
                    assert answer.status_code == 201, answer.text
    receiver.shutdown()
    sandbox.close()
    print(f"\n1. creating request over a socket, {args.rounds} alternating rounds x {args.requests} requests")
    print("   mode                                 p50 ms   p99 ms   max ms")
    for mode, label in (("A", "no webhook configured"), ("B", "receiver taking 2 s per answer")):
        values = samples[mode]
        print(f"   {label:36} {statistics.median(values):7.3f}  {quantile(values, 0.99):7.3f}  {max(values):7.3f}")
    ratio = statistics.median(samples["B"]) / statistics.median(samples["A"])
    print(f"   p50 B/A = {ratio:.3f}  (goal: within 1.10)")


def backlog(count: int) -> dict:
    """In its own process: `count` events to a receiver that is down, then it comes back."""
    sandbox = InProcessSandbox(extra_providers=(toy,), threads=4)
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    clock = sandbox.clock
    clock.freeze()
    with httpx.Client(base_url=sandbox.url, headers={"x-toy-key": KEY}, timeout=30, trust_env=False) as http:
        http.put("/_sandbox/toy/webhooks", json={"url": f"http://127.0.0.1:{port}/toy", "secret": "s"})
        threads, before = threading.active_count(), rss_kib()
        ids = [http.post("/toy/v1/greetings", json={"name": f"g{i}", "language": "en"}).json()["greeting"]["id"]
               for i in range(count)]
        time.sleep(0.5)
        after, threads_after = rss_kib(), threading.active_count()
        got: list[int] = []

        class Up(BaseHTTPRequestHandler):
            def do_POST(self):
                got.append(json.loads(self.rfile.read(int(self.headers["Content-Length"])))["id"])
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        up = ThreadingHTTPServer(("127.0.0.1", port), Up)
        threading.Thread(target=up.serve_forever, daemon=True).start()
        started = time.perf_counter()
        clock.advance("PT10S")  # the head's first retry
        kept = min(count, 1000)  # the outbox keeps the latest 1,000 of a tenant
        while len(got) < kept and time.perf_counter() - started < 120:
            time.sleep(0.05)
        up.shutdown()
    sandbox.close()
    return {"count": count, "rss_before_kib": before, "rss_after_kib": after, "threads_before": threads,
            "threads_after": threads_after, "delivered": len(got), "in_order": got == ids[-len(got):],
            "drain_s": round(time.perf_counter() - started, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--backlog", type=int, help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    if args.backlog:
        print(json.dumps(backlog(args.backlog)))
        return
    latency(args)
    print("\n2. events to a receiver that is down (each size in its own process), then it comes back")
    print("   events  RSS before  RSS after  (KiB)  threads before/after  delivered  in order  drain s")
    for count in (1_000, 10_000):
        run = subprocess.run([sys.executable, __file__, "--backlog", str(count)], capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        r = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"   {r['count']:6}  {r['rss_before_kib']:10}  {r['rss_after_kib']:9}         "
              f"{r['threads_before']:6} / {r['threads_after']:<6}       {r['delivered']:9}  {r['in_order']!s:8}  "
              f"{r['drain_s']}")


if __name__ == "__main__":
    main()
