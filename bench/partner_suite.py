#!/usr/bin/env python
"""What a partner's suite pays per test: a stateful sandbox vs a canned stub.

Two generated suites of N tests, each run by pytest in a process of its own,
in alternating rounds:

* ours: each test gets the plugin's `p100_client` (the in-process sandbox,
  reset before the test) and makes three calls: create a user, read its
  balances, read its transaction history;
* stub: each test stubs the same three calls with `responses` (canned JSON,
  the answers ours gives) and makes them with `requests`.

A suite's per-test cost is (its time with N tests - its time with 1 test) / (N - 1),
so session start-up and collection fall out. Medians of the rounds, and
ours/stub (the goal: at most 1.25).

    python bench/partner_suite.py [--tests 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

OURS = '''
USER = {{"email": "ada@example.pl", "firstName": "Ada", "lastName": "Nowak", "country": "PL",
        "citizenship": "PL", "hasAcceptedP100Tc": True}}


{tests}
'''
OURS_TEST = '''
def test_{n}(p100_client):
    created = p100_client.post("/v1/user/balances/crypto-and-fiat", json={{"externalUserId": "u{n}", **USER}})
    assert created.status_code == 201, created.text
    assert p100_client.get("/v1/user/balances/u{n}").status_code == 200
    assert p100_client.get("/v1/user/transactions/u{n}").status_code == 200
'''
STUB = '''
import requests
import responses

BASE = "https://partner-api-stage.p100.io"
USER = {{"email": "ada@example.pl", "firstName": "Ada", "lastName": "Nowak", "country": "PL",
        "citizenship": "PL", "hasAcceptedP100Tc": True}}
CREATED = {{"userId": "0b6e0b9e-4a5c-4e59-9a5b-6d1c0f3f2c11", "poaRequiredForExtended": False}}
BALANCES = {{"cryptoBalances": [], "fiatBalances": [{{"name": "eur", "amount": "0.00", "status": "ACTIVE"}}]}}
HISTORY = {{"transactions": [], "total": 0}}


{tests}
'''
STUB_TEST = '''
@responses.activate
def test_{n}():
    responses.add(responses.POST, f"{{BASE}}/v1/user/balances/crypto-and-fiat", json=CREATED, status=201)
    responses.add(responses.GET, f"{{BASE}}/v1/user/balances/u{n}", json=BALANCES)
    responses.add(responses.GET, f"{{BASE}}/v1/user/transactions/u{n}", json=HISTORY)
    headers = {{"x-api-key": "p100-sandbox-api-key"}}
    created = requests.post(f"{{BASE}}/v1/user/balances/crypto-and-fiat", json={{"externalUserId": "u{n}", **USER}},
                            headers=headers)
    assert created.status_code == 201, created.text
    assert requests.get(f"{{BASE}}/v1/user/balances/u{n}", headers=headers).status_code == 200
    assert requests.get(f"{{BASE}}/v1/user/transactions/u{n}", headers=headers).status_code == 200
'''


def write(folder: Path, kind: str, count: int) -> Path:
    template, test = (OURS, OURS_TEST) if kind == "ours" else (STUB, STUB_TEST)
    path = folder / f"{kind}_{count}" / f"test_{kind}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(template.format(tests="\n".join(test.format(n=n) for n in range(count)))))
    return path


def run(path: Path) -> float:
    """Seconds for pytest to run the suite (the plugin loads as a partner's would: by its entry point)."""
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", str(path)],
                          cwd=path.parent, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTEST_ADDOPTS": ""})
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{path} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        suites = {(kind, n): write(folder, kind, n) for kind in ("ours", "stub") for n in (1, args.tests)}
        per_test: dict[str, list[float]] = {"ours": [], "stub": []}
        starts: dict[str, list[float]] = {"ours": [], "stub": []}
        for round_ in range(args.rounds):
            for kind in ("ours", "stub") if round_ % 2 == 0 else ("stub", "ours"):
                one = run(suites[(kind, 1)])
                many = run(suites[(kind, args.tests)])
                per_test[kind].append((many - one) / (args.tests - 1) * 1000)
                starts[kind].append(one)
    print(f"\n{args.tests} tests, {args.rounds} alternating rounds; per test: (time of N tests - time of 1) / (N - 1)")
    print("   suite                                   per test ms (median, min, max)   1-test run s")
    for kind, label in (("ours", "reset + 3 calls through p100_client"), ("stub", "3 calls stubbed with responses")):
        values = per_test[kind]
        print(f"   {label:40} {statistics.median(values):6.2f} {min(values):6.2f} {max(values):6.2f}"
              f"           {statistics.median(starts[kind]):.2f}")
    ratio = statistics.median(per_test["ours"]) / statistics.median(per_test["stub"])
    print(f"   ours/stub = {ratio:.2f}  (goal: at most 1.25)")


if __name__ == "__main__":
    main()
