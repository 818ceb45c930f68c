"""The sandbox's own endpoints: health and the /_sandbox control plane.

Provider-specific controls (e.g. moving an Ibanera managee's KYC) live in
the provider's package, mounted under /_sandbox/<provider>, and answer in
the provider's envelope. Everything else outside a provider answers in the
sandbox's own: {"error": {"status", "code", "message"}}."""

from __future__ import annotations

import time

from flask import Blueprint, jsonify
from marshmallow import Schema, fields

from sandbox import __version__
from sandbox.core.errors import SANDBOX, ApiError, Catalogue, Envelope, Problem, TransportCodes
from sandbox.core.runtime import sandbox_of

blueprint = Blueprint("sandbox_admin", __name__)


class SandboxEnvelope(Envelope):
    schema_name = "SandboxError"
    description = "the sandbox's own error body."
    code_key = "code"
    field_key = None

    def render(self, problems: list[Problem], status: int) -> dict:
        first = problems[0].condition
        return {"error": {"status": status, "code": first.code, "message": first.when}}

    def codes_in(self, body) -> list[str]:
        return [body["error"]["code"]]


class SandboxErrorSchema(Schema):
    error = fields.Dict(metadata={"example": {"status": 404, "code": "not_found", "message": "No such endpoint."}})


CODES = Catalogue("sandbox", SandboxEnvelope())
CODES.set_transport(TransportCodes(
    not_found=CODES.add("not_found", 404, "No such endpoint.", SANDBOX),
    method_not_allowed=CODES.add("method_not_allowed", 405, "The endpoint does not accept this method.", SANDBOX),
    too_large=CODES.add("request_entity_too_large", 413, "The body is larger than the sandbox accepts.", SANDBOX),
    unsupported_media_type=CODES.add("unsupported_media_type", 415, "Send the body as application/json.", SANDBOX),
    malformed_json=CODES.add("bad_request", 400, "The body is not a JSON object.", SANDBOX),
    bad_request=CODES.add("invalid_request", 400, "The request is invalid.", SANDBOX),
    unexpected=CODES.add("internal_error", 500, "The sandbox hit a bug.", SANDBOX),
))


class SandboxError(ApiError):
    catalogue = CODES


@blueprint.get("/healthz")
def healthz():
    sandbox = sandbox_of()
    return jsonify(
        status="ok",
        version=__version__,
        scenario=sandbox.scenario.name,
        providers=sorted(sandbox.providers),
    )


@blueprint.post("/_sandbox/reset")
def reset():
    started = time.perf_counter()
    sandbox = sandbox_of()
    sandbox.reset()
    return jsonify(status="reset", scenario=sandbox.scenario.name, tookMs=round((time.perf_counter() - started) * 1000, 3))
