"""The global controls, one declaration each: health, reset, the loaded
scenario (show, load another), and snapshots of the whole state (export,
restore). Each handler gets the whole Sandbox as its runtime."""

from __future__ import annotations

import time
from pathlib import Path

from flask import request
from marshmallow import Schema, fields, validate

from sandbox import __version__
from sandbox.admin import schemas as s
from sandbox.admin.api import ADMIN, OPEN, AdminSchema, api
from sandbox.admin.errors import (
    INVALID_REQUEST,
    INVALID_SCENARIO,
    INVALID_SNAPSHOT,
    YAML_OR_JSON,
    SandboxError,
    refused,
)
from sandbox.core.errors import SANDBOX
from sandbox.core.faults import FaultListSchema, FaultSchema, FaultViewSchema, RemovedSchema
from sandbox.core.http import json_object_body
from sandbox.core.journal import (
    ClearedSchema,
    CountSchema,
    EntriesSchema,
    GlobalMatchSchema,
    PageQuerySchema,
    match_of,
)
from sandbox.core.runtime import Sandbox
from sandbox.core.scenario import (
    SHIPPED_DIRS,
    ScenarioError,
    is_name,
    load_scenario,
    parse_scenario,
    shipped_scenarios,
)
from sandbox.core.store import StoreError
from sandbox.core.webhooks import SETTLE_SECONDS

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
BODY_SOURCE = "<request body>"
TAGS = ("Sandbox",)


