"""The sandbox's own Api: health and the global controls (/_sandbox/*),
declared with the same Api.route as every provider's endpoint, so what they
parse, who may call them and what their document says are one declaration.

With an admin token configured (--admin-token), every global control but
/healthz and the document requires `Authorization: Bearer <token>`: on a
shared sandbox one team's reset must not wipe another's data (each tenant
resets its own records through its provider's POST /_sandbox/<provider>/reset
instead). Without one they are open, as a private sandbox needs."""

from __future__ import annotations

import hmac
from typing import Any, ClassVar

from flask import Response, jsonify

from sandbox import __version__
from sandbox.admin.errors import CODES, UNAUTHORIZED, SandboxError
from sandbox.core.api import CONTROL_ROOT, PUBLIC, Api, Security
from sandbox.core.errors import Problem
from sandbox.core.openapi import ApiDocument
from sandbox.core.schemas import ApiSchema, first_message


def reply(result: Any, status: int) -> Response:
    response = jsonify(result)
    response.status_code = status
    return response


api = Api(
    name="sandbox",
    errors=SandboxError,
    reply=reply,
    prefix="/",
    control_prefix=CONTROL_ROOT,
    runtime_of=lambda sandbox: sandbox,  # a global control acts on the whole sandbox
    document=ApiDocument(
        title="fintech-sandbox: the sandbox's own endpoints",
        version=__version__,
        description="Health and the global controls. Errors come in the sandbox's own body, `SandboxError`. Each "
                    "provider's own controls (e.g. a tenant's reset, POST /_sandbox/<provider>/reset) are in that "
                    "provider's document.",
        server_url="/",
        security_schemes={"adminToken": {"type": "http", "scheme": "bearer",
                                         "description": "The --admin-token / SANDBOX_ADMIN_TOKEN value."}},
        extensions={"x-error-codes": CODES.entries()},
    ),
)


def require_admin(sandbox, request) -> None:
    token = sandbox.config.admin_token
    if token is None:
        return
    scheme, _, given = (request.headers.get("Authorization") or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise SandboxError.of(UNAUTHORIZED, headers={"WWW-Authenticate": 'Bearer realm="fintech-sandbox"'})


#: a global control: the admin token, when the sandbox has one
ADMIN = Security([{}, {"adminToken": []}], check=require_admin, raises=(UNAUTHORIZED,))
OPEN = PUBLIC


class AdminSchema(ApiSchema):
    """A request body of a global control: marshmallow's own words reach the
    caller (the sandbox's envelope has a message), with the field's path."""

    ERRORS = SandboxError
    MESSAGE_CODES: ClassVar = {}
    error_messages = {"unknown": "Unknown field.", "type": "Invalid input type: send a JSON object."}

    def on_bind_field(self, field_name, field_obj):
        pass  # keep marshmallow's messages: they are the answer's message

    def problems(self, messages) -> list[Problem]:
        field, message = first_message(messages)
        if field == "_schema":  # the body as a whole
            return [Problem(self.FALLBACK, None, {"message": message})]
        return [Problem(self.FALLBACK, field, {"message": f"{field or 'body'}: {message}", "field": field or None})]
