#!/usr/bin/env python
"""Throughput and latency of the sandbox next to Prism and a Flask hello-world, under wrk.

Three servers run side by side on 127.0.0.1, each started here on a free port:

* ours:  `python -m sandbox serve`, or any command given with --ours-cmd; and each --candidate
  (another setting of ours, e.g. another thread count), in the same rotation;
* Prism: Stoplight's OpenAPI mock server (`prism mock`, static examples) on openapi/ibanera.json;
* hello: a Flask hello-world on the sandbox's server (bench/hello_app.py), the ceiling for Flask + that server.

For each row, an operation at 1 or 8 connections, wrk measures ours, Prism and hello (GET / at the
same connections) in alternating rounds (A B C A B C ...), and the table shows the median of the rounds:

* create managee: POST /ibanera/api/v4/customer/managees/create, examples/ibanera-create-managee.json
  with a new emailAddress in every request (bench/compare_prism.lua), since ours refuses repeats;
* list managees:  GET /ibanera/api/v1/customer/managees/list?PageNumber=1&PageSize=10, a full page.

wrk runs one thread per connection and counts the answers each thread (so each connection) got:
wrk's percentiles only cover answered requests, so a connection a server starves would make its
p99 look good. A round where a connection got no answer fails the row.

It installs wrk (apt-get) and Prism (npm, into bench/.tools/) when they are missing, probes every
operation on every server before timing (each must answer 2xx) and stops every server it started,
also on Ctrl-C or an error. It only measures: issue 18's goals are printed, not enforced.

Exit status: 0 when it ran; 1 when some timed request got a non-2xx answer or a connection got no
answers in a round (the figures are then not comparable); 2 when it could not run (tools, servers,
probes); 130 on Ctrl-C.

    python bench/compare_prism.py [--quick] [--rounds 3 --duration 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import itertools
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
TOOLS = BENCH / ".tools"
PRISM = TOOLS / "node_modules" / ".bin" / "prism"
PRISM_PACKAGE = "@stoplight/prism-cli@5"
LUA_SCRIPT = BENCH / "compare_prism.lua"
HELLO_APP = BENCH / "hello_app.py"
OPENAPI_DOC = ROOT / "openapi" / "ibanera.json"
CREATE_EXAMPLE = ROOT / "examples" / "ibanera-create-managee.json"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"

HOST = "127.0.0.1"
THREADS = 8  # the sandbox's default --threads; hello gets the same
PREFIX = "/ibanera"  # where ours serves Ibanera (the document's `servers` URL)
LOGIN = {"username": "manager@example.com", "password": "sandbox-password", "otp": "123456"}
OTP = "123456"
EMAIL_MARK = "@@EMAIL@@"  # replaced per request by compare_prism.lua
#: issue 18's goals: ours/Prism in req/s per operation; and ours' p99 at or below Prism's
GOALS = {"create": 1.2, "list": 1.5}
CONNECTIONS = (1, 8)
SERVERS = ["ours", "prism", "hello"]  # and any --candidate, after ours (set by parse_args)


class BenchError(Exception):
    """The benchmark cannot run (missing tool, server that does not start, failed probe)."""


# -- tools -----------------------------------------------------------------------------------
def run_quiet(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run cmd, its output captured; the caller reads returncode itself."""
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)


def ensure_wrk() -> str:
    if shutil.which("wrk"):
        return shutil.which("wrk")
    print("installing wrk: apt-get install -y wrk", flush=True)
    if run_quiet(["apt-get", "install", "-y", "wrk"]).returncode != 0:
        # A fresh machine's package lists may be empty or stale.
        print("  not found; apt-get update, then again", flush=True)
        run_quiet(["apt-get", "update"])
        result = run_quiet(["apt-get", "install", "-y", "wrk"])
        if result.returncode != 0:
            raise BenchError(f"apt-get install -y wrk failed:\n{result.stderr[-2000:]}")
    if not shutil.which("wrk"):
        raise BenchError("wrk is still not on PATH after apt-get install")
    print(f"  installed {wrk_version()}", flush=True)
    return shutil.which("wrk")


