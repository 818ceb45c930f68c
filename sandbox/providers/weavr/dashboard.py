"""What the dashboard shows of Weavr: each api-key's consumers and their KYC
(the ongoing review moved by the sandbox control, which sends the KycEvent;
Weavr's simulator can only approve), their
managed accounts (a deposit by Weavr's own simulator), and the credential
the page asks for: the api-key (also sent as the simulator's programme-key)."""

from __future__ import annotations

from sandbox.core.redact import shown
from sandbox.core.views import Action, Ask, Column, Credential, CredentialField, Dashboard, EntityView, Tenant

KYC = "/_sandbox/weavr/consumers/{id}/kyc"
UNDECIDED = ("INITIATED", "PENDING_REVIEW")


def _name(consumer: dict, _reader) -> str:
    root = consumer.get("rootUser") or {}
    return f"{root.get('name') or ''} {root.get('surname') or ''}".strip()


CONSUMERS = EntityView(
    name="consumers", title="Consumers", collection="consumers", state="kyc.ongoingFullDueDiligence",
    columns=(Column("id", "id"), Column("name", _name), Column("email", "rootUser.email"),
             Column("email verified", "rootUser.emailVerified"),
             Column("KYC (ongoing)", "kyc.ongoingFullDueDiligence", state=True),
             Column("KYC (full)", "kyc.fullDueDiligence"), Column("level", "kyc.kycLevel"),
             Column("created (ms)", "creationTimestamp")),
    actions=(
        Action("Approve", "POST", KYC, {"status": "APPROVED"}, states=(*UNDECIDED, "NOT_STARTED"), tone="good"),
        Action("Review", "POST", KYC, {"status": "PENDING_REVIEW"}, states=("INITIATED",)),
        Action("Reject", "POST", KYC, {"status": "REJECTED"}, states=UNDECIDED, tone="bad"),
        Action("Open account", "POST", "/_sandbox/weavr/consumers/{id}/managed_accounts", {"currency": Ask("EUR")}),
    ),
)
ACCOUNTS = EntityView(
    name="accounts", title="Managed accounts", collection="accounts",
    columns=(Column("id", "id"), Column("consumer", "consumerId"), Column("currency", "currency"),
             Column("balance (minor units)", "balance"), Column("IBAN", "iban")),
    actions=(Action("Deposit", "POST", "/weavr/simulate/api/accounts/{id}/deposit",
                    {"depositAmount": {"currency": "{currency}", "amount": Ask("1000", number=True)}}),),
)


def tenants(section: dict) -> list[Tenant]:
    return [Tenant(key["api_key"], f"api-key {shown(key['api_key'])} (profile {key['consumer_profile_id']})",
                   {"api_key": key["api_key"]}) for key in section.get("api_keys", [])]


DASHBOARD = Dashboard(
    credential=Credential(fields=(CredentialField("api_key", "api-key", secret=True),),
                          headers={"api-key": "{api_key}", "programme-key": "{api_key}"}),
    tenants=tenants,
    views=(CONSUMERS, ACCOUNTS),
)
