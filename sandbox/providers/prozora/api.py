"""Prozora's Api: its document, who calls (an employee: `Authorization:
bearer <session token>`, on its own counterparty's path, checked before the
body is read) and its controls' tenant (the counterparty, for an employee of
the whole counterparty)."""

from __future__ import annotations

from flask import Request

from sandbox.core.api import Api, Security
from sandbox.core.controls import TenantControls
from sandbox.core.faults import FaultShapes
from sandbox.core.openapi import ApiDocument
from sandbox.providers.prozora import errors as e
from sandbox.providers.prozora import examples as x
from sandbox.providers.prozora import schemas as s
from sandbox.providers.prozora.replies import reply
from sandbox.providers.prozora.runtime import ProzoraRuntime
from sandbox.providers.prozora.services.employees import Employee

NAME = "prozora"

api = Api(
    name=NAME,
    errors=e.ProzoraError,
    reply=reply,
    fault_shapes=FaultShapes({429: e.TOO_MANY_REQUESTS, 503: e.UNAVAILABLE}),
    document=ApiDocument(
        title="Prozora DCM bank-integration API: Customers (fintech-sandbox)",
        version="v1",
        description=(
            "The Customer section of Prozora's (Armenotech DCM) bank-integration API as fintech-sandbox serves it. "
            "An employee (a session token) belongs to one counterparty and, optionally, one branch; a branch "
            "employee sees and changes only its branch's customers. Errors are `{\"error\": message}`, the field "
            "first (`field: message`) when one request field is at fault. Every error code lists its provenance: "
            "`documented` (see x-source) or `inferred` (fintech-sandbox chose it where the docs are silent).\n\n"
            "Every customer operation is served at `/api/v1/counterparty/...`, as the docs' HTTP samples write it, "
            "and at `/counterparty/...`, as their OpenAPI blocks do (an alias: `x-provenance: inferred`). Text, in "
            "a body or a query, is printable: a control character (U+0000-U+001F, U+007F) is refused (400 "
            "`control characters are not allowed`). A number in the query is written in ASCII digits.\n\n"
            "Rules OpenAPI cannot express, on every operation: the path's `counterparty_guid` is the employee's "
            "own counterparty (another one's: 403 `permission denied`); a path's `customer_guid` names a customer "
            "of that counterparty the employee may see (else 404 `customer not found`)."
        ),
        server_url=f"/{NAME}",
        security_schemes={"bearerAuth": {"type": "http", "scheme": "bearer",
                                         "description": "An employee's session token (`bearer` in any case)."}},
        extensions={"x-error-codes": e.CODES.entries()},
        # every path parameter is a GUID the server checks itself (400 `invalid UUID format` before any
        # lookup; Flask's `uuid` converter would make a malformed one a 404 route miss instead)
        path_parameter_schemas={"counterparty_guid": s.GUID_SCHEMA, "customer_guid": s.GUID_SCHEMA},
    ),
)


def employee(runtime: ProzoraRuntime, request: Request) -> Employee:
    """Every call's caller: the employee behind the bearer token, on the path's counterparty (its own)."""
    return runtime.employees.authenticate(request.headers.get("Authorization"),
                                          (request.view_args or {}).get("counterparty_guid"))


EMPLOYEE = Security([{"bearerAuth": []}], check=employee, raises=(e.UNAUTHORIZED, e.INVALID_UUID, e.PERMISSION_DENIED))
#: core's controls (a tenant's reset), under the counterparty's path: its tenant is the counterparty
CONTROLS = TenantControls(EMPLOYEE, tenant=Employee.whole_counterparty, scope="/counterparty/<counterparty_guid>",
                          example=x.CONTROLS, raises=(e.PERMISSION_DENIED,),
                          who="Only an employee of the whole counterparty (not of one branch) may use it.",
                          # a branch employee's calls are its counterparty's (the journal, faults)
                          owner=lambda employee: employee.counterparty_guid)