def ensure_prism() -> Path:
    if PRISM.exists():
        return PRISM
    if not shutil.which("npm"):
        raise BenchError("Prism is not installed and npm is not on PATH (install Node.js and npm)")
    cmd = ["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", PRISM_PACKAGE]
    print(f"installing Prism: {' '.join(cmd)}", flush=True)
    TOOLS.mkdir(parents=True, exist_ok=True)
    result = run_quiet(cmd, timeout=600)
    if result.returncode != 0 or not PRISM.exists():
        raise BenchError(f"npm install failed:\n{result.stderr[-2000:]}")
    print(f"  installed prism {prism_version()} in {TOOLS.relative_to(ROOT)}/", flush=True)
    return PRISM


def wrk_version() -> str:
    # `wrk -v` prints its banner and exits 1.
    return run_quiet(["wrk", "-v"]).stdout.split("[")[0].strip() or "wrk ?"


def prism_version() -> str:
    return run_quiet([str(PRISM), "--version"]).stdout.strip()


def venv_python() -> str:
    return str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable


def environment() -> dict:
    """Facts printed in the header and stored in --json."""
    py = venv_python()
    code = ("import platform, importlib.metadata as m; "
            "print(platform.python_version(), m.version('httptools'), m.version('uvloop'), m.version('flask'))")
    versions = run_quiet([py, "-c", code])
    python, httptools, uvloop, flask = (versions.stdout.split() + ["?"] * 4)[:4]
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": platform.machine(),
        "nproc": len(os.sched_getaffinity(0)),
        "python": python,
        "httptools": httptools,
        "uvloop": uvloop,
        "flask": flask,
        "prism": prism_version(),
        "node": run_quiet(["node", "--version"]).stdout.strip(),
        "wrk": wrk_version(),
        # Other work on the machine (a test run, a build) skews every figure: show it.
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


# -- servers ---------------------------------------------------------------------------------
@dataclass
class Server:
    name: str
    cmd: list[str]
    cwd: Path
    ready_path: str  # any answer to it means up; `ready_status` narrows that
    ready_status: int | None = None
    ready_headers: dict = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen | None = None
    log: Path | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start(server: Server, logdir: Path) -> None:
    server.log = logdir / f"{server.name}.log"
    with open(server.log, "wb") as log:
        # Own session, so that stop() can end the server and anything it forked.
        server.proc = subprocess.Popen(server.cmd, cwd=server.cwd, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)


def wait_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise BenchError(f"{server.name} exited with {server.proc.returncode}:\n{log_tail(server)}")
        try:
            status, _ = request(server.port, "GET", server.ready_path, server.ready_headers, timeout=2)
            if server.ready_status in (None, status):
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"{server.name} not ready after {timeout:.0f} s:\n{log_tail(server)}")


def stop(server: Server) -> None:
    proc = server.proc
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def log_tail(server: Server, lines: int = 30) -> str:
    try:
        text = server.log.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join("    " + line for line in text[-lines:])


def make_servers(args: argparse.Namespace) -> dict[str, Server]:
    ports = {name: free_port() for name in SERVERS}
    commands = {"ours": args.ours_cmd, **dict(args.candidates)}
    prism_cmd = [str(PRISM), "mock", "-h", HOST, "-p", str(ports["prism"]),
                 "--dynamic=false",  # static: the same answer every time (Prism's default, said aloud)
                 "-v", args.prism_log_level, str(OPENAPI_DOC)]
    hello_cmd = [venv_python(), str(HELLO_APP), "--host", HOST, "--port", str(ports["hello"]),
                 "--threads", str(THREADS)]
    servers = {
        **{name: Server(name, shlex.split(cmd.format(port=ports[name])), Path(args.ours_cwd), "/healthz", 200)
           for name, cmd in commands.items()},
        # Prism has no health endpoint: any HTTP answer (even 401 or 404) means it listens.
        "prism": Server("prism", prism_cmd, ROOT, "/"),
        "hello": Server("hello", hello_cmd, ROOT, "/", 200),
    }
    for name, server in servers.items():
        server.port = ports[name]
    return servers


