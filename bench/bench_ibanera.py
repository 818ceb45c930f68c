#!/usr/bin/env python
"""Micro-benchmark: does Ibanera managee latency stay flat as the store grows?

Two apps, one pre-filled with 1,000 managees and one with 100,000 (10,000
with --quick), are measured side by side in one process:

* HTTP create managee, HTTP list page 1 and HTTP list middle page, through
  Flask's test client (the whole WSGI stack, no network);
* the store alone: Collection.insert and Collection.page on the managees
  collection, so Flask's fixed cost cannot hide a store that grows;
* plain TinyDB (default table, MemoryStorage) insert and Query search at
  1,000 vs 20,000 rows, for contrast: that is what the store avoids.

Each case gets a fixed number of individually timed calls, split into rounds;
the sizes alternate which goes first in each round (ABBA) and, within a size,
the cases alternate call by call, so machine noise falls on both sizes alike.
Medians and p90 are reported, with the ratio of medians (big / 1k).

Exit status: 0 when every HTTP ratio is <= 1.5, 1 otherwise.

    . .venv/bin/activate && python bench/bench_ibanera.py [--quick]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.runtime import sandbox_of
from sandbox.providers.ibanera import schemas as s
from tests.ibanera.payloads import managee

USERNAME = "manager@example.com"
TENANT = USERNAME  # tenant_of() casefolds the username
LOGIN = {"username": USERNAME, "password": "sandbox-password", "otp": "123456"}
LOGIN_PATH = "/ibanera/api/v1/public/auth/login"
CREATE_PATH = "/ibanera/api/v4/customer/managees/create"
LIST_PATH = "/ibanera/api/v1/customer/managees/list"
PAGE_SIZE = 10
TARGET_RATIO = 1.5

perf = time.perf_counter


# -- one sandbox at one size ------------------------------------------------------------
class Sandbox:
    """A fresh app (its own store), logged in, pre-filled to `size` managees."""

    def __init__(self, size: int, state_dir: str | None = None):
        self.size = size
        self.label = label(size)
        state_file = os.path.join(state_dir, f"state-{size}.json") if state_dir else None
        self.app = create_app(Config(state_file=state_file))
        self.client = self.app.test_client()
        response = self.client.post(LOGIN_PATH, json=LOGIN)
        assert response.status_code == 200, response.get_json()
        token = response.get_json()["details"]["accessToken"]
        self.headers = {"Authorization": f"Bearer {token}", "otp": "123456"}
        self.runtime = sandbox_of(self.app).runtime("ibanera")
        self.manager = self.runtime.auth.authenticate(f"Bearer {token}", "123456")
        self.collection = sandbox_of(self.app).store.collection("ibanera.managees")
        rules = self.runtime.managees.rules_for(self.manager)
        self.template = s.CreateManageeSchema().load_request(managee(), rules)
        self._serial = 0
        self.middle_page = max(1, size // PAGE_SIZE // 2)
        self.middle_offset = (self.middle_page - 1) * PAGE_SIZE

    def email(self, kind: str) -> str:
        self._serial += 1
        return f"{kind}{self._serial}@bench.example.com"

    def count(self) -> int:
        return self.collection.page(TENANT, limit=0).total

    def fill(self) -> dict:
        """Pre-fill through the service layer (the handler's code after
        validation). Returns the overall rate and the rates of the first and
        last tenth of the fill, which show whether insert cost grows."""
        todo = self.size - self.count()
        tenth = max(1, todo // 10)
        create = self.runtime.managees.create_managee
        with self.runtime.context.fakes.seeded("bench.warm-up"):
            pass  # Faker is built on first use (~0.3 s): keep that out of the fill rate
        marks = []
        start = perf()
        for i in range(todo):
            if i % tenth == 0:
                marks.append((i, perf()))
            data = own_copy(self.template)
            data["emailAddress"] = self.email("fill")
            create(self.manager, data)
        end = perf()
        marks.append((todo, end))
        assert self.count() == self.size, (self.count(), self.size)
        first = (marks[1][0] - marks[0][0]) / (marks[1][1] - marks[0][1])
        last = (marks[-1][0] - marks[-2][0]) / (marks[-1][1] - marks[-2][1])
        return {"records": todo, "seconds": end - start, "rate": todo / (end - start),
                "first_tenth": first, "last_tenth": last}

    # Each timed call returns its own duration; inputs are built before the clock starts.
    def http_create(self) -> float:
        body = managee(emailAddress=self.email("http"))
        t0 = perf()
        response = self.client.post(CREATE_PATH, json=body, headers=self.headers)
        dt = perf() - t0
        assert response.status_code == 200, response.get_json()
        return dt

    def http_list(self, page: int) -> float:
        url = f"{LIST_PATH}?PageNumber={page}&PageSize={PAGE_SIZE}"
        t0 = perf()
        response = self.client.get(url, headers=self.headers)
        dt = perf() - t0
        assert response.status_code == 200, response.get_json()
        assert len(response.get_json()["details"]) == PAGE_SIZE
        return dt

    def store_insert(self) -> float:
        record = own_copy(self.stored_template)
        record["emailAddress"] = self.email("store")
        t0 = perf()
        self.collection.insert(TENANT, record)
        return perf() - t0

    def store_page(self, offset: int) -> float:
        t0 = perf()
        page = self.collection.page(TENANT, offset=offset, limit=PAGE_SIZE)
        dt = perf() - t0
        assert len(page.items) == PAGE_SIZE
        return dt

    @property
    def stored_template(self) -> dict:
        """A record shaped as create_managee stores it (its first managee's)."""
        if not hasattr(self, "_stored_template"):
            first = self.collection.first(TENANT)
            self._stored_template = {k: v for k, v in first.items() if k != "id"}
        return self._stored_template


# -- plain TinyDB for contrast ------------------------------------------------------------
class PlainTinyDB:
    """Default TinyDB table on MemoryStorage, filled with insert_multiple
    (one table rewrite, O(n)); a one-by-one fill would be O(n^2)."""

    def __init__(self, size: int, doc: dict):
        self.size = size
        self.label = label(size)
        self.db = TinyDB(storage=MemoryStorage)
        self.table = self.db.table("managees")
        self.doc = doc
        self._serial = 0
        t0 = perf()
        self.table.insert_multiple({**doc, "emailAddress": f"fill{i}@bench.example.com"} for i in range(size))
        self.fill_seconds = perf() - t0
        self.query = Query()

    def insert(self) -> float:
        self._serial += 1
        doc = {**self.doc, "emailAddress": f"new{self._serial}@bench.example.com"}
        t0 = perf()
        self.table.insert(doc)
        return perf() - t0

    def search(self) -> float:
        # A different existing email each time: the query cache cannot answer
        # (and every insert clears it anyway).
        self._serial += 1
        cond = self.query.emailAddress == f"fill{(self._serial * 7919) % self.size}@bench.example.com"
        t0 = perf()
        found = self.table.search(cond)
        dt = perf() - t0
        assert len(found) == 1
        return dt


def own_copy(doc: dict) -> dict:
    """A copy with its own lists and dicts, as a parsed request body would
    have (a shallow copy would share them across 100k records and make the
    heap, hence garbage-collection passes, smaller than a real server's)."""
    return {k: (v.copy() if isinstance(v, (list, dict)) else v) for k, v in doc.items()}


# -- measuring ------------------------------------------------------------------------
def label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def run_rounds(subjects: list, cases: dict[str, Callable], per_case: int, rounds: int) -> dict:
    """Time `per_case` calls of every case on every subject, in `rounds` rounds.
    Subjects swap order each round (ABBA...); within a subject the cases
    alternate call by call. Returns {case: {subject.label: [seconds, ...]}}."""
    samples = {case: {sub.label: [] for sub in subjects} for case in cases}
    base, extra = divmod(per_case, rounds)
    for r in range(rounds):
        n = base + (1 if r < extra else 0)
        order = subjects if r % 2 == 0 else subjects[::-1]
        for sub in order:
            for _ in range(n):
                for case, call in cases.items():
                    samples[case][sub.label].append(call(sub))
    return samples


def warm_up(subjects: list, cases: dict[str, Callable], n: int) -> None:
    for sub in subjects:
        for _ in range(n):
            for call in cases.values():
                call(sub)


def p90(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=10, method="inclusive")[8]


def fmt(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3f} ms"
    return f"{seconds * 1e6:.1f} us"


class Report:
    def __init__(self, small: str, big: str):
        self.small, self.big = small, big
        self.rows: list[tuple[str, float, float, float, str]] = []
        print(f"{'case':<40}{small + ' median':>13}{big + ' median':>13}{'ratio':>8}   "
              f"{f'(p90 {small} / {big})':<25}{f'(max {small} / {big})'}")

    def add(self, name: str, a: list[float], b: list[float], check: bool = False) -> float:
        ratio = statistics.median(b) / statistics.median(a)
        flag = ""
        if check:
            flag = "  ok" if ratio <= TARGET_RATIO else f"  FAIL (> {TARGET_RATIO})"
        print(f"{name:<40}{fmt(statistics.median(a)):>13}{fmt(statistics.median(b)):>13}{ratio:>8.2f}   "
              f"{fmt(p90(a)) + ' / ' + fmt(p90(b)):<25}{fmt(max(a)) + ' / ' + fmt(max(b))}{flag}")
        if check:
            self.rows.append((name, statistics.median(a), statistics.median(b), ratio, flag))
        return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 10,000 instead of 100,000 managees and fewer requests")
    parser.add_argument("--requests", type=int, help="timed HTTP requests per case per size")
    parser.add_argument("--rounds", type=int, default=10, help="rounds the timed requests are split into")
    parser.add_argument("--state-file", action="store_true",
                        help="persist each app to a state file (journal) in a temporary directory")
    args = parser.parse_args(argv)
    state_dir = tempfile.mkdtemp(prefix="bench-state-") if args.state_file else None

    small, big = 1_000, (10_000 if args.quick else 100_000)
    http_n = args.requests or (200 if args.quick else 1_000)
    store_n = 2 * http_n
    tiny_small, tiny_big, tiny_n = 1_000, 20_000, (40 if args.quick else 200)
    warm = 20 if args.quick else 50
    started = perf()

    print(f"fintech-sandbox Ibanera micro-benchmark{' (--quick)' if args.quick else ''}: "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"TinyDB {__import__('importlib.metadata').metadata.version('tinydb')}")
    print(f"state: {'--state-file (TinyDB JSON file + journal) in ' + state_dir if state_dir else 'memory only'}")
    print(f"sizes {label(small)} vs {label(big)} managees; {http_n} timed HTTP requests and "
          f"{store_n} store calls per case per size, {args.rounds} rounds, ABBA order, {warm} warm-up each")
    print()

    # -- fill ------------------------------------------------------------------------
    boxes = []
    for size in (small, big):
        box = Sandbox(size, state_dir)
        f = box.fill()
        print(f"fill {box.label:>5} via ManageeService.create_managee: {f['records']:>7} records in "
              f"{f['seconds']:6.2f} s = {f['rate']:8.0f} rec/s "
              f"(first tenth {f['first_tenth']:.0f} rec/s, last tenth {f['last_tenth']:.0f} rec/s)")
        boxes.append(box)
    gc.collect()  # start the timed part from a clean heap (GC stays enabled)
    a, b = boxes
    print(f"list pages timed: 1 and the middle page ({a.label}: {a.middle_page}, {b.label}: {b.middle_page}), "
          f"PageSize={PAGE_SIZE}")
    print()

    # Reads first, at exactly the filled sizes; then writes, which grow the
    # stores (the small one proportionally more: its "1k" becomes a few k).
    phases = {}  # phase -> (size range of each app during it)

    def phase(name: str, cases: dict, per_case: int, warm_n: int) -> dict:
        before = [box.count() for box in boxes]
        warm_up(boxes, cases, warm_n)
        samples = run_rounds(boxes, cases, per_case, args.rounds)
        phases[name] = [(x, box.count()) for x, box in zip(before, boxes)]
        return samples

    http = phase("HTTP list", {
        "HTTP list page 1": lambda box: box.http_list(1),
        "HTTP list middle page": lambda box: box.http_list(box.middle_page),
    }, http_n, warm)
    store = phase("store page", {
        "store page 1 (Collection.page)": lambda box: box.store_page(0),
        "store middle page": lambda box: box.store_page(box.middle_offset),
    }, store_n, warm)
    http |= phase("HTTP create", {"HTTP create managee": lambda box: box.http_create()}, http_n, warm)
    store |= phase("store insert", {"store insert (Collection.insert)": lambda box: box.store_insert()}, store_n, warm)
    http_cases = ("HTTP create managee", "HTTP list page 1", "HTTP list middle page")
    store_cases = ("store insert (Collection.insert)", "store page 1 (Collection.page)", "store middle page")

    # -- plain TinyDB ----------------------------------------------------------------
    plain = [PlainTinyDB(tiny_small, a.stored_template), PlainTinyDB(tiny_big, a.stored_template)]
    tiny_cases = {
        "plain TinyDB insert": lambda t: t.insert(),
        "plain TinyDB Query search": lambda t: t.search(),
    }
    warm_up(plain, tiny_cases, 5)
    tiny = run_rounds(plain, tiny_cases, tiny_n, min(args.rounds, tiny_n))

    # -- report ----------------------------------------------------------------------
    print(f"small = {a.label}, big = {b.label} managees (plain TinyDB: {label(tiny_small)} vs {label(tiny_big)} rows); "
          f"ratio = big median / small median, target <= {TARGET_RATIO} for HTTP")
    report = Report(a.label, b.label)
    for case in http_cases:
        report.add(case, http[case][a.label], http[case][b.label], check=True)
    for case in store_cases:
        report.add(case, store[case][a.label], store[case][b.label])
    for case in tiny_cases:
        report.add(f"{case} ({label(tiny_small)} vs {label(tiny_big)})",
                   tiny[case][plain[0].label], tiny[case][plain[1].label])
    print(f"(plain TinyDB fill by insert_multiple: {label(tiny_small)} in {plain[0].fill_seconds * 1e3:.1f} ms, "
          f"{label(tiny_big)} in {plain[1].fill_seconds * 1e3:.1f} ms; {tiny_n} timed calls per case per size)")
    print()
    print("managees stored during each phase (reads ran first, at the filled sizes):")
    for name, (sa, sb) in phases.items():
        print(f"  {name:<13} {a.label} app {sa[0]:>6} -> {sa[1]:>6}    {b.label} app {sb[0]:>6} -> {sb[1]:>6}")
    print(f"total benchmark time: {perf() - started:.1f} s")

    if state_dir:
        shutil.rmtree(state_dir, ignore_errors=True)
    failed = [row for row in report.rows if row[3] > TARGET_RATIO]
    if failed:
        for name, _, _, ratio, _ in failed:
            print(f"FAIL: {name}: {b.label}/{a.label} median ratio {ratio:.2f} > {TARGET_RATIO}", file=sys.stderr)
        return 1
    print(f"OK: every HTTP ratio ({b.label}/{a.label}) is <= {TARGET_RATIO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
