#!/usr/bin/env python
"""Start-up: how long until the sandbox answers, and what the pytest plugin adds to a session.

    python bench/startup.py              # 7 runs of each, every run in a process of its own
    python bench/startup.py --runs 5
    python bench/startup.py --candidate before=/tmp/before   # serve only: this checkout and another

--candidate NAME=DIR (repeatable) also times serve from the checkout DIR (e.g. `git archive <commit> | tar -x
-C DIR`), with the same python: `python -m sandbox` run in DIR imports DIR's sandbox package before the
installed one. Its runs are interleaved with this checkout's, so both see the same load on the machine;
it times serve only. --serve-only skips the pytest measures (~6 s a run).

Each child runs as an installed package would, with byte code cached (PYTHONDONTWRITEBYTECODE unset),
after one untimed run of each.

* serve: `python -m sandbox serve --port P --quiet` started, /healthz polled every 2 ms; the time from
  the start of the process to its first 200 (goal: at most 0.5 s);
* plugin session start: `pytest --collect-only` of one trivial test, with the plugin loaded (its entry
  point, as a partner's suite loads it) minus the same with `-p no:sandbox`: what the plugin adds before
  the first test (goal: at most 150 ms);
* first sandbox: the same one-test session whose test takes the `sandbox` fixture (the in-process sandbox
  started on first use), minus the plugin-less collect: what a suite's first sandbox test waits.

Median and max of the runs. Exit status 1 (a FAIL line) when a goal's median fails.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
#: as an installed package runs: with its compiled byte code (pip writes it at install; an environment with
#: PYTHONDONTWRITEBYTECODE set would otherwise compile every module of the sandbox on every start, ~0.2 s)
ENV = {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "PYTEST_ADDOPTS")}
GOAL_SERVE_S, GOAL_PLUGIN_MS = 0.5, 150.0
#: the checkouts of servers that did not stop within 10 s of SIGTERM (killed)
UNSTOPPED: list[Path] = []
#: each checkout's CPU seconds (user + system) spent by its server up to its first healthy answer
CPU: dict[Path, list[float]] = {}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_once(checkout: Path = ROOT) -> float:
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([PYTHON, "-m", "sandbox", "serve", "--port", str(port), "--quiet"], cwd=checkout,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    try:
        deadline = started + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        took = time.perf_counter() - started
                        CPU.setdefault(checkout, []).append(cpu_seconds(server.pid))
                        return took
            except OSError:
                if time.perf_counter() > deadline or server.poll() is not None:
                    raise RuntimeError("the server never became healthy") from None
                time.sleep(0.002)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:  # counted and told, not the end of the measure
            UNSTOPPED.append(checkout)
            server.kill()
            server.wait(10)


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used so far (Linux /proc; NaN elsewhere): on a machine shared
    with other work, less swayed by it than the wall time."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pytest_once(folder: Path, *options: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "-p", "no:randomly", *options, str(folder)], cwd=folder, capture_output=True, text=True,
                          check=False, env=ENV)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"pytest {' '.join(options)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return took


def summary(values: list[float], scale: float, unit: str) -> str:
    return f"median {statistics.median(values) * scale:7.1f} {unit}   max {max(values) * scale:7.1f} {unit}"


def serve_only(runs: int, candidates: dict[str, Path]) -> int:
    checkouts = {"this": ROOT, **candidates}
    times: dict[str, list[float]] = {name: [] for name in checkouts}
    for checkout in checkouts.values():
        serve_once(checkout)  # untimed: byte code written, file caches warm
    for _ in range(runs):  # interleaved, so drift in the machine falls on each alike
        for name, checkout in checkouts.items():
            times[name].append(serve_once(checkout))
    print(f"{runs} runs each, every run its own process (python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.2f})")
    for name, values in times.items():
        print(f"  serve ({name:>6}): start to first healthy answer   {summary(values, 1000, 'ms')}   "
              f"(goal <= {GOAL_SERVE_S * 1000:.0f} ms)")
    for name, checkout in checkouts.items():
        print(f"  serve ({name:>6}): its CPU time (user + system)    {summary(CPU[checkout][-runs:], 1000, 'ms')}")
    for checkout in UNSTOPPED:
        print(f"  WARNING: a server from {checkout} did not stop within 10 s of SIGTERM (killed)")
    if statistics.median(times["this"]) > GOAL_SERVE_S:
        print("FAIL: serve start", file=sys.stderr)
        return 1
    print("OK: serve start")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--candidate", metavar="NAME=DIR", action="append", default=[],
                        help="also time serve from this checkout, interleaved (repeatable)")
    parser.add_argument("--serve-only", action="store_true", help="time serve only, not the pytest plugin")
    args = parser.parse_args()
    candidates = {}
    for item in args.candidate:
        name, _, folder = item.partition("=")
        if not name or not (Path(folder) / "sandbox" / "__main__.py").is_file():
            parser.error(f"--candidate wants NAME=DIR, DIR a checkout with sandbox/, got {item!r}")
        candidates[name] = Path(folder).resolve()
    if args.serve_only or candidates:
        return serve_only(args.runs, candidates)
    with tempfile.TemporaryDirectory() as scratch:
        plain, fixture = Path(scratch) / "plain", Path(scratch) / "fixture"
        plain.mkdir()
        fixture.mkdir()
        (plain / "test_plain.py").write_text("def test_nothing():\n    assert True\n")
        (fixture / "test_fixture.py").write_text("def test_sandbox(sandbox):\n    assert sandbox.url\n")
        serve, without, with_plugin, first = [], [], [], []
        serve_once(), pytest_once(fixture)  # untimed: byte code written, file caches warm
        for _ in range(args.runs):  # interleaved, so drift in the machine falls on each alike
            serve.append(serve_once())
            without.append(pytest_once(plain, "--collect-only", "-p", "no:sandbox"))
            with_plugin.append(pytest_once(plain, "--collect-only"))
            first.append(pytest_once(fixture))
    plugin = [w - o for w, o in zip(with_plugin, without, strict=True)]
    first_sandbox = [f - o for f, o in zip(first, without, strict=True)]
    print(f"{args.runs} runs each, every run its own process (python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.2f})")
    print(f"  serve: start to first healthy answer       {summary(serve, 1000, 'ms')}   "
          f"(goal <= {GOAL_SERVE_S * 1000:.0f} ms)")
    print(f"  pytest --collect-only, no plugin           {summary(without, 1000, 'ms')}")
    print(f"  pytest --collect-only, with the plugin     {summary(with_plugin, 1000, 'ms')}")
    print(f"  plugin session start (difference)          {summary(plugin, 1000, 'ms')}   "
          f"(goal <= {GOAL_PLUGIN_MS:.0f} ms)")
    print(f"  first sandbox test (run - plain collect)   {summary(first_sandbox, 1000, 'ms')}")
    failures = []
    if statistics.median(serve) > GOAL_SERVE_S:
        failures.append("serve start")
    if statistics.median(plugin) * 1000 > GOAL_PLUGIN_MS:
        failures.append("plugin session start")
    if failures:
        print("FAIL: " + ", ".join(failures), file=sys.stderr)
        return 1
    print("OK: both goals hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
