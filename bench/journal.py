#!/usr/bin/env python
"""The request journal, measured.

1. What it costs a create: Ibanera's create managee through the whole WSGI
   stack (Flask's test client), with the journal on (1,000 entries) and off
   (--journal-size 0), in alternating rounds in one process; medians, p99
   and max of each, and on/off.
2. Memory stays flat: 100,000 requests through a journal of 1,000, in a
   process of its own; RSS after 1,000, 10,000 and 100,000 requests.

    python bench/journal.py [--rounds 6] [--creates 300] [--requests 100000]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.journal import Match
from sandbox.core.runtime import sandbox_of
from tests.ibanera.payloads import managee

LOGIN = {"username": "manager@example.com", "password": "sandbox-password", "otp": "123456"}
CREATE = "/ibanera/api/v4/customer/managees/create"
LIST = "/ibanera/api/v1/customer/managees/list"


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def logged_in(size: int):
    app = create_app(Config(journal_size=size))
    client = app.test_client()
    token = client.post("/ibanera/api/v1/public/auth/login", json=LOGIN).get_json()["details"]["accessToken"]
    return app, client, {"Authorization": f"Bearer {token}", "otp": "123456"}


def cost(args) -> None:
    apps = {"on": logged_in(1000), "off": logged_in(0)}
    samples: dict[str, list[float]] = {"on": [], "off": []}
    emails = iter(range(10**9))
    for round_ in range(args.rounds):
        for mode in ("on", "off") if round_ % 2 == 0 else ("off", "on"):
            app, client, headers = apps[mode]
            sandbox_of(app).reset()
            gc.collect()
            for _ in range(args.creates):
                body = managee(emailAddress=f"bench{next(emails)}@example.com")
                started = time.perf_counter()
                answer = client.post(CREATE, json=body, headers=headers)
                samples[mode].append((time.perf_counter() - started) * 1e6)
                assert answer.status_code == 200, answer.get_json()
    print(f"\n1. create managee, in-process, {args.rounds} alternating rounds x {args.creates}")
    print("   journal            p50 µs    p99 µs    max µs")
    for mode in ("off", "on"):
        values = sorted(samples[mode])
        print(f"   {mode:16} {statistics.median(values):8.1f}  {values[int(0.99 * len(values))]:8.1f}  "
              f"{values[-1]:8.1f}")
    ratio = statistics.median(samples["on"]) / statistics.median(samples["off"])
    print(f"   p50 on/off = {ratio:.3f}  (goal: at most 1.05)")


def flat(count: int) -> dict:
    app, client, headers = logged_in(1000)
    marks = {}
    for n in range(1, count + 1):
        client.get(LIST, query_string={"PageNumber": 1, "PageSize": 10}, headers=headers)
        if n in (1_000, 10_000, 100_000, count):
            gc.collect()
            marks[n] = rss_kib()
    kept = sandbox_of(app).journal.count(Match())
    return {"rss_kib": marks, "kept": kept}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--flat", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.flat:
        print(json.dumps(flat(args.flat)))
        return
    cost(args)
    run = subprocess.run([sys.executable, __file__, "--flat", str(args.requests)], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"\n2. {args.requests:,} requests through a journal of 1,000 (its own process): RSS KiB after")
    for n, kib in sorted(result["rss_kib"].items(), key=lambda item: int(item[0])):
        print(f"   {int(n):>7,} requests: {kib:,}")
    print(f"   entries kept: {result['kept']}")


if __name__ == "__main__":
    main()
