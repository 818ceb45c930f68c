"""Ibanera Customer API, Managees module: one declaration per endpoint.
Each handler reads like its documentation: the declaration parses the body
or query and checks the caller; the handler calls one service function.
Paths are exactly as documented, under /ibanera; the sandbox's control of
KYC decisions is under /_sandbox/ibanera."""

from __future__ import annotations

from marshmallow import fields

from sandbox.core.api import PUBLIC, Api, Security
from sandbox.core.errors import SANDBOX
from sandbox.core.openapi import ApiDocument
from sandbox.core.controls import TenantControls
from sandbox.providers.ibanera import constants as k
from sandbox.providers.ibanera import errors as e
from sandbox.providers.ibanera import examples as x
from sandbox.providers.ibanera import schemas as s
from sandbox.providers.ibanera.auth import tenant_of
from sandbox.providers.ibanera.replies import NO_DETAILS, Paging, Reply, reply

NAME = "ibanera"

api = Api(
    name=NAME,
    errors=e.IbaneraError,
    reply=reply,
    success_envelope=lambda name, schema: s.envelope_schema(name, fields.Nested(schema)),
    document=ApiDocument(
        title="Ibanera Customer API: Managees (fintech-sandbox)",
        version="v4",
        description=(
            "The Managees module of Ibanera's Customer API as fintech-sandbox serves it. Request field names bind "
            "case-insensitively. Every error code lists its provenance: `documented` (the public docs confirm it, "
            "see x-source) or `inferred` (the docs lost or never had it; fintech-sandbox chose it), or `sandbox` "
            "(exists only in fintech-sandbox)."
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

#: a private call: bearer token and the manager's current TOTP
MANAGER = Security(
    [{"bearerAuth": [], "otp": []}],
    check=lambda rt, request: rt.auth.authenticate(request.headers.get("Authorization"),
                                                    request.headers.get(k.OTP_HEADER)),
    raises=(e.TOKEN_UNAUTHORISED, e.OTP_UNAUTHORISED),
)
#: the sandbox's controls: the manager's bearer token only
MANAGER_TOKEN = Security(
    [{"bearerAuth": []}],
    check=lambda rt, request: rt.auth.authenticate(request.headers.get("Authorization"), None, require_otp=False),
    raises=(e.TOKEN_UNAUTHORISED,),
)
#: core's controls (a tenant's reset): the manager's bearer token; a manager is its own tenant
CONTROLS = TenantControls(MANAGER_TOKEN, tenant=lambda caller: tenant_of(caller["username"]))
TAGS = ("Managees",)

# -- OpenAPI links: how an answer's ids feed the next call (what schemathesis's stateful phase follows)
MANAGEE_ID = "$response.body#/details/manageesId"
FIRST_ITEM_MANAGEE_ID = "$response.body#/details/0/manageesId"


def to_managee(expression: str, *, verification: bool = True) -> dict[str, dict]:
    """Links from an answer naming a managee to the calls that take its id."""
    links = {
        "ListTheManageesAccounts": {"operationId": "list_managee_accounts", "parameters": {"ManageesId": expression}},
        "LinkAWidgetUser": {"operationId": "create_widget_user", "requestBody": {"manageesId": expression}},
    }
    if verification:
        links["DecideTheManageesKyc"] = {"operationId": "set_verification", "parameters": {"managees_id": expression}}
    return links


def paged(page, caller: dict) -> Reply:
    return Reply(page.items, id=caller["id"], paging=Paging(page.page_number, page.page_size, page.number_of_pages))


@api.route(
    "/api/v1/public/auth/login", method="POST", summary="Log in with username, password and TOTP",
    body=s.LoginSchema, security=PUBLIC, tags=("Authentication",), source=e.AUTH_DOC,
    ok=(s.LoginResponseSchema, "Logged in"), example=x.LOGIN,
    raises=(e.USERNAME_OR_PASSWORD_INCORRECT, e.ACCOUNT_NOT_VERIFIED, e.ACCOUNT_LOCKED, e.ACCOUNT_SUPPRESSED,
            e.LOGIN_OTP_INVALID),
)
def login(runtime, body):
    return runtime.auth.login(**body)


@api.route(
    "/api/v4/customer/managees/create", aliases=("/api/v5/customer/managees/create",), method="POST",
    summary="Create a managee with KYC data", body=s.CreateManageeSchema, security=MANAGER, tags=TAGS,
    body_context=lambda runtime, caller: runtime.managees.rules_for(caller), source=e.MANAGEES_DOC,
    description=s.CREATE_MANAGEE_RULES,
    ok=(s.CreateManageeResponseSchema, "Created, verification Pending"), example=x.CREATE_MANAGEE,
    links=to_managee(MANAGEE_ID),
)
def create_managee(runtime, caller, body):
    return runtime.managees.create_managee(caller, body)


@api.route(
    "/api/v1/customer/managees/list", aliases=("/api/v2/customer/managees/list",), method="GET",
    summary="List the calling manager's managees, oldest first", query=s.PageQuerySchema, security=MANAGER,
    tags=TAGS, source=e.MANAGEES_DOC, ok=(s.ManageeListResponseSchema, "A page of managees"), example=x.PAGE,
    links=to_managee(FIRST_ITEM_MANAGEE_ID),
)
def list_managees(runtime, caller, query):
    return paged(runtime.managees.list_managees(caller, query["PageNumber"], query["PageSize"]), caller)


@api.route(
    "/api/v1/customer/manageeaccounts/list", method="GET", deprecated=True,
    summary="List the accounts of the calling manager's managees", query=s.ManageeAccountsQuerySchema,
    security=MANAGER, tags=TAGS, source=e.MANAGEES_DOC,
    description="An accepted managee gets one USD account. Marked deprecated in the current docs.",
    ok=(s.ManageeAccountListResponseSchema, "A page of accounts"), raises=(e.MANAGEE_NOT_FOUND,),
    example=x.LIST_ACCOUNTS,
    links={"DepositIntoTheAccount": {"operationId": "simulate_payin",
                                     "requestBody": {"DestinationAccountId": "$response.body#/details/0/id"}}},
)
def list_managee_accounts(runtime, caller, query):
    page = runtime.managees.list_accounts(caller, query["ManageesId"], query["Asset"], query["PageNumber"],
                                          query["PageSize"])
    return paged(page, caller)


@api.route(
    "/api/v1/customer/managees/createwidgetuser", method="POST",
    summary="Link a widget (QuickBuy) user reference to a verified managee", body=s.CreateWidgetUserSchema,
    security=MANAGER, tags=TAGS, source=e.MANAGEES_DOC, ok=(s.SuccessNoDetailsSchema, "Linked"),
    description=s.WIDGET_USER_RULES, example=x.CREATE_WIDGET_USER,
    raises=(e.WIDGET_CLIENT_NOT_FOUND, e.MANAGEE_NOT_FOUND, e.MANAGEE_NOT_VERIFIED, e.WIDGET_USER_ALREADY_EXISTS,
            e.WIDGET_USER_REFERENCE_ALREADY_USED),
)
def create_widget_user(runtime, caller, body):
    runtime.managees.create_widget_user(caller, body["manageesId"], body["widgetUserReference"])
    return NO_DETAILS


@api.route(
    "/api/v1/customer/simulations/payins", method="POST",
    summary="Simulate a deposit into a managee's account (sandbox module of the real API)",
    body=s.SimulatePayinSchema, security=MANAGER, tags=("Simulations",),
    source="https://customer-api-docs.ibanera.com/api-endpoints/simulated-testing",
    description="The sandbox credits available and total balance at once. DestinationAccountId must be the id "
                "of an account of one of the caller's managees (an Accepted managee has one USD account).",
    ok=(s.SuccessNoDetailsSchema, "Credited"), raises=(e.ACCOUNT_NOT_FOUND,), example=x.SIMULATE_PAYIN,
)
def simulate_payin(runtime, caller, body):
    runtime.managees.simulate_payin(caller, body["DestinationAccountId"], body["Amount"])
    return NO_DETAILS


@api.route(
    "/managees/<int:managees_id>/verification", method="POST", control=True,
    summary="Sandbox control: accept or reject a Pending managee's KYC", body=s.SetVerificationSchema,
    security=MANAGER_TOKEN, tags=("Sandbox control",), provenance=SANDBOX,
    description="Accepted opens the managee's USD account. A decided managee cannot change again "
                "(Rejected is final in Ibanera): asking for its own status again answers it unchanged, asking for "
                "the other is Verification_Final (409). managees_id must be a managee of the caller: any other "
                "id is Managee_Not_Found (400, as Ibanera's own calls answer an unknown ManageesId).",
    ok=(s.VerificationResponseSchema, "The managee's verification now"),
    raises=(e.MANAGEE_NOT_FOUND, e.VERIFICATION_FINAL), example=x.SET_VERIFICATION,
    links=to_managee(MANAGEE_ID, verification=False),
)
def set_verification(runtime, caller, body, managees_id: int):
    result = runtime.managees.set_verification(caller, managees_id, body["status"], body["rejectReason"])
    return Reply(result, id=managees_id)

