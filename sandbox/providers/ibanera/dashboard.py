"""What the dashboard shows of Ibanera: each manager's managees and their
verification (decided by the sandbox control, as Ibanera's compliance team
would), their accounts (a simulated payin by the API's own sandbox call),
and the credential the page asks for: a manager's login."""

from __future__ import annotations

from sandbox.core.views import Action, Ask, Column, Credential, CredentialField, Dashboard, EntityView, Login, Tenant
from sandbox.providers.ibanera import constants as k
from sandbox.providers.ibanera.services.auth import tenant_of

PENDING = ("Pending",)
#: the sandbox's fixed OTP (refused under --strict-otp: then the manager's current TOTP code is typed in)
SANDBOX_OTP = "123456"

MANAGEES = EntityView(
    name="managees", title="Managees", collection="managees", state="verificationStatus",
    columns=(Column("manageesId", "id"), Column("reference", "manageesReference"),
             Column("name", lambda m, _: f"{m.get('firstGivenName') or ''} {m.get('lastSurname') or ''}".strip()),
             Column("email", "emailAddress"), Column("verification", "verificationStatus", state=True),
             Column("added", "addDate")),
    actions=(
        Action("Accept", "POST", "/_sandbox/ibanera/managees/{id}/verification", {"status": "Accepted"},
               states=PENDING, tone="good"),
        Action("Reject", "POST", "/_sandbox/ibanera/managees/{id}/verification",
               {"status": "Rejected", "rejectReason": Ask("Identity verification failed")}, states=PENDING,
               tone="bad"),
    ),
)
ACCOUNTS = EntityView(
    name="accounts", title="Accounts", collection="accounts",
    columns=(Column("id", "id"), Column("manageesId", "manageesId"), Column("asset", "asset"),
             Column("account number", "accountNumber"), Column("available", "availableBalance"),
             Column("total", "totalBalance")),
    actions=(Action("Simulate payin", "POST", "/ibanera/api/v1/customer/simulations/payins",
                    {"DestinationAccountId": "{id}", "TransferType": "ACH", "Amount": Ask("250", number=True)}),),
)


def tenants(section: dict) -> list[Tenant]:
    return [Tenant(tenant_of(m["username"]), m["username"],
                   {"username": m["username"], "password": m["password"], "otp": SANDBOX_OTP})
            for m in section.get("managers", [])]


DASHBOARD = Dashboard(
    credential=Credential(
        fields=(CredentialField("username", "Manager username"),
                CredentialField("password", "Password", secret=True),
                CredentialField("otp", "OTP (the current TOTP code, or 123456)", default=SANDBOX_OTP)),
        login=Login("/ibanera/api/v1/public/auth/login",
                    {"username": "{username}", "password": "{password}", "otp": "{otp}"}, token="details.accessToken"),
        headers={"Authorization": "Bearer {token}", k.OTP_HEADER: "{otp}"},
    ),
    tenants=tenants,
    views=(MANAGEES, ACCOUNTS),
)
