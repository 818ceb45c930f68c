"""The OpenAPI document of the sandbox's own endpoints (GET
/_sandbox/openapi.json): what each control takes and answers, and its error
body, with each code it can answer listed under x-error-codes as the
providers' documents do (the same Catalogue renders them)."""

from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import jsonify
from marshmallow import Schema, fields

from sandbox import __version__
from sandbox.admin import (
    CODES, INVALID_SCENARIO, INVALID_SNAPSHOT, UNAUTHORIZED, YAML_OR_JSON, SandboxErrorSchema, blueprint,
)
from sandbox.admin.controls import SnapshotSchema
from sandbox.core.openapi import OPENAPI_VERSION

TRANSPORT = CODES.transport


class HealthSchema(Schema):
    status = fields.String(metadata={"example": "ok"})
    version = fields.String()
    scenario = fields.String(metadata={"example": "default"})
    providers = fields.List(fields.String())


class ResetSchema(Schema):
    status = fields.String(metadata={"example": "reset"})
    scenario = fields.String()
    tookMs = fields.Float()


class ScenarioSchema(Schema):
    name = fields.String(metadata={"example": "kyc-edge-cases"})
    path = fields.String(allow_none=True, metadata={"example": "fixtures/kyc-edge-cases.yaml"})
    description = fields.String()
    sections = fields.Dict(metadata={"description": "Each provider's section as the file writes it."})
    records = fields.Dict(keys=fields.String(), values=fields.Integer(),
                          metadata={"description": "How many records each provider holds now."})


class ScenarioPathSchema(Schema):
    path = fields.String(required=True, metadata={"example": "fixtures/kyc-edge-cases.yaml"})


class RestoredSchema(Schema):
    status = fields.String(metadata={"example": "restored"})
    scenario = fields.String()
    records = fields.Integer()


ADMIN = "Requires `Authorization: Bearer <admin token>` when the sandbox runs with --admin-token."


def _operation(summary: str, ok: tuple, conditions: list, *, admin: bool = True, body: dict | None = None) -> dict:
    op = {"summary": summary, "description": ADMIN if admin else "Always open.",
          "responses": {"200": {"description": ok[1], "content": {"application/json": {"schema": ok[0]}}},
                        **CODES.responses([*([UNAUTHORIZED] if admin else []), *conditions,
                                           TRANSPORT.method_not_allowed, TRANSPORT.unexpected])}}
    if admin:
        op["security"] = [{}, {"adminToken": []}]
    if body is not None:
        op["requestBody"] = body
    return op


def build() -> dict:
    spec = APISpec(title="fintech-sandbox: the sandbox's own endpoints", version=__version__,
                   openapi_version=OPENAPI_VERSION, plugins=[MarshmallowPlugin()], servers=[{"url": "/"}],
                   info={"description": "Health and the global controls. Errors come in the sandbox's own body, "
                                        "`SandboxError`. Each provider's own controls (e.g. a tenant's reset, "
                                        "POST /_sandbox/<provider>/reset) are in that provider's document."})
    spec.components.security_scheme("adminToken", {"type": "http", "scheme": "bearer",
                                                   "description": "The --admin-token / SANDBOX_ADMIN_TOKEN value."})
    spec.components.schema("SandboxError", schema=SandboxErrorSchema)
    body_errors = [TRANSPORT.malformed_json, TRANSPORT.too_large, TRANSPORT.unsupported_media_type]
    spec.path("/healthz", operations={"get": _operation("Health", (HealthSchema, "Healthy"), [], admin=False)})
    spec.path("/_sandbox/reset", operations={"post": _operation(
        "Reset every tenant of every provider to the scenario as loaded", (ResetSchema, "Reset"), [])})
    scenario_body = {"required": True, "content": {
        "application/yaml": {"schema": {"type": "string", "description": "A scenario file's text."}},
        "application/json": {"schema": ScenarioPathSchema}}}
    spec.path("/_sandbox/scenario", operations={
        "get": _operation("The loaded scenario", (ScenarioSchema, "The scenario"), []),
        "post": _operation("Load another scenario: it replaces the whole state and becomes the reset baseline",
                           (ScenarioSchema, "Loaded"), [INVALID_SCENARIO, YAML_OR_JSON, *body_errors],
                           body=scenario_body)})
    spec.path("/_sandbox/snapshot", operations={
        "get": _operation("Export the whole state (records, id counters, clock, seed, scenario)",
                          (SnapshotSchema, "The snapshot"), []),
        "put": _operation("Restore an exported snapshot exactly", (RestoredSchema, "Restored"),
                          [INVALID_SNAPSHOT, *body_errors],
                          body={"required": True, "content": {"application/json": {"schema": SnapshotSchema}}})})
    return {**spec.to_dict(), "x-error-codes": CODES.entries()}


DOCUMENT = build()


@blueprint.get("/_sandbox/openapi.json")
def openapi_document():
    return jsonify(DOCUMENT)
