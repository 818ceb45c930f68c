"""Customers and their accounts (digital entities): create, list and update
a customer; add and list its accounts. Every path is under the employee's
own counterparty, /api/v1/counterparty/<counterparty_guid>, and also without
/api/v1, as the docs' OpenAPI blocks write it (an alias, marked inferred)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.providers.prozora import constants as k
from sandbox.providers.prozora import errors as e
from sandbox.providers.prozora import examples as x
from sandbox.providers.prozora import schemas as s
from sandbox.providers.prozora.api import EMPLOYEE, api
from sandbox.providers.prozora.runtime import ProzoraRuntime
from sandbox.providers.prozora.services.employees import Employee

if TYPE_CHECKING:
    # what every handler here calls, as runtime.customers: named for a reader, and for a tool that
    # follows a call only into the modules this one imports (nothing else here needs the name)
    from sandbox.providers.prozora.services.customers import CustomerService  # noqa: F401

TAGS = ("Customer",)
CUSTOMERS = f"{k.BASE}/customers"
CUSTOMER = f"{CUSTOMERS}/<customer_guid>"
ACCOUNTS = f"{CUSTOMER}/accounts"


def short(path: str) -> tuple[str]:
    """The path as the docs' OpenAPI blocks write it (without /api/v1): the alias of `path`."""
    return (k.SHORT_BASE + path.removeprefix(k.BASE),)


def counterparty_rules(runtime: ProzoraRuntime, caller: Employee) -> s.Rules:
    """What the customer bodies' validators need (create, update): the caller's counterparty's assets."""
    return runtime.customers.rules_for(caller)


# -- OpenAPI links: how an answer's GUIDs feed the next call (what schemathesis's stateful phase follows)
#: the customer a create answers with, for the calls that take it
OF_NEW_CUSTOMER = {"counterparty_guid": "$request.path.counterparty_guid",
                   "customer_guid": "$response.body#/customer_guid"}
#: the customer of the path, for the calls that take it
OF_SAME_CUSTOMER = {"counterparty_guid": "$request.path.counterparty_guid",
                    "customer_guid": "$request.path.customer_guid"}


@api.route(
    CUSTOMERS, aliases=short(CUSTOMERS), method="POST",
    summary="Create customer (and its first account) on behalf of employee",
    body=s.CreateCustomerSchema, body_context=counterparty_rules,
    security=EMPLOYEE, tags=TAGS, source=e.CUSTOMER_DOC,
    description="`guid` and `wallet_account_guid` are the new account's GUID; `customer_guid` the customer's. "
                + s.beyond_the_schema(s.ASSET_RULE, s.BALANCE_ASSET_RULE, s.BALANCE_PLACES_RULE, s.BRANCH_RULE,
                                      s.LOGIN_RULE, s.IBAN_RULE)
                + " Without `branch_guid`, a branch employee's customer goes to the employee's branch.",
    ok=(s.AccountSchema, "The customer's first account"),
    raises=(e.BRANCH_NOT_FOUND, e.TOO_MANY_DECIMALS, e.LOGIN_TAKEN, e.IBAN_TAKEN),
    example=x.CREATE_CUSTOMER,
    links={"UpdateCustomer": {"operationId": "update_customer", "parameters": OF_NEW_CUSTOMER},
           "AddAccount": {"operationId": "create_account", "parameters": OF_NEW_CUSTOMER},
           "ListAccounts": {"operationId": "list_accounts", "parameters": OF_NEW_CUSTOMER}},
)
def create_customer(runtime: ProzoraRuntime, caller: Employee, body: dict) -> dict:
    return runtime.customers.create_customer(caller, body)


@api.route(
    CUSTOMERS, aliases=short(CUSTOMERS), method="GET", summary="Get customers list with filter",
    query=s.CustomersQuerySchema,
    security=EMPLOYEE, tags=TAGS, source=e.CUSTOMER_DOC,
    description="Array parameters take repeated keys and comma-separated values, together: "
                "`kyc_levels=1&kyc_levels=2` is `kyc_levels=1,2` (either level). Any other parameter given twice "
                "is refused (`invalid value`): it has one value. Only the customers the employee may see (its "
                "branch's, for a branch employee).",
    ok=(s.CustomerListSchema, "A page of customers and the total matching"),
    example=x.LIST_CUSTOMERS,
)
def list_customers(runtime: ProzoraRuntime, caller: Employee, query: dict) -> dict:
    return runtime.customers.list_customers(caller, query)


@api.route(
    CUSTOMER, aliases=short(CUSTOMER), method="PUT", summary="Update customer on behalf of employee",
    body=s.UpdateCustomerSchema,
    body_context=counterparty_rules, security=EMPLOYEE, tags=TAGS,
    source=e.CUSTOMER_DOC,
    description=s.beyond_the_schema(s.BALANCE_ASSET_RULE, s.BALANCE_PLACES_RULE, s.BRANCH_RULE, s.WALLET_USER_RULE)
                + " Changes the fields given (null: unchanged). login, iban, asset_code and asset_issuer cannot "
                "change (unknown fields here).",
    ok=(s.EmptySchema, "Updated"),
    raises=(e.INVALID_UUID, e.GUID_MISMATCH, e.CUSTOMER_NOT_FOUND, e.BRANCH_NOT_FOUND, e.TOO_MANY_DECIMALS),
    example=x.UPDATE_CUSTOMER,
    links={"AddAccount": {"operationId": "create_account", "parameters": OF_SAME_CUSTOMER},
           "ListAccounts": {"operationId": "list_accounts", "parameters": OF_SAME_CUSTOMER}},
)
def update_customer(runtime: ProzoraRuntime, caller: Employee, body: dict, customer_guid: str) -> dict:
    return runtime.customers.update_customer(caller, customer_guid, body)


@api.route(
    ACCOUNTS, aliases=short(ACCOUNTS), method="POST", summary="Create customer's accounts on behalf of employee",
    body=s.CreateAccountSchema, security=EMPLOYEE, tags=TAGS, source=e.CUSTOMER_DOC,
    description="A further account (digital entity) of the customer, in the asset of its first account. "
                + s.beyond_the_schema(s.IBAN_RULE),
    ok=(s.AccountCreatedSchema, "The new account"), raises=(e.INVALID_UUID, e.CUSTOMER_NOT_FOUND, e.IBAN_TAKEN),
    example=x.CREATE_ACCOUNT,
    links={"ListAccounts": {"operationId": "list_accounts", "parameters": OF_SAME_CUSTOMER}},
)
def create_account(runtime: ProzoraRuntime, caller: Employee, body: dict, customer_guid: str) -> dict:
    return runtime.customers.create_account(caller, customer_guid, body)


@api.route(
    ACCOUNTS, aliases=short(ACCOUNTS), method="GET", summary="Get customer's accounts on behalf of employee",
    query=s.AccountsQuerySchema, security=EMPLOYEE, tags=TAGS, source=e.CUSTOMER_DOC,
    ok=(s.AccountListSchema, "The customer's accounts, oldest first, and their total"),
    raises=(e.INVALID_UUID, e.CUSTOMER_NOT_FOUND),
    example=x.LIST_ACCOUNTS,
)
def list_accounts(runtime: ProzoraRuntime, caller: Employee, query: dict, customer_guid: str) -> dict:
    return runtime.customers.list_accounts(caller, customer_guid, query.get("iban"))
