"""Who is looking at the dashboard, decided exactly as the controls decide
it: the admin token as the global controls check it (open when none is
configured), a tenant's credential as its provider's controls check it.
A request that says it bears a tenant's credential (X-Sandbox-View:
tenant) is that tenant's and sees only its own records; any other is the
admin's, or refused."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from flask import Request

from sandbox.admin.api import require_admin
from sandbox.admin.errors import SandboxError
from sandbox.core.errors import ApiError
from sandbox.core.provider import Provider
from sandbox.core.runtime import Sandbox
from sandbox.core.views import Tenant

#: "tenant": the request bears a tenant's credential in its provider's own headers
VIEW_HEADER = "X-Sandbox-View"
_SCOPE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


class Refused(Exception):
    """The page may not show this: the status and the reason, in words."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Viewer:
    #: the tenant whose credential was given (None: the admin, who may look at any tenant)
    tenant: str | None

    @property
    def admin(self) -> bool:
        return self.tenant is None


def admin_open(sandbox: Sandbox, request: Request) -> bool:
    """Whether the global controls would answer this request."""
    try:
        require_admin(sandbox, request)
    except SandboxError:
        return False
    return True


def scope_parameters(provider: Provider) -> list[str]:
    """The path parameters of the provider's controls (Prozora's counterparty_guid)."""
    return _SCOPE_PARAMETER.findall(provider.api.tenant_controls.scope)


def control_path(provider: Provider) -> str:
    """Where its controls are, for the browser: "/_sandbox/prozora/counterparty/{counterparty_guid}"
    (the credential fills the braces)."""
    return provider.api.control_prefix + _SCOPE_PARAMETER.sub(r"{\1}", provider.api.tenant_controls.scope)


def viewer(sandbox: Sandbox, provider: Provider, request: Request) -> Viewer:
    """The tenant behind the request's credential, or the admin; Refused otherwise."""
    if request.headers.get(VIEW_HEADER, "").lower() == "tenant":
        controls = provider.api.tenant_controls
        # the check reads the scope from the path, where the controls have it; here it comes in the query
        request.view_args = {**(request.view_args or {}),
                             **{name: request.args.get(name, "") for name in scope_parameters(provider)}}
        try:
            return Viewer(controls.tenant(controls.security.check(sandbox.runtime(provider.name), request)))
        except ApiError as refusal:
            codes = ", ".join(p.condition.code for p in refusal.problems)
            raise Refused(refusal.status, f"{provider.name} refused the credential: {codes}") from None
    if admin_open(sandbox, request):
        return Viewer(None)
    raise Refused(401, "the admin token, or a tenant's credential, is needed to see this")


def tenant_id(provider: str, tenant: str) -> str:
    """A tenant's name in the page's URLs: an api-key is a tenant, and stays out of them."""
    return hashlib.sha256(f"{provider}\0{tenant}".encode()).hexdigest()[:12]


def tenants(sandbox: Sandbox, provider: Provider) -> list[Tenant]:
    """The scenario's tenants, then any other that holds records (named by its id alone)."""
    declared = provider.dashboard.tenants(sandbox.scenario.sections[provider.name]) if provider.dashboard else []
    known = {t.key for t in declared}
    others = sorted(sandbox.store.tenants(f"{provider.name}.") - known)
    return declared + [Tenant(key, f"tenant {tenant_id(provider.name, key)}") for key in others]


def chosen(sandbox: Sandbox, provider: Provider, who: Viewer, given: str | None) -> Tenant | None:
    """The tenant a request looks at: the viewer's own, or the one the admin chose (the first by default)."""
    every = tenants(sandbox, provider)
    if not who.admin:
        return next((t for t in every if t.key == who.tenant),
                    Tenant(who.tenant, f"tenant {tenant_id(provider.name, who.tenant)}"))
    if given:
        return next((t for t in every if tenant_id(provider.name, t.key) == given), None)
    return every[0] if every else None
