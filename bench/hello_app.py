"""The "ceiling" for compare_prism.py: a Flask hello-world on the sandbox's own
server (sandbox/server.py), so the table shows what Flask and that server can do at best.

    .venv/bin/python bench/hello_app.py --port 8099 [--threads 8]
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from flask import Flask, jsonify

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from the repository root

from sandbox.server import create_server

app = Flask(__name__)


@app.get("/")
def hello():
    return jsonify(hello="world")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    server = create_server(app, host=args.host, port=args.port, threads=args.threads, max_body_bytes=1 << 20)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # as serve does: a clean stop
    server.serve_until_stopped()


if __name__ == "__main__":
    main()
