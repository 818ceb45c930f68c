#!/usr/bin/env python3
"""Smoke test of a running sandbox (stdlib only), e.g. the container image:

    SANDBOX_URL=http://127.0.0.1:8080 python3 .ci/container-smoke.py
    ../shared/tools/container-check -- python3 .ci/container-smoke.py

Checks /healthz, an Ibanera login, an authenticated managees list and the
OpenAPI document. Exits non-zero with a message on the first failure."""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request

BASE = os.environ.get("SANDBOX_URL", "http://127.0.0.1:8080").rstrip("/")
OTP = "123456"
LOGIN = {"username": "manager@example.com", "password": "sandbox-password", "otp": OTP}


def fail(message: str) -> None:
    print(f"container-smoke: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def call(method: str, path: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except (urllib.error.URLError, OSError) as exc:
        fail(f"{method} {path}: no answer ({exc})")
    try:
        return status, json.loads(raw)
    except ValueError:
        fail(f"{method} {path}: HTTP {status}, not JSON: {raw[:200]!r}")


def expect_200(method: str, path: str, **kwargs) -> object:
    status, payload = call(method, path, **kwargs)
    if status != 200:
        fail(f"{method} {path}: expected 200, got {status}: {json.dumps(payload)[:300]}")
    return payload


def main() -> None:
    health = expect_200("GET", "/healthz")
    if not isinstance(health, dict) or health.get("status") != "ok":
        fail(f"GET /healthz: unexpected body {health!r}")
    print(f"ok  GET /healthz  version={health.get('version')} scenario={health.get('scenario')} "
          f"providers={health.get('providers')}")

    login = expect_200("POST", "/ibanera/api/v1/public/auth/login", body=LOGIN)
    token = (login.get("details") or {}).get("accessToken") if isinstance(login, dict) else None
    if not isinstance(token, str) or not token:
        fail(f"POST /ibanera/api/v1/public/auth/login: no details.accessToken in {json.dumps(login)[:300]}")
    print("ok  POST /ibanera/api/v1/public/auth/login  (got an accessToken)")

    managees = expect_200("GET", "/ibanera/api/v1/customer/managees/list",
                          headers={"Authorization": f"Bearer {token}", "otp": OTP})
    if not isinstance(managees, dict) or managees.get("status") != "1":
        fail(f"GET /ibanera/api/v1/customer/managees/list: expected status \"1\", got {json.dumps(managees)[:300]}")
    print("ok  GET /ibanera/api/v1/customer/managees/list  status=\"1\"")

    spec = expect_200("GET", "/ibanera/openapi.json")
    if not isinstance(spec, dict) or "openapi" not in spec or not spec.get("paths"):
        fail("GET /ibanera/openapi.json: not an OpenAPI document with paths")
    print(f"ok  GET /ibanera/openapi.json  openapi={spec['openapi']} paths={len(spec['paths'])}")
    print("container-smoke: all checks passed")


if __name__ == "__main__":
    main()
