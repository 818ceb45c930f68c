"""The sandbox's own error body, for everything outside a provider:
{"error": {"status", "code", "message"}}, plus "file", "line" and "field"
when a scenario (or a snapshot's field) is refused."""

from __future__ import annotations

from marshmallow import Schema, fields

from sandbox.core.errors import SANDBOX, ApiError, Catalogue, Envelope, Problem, TransportCodes

#: the details a problem may carry into the body, besides its code
DETAIL_KEYS = ("file", "line", "field", "errors")


class SandboxEnvelope(Envelope):
    schema_name = "SandboxErrorSchema"
    description = "the sandbox's own error body."
    code_key = "code"
    field_key = None

    def render(self, problems: list[Problem], status: int) -> dict:
        first = problems[0]
        params = first.params or {}
        error = {"status": status, "code": first.condition.code, "message": params.get("message", first.condition.when)}
        error |= {key: params[key] for key in DETAIL_KEYS if key in params}
        return {"error": error}

    def codes_in(self, body) -> list[str]:
        return [body["error"]["code"]]


class SandboxErrorDetailSchema(Schema):
    status = fields.Integer(required=True, metadata={"example": 400})
    code = fields.String(required=True, metadata={"example": "invalid_scenario"})
    message = fields.String(required=True, metadata={
        "example": "bad.yaml:12: ibanera.managers[0].username: Not a valid email address."})
    file = fields.String(metadata={"description": "invalid_scenario: the scenario's file (or <request body>)."})
    line = fields.Integer(allow_none=True, metadata={"description": "invalid_scenario: the line at fault."})
    field = fields.String(allow_none=True, metadata={"description": "The field at fault, e.g. "
                                                                    "ibanera.managers[0].username."})
    errors = fields.List(fields.String(), metadata={"description": "invalid_scenario with more than one mistake: "
                                                                   "each, file:line: field: message."})


class SandboxErrorSchema(Schema):
    error = fields.Nested(SandboxErrorDetailSchema, required=True)


CODES = Catalogue("sandbox", SandboxEnvelope())
INVALID_REQUEST = CODES.add("invalid_request", 400, "The request is invalid: the message names the field.", SANDBOX)
UNAUTHORIZED = CODES.add("unauthorized", 401, "An admin token is configured: send Authorization: Bearer <admin token>.",
                         SANDBOX)
INVALID_SCENARIO = CODES.add("invalid_scenario", 400, "The scenario is refused: the message names file, line and "
                             "field (also in file, line and field); nothing changed.", SANDBOX)
INVALID_SNAPSHOT = CODES.add("invalid_snapshot", 400, "The body is not a snapshot this sandbox exported; nothing "
                             "changed.", SANDBOX)
INVALID_CLOCK = CODES.add("invalid_clock", 400, "Not a clock move: the message names the field; the clock did not "
                          "move.", SANDBOX)
YAML_OR_JSON = CODES.add("unsupported_media_type", 415, "Send a scenario as application/yaml, or "
                         "application/json {\"path\": ...} or {\"name\": ...}.", SANDBOX)
SandboxError = CODES.error_class("SandboxError", TransportCodes(
    not_found=CODES.add("not_found", 404, "No such endpoint.", SANDBOX),
    method_not_allowed=CODES.add("method_not_allowed", 405, "The endpoint does not accept this method.", SANDBOX),
    too_large=CODES.add("request_entity_too_large", 413, "The body is larger than the sandbox accepts.", SANDBOX),
    unsupported_media_type=CODES.add("unsupported_media_type", 415, "Send the body as application/json.", SANDBOX),
    malformed_json=CODES.add("bad_request", 400, "The body is not a JSON object.", SANDBOX),
    bad_request=INVALID_REQUEST,
    unexpected=CODES.add("internal_error", 500, "The sandbox hit a bug.", SANDBOX),
))


def refused(condition, message: str, **details) -> ApiError:
    """The sandbox's refusal with a message of its own (and file, line, field)."""
    return SandboxError([Problem(condition, None, {"message": message, **details})])
