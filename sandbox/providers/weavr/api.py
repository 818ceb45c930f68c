"""Weavr's Api: its document, who calls (the api-key, a consumer's token on
top of it, the simulator's programme-key), its controls' tenant, and the
idempotency-ref header two operations read."""

from __future__ import annotations

from flask import Request
from flask import request as current_request

from sandbox.core.api import Api, Security
from sandbox.core.controls import TenantControls
from sandbox.core.openapi import ApiDocument
from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr.replies import reply
from sandbox.providers.weavr.runtime import WeavrRuntime
from sandbox.providers.weavr.services.auth import Caller, ConsumerCaller, TokenCaller

NAME = "weavr"
#: where the two APIs sit under /weavr: Weavr's https://sandbox.weavr.io/multi and its simulator
MULTI, SIMULATOR = "/multi", "/simulate/api"

api = Api(
    name=NAME,
    errors=e.WeavrError,
    reply=reply,
    document=ApiDocument(
        title="Weavr Multi API: consumers, and the Weavr simulator (fintech-sandbox)",
        version="v3",
        description=(
            "Weavr's consumer onboarding as fintech-sandbox serves it: the Multi API under `/multi` and the "
            "sandbox simulator under `/simulate/api`, one server. Request fields, patterns and enums are Weavr's "
            "spec's. Errors: 400 `{message, syntaxErrors: {invalidFields: [{params, fieldName, error}]}}` (the "
            "simulator: `{message, validation}`), 401 and the login/access-token 403 with no body, other 403 and "
            "409 `{errorCode}`, transport errors `{code, message}`. Every answer carries `request-ref`. Every "
            "error code lists its provenance: `documented` (x-source), `inferred`, or `sandbox`. The email "
            "verification code is always 123456."
        ),
        server_url=f"/{NAME}",
        security_schemes={
            "api-key": {"type": "apiKey", "in": "header", "name": k.API_KEY_HEADER},
            "auth_token": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "API_Secret_Key": {"type": "apiKey", "in": "header", "name": k.PROGRAMME_KEY_HEADER,
                               "description": "The simulator's key: the api-key's value."},
        },
        extensions={"x-error-codes": e.CODES.entries()},
        path_parameter_schemas={  # [spec] UserId; the simulator's ids are int64 (no route takes a negative one)
            "user_id": {"type": "string", "pattern": k.DIGITS},
            **{name: {"type": "integer", "format": "int64", "minimum": 0, "maximum": k.INT64_MAX}
               for name in ("consumer_id", "account_id", "charge_id")}},
    ),
    response_headers={k.REQUEST_REF_HEADER: {
        "description": "A request identifier [spec]; the sandbox sends it on every answer.", "required": True,
        "schema": {"type": "string"}}},
)


def programme(runtime: WeavrRuntime, request: Request) -> Caller:
    """A Multi call's caller: the api-key (its tenant)."""
    return runtime.auth.programme(request.headers.get(k.API_KEY_HEADER))


def consumer(runtime: WeavrRuntime, request: Request) -> ConsumerCaller:
    """A consumer's call: the api-key and a live token of one of its consumers."""
    return runtime.auth.consumer(request.headers.get(k.API_KEY_HEADER), request.headers.get("Authorization"))


def token_holder(runtime: WeavrRuntime, request: Request) -> TokenCaller:
    """The access-token exchange: the api-key, and the auth token if sent as Bearer."""
    return runtime.auth.token_holder(request.headers.get(k.API_KEY_HEADER), request.headers.get("Authorization"))


def simulator(runtime: WeavrRuntime, request: Request) -> Caller:
    """A simulator call's caller: the programme-key (an api-key's value)."""
    return runtime.auth.simulator(request.headers.get(k.PROGRAMME_KEY_HEADER))


API_KEY = Security([{"api-key": []}], check=programme, raises=(e.API_KEY_REQUIRED, e.API_KEY_UNAUTHORIZED))
CONSUMER = Security([{"auth_token": [], "api-key": []}], check=consumer,
                    raises=(*API_KEY.raises, e.TOKEN_UNAUTHORIZED, e.INSUFFICIENT_PERMISSIONS))
#: the access-token exchange: the auth token as Bearer, or in the body without one
ACCESS = Security([{"auth_token": [], "api-key": []}, {"api-key": []}], check=token_holder, raises=API_KEY.raises)
PROGRAMME = Security([{"API_Secret_Key": []}], check=simulator, raises=(e.PROGRAMME_KEY_UNAUTHORIZED,))
#: core's controls (a tenant's reset): the api-key, which is its tenant
CONTROLS = TenantControls(API_KEY, tenant=lambda caller: caller.tenant)

# -- idempotency-ref [spec]: documented on, and read by, consumer create and fee charge
IDEMPOTENCY = ({"name": k.IDEMPOTENCY_HEADER, "required": False,
                "schema": {"type": "string", "maxLength": k.IDEMPOTENCY_REF_MAX},
                "description": "Same reference, operation, payload and api-key within 24 h: the first success is "
                               "answered again, with no second effect; the same reference with another payload is "
                               "400 NOT_IN [QA: 400], one longer than 4096 characters 413 [QA: 413 for 8,000; the "
                               "limit is inferred]. Only successes are remembered (inferred)."},)


def idempotency_ref() -> str | None:
    """This request's idempotency-ref (the declaration parses no header: the handler reads it here)."""
    return current_request.headers.get(k.IDEMPOTENCY_HEADER)
