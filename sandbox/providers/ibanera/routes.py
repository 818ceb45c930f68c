"""Ibanera Customer API, Managees module: thin handlers, one per endpoint.
Each parses with its schema, calls one service function and answers in the
documented envelope. Paths are exactly as documented, under /ibanera."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from sandbox.core.http import json_object_body
from sandbox.core.openapi import ApiDocument
from sandbox.providers.ibanera import constants as k
from sandbox.providers.ibanera import errors as e
from sandbox.providers.ibanera import schemas as s
from sandbox.providers.ibanera.runtime import current

blueprint = Blueprint("ibanera", __name__)

api = ApiDocument(
    title="Ibanera Customer API: Managees (fintech-sandbox)",
    version="v4",
    description=(
        "The Managees module of Ibanera's Customer API as fintech-sandbox serves it. Request field names bind "
        "case-insensitively. Every error code lists its provenance: `documented` (the public docs confirm it, "
        "see x-source) or `inferred` (the docs lost or never had it; fintech-sandbox chose it), or `sandbox` "
        "(exists only in fintech-sandbox)."
    ),
    server_url="/ibanera",
    security_schemes={
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "otp": {"type": "apiKey", "in": "header", "name": k.OTP_HEADER,
                "description": "The manager's current TOTP code (or 123456 unless --strict-otp)."},
    },
    extensions={"x-error-codes": e.catalogue()},
)
AUTH = [{"bearerAuth": [], "otp": []}]
TAGS = ("Managees",)


def ok(schema, details=None, *, id: int = 0, **extra):
    body = {"id": id, "details": details, **extra, "status": "1", "errors": []}
    return jsonify(schema().dump(body))


def ok_page(schema, page, *, id: int):
    return ok(schema, page.items, id=id, pageSize=page.page_size, pageNumber=page.page_number,
              numberOfPages=page.number_of_pages)


def manager() -> dict:
    return current().auth.authenticate(request.headers.get("Authorization"), request.headers.get(k.OTP_HEADER))


@api.route(
    blueprint, "/api/v1/public/auth/login", method="POST", summary="Log in with username, password and TOTP",
    body=s.LoginSchema, security=[], tags=("Authentication",), source=e.AUTH_DOC,
    responses={200: {"description": "Logged in", "content": {"application/json": {"schema": s.LoginResponseSchema}}},
               **e.responses(e.LOGIN_REQUIRED, e.INVALID, e.USERNAME_OR_PASSWORD_INCORRECT, e.ACCOUNT_NOT_VERIFIED,
                             e.ACCOUNT_LOCKED, e.ACCOUNT_SUPPRESSED, e.LOGIN_OTP_INVALID, authenticated=False)},
)
def login():
    data = s.load(s.LoginSchema(), json_object_body(request))
    return ok(s.LoginResponseSchema, current().auth.login(**data))


@api.route(
    blueprint, "/api/v4/customer/managees/create", aliases=("/api/v5/customer/managees/create",), method="POST",
    summary="Create a managee with KYC data", body=s.CreateManageeSchema, security=AUTH, tags=TAGS,
    source=e.MANAGEES_DOC,
    description="All errors of one request come back together, one per field. Nothing is stored on error.",
    responses={200: {"description": "Created, verification Pending",
                     "content": {"application/json": {"schema": s.CreateManageeResponseSchema}}},
               **e.responses(e.REQUIRED, e.INVALID_LENGTH, e.INVALID_FORMAT, e.INVALID, e.EMAIL_ALREADY_EXISTS,
                             e.CURRENCY_NOT_SUPPORTED, e.NATIONALITY_NOT_SUPPORTED, e.COUNTRY_NOT_SUPPORTED,
                             e.INVALID_PERCENTAGE, e.INVALID_TOTAL_PERCENTAGE, e.DUPLICATE_ENTRIES,
                             e.MUST_AGREE_TO_TERMS)},
)
def create_managee():
    who = manager()
    managees = current().managees
    data = s.load(s.CreateManageeSchema(rules=managees.rules_for(who)), json_object_body(request))
    return ok(s.CreateManageeResponseSchema, managees.create_managee(who, data))


@api.route(
    blueprint, "/api/v1/customer/managees/list", aliases=("/api/v2/customer/managees/list",), method="GET",
    summary="List the calling manager's managees, oldest first", query=s.PageQuerySchema, security=AUTH, tags=TAGS,
    source=e.MANAGEES_DOC,
    responses={200: {"description": "A page of managees",
                     "content": {"application/json": {"schema": s.ManageeListResponseSchema}}},
               **e.responses(e.INVALID, json_body=False)},
)
def list_managees():
    who = manager()
    query = s.load(s.PageQuerySchema(), request.args.to_dict())
    page = current().managees.list_managees(who, query["PageNumber"], query["PageSize"])
    return ok_page(s.ManageeListResponseSchema, page, id=who["id"])


@api.route(
    blueprint, "/api/v1/customer/manageeaccounts/list", method="GET", deprecated=True,
    summary="List the accounts of the calling manager's managees", query=s.ManageeAccountsQuerySchema,
    security=AUTH, tags=TAGS, source=e.MANAGEES_DOC,
    description="An accepted managee gets one USD account. Marked deprecated in the current docs.",
    responses={200: {"description": "A page of accounts",
                     "content": {"application/json": {"schema": s.ManageeAccountListResponseSchema}}},
               **e.responses(e.INVALID, e.MANAGEE_NOT_FOUND, json_body=False)},
)
def list_managee_accounts():
    who = manager()
    query = s.load(s.ManageeAccountsQuerySchema(), request.args.to_dict())
    page = current().managees.list_accounts(who, query["ManageesId"], query["Asset"], query["PageNumber"],
                                            query["PageSize"])
    return ok_page(s.ManageeAccountListResponseSchema, page, id=who["id"])


@api.route(
    blueprint, "/api/v1/customer/managees/createwidgetuser", method="POST",
    summary="Link a widget (QuickBuy) user reference to a verified managee", body=s.CreateWidgetUserSchema,
    security=AUTH, tags=TAGS, source=e.MANAGEES_DOC,
    responses={200: {"description": "Linked", "content": {"application/json": {"schema": s.SuccessNoDetailsSchema}}},
               **e.responses(e.REQUIRED, e.INVALID_LENGTH, e.INVALID_FORMAT, e.INVALID, e.WIDGET_CLIENT_NOT_FOUND,
                             e.MANAGEE_NOT_FOUND, e.MANAGEE_NOT_VERIFIED, e.WIDGET_USER_ALREADY_EXISTS,
                             e.WIDGET_USER_REFERENCE_ALREADY_USED)},
)
def create_widget_user():
    who = manager()
    data = s.load(s.CreateWidgetUserSchema(), json_object_body(request))
    current().managees.create_widget_user(who, data["manageesId"], data["widgetUserReference"])
    return jsonify(s.SuccessNoDetailsSchema().dump({"id": 0, "status": "1", "errors": []}))


@api.route(
    blueprint, "/api/v1/customer/simulations/payins", method="POST",
    summary="Simulate a deposit into a managee's account (sandbox module of the real API)",
    body=s.SimulatePayinSchema, security=AUTH, tags=("Simulations",),
    source="https://customer-api-docs.ibanera.com/api-endpoints/simulated-testing",
    description="The sandbox credits available and total balance at once.",
    responses={200: {"description": "Credited", "content": {"application/json": {"schema": s.SuccessNoDetailsSchema}}},
               **e.responses(e.REQUIRED, e.INVALID, e.ACCOUNT_NOT_FOUND)},
)
def simulate_payin():
    who = manager()
    data = s.load(s.SimulatePayinSchema(), json_object_body(request))
    current().managees.simulate_payin(who, data["DestinationAccountId"], data["Amount"])
    return jsonify(s.SuccessNoDetailsSchema().dump({"id": 0, "status": "1", "errors": []}))
