"""What every provider's schemathesis hooks share (imported by
tests/<provider>/schemathesis_hooks.py, which schemathesis loads).

Control operations name their own server in the document
(/_sandbox/<provider>), which `schemathesis run --url` does not apply:
each provider's `before_call` hook ends with `aim_at_own_server`, after it
has edited the path parameters."""

from __future__ import annotations

import json
import os
import urllib.request

SANDBOX_URL = os.environ.get("SANDBOX_URL", "http://127.0.0.1:8080")


def aim_at_own_server(case, kwargs) -> None:
    """Send an operation that names its own server there (the path as the
    hook left it)."""
    servers = case.operation.definition.raw.get("servers")
    if servers:
        kwargs["url"] = SANDBOX_URL + servers[0]["url"] + case.formatted_path


def call(method: str, path: str, body=None, headers: dict | None = None) -> tuple[int, dict]:
    """A request to the server under test, for the state a case needs."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(SANDBOX_URL + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
