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


# -- core's controls, mounted on every provider: what their bodies cannot say in OpenAPI (their
# descriptions say it in words), made true for a positive case, in one place for the four providers

#: a webhook endpoint where nothing listens: a refused connection costs the worker nothing
DEAD_RECEIVER = "http://127.0.0.1:9/hooks"
#: a delay of sandbox time that never comes due during a run (its clock runs with the wall clock)
LATER = "PT12H"


def coherent_fault(body: dict, path: str) -> dict:
    """A fault core's FaultSchema takes (a status with kind error and only then, a delayMs with kind delay
    and only then), on `path`: one no case of the run calls, so it answers none of them."""
    body = {key: value for key, value in body.items() if key not in ("status", "delayMs")} | {"path": path}
    if body.get("kind") == "error":
        body["status"] = 429
    elif body.get("kind") == "delay":
        body["delayMs"] = 1
    return body


def coherent_outcomes(body: dict, *, hold: bool = False) -> dict:
    """Each setting's delay given with progression `after` and only then (core's outcome_schema). With
    `hold`, a setting that would decide at once waits instead (for a provider whose other cases need
    records still undecided)."""
    settings = {}
    for name, setting in body.items():
        if isinstance(setting, dict):
            setting = {key: value for key, value in setting.items() if key != "delay"}
            if hold and setting.get("progression") != "manual":
                setting["progression"] = "after"
            if setting.get("progression") == "after":
                setting["delay"] = LATER
        settings[name] = setting
    return settings


def core_control_valid(operation: str, body) -> object:
    """The body a core control's positive case sends (others as generated)."""
    if not isinstance(body, dict):
        return body
    if operation == "inject_fault":
        return coherent_fault(body, "/no-such-path")
    if operation == "set_outcomes":
        return coherent_outcomes(body)
    if operation == "set_webhook_endpoint":
        return {**body, "url": DEAD_RECEIVER}
    return body
