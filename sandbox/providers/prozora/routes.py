"""Prozora (Armenotech DCM) bank-integration API, Customer section: one
declaration per endpoint, under /prozora. Every call is an employee's,
`Authorization: bearer <session token>`, on the employee's own
counterparty; the declaration checks both before the body is read."""

from __future__ import annotations

from sandbox.core.api import Api, Security
from sandbox.core.controls import TenantControls
from sandbox.core.openapi import ApiDocument, Example
from sandbox.providers.prozora import constants as k
from sandbox.providers.prozora import errors as e
from sandbox.providers.prozora import schemas as s
from sandbox.providers.prozora.auth import Employee
from sandbox.providers.prozora.replies import reply

NAME = "prozora"

api = Api(
    name=NAME,
    errors=e.ProzoraError,
    reply=reply,
    document=ApiDocument(
        title="Prozora DCM bank-integration API: Customers (fintech-sandbox)",
        version="v1",
        description=(
            "The Customer section of Prozora's (Armenotech DCM) bank-integration API as fintech-sandbox serves it. "
            "An employee (a session token) belongs to one counterparty and, optionally, one branch; a branch "
            "employee sees and changes only its branch's customers. Errors are `{\"error\": message}`, the field "
            "first (`field: message`) when one request field is at fault. Every error code lists its provenance: "
            "`documented` (see x-source) or `inferred` (fintech-sandbox chose it where the docs are silent).\n\n"
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

EMPLOYEE = Security(
    [{"bearerAuth": []}],
    check=lambda rt, request: rt.employees.authenticate(request.headers.get("Authorization"),
                                                        (request.view_args or {}).get("counterparty_guid")),
    raises=(e.UNAUTHORIZED, e.INVALID_UUID, e.PERMISSION_DENIED),
)
TAGS = ("Customer",)
CUSTOMERS = f"{k.BASE}/customers"
CUSTOMER = f"{CUSTOMERS}/<customer_guid>"

# -- the examples: requests of counterparty B's employee (`bearer prozora-sandbox-token-2`) on the default
# scenario (fixtures/default.yaml), where B has the UAH asset, the Odesa branch and the customer Olena
EXAMPLE_COUNTERPARTY = "1c9a7b1f-7e3d-4d48-8c8f-6b2e3d4f5a61"
EXAMPLE_ISSUER = "GAAACAQDAQCQMBYIBEFAWDANBYHRAEISCMKBKFQXDAMRUGY4DUPB7JZX"
EXAMPLE_BRANCH = "576e866c-b0fd-45eb-8d5b-282eba04adc4"
EXAMPLE_CUSTOMER = "9d3c2f1a-4b5e-4c6d-8e7f-0a1b2c3d4e5f"
ON_COUNTERPARTY = {"counterparty_guid": EXAMPLE_COUNTERPARTY}


def counterparty_of(caller: Employee) -> str:
    """The tenant of core's controls (a tenant's reset): the counterparty,
    and only an employee of the whole counterparty (not of one branch) acts for it."""
    if caller.branch_guid is not None:
        raise e.ProzoraError.of(e.PERMISSION_DENIED)
    return caller.counterparty_guid


CONTROLS = TenantControls(EMPLOYEE, tenant=counterparty_of, scope="/counterparty/<counterparty_guid>",
                          example=Example(path=ON_COUNTERPARTY), raises=(e.PERMISSION_DENIED,),
                          who="Only an employee of the whole counterparty (not of one branch) may use it.")
ON_CUSTOMER = {**ON_COUNTERPARTY, "customer_guid": EXAMPLE_CUSTOMER}
#: the customer a create answers with, for the calls that take it
OF_NEW_CUSTOMER = {"counterparty_guid": "$request.path.counterparty_guid",
                   "customer_guid": "$response.body#/customer_guid"}
#: the customer of the path, for the calls that take it
OF_SAME_CUSTOMER = {"counterparty_guid": "$request.path.counterparty_guid",
                    "customer_guid": "$request.path.customer_guid"}


@api.route(
    CUSTOMERS, method="POST", summary="Create customer (and its first account) on behalf of employee",
    body=s.CreateCustomerSchema, body_context=lambda runtime, caller: runtime.customers.rules_for(caller),
    security=EMPLOYEE, tags=TAGS, source=e.CUSTOMER_DOC,
    description="`guid` and `wallet_account_guid` are the new account's GUID; `customer_guid` the customer's. "
                "Beyond the schema: `asset_code` is one of the counterparty's assets and `asset_issuer` that "
                "asset's issuer; `balance_asset_code` one of its assets; `branch_guid` one of its branches; "
                "`login` (case-insensitively) and `iban` not yet taken in the counterparty (400 otherwise). "
                "A branch employee's customer goes to the employee's branch.",
    ok=(s.AccountSchema, "The customer's first account"), raises=(e.BRANCH_NOT_FOUND, e.LOGIN_TAKEN, e.IBAN_TAKEN),
    example=Example(path=ON_COUNTERPARTY, body={
        "asset_code": "UAH", "asset_issuer": EXAMPLE_ISSUER, "login": "taras.melnyk@example.com", "name": "Taras",
        "surname": "Melnyk", "paternal_name": "Ivanovych", "phone_number": "+380501234567", "kyc_level": 1,
        "segment": "PL", "status": "active", "branch_guid": EXAMPLE_BRANCH, "balance_allowed": 1500.5,
        "iban": "UA213223130000026007233566001"}),
    links={"UpdateCustomer": {"operationId": "update_customer", "parameters": OF_NEW_CUSTOMER},
           "AddAccount": {"operationId": "create_account", "parameters": OF_NEW_CUSTOMER},
           "ListAccounts": {"operationId": "list_accounts", "parameters": OF_NEW_CUSTOMER}},
)
def create_customer(runtime, caller, body, counterparty_guid):
    return runtime.customers.create_customer(caller, body)


@api.route(
    CUSTOMERS, method="GET", summary="Get customers list with filter", query=s.CustomersQuerySchema,
    security=EMPLOYEE, tags=TAGS, source=e.CUSTOMER_DOC,
    description="Array parameters take repeated keys and comma-separated values. Only the customers the "
                "employee may see (its branch's, for a branch employee).",
    ok=(s.CustomerListSchema, "A page of customers and the total matching"),
    example=Example(path=ON_COUNTERPARTY, query={"logins": ["olena.shevchenko@example.com"], "limit": 20}),
)
def list_customers(runtime, caller, query, counterparty_guid):
    return runtime.customers.list_customers(caller, query)


@api.route(
    CUSTOMER, method="PUT", summary="Update customer on behalf of employee", body=s.UpdateCustomerSchema,
    body_context=lambda runtime, caller: runtime.customers.rules_for(caller), security=EMPLOYEE, tags=TAGS,
    source=e.CUSTOMER_DOC,
    description="Beyond the schema: `balance_asset_code` is one of the counterparty's assets, `branch_guid` one "
                "of its branches, `wallet_user_guid` (if given) the path's customer (400 otherwise). "
                "Changes the fields given (null: unchanged). login, iban, asset_code and asset_issuer cannot "
                "change (unknown fields here).",
    ok=(s.EmptySchema, "Updated"),
    raises=(e.INVALID_UUID, e.GUID_MISMATCH, e.CUSTOMER_NOT_FOUND, e.BRANCH_NOT_FOUND),
    example=Example(path=ON_CUSTOMER, body={"kyc_level": 2, "status": "verified", "branch_guid": EXAMPLE_BRANCH}),
    links={"AddAccount": {"operationId": "create_account", "parameters": OF_SAME_CUSTOMER},
           "ListAccounts": {"operationId": "list_accounts", "parameters": OF_SAME_CUSTOMER}},
)
def update_customer(runtime, caller, body, counterparty_guid, customer_guid):
    return runtime.customers.update_customer(caller, customer_guid, body)


@api.route(
    f"{CUSTOMER}/accounts", method="POST", summary="Create customer's accounts on behalf of employee",
    body=s.CreateAccountSchema, security=EMPLOYEE, tags=TAGS, source=e.CUSTOMER_DOC,
    description="A further account (digital entity) of the customer, in the asset of its first account. "
                "Beyond the schema: `iban` is not yet taken in the counterparty (400 otherwise).",
    ok=(s.AccountCreatedSchema, "The new account"), raises=(e.INVALID_UUID, e.CUSTOMER_NOT_FOUND, e.IBAN_TAKEN),
    example=Example(path=ON_CUSTOMER, body={"iban": "DE89370400440532013000"}),
    links={"ListAccounts": {"operationId": "list_accounts", "parameters": OF_SAME_CUSTOMER}},
)
def create_account(runtime, caller, body, counterparty_guid, customer_guid):
    return runtime.customers.create_account(caller, customer_guid, body)


@api.route(
    f"{CUSTOMER}/accounts", method="GET", summary="Get customer's accounts on behalf of employee",
    query=s.AccountsQuerySchema, security=EMPLOYEE, tags=TAGS, source=e.CUSTOMER_DOC,
    ok=(s.AccountListSchema, "The customer's accounts, oldest first, and their total"),
    raises=(e.INVALID_UUID, e.CUSTOMER_NOT_FOUND),
    example=Example(path=ON_CUSTOMER),
)
def list_accounts(runtime, caller, query, counterparty_guid, customer_guid):
    return runtime.customers.list_accounts(caller, customer_guid, query.get("iban"))


