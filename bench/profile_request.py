#!/usr/bin/env python
"""Where one request's time goes: an Ibanera create and a list, called on the
WSGI app in a loop (no test client, no socket), with each layer timed.

    python bench/profile_request.py                 # 2,000 of each, 7 rounds; the layers' medians
    python bench/profile_request.py --cprofile      # also cProfile's top functions (cumulative)

Layers are timed by wrapping each once (the wrappers' own cost, ~0.3 µs
each, falls on the layer): the observe wrapper (journal, log line, due
transitions) as what it adds around the app; Flask (the rest: request
context, routing, hooks, response); our view glue (the view, minus what
is timed inside it); security; reading the JSON body; marshmallow's load
(with the schema's hooks); the handler (service and store); the reply.
Each figure is the median over rounds of the per-request mean in µs.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LOGIN = {"username": "manager@example.com", "password": "sandbox-password", "otp": "123456"}
BASE = "/ibanera"


class Timer:
    """Wraps a callable and sums the time spent in it (re-entrant calls counted once)."""

    def __init__(self):
        self.total = 0.0
        self.depth = 0

    def wrap(self, fn):
        def timed(*args, **kwargs):
            self.depth += 1
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.depth -= 1
                if not self.depth:
                    self.total += time.perf_counter() - started
        timed.__dict__.update(getattr(fn, "__dict__", {}))  # e.g. a declared view's mark (sandbox/dispatch.py)
        timed.__wrapped__ = fn
        return timed


def environ(method: str, path: str, query: str, body: bytes, headers: dict) -> dict:
    from io import BytesIO

    env = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
           "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": BytesIO(body),
           "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
           "wsgi.version": (1, 0), "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": str(len(body))}
    if body:
        env["CONTENT_TYPE"] = "application/json"
    for name, value in headers.items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()

    from sandbox.app import create_app
    from sandbox.core import api as core_api
    from sandbox.core import http as core_http
    from sandbox.core.runtime import sandbox_of, settle_heap
    from tests.ibanera.payloads import managee

    timers = {name: Timer() for name in ("observe", "app", "view", "security", "json", "load", "handler", "reply")}
    core_api.json_object_body = timers["json"].wrap(core_http.json_object_body)  # read by the view when called
    app = create_app()
    # what each view settled at declaration (its security check, loaders, reply) it holds in its closure
    in_closure = {"check": "security", "load_body": "load", "load_query": "load", "reply": "reply"}
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith("ibanera."):
            for name, cell in zip(view.__code__.co_freevars, view.__closure__ or (), strict=True):
                if name in in_closure and cell.cell_contents is not None:
                    cell.cell_contents = timers[in_closure[name]].wrap(cell.cell_contents)
            app.view_functions[endpoint] = timers["view"].wrap(view)
    observed = app.wsgi_app
    inner = observed.wsgi_app
    observed.wsgi_app = timers["app"].wrap(inner)
    wsgi = timers["observe"].wrap(observed)
    settle_heap()

    def start_response(status, headers, exc_info=None):
        start_response.status = status

    def call(method, path, query="", body=b"", headers=None):
        chunks = wsgi(environ(method, path, query, body, headers or {}), start_response)
        data = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        return start_response.status, data

    _, data = call("POST", f"{BASE}/api/v1/public/auth/login", body=orjson.dumps(LOGIN))
    token = orjson.loads(data)["details"]["accessToken"]
    headers = {"Authorization": f"Bearer {token}", "otp": "123456"}
    runtime = sandbox_of(app).runtime("ibanera")
    # the handler: time the service call the route makes
    managees = runtime.managees
    managees.create_managee = timers["handler"].wrap(managees.create_managee)
    managees.list_managees = timers["handler"].wrap(managees.list_managees)

    body = managee()
    counter = iter(range(10**9))

    def create():
        body["emailAddress"] = f"p{next(counter)}@bench.example.com"
        status, data = call("POST", f"{BASE}/api/v4/customer/managees/create", body=orjson.dumps(body),
                            headers=headers)
        assert status.startswith("200"), data

    def listing():
        status, data = call("GET", f"{BASE}/api/v1/customer/managees/list", "PageNumber=1&PageSize=10",
                            headers=headers)
        assert status.startswith("200"), data

    for _ in range(200):
        create()
        listing()
    results: dict[str, dict[str, list[float]]] = {"create": {}, "list": {}}
    for _ in range(args.rounds):
        for op, fn in (("create", create), ("list", listing)):
            for timer in timers.values():
                timer.total = 0.0
            started = time.perf_counter()
            for _ in range(args.requests):
                fn()
            total = time.perf_counter() - started
            per = {name: timer.total / args.requests * 1e6 for name, timer in timers.items()}
            layers = {
                "total (WSGI call)": total / args.requests * 1e6,
                "observe wrapper": per["observe"] - per["app"],
                "Flask (context, routing, hooks, response)": per["app"] - per["view"],
                "view glue": per["view"] - per["security"] - per["json"] - per["load"] - per["handler"]
                - per["reply"],
                "security check": per["security"],
                "JSON body": per["json"],
                "marshmallow load (and hooks)": per["load"],
                "handler (service, store)": per["handler"],
                "reply": per["reply"],
            }
            for name, value in layers.items():
                results[op].setdefault(name, []).append(value)
    print(f"median of {args.rounds} rounds of {args.requests} requests each, µs per request "
          f"(python {sys.version.split()[0]})")
    print(f"{'layer':45} {'create':>8} {'list':>8}")
    for name in results["create"]:
        print(f"{name:45} {statistics.median(results['create'][name]):8.1f} "
              f"{statistics.median(results['list'][name]):8.1f}")
    if args.cprofile:
        for op, fn in (("create", create), ("list", listing)):
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                fn()
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
            print(f"\n== cProfile, {op} ==")
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
