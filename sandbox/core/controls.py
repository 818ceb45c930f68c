"""The sandbox controls every provider has, declared once here and mounted
on each provider's Api under /_sandbox/<provider><scope>: they authenticate
with the provider's own credentials, act on the caller's tenant only, answer
in the provider's envelope, and appear in the provider's document.

    POST {scope}/reset    the caller's records back to the scenario as loaded
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, fields

from sandbox.core.api import Api, Security
from sandbox.core.context import ProviderRuntime
from sandbox.core.errors import SANDBOX, Condition
from sandbox.core.openapi import Example

TAGS = ("Sandbox control",)


@dataclass(frozen=True)
class TenantControls:
    """How core's controls of one provider know their caller."""

    #: the provider's own credential check (its caller, or its 401 in its envelope)
    security: Security
    #: the caller's tenant (the credential that owns records); may refuse a caller
    #: that may not act for the whole tenant, raising one of `raises`
    tenant: Callable[[Any], str]
    #: a path under /_sandbox/<provider> the credential needs (e.g. Prozora's
    #: "/counterparty/<counterparty_guid>"), and its example values
    scope: str = ""
    example: Example = field(default_factory=Example)
    raises: tuple[Condition, ...] = ()
    #: who may use them, in words, when not every credential may (said on each control)
    who: str = ""


class TenantResetSchema(Schema):
    status = fields.String(required=True, metadata={"example": "reset"})
    scenario = fields.String(required=True, metadata={"description": "The loaded scenario, e.g. default."})
    records = fields.Integer(required=True, metadata={
        "description": "How many of the tenant's records were dropped or brought back."})
    tookMs = fields.Float(required=True)


def declare(api: Api, controls: TenantControls) -> None:
    """Mount the controls on `api` (once: a provider is declared once)."""
    if api.tenant_controls is not None:
        raise ValueError(f"{api.name}: its tenant controls are already declared")
    api.tenant_controls = controls

    @api.route(
        f"{controls.scope}/reset", method="POST", control=True, provenance=SANDBOX, security=controls.security,
        tags=TAGS, summary="Sandbox control: reset the caller's own records",
        description="Resets the caller's own records (this credential's tenant) to the scenario as loaded; every "
                    "other tenant's records, and the clock, stay as they are. Safe on a shared sandbox."
                    + _who(controls),
        ok=(api.success("TenantResetResponse", TenantResetSchema), "Reset"), raises=controls.raises,
        example=controls.example,
    )
    def reset_tenant(runtime: ProviderRuntime, caller: Any) -> dict:
        return runtime.context.reset_tenant(controls.tenant(caller))


def _who(controls: TenantControls) -> str:
    return f" {controls.who}" if controls.who else ""
