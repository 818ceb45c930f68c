"""The sandbox controls every provider has, declared once here and mounted
on each provider's Api under /_sandbox/<provider><scope>: they authenticate
with the provider's own credentials, act on the caller's tenant only, answer
in the provider's envelope, and appear in the provider's document.

    POST   {scope}/reset                                  the caller's records back to the scenario
    GET    {scope}/outcomes, PUT                          how what the provider decides later goes
    GET    {scope}/webhooks, PUT, DELETE                  the caller's webhook endpoint and secret
    GET    {scope}/webhooks/deliveries                    its outbox: each event, its attempts, its state
    POST   {scope}/webhooks/deliveries/<id>/redeliver     send one again
    GET    {scope}/journal, POST {scope}/journal/count, DELETE   what the sandbox received of the caller's
    POST   {scope}/faults, GET, DELETE, DELETE {scope}/faults/<id>   faults on the caller's own calls
(outcomes only for a provider that decides something later, webhooks only
for one that documents callbacks)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from marshmallow import Schema, fields, validate

from sandbox.core import faults as f
from sandbox.core import journal as j
from sandbox.core.api import Api, Security
from sandbox.core.context import ProviderRuntime
from sandbox.core.errors import SANDBOX, Condition
from sandbox.core.openapi import Example
from sandbox.core.outcomes import Kind, outcome_schema
from sandbox.core.schemas import ApiSchema
from sandbox.core.webhooks import PROVENANCE_NOTE, TargetSchema, WebhookPolicy

TAGS = ("Sandbox control",)
#: the example's delivery id: the outbox is empty right after a reset
NO_DELIVERY = "00000000-0000-4000-8000-000000000000"


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
    #: the tenant whose records a caller's requests touch, for the journal and faults (never
    #: refuses; default: `tenant`), where `tenant` refuses some callers (a Prozora branch employee)
    owner: Callable[[Any], str] | None = None

    def owner_of(self, caller: Any) -> str:
        return (self.owner or self.tenant)(caller)


class TenantResetSchema(Schema):
    status = fields.String(required=True, metadata={"example": "reset"})
    scenario = fields.String(required=True, metadata={"description": "The loaded scenario, e.g. default."})
    records = fields.Integer(required=True, metadata={
        "description": "How many of the tenant's records were dropped or brought back."})
    tookMs = fields.Float(required=True)


class AttemptSchema(Schema):
    at = fields.String(required=True, metadata={"description": "Sandbox time of the attempt."})
    status = fields.Integer(required=True, allow_none=True, metadata={"description": "The receiver's status."})
    answer = fields.String(required=True, allow_none=True, metadata={"description": "The receiver's answer "
                                                                                    "(its first 2 KiB)."})
    error = fields.String(required=True, allow_none=True, metadata={"description": "Why no answer came "
                                                                                   "(refused, timed out)."})
    tookMs = fields.Float(required=True)
    redelivery = fields.Boolean(required=True, metadata={"description": "Asked for with redeliver."})


class DeliverySchema(Schema):
    id = fields.String(required=True)
    type = fields.String(required=True, metadata={"description": "The provider's name for the event."})
    state = fields.String(required=True, validate=validate.OneOf(("pending", "delivered", "failed", "no-endpoint")),
                          metadata={"description": "pending (retries go on), delivered (acknowledged), failed "
                                                   "(given up), no-endpoint (the tenant had none set)."})
    url = fields.String(required=True, allow_none=True)
    createdAt = fields.String(required=True)
    nextAttemptAt = fields.String(required=True, allow_none=True)
    headers = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    body = fields.Raw(required=True, metadata={"description": "The event as delivered (JSON)."})
    attempts = fields.List(fields.Nested(AttemptSchema), required=True)


class DeliveriesSchema(Schema):
    deliveries = fields.List(fields.Nested(DeliverySchema), required=True, metadata={"description": "Newest first."})
    dropped = fields.Integer(required=True, metadata={"description": "Older messages the outbox no longer keeps."})


class EndpointSchema(Schema):
    url = fields.String(required=True, allow_none=True)
    secret = fields.String(required=True, allow_none=True, metadata={"description": "Its first 4 characters."})
    signing = fields.String(required=True, metadata={"description": "How this provider signs and retries."})


class DeliveriesQuerySchema(Schema):
    type = fields.String(validate=validate.Length(max=200))
    state = fields.String(validate=validate.OneOf(("pending", "delivered", "failed", "no-endpoint")))
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))


def body_schema(api: Api, name: str, schema: type[Schema]) -> type[ApiSchema]:
    """A control's body schema answering in the provider's envelope: a
    refusal is its bad-request code, naming the field."""
    base = type(f"{api.name.title()}ControlSchema", (ApiSchema,), {
        "ERRORS": api.errors, "FALLBACK": api.errors.catalogue.transport.bad_request, "MESSAGE_CODES": {}})
    return type(name, (base, schema), {"__doc__": schema.__doc__})


def declare(api: Api, controls: TenantControls, webhooks: WebhookPolicy | None = None,
            kinds: tuple[Kind, ...] = ()) -> None:
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

    _declare_journal(api, controls)
    _declare_faults(api, controls)
    if kinds:
        _declare_outcomes(api, controls, kinds)
    if webhooks is not None:
        _declare_webhooks(api, controls, webhooks)


def _declare_outcomes(api: Api, controls: TenantControls, kinds: tuple[Kind, ...]) -> None:
    given = body_schema(api, f"{api.name.title()}OutcomesRequest", outcome_schema(kinds))
    example = replace(controls.example, body={kinds[0].name: {"progression": "after", "delay": "PT10M",
                                                               "outcome": kinds[0].outcomes[0]}})
    listing = "; ".join(f"`{k.name}` ({', '.join(k.outcomes)}; {k.default} unless set): {k.description}"
                        for k in kinds)
    shown = Schema.from_dict({k.name: fields.Dict() for k in kinds}, name=f"{api.name.title()}Outcomes")
    common = {"control": True, "provenance": SANDBOX, "security": controls.security, "tags": TAGS,
              "raises": controls.raises, "example": controls.example,
              "ok": (api.success(f"{api.name.title()}OutcomesResponse", shown), "Each kind's setting")}

    @api.route(f"{controls.scope}/outcomes", method="GET", summary="Sandbox control: how what the provider "
               "decides later goes, for the caller", description=f"The kinds: {listing}." + _who(controls), **common)
    def get_outcomes(runtime: ProviderRuntime, caller: Any) -> dict:
        return _outcomes_view(runtime, controls.tenant(caller))

    @api.route(f"{controls.scope}/outcomes", method="PUT", summary="Sandbox control: choose how what the provider "
               "decides later goes, for the caller", body=given, **{**common, "example": example},
               description="Each kind named changes (the others keep theirs): `progression` immediate (decided once "
                           "the request that started it has its answer), manual (only a control decides) or after "
                           "(once `delay`, an ISO-8601 duration, of sandbox time has passed), and the `outcome` "
                           f"(with a `reason` where one applies). The kinds: {listing}." + _who(controls))
    def set_outcomes(runtime: ProviderRuntime, caller: Any, body: dict) -> dict:
        tenant = controls.tenant(caller)
        runtime.context.outcomes.set(tenant, body)
        return _outcomes_view(runtime, tenant)


def _outcomes_view(runtime: ProviderRuntime, tenant: str) -> dict:
    return {name: outcome.view() for name, outcome in runtime.context.outcomes.of(tenant).items()}


def _declare_webhooks(api: Api, controls: TenantControls, policy: WebhookPolicy) -> None:
    prefix = api.name.title()
    scope = f"{controls.scope}/webhooks"
    common = {"control": True, "provenance": SANDBOX, "security": controls.security, "tags": TAGS,
              "raises": controls.raises, "example": controls.example}
    endpoint_ok = (api.success(f"{prefix}WebhookEndpointResponse", EndpointSchema), "The caller's endpoint")

    @api.route(scope, method="GET", summary="Sandbox control: the caller's webhook endpoint",
               description=policy.description + _who(controls), ok=endpoint_ok, **common)
    def get_webhook_endpoint(runtime: ProviderRuntime, caller: Any) -> dict:
        return _endpoint_view(runtime, controls.tenant(caller))

    @api.route(scope, method="PUT", summary="Sandbox control: where the caller's events go, and their secret",
               body=body_schema(api, f"{prefix}WebhookEndpointRequest", TargetSchema),
               description=policy.description + " From now on each event is delivered there, in the order its "
                           "causes happened." + _who(controls), ok=endpoint_ok,
               **{**common, "example": replace(controls.example, body={"url": "http://127.0.0.1:9000/hooks",
                                                                         "secret": "whsec-sandbox-example"})})
    def set_webhook_endpoint(runtime: ProviderRuntime, caller: Any, body: dict) -> dict:
        tenant = controls.tenant(caller)
        runtime.context.callbacks.configure(tenant, body["url"], body["secret"])
        return _endpoint_view(runtime, tenant)

    @api.route(scope, method="DELETE", summary="Sandbox control: send the caller's events nowhere",
               description="Events are still kept in the outbox (state no-endpoint)." + _who(controls),
               ok=endpoint_ok, **common)
    def remove_webhook_endpoint(runtime: ProviderRuntime, caller: Any) -> dict:
        tenant = controls.tenant(caller)
        runtime.context.callbacks.remove(tenant)
        return _endpoint_view(runtime, tenant)

    @api.route(f"{scope}/deliveries", method="GET", summary="Sandbox control: the caller's outbox",
               query=body_schema(api, f"{prefix}DeliveriesQuery", DeliveriesQuerySchema),
               description="Each event, newest first, with its body, its headers (a secret sent as is shows its "
                           "first 4 characters), every attempt (time, status, answer or error) and its state. "
                           + PROVENANCE_NOTE + _who(controls),
               ok=(api.success(f"{prefix}DeliveriesResponse", DeliveriesSchema), "The outbox"), **common)
    def list_deliveries(runtime: ProviderRuntime, caller: Any, query: dict) -> dict:
        tenant = controls.tenant(caller)
        callbacks = runtime.context.callbacks
        found = [m.view(callbacks.policy) for m in callbacks.messages(tenant)
                 if query.get("type") in (None, m.type) and query.get("state") in (None, m.state)]
        return {"deliveries": found[:query["limit"]], "dropped": callbacks.dropped(tenant)}

    @api.route(f"{scope}/deliveries/<delivery_id>/redeliver", method="POST", status=202,
               summary="Sandbox control: send one of the caller's events again, now",
               description="One more attempt, out of order, by the delivery worker (not in this request); its "
                           "answer is added to the event's attempts. An acknowledged redelivery ends the event's "
                           "retries." + _who(controls),
               ok=(api.success(f"{prefix}DeliveryResponse", DeliverySchema), "Queued"),
               **(common | {"raises": (*controls.raises, api.errors.catalogue.transport.not_found),
                           "example": replace(controls.example, path={**controls.example.path,
                                                                      "delivery_id": NO_DELIVERY},
                                              status=404, why="right after a reset the outbox is empty, so an "
                                              "id is not found (404); take one from GET .../webhooks/deliveries.")}))
    def redeliver(runtime: ProviderRuntime, caller: Any, delivery_id: str) -> dict:
        callbacks = runtime.context.callbacks
        message = callbacks.redeliver(controls.tenant(caller), delivery_id)
        if message is None or message.url is None:  # another tenant's is not found either
            raise api.errors.of(api.errors.catalogue.transport.not_found)
        return message.view(callbacks.policy)


def _endpoint_view(runtime: ProviderRuntime, tenant: str) -> dict:
    callbacks = runtime.context.callbacks
    target = callbacks.target(tenant)
    return {"url": target.url if target else None, "secret": target.secret[:4] if target else None,
            "signing": callbacks.policy.description}


def _who(controls: TenantControls) -> str:
    return f" {controls.who}" if controls.who else ""


def _declare_journal(api: Api, controls: TenantControls) -> None:
    prefix = api.name.title()
    scope = f"{controls.scope}/journal"
    common = {"control": True, "provenance": SANDBOX, "security": controls.security, "tags": TAGS,
              "raises": controls.raises, "example": controls.example}
    query = body_schema(api, f"{prefix}JournalQuery", Schema.from_dict(
        {**j.MatchSchema().fields, **j.PageQuerySchema().fields}, name="JournalQuery"))

    @api.route(scope, method="GET", summary="Sandbox control: what the sandbox received of the caller's requests",
               query=query, ok=(api.success(f"{prefix}JournalResponse", j.EntriesSchema), "Newest first"),
               description="The caller's own requests to this provider and their answers (the latest the journal "
                           "keeps, --journal-size), newest first: headers and bodies redacted (no password, code, "
                           "token or secret; credentials by their first 4 characters; files by size), and for a "
                           "refusal each code with its field and the rule that refused it." + _who(controls),
               **common)
    def list_journal(runtime: ProviderRuntime, caller: Any, query: dict) -> dict:
        found, total = runtime.context.journal.find(_own(api, controls, caller, query), query["offset"],
                                                    query["limit"])
        return {"requests": [entry.view() for entry in found], "total": total}

    @api.route(f"{scope}/count", method="POST", summary="Sandbox control: count the caller's requests that match",
               body=body_schema(api, f"{prefix}JournalCountRequest", j.MatchSchema), body_optional=True,
               ok=(api.success(f"{prefix}JournalCountResponse", j.CountSchema), "How many"),
               description="Exact, whatever else is being served (WireMock's verify)." + _who(controls),
               **{**common, "example": replace(controls.example, body={"method": "POST"})})
    def count_journal(runtime: ProviderRuntime, caller: Any, body: dict) -> dict:
        return {"count": runtime.context.journal.count(_own(api, controls, caller, body))}

    @api.route(scope, method="DELETE", summary="Sandbox control: forget the caller's requests",
               ok=(api.success(f"{prefix}JournalClearedResponse", j.ClearedSchema), "How many were forgotten"),
               description="Only the caller's own." + _who(controls), **common)
    def clear_journal(runtime: ProviderRuntime, caller: Any) -> dict:
        return {"cleared": runtime.context.journal.clear(_own(api, controls, caller, {}))}


def _own(api: Api, controls: TenantControls, caller: Any, given: dict) -> j.Match:
    return j.match_of(given, provider=api.name, owner=controls.tenant(caller))


def _declare_faults(api: Api, controls: TenantControls) -> None:
    prefix = api.name.title()
    scope = f"{controls.scope}/faults"
    common = {"control": True, "provenance": SANDBOX, "security": controls.security, "tags": TAGS,
              "raises": controls.raises, "example": controls.example}
    listed = (api.success(f"{prefix}FaultsResponse", f.FaultListSchema), "The caller's faults")
    example_path = f"{api.prefix}/*"

    @api.route(scope, method="POST", status=201, summary="Sandbox control: make the caller's own calls fail on "
               "purpose", body=body_schema(api, f"{prefix}FaultRequest", f.FaultSchema),
               ok=(api.success(f"{prefix}FaultResponse", f.FaultViewSchema), "Injected"),
               description="For the caller's requests matching `method` and the `path` glob: a delay (fixed or a "
                           "range), an error with a status in this provider's own error body (and its rate-limit "
                           "headers, where it has them), a dropped connection, or a 503; with a `probability`, or "
                           "for the next `times` calls. Only the caller's own calls, never another tenant's; a "
                           "reset removes it." + _who(controls),
               **{**common, "example": replace(controls.example, body={
                   "path": example_path, "kind": "error", "status": 429, "times": 1})})
    def inject_fault(runtime: ProviderRuntime, caller: Any, body: dict) -> dict:
        return runtime.context.faults.add(api.name, controls.tenant(caller), body).view()

    @api.route(scope, method="GET", summary="Sandbox control: the caller's faults", ok=listed,
               description="Each with how many calls it has answered." + _who(controls), **common)
    def list_faults(runtime: ProviderRuntime, caller: Any) -> dict:
        return {"faults": [fault.view() for fault in runtime.context.faults.list(api.name, controls.tenant(caller))]}

    @api.route(scope, method="DELETE", summary="Sandbox control: remove the caller's faults",
               ok=(api.success(f"{prefix}FaultsRemovedResponse", f.RemovedSchema), "How many"),
               description="All of the caller's." + _who(controls), **common)
    def remove_faults(runtime: ProviderRuntime, caller: Any) -> dict:
        return {"removed": runtime.context.faults.remove(api.name, controls.tenant(caller))}

    @api.route(f"{scope}/<fault_id>", method="DELETE", summary="Sandbox control: remove one of the caller's faults",
               ok=(api.success(f"{prefix}FaultRemovedResponse", f.RemovedSchema), "How many (0 or 1)"),
               description="Another tenant's fault, or none, removes nothing (0)." + _who(controls),
               **{**common, "example": replace(controls.example, path={**controls.example.path,
                                                                       "fault_id": NO_DELIVERY})})
    def remove_fault(runtime: ProviderRuntime, caller: Any, fault_id: str) -> dict:
        return {"removed": runtime.context.faults.remove(api.name, controls.tenant(caller), fault_id)}