# -- HTTP (setup and probes; timing is wrk's) --------------------------------------------------
def request(port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None,
            timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def login(port: int, name: str = "ours") -> str:
    status, body = request(port, "POST", f"{PREFIX}/api/v1/public/auth/login",
                           {"Content-Type": "application/json"}, json.dumps(LOGIN).encode())
    if status != 200:
        raise BenchError(f"{name}: login answered {status}: {body[:300]!r}")
    return json.loads(body)["details"]["accessToken"]


def schema_cased(body: dict, schema_name: str) -> dict:
    """`body` with each key spelled as in the OpenAPI schema (matched case-insensitively).

    The documented example writes some keys in PascalCase (`MonthlyTurnover`) while
    openapi/ibanera.json names them in camelCase with additionalProperties false; ours
    accepts either, but Prism validates strictly and answers 400 to the example as is.
    Only the case changes, so both servers get bodies of the same length."""
    doc = json.loads(OPENAPI_DOC.read_text())
    names = {name.lower(): name for name in doc["components"]["schemas"][schema_name]["properties"]}
    return {names.get(key.lower(), key): value for key, value in body.items()}


def prism_base(port: int, probe_path: str, headers: dict) -> str:
    """Where Prism serves the operations: under the document's server URL, or at the root.

    Prism 5 ignores a relative `servers` URL such as "/ibanera" and serves the paths at the root
    (/ibanera/... answers 404 NO_PATH_MATCHED_ERROR); probe rather than assume, in case that changes."""
    for base in (PREFIX, ""):
        status, _ = request(port, "GET", base + probe_path, headers)
        if status != 404:
            return base
    raise BenchError(f"prism: 404 for {PREFIX}{probe_path} and for {probe_path}")


# -- what is timed ---------------------------------------------------------------------------
@dataclass
class Target:
    """One server's version of one operation, as wrk sends it."""
    port: int
    method: str
    path: str
    headers: dict
    body_file: Path | None = None  # may hold EMAIL_MARK

    def probe_body(self) -> bytes | None:
        if self.body_file is None:
            return None
        email = f"probe.{time.time_ns()}@example.com"
        return self.body_file.read_text().replace(EMAIL_MARK, email).encode()


@dataclass
class Operation:
    key: str
    label: str
    targets: dict[str, Target]  # by server name


def write_body(path: Path, body: dict) -> Path:
    body = dict(body, emailAddress=EMAIL_MARK)
    path.write_text(json.dumps(body, separators=(",", ":")))
    return path


def ours_like(servers: dict) -> list[str]:
    """Ours and each candidate setting of ours: every server but Prism and hello."""
    return [name for name in servers if name not in ("prism", "hello")]


def operations(servers: dict[str, Server], tokens: dict[str, str], workdir: Path) -> list[Operation]:
    def headers_of(token: str) -> dict:
        return {"Authorization": f"Bearer {token}", "otp": OTP, "Content-Type": "application/json"}

    headers = headers_of(tokens["ours"])
    prism, hello = servers["prism"].port, servers["hello"].port
    create, listing = "/api/v4/customer/managees/create", "/api/v1/customer/managees/list?PageNumber=1&PageSize=10"
    base = prism_base(prism, listing, headers)
    print(f"prism: serves the document's server URL {PREFIX!r} at {base or '/'!r}; "
          f"prism paths are {base}/api/...", flush=True)
    example = json.loads(CREATE_EXAMPLE.read_text())
    ours_body = write_body(workdir / "create-ours.json", example)
    prism_body = write_body(workdir / "create-prism.json", schema_cased(example, "CreateManagee"))
    hello_target = Target(hello, "GET", "/", {})
    return [
        Operation("create", "create managee", {
            **{name: Target(servers[name].port, "POST", PREFIX + create, headers_of(tokens[name]), ours_body)
               for name in ours_like(servers)},
            "prism": Target(prism, "POST", base + create, headers, prism_body),
            "hello": hello_target,
        }),
        Operation("list", "list page of 10", {
            **{name: Target(servers[name].port, "GET", PREFIX + listing, headers_of(tokens[name]))
               for name in ours_like(servers)},
            "prism": Target(prism, "GET", base + listing, headers),
            "hello": hello_target,
        }),
    ]


def prefill(port: int, headers: dict, count: int) -> None:
    """Give ours a full first page to list (it starts with none for this manager)."""
    body = json.loads(CREATE_EXAMPLE.read_text())
    for i in range(count):
        body["emailAddress"] = f"prefill.{i}.{time.time_ns()}@example.com"
        status, answer = request(port, "POST", f"{PREFIX}/api/v4/customer/managees/create", headers,
                                 json.dumps(body).encode())
        if status != 200:
            raise BenchError(f"ours: prefill create answered {status}: {answer[:300]!r}")


def probe(ops: list[Operation]) -> None:
    """One request per operation and server before timing: each must answer 2xx."""
    failures = []
    for op in ops:
        for name, target in op.targets.items():
            status, body = request(target.port, target.method, target.path, target.headers, target.probe_body())
            label = "hello-world" if name == "hello" else op.label
            print(f"probe: {name:<5} {label:<16} {target.method} {target.path} -> {status}", flush=True)
            if not 200 <= status < 300:
                failures.append(f"{name} {op.label}: {status} {body[:400]!r}")
    if failures:
        raise BenchError("probes did not answer 2xx:\n  " + "\n  ".join(failures))


# -- wrk ----------------------------------------------------------------------------------------
_run_ids = itertools.count(1)
_run_prefix = format(int(time.time()) % 10**6, "x")  # differs between runs of this script too


def run_wrk(target: Target, connections: int, duration: int) -> dict:
    # One connection per wrk thread, so that what a thread counts is what a connection got: wrk's
    # percentiles only cover answered requests, and a starved connection would flatter them.
    threads = connections
    url = f"http://{HOST}:{target.port}{target.path}"
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency",
           "-s", str(LUA_SCRIPT)]
    for name, value in target.headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(url)
    env = dict(os.environ, BENCH_METHOD=target.method, BENCH_BODY_FILE=str(target.body_file or ""),
               BENCH_RUN_ID=f"{_run_prefix}r{next(_run_ids)}")
    result = run_quiet(cmd, env=env, timeout=duration + 60)
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")
    return parse_wrk(result.stdout)


