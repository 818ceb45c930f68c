"""The "ceiling" for compare_prism.py: a Flask hello-world on waitress, with the same
thread count as the sandbox, so the table shows what Flask + waitress can do at best.

    .venv/bin/python bench/hello_app.py --port 8099 [--threads 8]
"""

from __future__ import annotations

import argparse
import signal
import sys

import waitress
from flask import Flask, jsonify

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
    # Exit promptly on SIGTERM, like the sandbox's serve command.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="hello")


if __name__ == "__main__":
    main()
