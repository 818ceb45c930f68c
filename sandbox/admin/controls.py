"""The global controls: health, reset, the loaded scenario (show, load
another), and snapshots of the whole state (export, restore).

With an admin token configured (--admin-token), every control here but
/healthz and the OpenAPI document requires `Authorization: Bearer <token>`:
on a shared sandbox one team's reset must not wipe another's data (each
tenant resets its own records through its provider's
POST /_sandbox/<provider>/reset instead). Without one they are open, as a
private sandbox needs."""

from __future__ import annotations

import hmac
import time
from pathlib import Path

from flask import jsonify, request
from marshmallow import Schema, ValidationError, fields, validate

from sandbox import __version__
from sandbox.admin import (
    INVALID_SCENARIO, INVALID_SNAPSHOT, UNAUTHORIZED, YAML_OR_JSON, SandboxError, blueprint,
)
from sandbox.core.errors import Problem
from sandbox.core.http import json_object_body
from sandbox.core.runtime import SNAPSHOT_FORMAT, SNAPSHOT_VERSION, Sandbox, sandbox_of
from sandbox.core.scenario import ScenarioError, load_scenario, parse_scenario
from sandbox.core.store import StoreError

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
BODY_SOURCE = "<request body>"


def require_admin() -> None:
    token = sandbox_of().config.admin_token
    if token is None:
        return
    scheme, _, given = (request.headers.get("Authorization") or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise SandboxError.of(UNAUTHORIZED, headers={"WWW-Authenticate": 'Bearer realm="fintech-sandbox"'})


def refused(condition, message: str, **details) -> SandboxError:
    return SandboxError([Problem(condition, None, {"message": message, **details})])


@blueprint.get("/healthz")
def healthz():
    sandbox = sandbox_of()
    return jsonify(status="ok", version=__version__, scenario=sandbox.scenario.name, providers=sorted(sandbox.providers))


@blueprint.post("/_sandbox/reset")
def reset():
    require_admin()
    started = time.perf_counter()
    sandbox = sandbox_of()
    sandbox.reset()
    return jsonify(status="reset", scenario=sandbox.scenario.name, tookMs=round((time.perf_counter() - started) * 1000, 3))


# -- the scenario -------------------------------------------------------------------------
def scenario_view(sandbox: Sandbox) -> dict:
    scenario = sandbox.scenario
    counts = sandbox.store.counts()
    return {
        "name": scenario.name,
        "path": str(scenario.path) if scenario.path else None,
        "description": scenario.description,
        "sections": {name: scenario.document.get(name) or {} for name in sandbox.providers},
        "records": {name: sum(n for collection, n in counts.items() if collection.startswith(f"{name}."))
                    for name in sandbox.providers},
    }


@blueprint.get("/_sandbox/scenario")
def show_scenario():
    require_admin()
    return jsonify(scenario_view(sandbox_of()))


@blueprint.post("/_sandbox/scenario")
def load_another_scenario():
    """A YAML body (application/yaml) or {"path": "..."} (application/json):
    validated whole, then it replaces the state and becomes the baseline."""
    require_admin()
    sandbox = sandbox_of()
    providers = tuple(sandbox.providers.values())
    try:
        if request.mimetype in YAML_TYPES:
            try:
                text = request.get_data().decode("utf-8")
            except UnicodeDecodeError:
                raise ScenarioError(BODY_SOURCE, "the body is not UTF-8 text") from None
            scenario = parse_scenario(text, BODY_SOURCE, providers, sandbox.planned)
        elif request.mimetype == "application/json":
            path = json_object_body(request).get("path")
            if not isinstance(path, str) or not path:
                raise refused(INVALID_SCENARIO, 'send {"path": "<a scenario file on the server>"}', field="path")
            scenario = load_scenario(Path(path), providers, sandbox.planned)
        else:
            raise SandboxError.of(YAML_OR_JSON)
        started = time.perf_counter()
        sandbox.load(scenario)
    except ScenarioError as exc:
        raise refused(INVALID_SCENARIO, str(exc), **exc.as_dict()) from None
    return jsonify({**scenario_view(sandbox), "tookMs": round((time.perf_counter() - started) * 1000, 3)})


# -- snapshots ------------------------------------------------------------------------------
class _TableSchema(Schema):
    next_id = fields.Integer(required=True, strict=True)
    records = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)


class _ScenarioRefSchema(Schema):
    name = fields.String(required=True)
    text = fields.String(required=True)
    path = fields.String(required=True, allow_none=True)


class SnapshotSchema(Schema):
    format = fields.String(required=True, validate=validate.Equal(SNAPSHOT_FORMAT))
    version = fields.Integer(required=True, strict=True, validate=validate.Equal(SNAPSHOT_VERSION))
    scenario = fields.Nested(_ScenarioRefSchema, required=True)
    seed = fields.Integer(required=True, strict=True)
    clockOffsetSeconds = fields.Float(required=True, validate=validate.Range(-1e9, 1e9))
    collections = fields.Dict(keys=fields.String(), values=fields.Nested(_TableSchema), required=True)
    loose = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)


@blueprint.get("/_sandbox/snapshot")
def export_snapshot():
    require_admin()
    return jsonify(sandbox_of().export())


@blueprint.put("/_sandbox/snapshot")
def restore_snapshot():
    """Exactly the exported state back: records, id counters, clock, seed;
    and the snapshot's scenario (as baseline) when another one is loaded."""
    require_admin()
    sandbox = sandbox_of()
    try:
        # floats as exported (a Decimal is not a stored value)
        snapshot = SnapshotSchema().load(json_object_body(request, parse_float=float))
    except ValidationError as exc:
        field, message = _first(exc.messages)
        raise refused(INVALID_SNAPSHOT, f"{field}: {message}", field=field) from None
    ref = snapshot["scenario"]
    try:
        scenario = None
        if ref["text"] != sandbox.scenario.text:
            scenario = parse_scenario(ref["text"], ref["path"] or "<snapshot>", tuple(sandbox.providers.values()),
                                      sandbox.planned, path=Path(ref["path"]) if ref["path"] else None)
        sandbox.restore_export(snapshot, scenario)
    except ScenarioError as exc:
        raise refused(INVALID_SNAPSHOT, f"its scenario is refused: {exc}", **exc.as_dict()) from None
    except StoreError as exc:
        raise refused(INVALID_SNAPSHOT, str(exc)) from None
    return jsonify(status="restored", scenario=sandbox.scenario.name, records=sandbox.store.count())


def _first(messages, path=()) -> tuple[str, str]:
    """marshmallow's first message and the dotted path to it."""
    if isinstance(messages, dict):
        key, value = next(iter(messages.items()))
        return _first(value, (*path, str(key)))
    if isinstance(messages, list) and messages and isinstance(messages[0], str):
        return ".".join(path) or "body", messages[0]
    return ".".join(path) or "body", str(messages)