def parse_wrk(out: str) -> dict:
    """Requests/sec and the non-2xx count from wrk's text, percentiles from the done() line."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.MULTILINE)
    done = re.search(r"^BENCH_RESULT (\{.*\})$", out, re.MULTILINE)
    if not rps or not done:
        raise BenchError(f"unexpected wrk output:\n{out}")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    figures = json.loads(done.group(1))
    return {
        "rps": float(rps.group(1)),
        "requests": figures["requests"],
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")),
        **{f"p{p}_ms": figures[f"p{p}_us"] / 1000 for p in ("50", "90", "99", "999")},
        "max_ms": figures["max_us"] / 1000,
        "answers_per_connection": figures["answers"],
    }


def median_of(rounds: list[dict]) -> dict:
    keys = ("rps", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms")
    summary = {key: statistics.median(r[key] for r in rounds) for key in keys}
    summary["worst_max_ms"] = max(r["max_ms"] for r in rounds)
    summary["non2xx"] = sum(r["non2xx"] for r in rounds)
    summary["socket_errors"] = sum(r["socket_errors"] for r in rounds)
    counts = [n for r in rounds for n in r["answers_per_connection"]]
    summary["fewest_answers"] = min(counts) if counts else 0  # on any one connection, in any round
    summary["most_answers"] = max(counts) if counts else 0
    return summary


def warm_up(ops: list[Operation], seconds: int) -> None:
    """Untimed load on every server first: Node's JIT and Python's caches warm up alike."""
    if seconds <= 0:
        return
    done = set()
    for op in ops:
        for target in op.targets.values():
            if id(target) not in done:
                done.add(id(target))
                run_wrk(target, 8, seconds)


def measure(ops: list[Operation], rounds: int, duration: int) -> list[dict]:
    rows = []
    for op in ops:
        for connections in CONNECTIONS:
            row = {"operation": op.key, "label": op.label, "connections": connections,
                   "rounds": {name: [] for name in SERVERS}}
            for i in range(rounds):
                for name in SERVERS:  # A B C A B C: drift in the machine falls on all three alike
                    row["rounds"][name].append(run_wrk(op.targets[name], connections, duration))
                line = "  ".join(f"{n} {row['rounds'][n][-1]['rps']:>7.0f} "
                                 f"(answers per conn {min(row['rounds'][n][-1]['answers_per_connection'])}.."
                                 f"{max(row['rounds'][n][-1]['answers_per_connection'])})" for n in SERVERS)
                print(f"  {op.label:<16} c={connections} round {i + 1}/{rounds}: {line} req/s", flush=True)
            row["median"] = {name: median_of(row["rounds"][name]) for name in SERVERS}
            prism = row["median"]["prism"]
            row["ratio_rps"] = {name: row["median"][name]["rps"] / prism["rps"] if prism["rps"] else None
                                for name in SERVERS}
            row["ratio_p99"] = {name: row["median"][name]["p99_ms"] / prism["p99_ms"] if prism["p99_ms"] else None
                                for name in SERVERS}
            rows.append(row)
    return rows


# -- report ---------------------------------------------------------------------------------------
def print_header(env: dict, args: argparse.Namespace, servers: dict[str, Server]) -> None:
    print(f"date {env['date']}  machine {env['machine']}  nproc {env['nproc']}  "
          f"load average (1 min, before start) {env['loadavg_1m']}")
    print(f"python {env['python']} (httptools {env['httptools']}, uvloop {env['uvloop']}, flask {env['flask']})  "
          f"prism {env['prism']} (node {env['node']})  {env['wrk']}")
    print(f"rounds {args.rounds} x {args.duration} s per server, warm-up {args.warmup} s; "
          f"wrk: one thread per connection (answers counted per connection)")
    for name, server in servers.items():
        print(f"  {name:<5} :{server.port}  {shlex.join(server.cmd)}  (cwd {server.cwd})")
    sys.stdout.flush()


def print_table(rows: list[dict]) -> None:
    head = (f"{'operation':<16} {'conns':>5} {'server':<12} | {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
            f"{'max ms':>7} {'answers/conn':>12} | {'Prism req/s':>11} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} | "
            f"{'hello req/s':>11} | {'/Prism':>6} {'p99 /Prism':>10}")
    print()
    print(head)
    print("-" * len(head))
    for row in rows:
        p, h = row["median"]["prism"], row["median"]["hello"]
        for name in (n for n in SERVERS if n not in ("prism", "hello")):
            o = row["median"][name]
            print(f"{row['label']:<16} {row['connections']:>5} {name:<12} | {o['rps']:>7.0f} {o['p50_ms']:>7.2f} "
                  f"{o['p99_ms']:>7.2f} {o['max_ms']:>7.2f} {o['fewest_answers']:>5}..{o['most_answers']:<5} | "
                  f"{p['rps']:>11.0f} {p['p50_ms']:>7.2f} {p['p99_ms']:>7.2f} {p['max_ms']:>7.2f} | "
                  f"{h['rps']:>11.0f} | {fmt_ratio(row['ratio_rps'][name]):>6} {fmt_ratio(row['ratio_p99'][name]):>10}")
    print("(req/s, p50, p99, max: median of the rounds; answers/conn: the fewest and most answers one connection "
          "got in any round; p99 /Prism < 1: a lower p99 than Prism's)")
    print()
    print("goals (issue 18): ours/Prism >= " + ", ".join(f"{v} on {k}" for k, v in GOALS.items())
          + ", our p99 at or below Prism's, every connection answered (for information, not enforced)")
    for row in rows:
        for name in (n for n in SERVERS if n not in ("prism", "hello")):
            ratio, p99 = row["ratio_rps"][name], row["ratio_p99"][name]
            answered = row["median"][name]["fewest_answers"] > 0 and row["median"]["prism"]["fewest_answers"] > 0
            verdict = "PASS" if (ratio is not None and ratio >= GOALS[row["operation"]] and p99 is not None
                                 and p99 <= 1 and answered) else "FAIL"
            print(f"  {row['label']:<16} c={row['connections']} {name:<12}: {fmt_ratio(ratio):>6}x req/s, "
                  f"p99 {fmt_ratio(p99)}x{'' if answered else ', a connection got NO answers'}  {verdict}")


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def report_errors(rows: list[dict]) -> bool:
    """Print every non-2xx answer and socket error; True when some timed request got a non-2xx."""
    bad = False
    for row in rows:
        for name in SERVERS:
            m = row["median"][name]
            if not m["fewest_answers"]:
                bad = True
                print(f"ERROR: {name} {row['label']} c={row['connections']}: a connection got no answers in a round "
                      f"(wrk's percentiles then leave out what it waited for)", file=sys.stderr)
            if m["non2xx"]:
                bad = True
                print(f"ERROR: {name} {row['label']} c={row['connections']}: {m['non2xx']} non-2xx answers "
                      f"(wrk's 'Non-2xx or 3xx responses')", file=sys.stderr)
            if m["socket_errors"]:
                print(f"warning: {name} {row['label']} c={row['connections']}: {m['socket_errors']} "
                      f"socket errors or timeouts", file=sys.stderr)
    return bad


def write_json(path: str, env: dict, args: argparse.Namespace, servers: dict[str, Server], rows: list[dict]) -> None:
    data = {
        "environment": env,
        "settings": {"rounds": args.rounds, "duration_s": args.duration, "warmup_s": args.warmup,
                     "prefill": args.prefill, "prism_log_level": args.prism_log_level,
                     "commands": {name: server.cmd for name, server in servers.items()}},
        "goals": GOALS,
        "rows": rows,
    }
    Path(path).write_text(json.dumps(data, indent=2) + "\n")
    print(f"wrote {path}")


# -- main -----------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per row and server (default 3)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run (whole seconds; default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed seconds per server and operation (default 1)")
    parser.add_argument("--quick", action="store_true", help="smoke run of about a minute: 2 rounds of 2 s")
    parser.add_argument("--prefill", type=int, default=50, help="managees created on ours before timing (default 50)")
    ours_cmd = f"{shlex.quote(venv_python())} -m sandbox serve --host {HOST} --port {{port}}"
    parser.add_argument("--ours-cmd", default=ours_cmd,
                        help="command that serves ours; {port} is replaced by a free port")
    parser.add_argument("--candidate", metavar="NAME=CMD", action="append", default=[],
                        help="another setting of ours, timed in the same rounds (repeatable), e.g. "
                             "'t1=.venv/bin/python -m sandbox serve --threads 1 --port {port}'")
    parser.add_argument("--ours-cwd", default=str(ROOT), help="where --ours-cmd runs (default: the repository root)")
    parser.add_argument("--prism-log-level", default="warn",
                        help="Prism's -v (default warn: no line per request; Prism's own default, info, is slower)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.duration = 2, 2
    if args.rounds < 1 or args.duration < 1:
        parser.error("--rounds and --duration must be at least 1")
    args.candidates = []
    for item in args.candidate:
        name, sep, cmd = item.partition("=")
        if not sep or not name or name in ("ours", "prism", "hello") or "{port}" not in cmd:
            parser.error(f"--candidate wants NAME=CMD with {{port}} in CMD, got {item!r}")
        args.candidates.append((name, cmd))
    SERVERS[1:1] = [name for name, _ in args.candidates]  # right after ours, in the rotation
    return args


def run(args: argparse.Namespace) -> int:
    ensure_wrk()
    ensure_prism()
    env = environment()
    servers = make_servers(args)
    print_header(env, args, servers)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="compare-prism-") as tmp:
        workdir = Path(tmp)
        try:
            for server in servers.values():
                start(server, workdir)
            for server in servers.values():
                wait_ready(server, timeout=60)
            tokens = {name: login(servers[name].port, name) for name in ours_like(servers)}
            ops = operations(servers, tokens, workdir)
            for name in ours_like(servers):
                prefill(servers[name].port, ops[0].targets[name].headers, args.prefill)
            probe(ops)
            warm_up(ops, args.warmup)
            rows = measure(ops, args.rounds, args.duration)
        finally:
            for server in servers.values():
                stop(server)
    print_table(rows)
    print(f"\ntotal {time.monotonic() - started:.0f} s")
    if args.json:
        write_json(args.json, env, args, servers, rows)
    return 1 if report_errors(rows) else 0


def interrupt(*_) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGTERM (e.g. from a CI timeout) unwinds like Ctrl-C, so the servers are stopped.
    signal.signal(signal.SIGTERM, interrupt)
    try:
        return run(args)
    except BenchError as exc:
        print(f"compare_prism: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("compare_prism: interrupted; servers stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
