"""What the dashboard shows of Prozora: each counterparty's customers, their
KYC level and status (moved by the API's own update, the one an employee
makes: Prozora has no sandbox control), filtered by branch, with their
accounts; and the credential the page asks for: the counterparty and the
token of an employee of the whole counterparty (a branch employee may not
use the controls, so not the dashboard either)."""

from __future__ import annotations

from sandbox.core.views import (
    Action,
    Ask,
    Column,
    Credential,
    CredentialField,
    Dashboard,
    EntityView,
    Filter,
    Tenant,
    TenantReader,
)

CUSTOMER = "/prozora/api/v1/counterparty/{counterparty_guid}/customers/{wallet_user_guid}"


def _accounts(customer: dict, reader: TenantReader) -> str:
    accounts = reader.page("accounts", "customer", customer["wallet_user_guid"], limit=5)
    return ", ".join(f"{a.get('iban') or a['wallet_account_guid'][:8]} {a['balance']} {a['asset_code']}"
                     for a in accounts)


CUSTOMERS = EntityView(
    name="customers", title="Customers", collection="customers", state="status",
    filters=(Filter("branch", "branch_guid"),),
    columns=(Column("wallet_user_guid", "wallet_user_guid"), Column("login", "login"),
             Column("name", lambda c, _: f"{c.get('name') or ''} {c.get('surname') or ''}".strip()),
             Column("KYC level", "kyc_level"), Column("status", "status", state=True),
             Column("disabled", "is_disabled"), Column("branch", "branch_guid"), Column("accounts", _accounts),
             Column("created", "created_at")),
    actions=(
        Action("Verify (KYC 2)", "PUT", CUSTOMER, {"kyc_level": 2, "status": "verified"},
               states=("active", "pending"), tone="good"),
        Action("Block", "PUT", CUSTOMER, {"status": "blocked"}, states=("active", "pending", "verified"), tone="bad"),
        Action("Set KYC level", "PUT", CUSTOMER, {"kyc_level": Ask("1", number=True)}),
    ),
)
ACCOUNTS = EntityView(
    name="accounts", title="Accounts", collection="accounts", filters=(Filter("customer", "wallet_user_guid"),),
    columns=(Column("wallet_account_guid", "wallet_account_guid"), Column("customer", "wallet_user_guid"),
             Column("IBAN", "iban"), Column("asset", "asset_code"), Column("balance", "balance"),
             Column("created", "created_at")),
)


def tenants(section: dict) -> list[Tenant]:
    return [Tenant(c["id"], f"{c['name']} ({c['id'][:8]})" if c.get("name") else c["id"],
                   {"counterparty_guid": c["id"], "token": c["employee_token"]})
            for c in section.get("counterparties", [])]


DASHBOARD = Dashboard(
    credential=Credential(
        fields=(CredentialField("counterparty_guid", "Counterparty GUID"),
                CredentialField("token", "Employee token (of the whole counterparty)", secret=True)),
        headers={"Authorization": "bearer {token}"}, scope={"counterparty_guid": "{counterparty_guid}"}),
    tenants=tenants,
    views=(CUSTOMERS, ACCOUNTS),
)