def _took(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


@api.route("/healthz", method="GET", summary="Health", security=OPEN, tags=TAGS, provenance=SANDBOX,
           description="Always open (the container's HEALTHCHECK).", ok=(s.HealthSchema, "Healthy"))
def healthz(runtime: Sandbox) -> dict:
    return {"status": "ok", "version": __version__, "scenario": runtime.scenario.name,
            "providers": sorted(runtime.providers)}


@api.route("/_sandbox/reset", method="POST", summary="Reset every tenant of every provider to the scenario as loaded",
           security=ADMIN, tags=TAGS, provenance=SANDBOX, ok=(s.ResetSchema, "Reset"))
def reset(runtime: Sandbox) -> dict:
    started = time.perf_counter()
    runtime.reset()
    return {"status": "reset", "scenario": runtime.scenario.name, "tookMs": _took(started)}


# -- time -----------------------------------------------------------------------------------
@api.route("/_sandbox/clock", method="GET", summary="The sandbox's time", security=ADMIN, tags=TAGS,
           provenance=SANDBOX, ok=(s.ClockSchema, "Sandbox time"),
           description="Every time rule reads this clock: token and rate-lock expiry, idempotency windows, "
                       "lock-outs, transitions decided later, webhook retries. Real time passes unless frozen.")
def show_clock(runtime: Sandbox) -> dict:
    return runtime.clock.view()


@api.route("/_sandbox/clock", method="POST", summary="Move the sandbox's time: freeze, set or advance it",
           security=ADMIN, tags=TAGS, provenance=SANDBOX, body=s.MoveClockSchema, may_wait=True,
           ok=(s.MovedClockSchema, "Sandbox time after the move"),
           description="Freeze (or unfreeze), then set, then advance, as given. Transitions that come due run "
                       "before this answers (a read right after sees them decided); webhook deliveries that come "
                       "due go out from the delivery worker, and with `settle` this answers once each was attempted.")
def move_clock(runtime: Sandbox, body: dict) -> dict:
    scheduler, clock = runtime.scheduler, runtime.clock
    before = len(scheduler.pending())
    if "freeze" in body:
        clock.freeze(body["freeze"])
    if "set" in body:
        clock.set(body["set"])
    if "advance" in body:
        clock.advance(body["advance"])
    moved = {**clock.view(), "ran": before - len(scheduler.pending())}
    if body.get("settle"):
        moved["settled"] = runtime.webhooks.settle(SETTLE_SECONDS)
    return moved


@api.route("/_sandbox/magic", method="GET", summary="Every magic value: request data that chooses an outcome",
           security=OPEN, tags=TAGS, provenance=SANDBOX,
           ok=(s.MagicListSchema, "Every provider's"),
           description="Where a provider has no field for it, a value in a request's data chooses how an entity "
                       "ends (e.g. a Weavr email ending +kyc_rejected).")
def magic_values(runtime: Sandbox) -> dict:
    return {"magic": [{"provider": name, **m.view()} for name, p in runtime.providers.items() for m in p.magic]}


# -- what the sandbox received, and faults on purpose -----------------------------------------
JOURNAL_QUERY = Schema.from_dict({**GlobalMatchSchema().fields, **PageQuerySchema().fields}, name="JournalQuery")


class JournalQuery(AdminSchema, JOURNAL_QUERY):
    FALLBACK = INVALID_REQUEST


class JournalMatch(AdminSchema, GlobalMatchSchema):
    FALLBACK = INVALID_REQUEST


class GlobalFault(AdminSchema, FaultSchema):
    FALLBACK = INVALID_REQUEST
    provider = fields.String(required=True, validate=validate.Length(1, 50),
                             metadata={"description": "The provider whose calls (every tenant's) it answers."})


@api.route("/_sandbox/journal", method="GET", summary="What the sandbox received: every provider, every tenant",
           security=ADMIN, tags=TAGS, provenance=SANDBOX, query=JournalQuery, ok=(EntriesSchema, "Newest first"),
           description="The latest requests and answers (--journal-size, default 1,000), newest first, redacted "
                       "(no password, code, token or secret; credentials by their first 4 characters; files by "
                       "size); a refusal names each code, its field and the rule that refused it. A tenant sees its "
                       "own at /_sandbox/<provider>/journal with its own credentials.")
def list_journal(runtime: Sandbox, query: dict) -> dict:
    found, total = runtime.journal.find(match_of(query), query["offset"], query["limit"])
    return {"requests": [entry.view() for entry in found], "total": total}


@api.route("/_sandbox/journal/count", method="POST", summary="Count the requests that match (verify)",
           security=ADMIN, tags=TAGS, provenance=SANDBOX, body=JournalMatch, body_optional=True,
           ok=(CountSchema, "How many"), description="Exact, whatever else is being served.")
def count_journal(runtime: Sandbox, body: dict) -> dict:
    return {"count": runtime.journal.count(match_of(body))}


@api.route("/_sandbox/journal", method="DELETE", summary="Forget every request", security=ADMIN, tags=TAGS,
           provenance=SANDBOX, ok=(ClearedSchema, "How many were forgotten"))
def clear_journal(runtime: Sandbox) -> dict:
    return {"cleared": runtime.journal.clear()}


@api.route("/_sandbox/faults", method="POST", status=201, summary="Make a provider's calls fail on purpose, "
           "every tenant's", security=ADMIN, tags=TAGS, provenance=SANDBOX, body=GlobalFault,
           ok=(FaultViewSchema, "Injected"), raises=(INVALID_REQUEST,),
           description="As POST /_sandbox/<provider>/faults, for every tenant's calls to `provider` (even "
                       "unauthenticated ones). A reset removes it.")
def inject_fault(runtime: Sandbox, body: dict) -> dict:
    provider = body.pop("provider")
    if provider not in runtime.providers:
        raise refused(INVALID_REQUEST, f"provider: no provider {provider!r}; there are {', '.join(runtime.providers)}",
                      field="provider")
    return runtime.faults.add(provider, None, body).view()


@api.route("/_sandbox/faults", method="GET", summary="Every fault, every provider and tenant", security=ADMIN,
           tags=TAGS, provenance=SANDBOX, ok=(FaultListSchema, "The faults"))
def list_faults(runtime: Sandbox) -> dict:
    return {"faults": [fault.view() for fault in runtime.faults.list(every=True)]}


@api.route("/_sandbox/faults", method="DELETE", summary="Remove every fault", security=ADMIN, tags=TAGS,
           provenance=SANDBOX, ok=(RemovedSchema, "How many"))
def remove_faults(runtime: Sandbox) -> dict:
    return {"removed": runtime.faults.remove(every=True)}


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


@api.route("/_sandbox/scenarios", method="GET", summary="The scenarios shipped with the sandbox",
           security=OPEN, tags=TAGS, provenance=SANDBOX, ok=(s.ShippedListSchema, "By name"),
           description='Each loads by name: --scenario NAME, or POST /_sandbox/scenario {"name": NAME}.')
def shipped(runtime: Sandbox) -> dict:
    return {"scenarios": [{"name": name, "description": load_scenario(name, tuple(runtime.providers.values()),
                                                                      runtime.planned).description}
                          for name in shipped_scenarios()]}


@api.route("/_sandbox/scenario", method="GET", summary="The loaded scenario", security=ADMIN, tags=TAGS,
           provenance=SANDBOX, ok=(s.ScenarioSchema, "The scenario"))
def show_scenario(runtime: Sandbox) -> dict:
    return scenario_view(runtime)


SCENARIO_BODY = {"required": True, "content": {
    "application/yaml": {"schema": {"type": "string", "description": "A scenario file's text."}},
    "application/json": {"schema": s.ScenarioRefSchema}}}
REF_SCHEMA = s.ScenarioRefSchema()


@api.route("/_sandbox/scenario", method="POST", security=ADMIN, tags=TAGS, provenance=SANDBOX,
           summary="Load another scenario: it replaces the whole state and becomes the reset baseline",
           description="A YAML body (application/yaml), or a scenario on the server (application/json): "
                       '{"path": "<file>"} or {"name": "<shipped scenario>"}. Validated whole first: a refusal '
                       "names file, line and field, and changes nothing.",
           request_body=SCENARIO_BODY, ok=(s.LoadedScenarioSchema, "Loaded"),
           raises=(INVALID_SCENARIO, YAML_OR_JSON, *SandboxError.catalogue.transport.body_conditions()))
def load_another_scenario(runtime: Sandbox) -> dict:
    providers = tuple(runtime.providers.values())
    try:
        if request.mimetype in YAML_TYPES:
            try:
                text = request.get_data().decode("utf-8")
            except UnicodeDecodeError:
                raise ScenarioError(BODY_SOURCE, "the body is not UTF-8 text") from None
            scenario = parse_scenario(text, BODY_SOURCE, providers, runtime.planned)
        elif request.mimetype == "application/json":
            ref = REF_SCHEMA.load_request(json_object_body(request))
            if "path" in ref:
                within_scenario_dirs(runtime, ref["path"])
            scenario = load_scenario(ref.get("name") or Path(ref["path"]), providers, runtime.planned)
        else:
            raise SandboxError.of(YAML_OR_JSON)
        started = time.perf_counter()
        runtime.load(scenario)
    except ScenarioError as exc:
        raise refused(INVALID_SCENARIO, str(exc), **exc.as_dict()) from None
    return {**scenario_view(runtime), "tookMs": _took(started)}


def scenario_dirs(sandbox: Sandbox) -> list[Path]:
    """Where a scenario file may load from by path: --scenario-dir (else the
    working directory), the --scenario file's own directory, the shipped ones."""
    config = sandbox.config
    dirs = [Path(d) for d in config.scenario_dirs] or [Path.cwd()]
    if config.scenario and not is_name(config.scenario):
        dirs.append(Path(config.scenario).parent)
    return [d.resolve() for d in (*dirs, *SHIPPED_DIRS)]


def within_scenario_dirs(sandbox: Sandbox, given: str) -> None:
    """Refuse a path outside the scenario directories, the same way whether
    or not something is there: a control must not tell which files the server has."""
    resolved = (Path.cwd() / given).resolve()
    if not any(resolved.is_relative_to(d) for d in scenario_dirs(sandbox)):
        raise refused(INVALID_SCENARIO, "a scenario file loads only from the scenario directories (--scenario-dir, "
                      "by default the working directory); a shipped scenario loads by name: "
                      '{"name": "kyc-edge-cases"}', field="path")


# -- snapshots ------------------------------------------------------------------------------
@api.route("/_sandbox/snapshot", method="GET", security=ADMIN, tags=TAGS, provenance=SANDBOX,
           summary="Export the whole state (records, id counters, clock, seed, scenario)",
           ok=(s.SnapshotSchema, "The snapshot"))
def export_snapshot(runtime: Sandbox) -> dict:
    return runtime.export()


@api.route("/_sandbox/snapshot", method="PUT", security=ADMIN, tags=TAGS, provenance=SANDBOX,
           summary="Restore an exported snapshot exactly",
           description="Exactly the exported state back: records, id counters, clock, seed; and the snapshot's "
                       "scenario (as baseline) when another one is loaded.",
           body=s.SnapshotSchema, parse_float=float,  # floats as exported (a Decimal is not a stored value)
           ok=(s.RestoredSchema, "Restored"), raises=(INVALID_SNAPSHOT,))
def restore_snapshot(runtime: Sandbox, body: dict) -> dict:
    ref = body["scenario"]
    try:
        scenario = None
        if ref["text"] != runtime.scenario.text:
            scenario = parse_scenario(ref["text"], ref["path"] or "<snapshot>", tuple(runtime.providers.values()),
                                      runtime.planned, path=Path(ref["path"]) if ref["path"] else None)
        runtime.restore_export(body, scenario)
    except ScenarioError as exc:
        raise refused(INVALID_SNAPSHOT, f"its scenario is refused: {exc}", **exc.as_dict()) from None
    except StoreError as exc:
        raise refused(INVALID_SNAPSHOT, str(exc)) from None
    return {"status": "restored", "scenario": runtime.scenario.name, "records": runtime.store.count()}

