"""Start the real `fintech-sandbox serve` process on 127.0.0.1 for a test."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parents[1]


class Server:
    def __init__(self, *args: str, env: dict | None = None):
        self.args = args
        self.env = env
        self.banner: list[str] = []
        self.url = ""

    def __enter__(self) -> Self:
        command = [sys.executable, "-m", "sandbox", "serve", "--host", "127.0.0.1", "--port", "0", *self.args]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=self.env)
        ready = threading.Event()

        def read_banner():
            for line in self.process.stdout:
                self.banner.append(line.rstrip("\n"))
                match = re.search(r" on (http://127\.0\.0\.1:\d+)", line)
                if match:
                    self.url = match[1]
                if line.startswith("SANDBOX_URL="):  # the banner's last line
                    ready.set()
            ready.set()

        threading.Thread(target=read_banner, daemon=True).start()
        if not ready.wait(15) or not self.url:
            self.process.kill()
            raise RuntimeError(f"server did not start: {self.process.stderr.read()}")
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("server never became healthy")

    def request(self, method: str, path: str, body=None, headers: dict | None = None, raw: bytes | None = None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={
            **({"Content-Type": "application/json"} if data is not None else {}), **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def stop(self) -> int:
        """SIGTERM, as a container runtime stops it. A server still running 10 s later fails the
        test (the timeout is raised) and is killed first, so no hung server outlives the run."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            raise

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.stop()
