"""Managees: create (with KYC data), list, their accounts, widget users."""

from __future__ import annotations

from sandbox.providers.ibanera import errors as e
from sandbox.providers.ibanera import examples as x
from sandbox.providers.ibanera import schemas as s
from sandbox.providers.ibanera.api import MANAGER, api
from sandbox.providers.ibanera.replies import NO_DETAILS, Paging, Reply
from sandbox.providers.ibanera.runtime import IbaneraRuntime
from sandbox.providers.ibanera.services.auth import Manager
from sandbox.providers.ibanera.services.managees import PageOf

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


def paged(page: PageOf, caller: Manager) -> Reply:
    return Reply(page.items, id=caller["id"], paging=Paging(page.page_number, page.page_size, page.number_of_pages))


@api.route(
    "/api/v4/customer/managees/create", aliases=("/api/v5/customer/managees/create",), method="POST",
    summary="Create a managee with KYC data", body=s.CreateManageeSchema, security=MANAGER, tags=TAGS,
    body_context=lambda runtime, caller: runtime.managees.rules_for(caller), source=e.MANAGEES_DOC,
    description=s.CREATE_MANAGEE_RULES,
    ok=(s.CreateManageeResponseSchema, "Created, verification Pending"), example=x.CREATE_MANAGEE,
    links=to_managee(MANAGEE_ID),
)
def create_managee(runtime: IbaneraRuntime, caller: Manager, body: dict) -> dict:
    return runtime.managees.create_managee(caller, body)


@api.route(
    "/api/v1/customer/managees/list", aliases=("/api/v2/customer/managees/list",), method="GET",
    summary="List the calling manager's managees, oldest first", query=s.PageQuerySchema, security=MANAGER,
    tags=TAGS, source=e.MANAGEES_DOC, ok=(s.ManageeListResponseSchema, "A page of managees"), example=x.PAGE,
    links=to_managee(FIRST_ITEM_MANAGEE_ID),
)
def list_managees(runtime: IbaneraRuntime, caller: Manager, query: dict) -> Reply:
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
def list_managee_accounts(runtime: IbaneraRuntime, caller: Manager, query: dict) -> Reply:
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
def create_widget_user(runtime: IbaneraRuntime, caller: Manager, body: dict) -> object:
    runtime.managees.create_widget_user(caller, body["manageesId"], body["widgetUserReference"])
    return NO_DETAILS
