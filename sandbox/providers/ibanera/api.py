"""Ibanera's Api: its document, who calls (a manager: bearer token and TOTP;
the controls: the token alone), its controls' tenant, and the document as
served for the loaded scenario (its supported countries)."""

from __future__ import annotations

from flask import Request
from marshmallow import fields

from sandbox.core.api import Api, Security
from sandbox.core.controls import TenantControls
from sandbox.core.faults import FaultShapes
from sandbox.core.openapi import ApiDocument
from sandbox.providers.ibanera import constants as k
from sandbox.providers.ibanera import errors as e
from sandbox.providers.ibanera import schemas as s
from sandbox.providers.ibanera.replies import reply
from sandbox.providers.ibanera.runtime import IbaneraRuntime
from sandbox.providers.ibanera.services.auth import Manager, tenant_of

NAME = "ibanera"

api = Api(
    name=NAME,
    errors=e.IbaneraError,
    reply=reply,
    fault_shapes=FaultShapes({429: e.TOO_MANY_REQUESTS, 503: e.SERVICE_UNAVAILABLE}),
    success_envelope=lambda name, schema: s.envelope_schema(name, fields.Nested(schema)),
    document=ApiDocument(
        title="Ibanera Customer API: Managees (fintech-sandbox)",
        version="v4",
        description=(
            "The Managees module of Ibanera's Customer API as fintech-sandbox serves it. Request field names bind "
            "case-insensitively. Every error code lists its provenance: `documented` (the public docs confirm it, "
            "see x-source) or `inferred` (the docs lost or never had it; fintech-sandbox chose it), or `sandbox` "
            "(exists only in fintech-sandbox). Callbacks (MANAGEE_JUMIO_COMPLETED then MANAGEE_KYC_UPDATED when a "
            "managee's KYC is decided, FIAT_DEPOSIT_RECEIVED when a simulated deposit lands) go to the endpoint a "
            "manager sets with PUT /_sandbox/ibanera/webhooks, signed as its description says; how KYC is decided "
            "(manual by default, immediate, or after a delay of sandbox time) is set with "
            "PUT /_sandbox/ibanera/outcomes."
        ),
        server_url=f"/{NAME}",
        security_schemes={
            "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "otp": {"type": "apiKey", "in": "header", "name": k.OTP_HEADER,
                    "description": "The manager's current TOTP code (or 123456 unless --strict-otp)."},
        },
        extensions={"x-error-codes": e.CODES.entries()},
    ),
)

def manager(runtime: IbaneraRuntime, request: Request) -> Manager:
    """A private call's caller: bearer token and the manager's current TOTP."""
    return runtime.auth.authenticate(request.headers.get("Authorization"), request.headers.get(k.OTP_HEADER))


def manager_by_token(runtime: IbaneraRuntime, request: Request) -> Manager:
    """A sandbox control's caller: the manager's bearer token only."""
    return runtime.auth.authenticate(request.headers.get("Authorization"), None, require_otp=False)


MANAGER = Security([{"bearerAuth": [], "otp": []}], check=manager, raises=(e.TOKEN_UNAUTHORISED, e.OTP_UNAUTHORISED))
MANAGER_TOKEN = Security([{"bearerAuth": []}], check=manager_by_token, raises=(e.TOKEN_UNAUTHORISED,))
#: core's controls (a tenant's reset): the manager's bearer token; a manager is its own tenant
CONTROLS = TenantControls(MANAGER_TOKEN, tenant=lambda caller: tenant_of(caller["username"]))


# -- the document served at /ibanera/openapi.json: the code's (exported to openapi/ibanera.json, for the
# default scenario), with what the loaded scenario changes: its supported countries, the enum of the
# create-managee request's nationalityISO and addressCountryISO
COUNTRY_FIELDS = ("nationalityISO", "addressCountryISO")
CREATE_PATHS = ("/api/v4/customer/managees/create", "/api/v5/customer/managees/create")


def supported_countries(runtime: IbaneraRuntime) -> list[str]:
    """The loaded scenario's countries: the default list's order first, then the others sorted."""
    supported = runtime.managees.supported_countries
    default = [c for c in k.DEFAULT_SUPPORTED_COUNTRIES if c in supported]
    return default + sorted(supported - set(default))


def served_document(document: dict, runtime: IbaneraRuntime) -> dict:
    countries = supported_countries(runtime)
    properties = document["components"]["schemas"]["CreateManagee"]["properties"]
    for name in COUNTRY_FIELDS:
        if countries:
            properties[name]["enum"] = countries
        else:  # an empty enum is not valid OpenAPI: say it in words
            properties[name].pop("enum", None)
            properties[name]["description"] += " The loaded scenario supports no country: every value is refused."
    for path in CREATE_PATHS:  # the example stays one this scenario accepts
        example = document["paths"][path]["post"]["requestBody"]["content"]["application/json"].get("example")
        if example and countries:
            for name in COUNTRY_FIELDS:
                if example.get(name) not in countries:
                    example[name] = countries[0]
    return document
