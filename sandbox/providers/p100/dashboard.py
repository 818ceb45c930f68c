"""What the dashboard shows of P100: each partner's users with their KYC and
balances (moved by the sandbox controls: KYC, deposits), the ledger's
movements (by owner: a user's externalUserId, or the partner), and the
credential the page asks for: the partner's x-api-key."""

from __future__ import annotations

from decimal import Decimal

from sandbox.core.redact import shown
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
from sandbox.providers.p100 import constants as k
from sandbox.providers.p100.services.ledger import wire

USER = "/_sandbox/p100/users/{externalUserId}"
NOT_VERIFIED = ("NOT_VERIFIED", None)


def _balances(user: dict, reader: TenantReader) -> str:
    """The user's non-zero balances as P100 writes them, one lookup per currency (the ledger's unique index)."""
    held = (reader.find("balances", "owner_currency", user["externalUserId"], currency) for currency in k.DECIMALS)
    return ", ".join(f"{wire(b['currency'], Decimal(b['amount']))} {b['currency']}"
                     for b in held if b and Decimal(b["amount"]))


def _kyc(field: str):
    return lambda user, _reader: (user.get("kyc") or {}).get(field)


USERS = EntityView(
    name="users", title="Users", collection="users", state="kyc.verificationStatus",
    columns=(Column("externalUserId", "externalUserId"), Column("email", "email"), Column("country", "country"),
             Column("status", "status"), Column("KYC", _kyc("verificationStatus"), state=True),
             Column("attempt", _kyc("attemptStatus")), Column("fiat", "fiatStatus"), Column("IBAN", "iban"),
             Column("balances", _balances)),
    actions=(
        Action("Verify KYC", "POST", f"{USER}/kyc", {"verificationStatus": "VERIFIED", "attemptStatus": "SUCCESSFUL"},
               states=NOT_VERIFIED, tone="good"),
        Action("Reject KYC", "POST", f"{USER}/kyc", {"verificationStatus": "NOT_VERIFIED",
                                                    "attemptStatus": "REJECTED_BY_PROVIDER",
                                                    "rejectionReason": Ask("Document expired")},
               states=NOT_VERIFIED, tone="bad"),
        Action("Deposit EUR", "POST", f"{USER}/fiat-deposits", {"amount": Ask("100.00")}, states=("VERIFIED",)),
        Action("Deposit crypto", "POST", f"{USER}/crypto-deposits", {"currency": Ask("btc"), "amount": Ask("0.01")}),
    ),
)
BALANCES = EntityView(
    name="balances", title="Balances", collection="balances",
    columns=(Column("owner", "owner"), Column("currency", "currency"), Column("amount", "amount"),
             Column("balanceId", "balanceId")),
)
MOVEMENTS = EntityView(
    name="movements", title="Ledger movements", collection="movements", filters=(Filter("owner", "owner"),),
    columns=(Column("owner", "owner"), Column("currency", "currency"), Column("amount", "amount"),
             Column("balance after", "balanceAfter"), Column("type", "type"), Column("reference", "reference"),
             Column("at", "createdAt")),
)


def tenants(section: dict) -> list[Tenant]:
    return [Tenant(key["api_key"], f"x-api-key {shown(key['api_key'])} #{number}", {"api_key": key["api_key"]})
            for number, key in enumerate(section.get("api_keys", []), 1)]


DASHBOARD = Dashboard(
    credential=Credential(fields=(CredentialField("api_key", "x-api-key", secret=True),),
                          headers={"x-api-key": "{api_key}"}),
    tenants=tenants,
    views=(USERS, MOVEMENTS, BALANCES),
)
