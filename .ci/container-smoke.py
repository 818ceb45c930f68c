#!/usr/bin/env python3
"""Smoke test of a running sandbox (stdlib only), e.g. the container image:

    SANDBOX_URL=http://127.0.0.1:8080 python3 .ci/container-smoke.py
    ../shared/tools/container-check -- python3 .ci/container-smoke.py

Walks one flow of each provider with the default scenario's credentials:
Ibanera login + managees list, Weavr consumer create + password + get,
P100 user create + balances, Prozora customer create + list; then the
OpenAPI documents and a reset. Exits non-zero with a message on the first
failure. Each run uses fresh names, so it can run twice against one server."""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request

BASE = os.environ.get("SANDBOX_URL", "http://127.0.0.1:8080").rstrip("/")
RUN = f"smoke{time.time_ns() % 10**9}"  # unique per run: email and ids never collide with an earlier run
JSON = {"Content-Type": "application/json"}


def fail(message: str) -> None:
    print(f"container-smoke: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def call(method: str, path: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={**(JSON if data is not None else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except (urllib.error.URLError, OSError) as exc:
        fail(f"{method} {path}: no answer ({exc})")
    if not raw:
        return status, None
    try:
        return status, json.loads(raw)
    except ValueError:
        fail(f"{method} {path}: HTTP {status}, not JSON: {raw[:200]!r}")


def expect(status_wanted: int, method: str, path: str, **kwargs) -> object:
    status, payload = call(method, path, **kwargs)
    if status != status_wanted:
        fail(f"{method} {path}: expected {status_wanted}, got {status}: {json.dumps(payload)[:300]}")
    return payload


def check(condition: bool, what: str, payload: object) -> None:
    if not condition:
        fail(f"{what}: unexpected answer {json.dumps(payload)[:300]}")


def ok(line: str) -> None:
    print(f"ok  {line}")


def health() -> None:
    body = expect(200, "GET", "/healthz")
    check(isinstance(body, dict) and body.get("status") == "ok", "GET /healthz", body)
    ok(f"GET /healthz  version={body.get('version')} scenario={body.get('scenario')} providers={body.get('providers')}")


def ibanera() -> None:
    otp = "123456"
    login = expect(200, "POST", "/ibanera/api/v1/public/auth/login",
                   body={"username": "manager@example.com", "password": "sandbox-password", "otp": otp})
    token = (login.get("details") or {}).get("accessToken") if isinstance(login, dict) else None
    check(isinstance(token, str) and token != "", "Ibanera login: details.accessToken", login)
    managees = expect(200, "GET", "/ibanera/api/v1/customer/managees/list",
                      headers={"Authorization": f"Bearer {token}", "otp": otp})
    check(isinstance(managees, dict) and managees.get("status") == "1", "Ibanera managees list", managees)
    ok(f"ibanera  login, then managees/list: status \"1\", {len(managees['details'])} managee(s)")


def weavr() -> None:
    key = {"api-key": "weavr-sandbox-api-key"}
    email = f"{RUN}@example.com"
    consumer = expect(200, "POST", "/weavr/multi/consumers", headers=key, body={
        "profileId": "1011", "ipAddress": "127.0.0.1",
        "rootUser": {"name": "Ada", "surname": "Lovelace", "email": email,
                     "mobile": {"countryCode": "+44", "number": "7700900123"},
                     "dateOfBirth": {"year": 1990, "month": 12, "day": 10},
                     "address": {"addressLine1": "1 Main Street", "city": "London", "postCode": "N1 9GU",
                                 "country": "GB"}}})
    consumer_id = (consumer.get("id") or {}).get("id") if isinstance(consumer, dict) else None
    check(isinstance(consumer_id, str), "Weavr create consumer: id.id", consumer)
    password = expect(200, "POST", f"/weavr/multi/passwords/{consumer_id}/create", headers=key,
                      body={"password": {"value": "Passw0rd!"}})
    token = password.get("token") if isinstance(password, dict) else None
    check(isinstance(token, str), "Weavr create password: token", password)
    got = expect(200, "GET", "/weavr/multi/consumers", headers={**key, "Authorization": f"Bearer {token}"})
    check(isinstance(got, dict) and got.get("id", {}).get("id") == consumer_id
          and got.get("rootUser", {}).get("email") == email, "Weavr get consumer", got)
    ok(f"weavr    consumer {consumer_id} created, password set, read back with its token")


def p100() -> None:
    key = {"x-api-key": "p100-sandbox-api-key"}
    user = expect(201, "POST", "/p100/v1/user/balances/crypto-and-fiat", headers=key, body={
        "externalUserId": RUN, "email": f"{RUN}@example.pl", "firstName": "Jan", "lastName": "Kowalski",
        "country": "PL", "citizenship": "PL", "hasAcceptedP100Tc": True})
    check(isinstance(user, dict) and isinstance(user.get("userId"), str), "P100 create user", user)
    balances = expect(200, "GET", f"/p100/v1/user/balances/{RUN}", headers=key)
    check(isinstance(balances, (dict, list)) and balances, "P100 balances", balances)
    ok(f"p100     user {user['userId']} created, balances read")


def prozora() -> None:
    counterparty = "0b8f6a0e-6d2c-4c37-9b7e-5a1d2c3e4f50"
    base = f"/prozora/api/v1/counterparty/{counterparty}/customers"
    auth = {"Authorization": "bearer prozora-sandbox-token"}
    login = f"{RUN}@example.com"
    created = expect(200, "POST", base, headers=auth, body={
        "asset_code": "UAH", "asset_issuer": "GC2BKLYOOYPDEFJKLKY6FNNRQMGFLVHJKQRGNSSRRGSMPGF32LHCQVGF",
        "login": login, "name": "Olena", "surname": "Shevchenko", "kyc_level": 1,
        "branch_guid": "ae8051f5-da84-468b-a635-643e363b5cd9"})
    check(isinstance(created, dict) and isinstance(created.get("customer_guid"), str), "Prozora create customer",
          created)
    listed = expect(200, "GET", f"{base}?logins={login}", headers=auth)
    check(isinstance(listed, dict) and listed.get("total") == 1
          and listed["customers"][0].get("wallet_user_guid") == created["customer_guid"], "Prozora list", listed)
    ok(f"prozora  customer {created['customer_guid']} created, found in the list")


def documents() -> None:
    for name in ("ibanera", "p100", "weavr", "prozora"):
        spec = expect(200, "GET", f"/{name}/openapi.json")
        check(isinstance(spec, dict) and "openapi" in spec and spec.get("paths"), f"/{name}/openapi.json", spec)
    ok("GET /<provider>/openapi.json for all four")


def main() -> None:
    health()
    ibanera()
    weavr()
    p100()
    prozora()
    documents()
    print("container-smoke: all checks passed")


if __name__ == "__main__":
    main()
