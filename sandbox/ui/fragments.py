"""The parts of the dashboard htmx loads (and reloads) into the page, each
behind the same credentials as the controls (sandbox/ui/access.py): a
provider's panel for a tenant, a page of one of its entity views, its
journal and one entry, its outbox, its faults; and, for the admin, the
clock and the loaded scenario. They only read: every change is a call the
browser makes to a control endpoint."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from flask import abort, render_template, request
from marshmallow import ValidationError

from sandbox.admin.routes import JournalQuery
from sandbox.core.journal import Match
from sandbox.core.provider import Provider
from sandbox.core.runtime import Sandbox, sandbox_of
from sandbox.core.scenario import shipped_scenarios
from sandbox.core.views import PAGE_SIZE, Tenant
from sandbox.ui import PREFIX, blueprint
from sandbox.ui.access import Refused, Viewer, admin_open, chosen, tenant_id, tenants, viewer

JOURNAL_PAGE = 25
_JOURNAL_FILTERS = JournalQuery(only=("method", "path", "status", "code"))


def refused(reason: str, status: int):
    return render_template("refused.html", reason=reason), status


def for_tenant(view):
    """A provider's fragment: its provider, who is looking, and the tenant looked at (or a refusal)."""
    @wraps(view)
    def wrapped(name: str, **kwargs):
        sandbox = sandbox_of()
        provider = sandbox.providers.get(name)
        if provider is None:
            abort(404)
        try:
            who = viewer(sandbox, provider, request)
        except Refused as refusal:
            return refused(refusal.reason, refusal.status)
        tenant = chosen(sandbox, provider, who, request.args.get("tenant"))
        if tenant is None:
            return refused(f"{name} has no such tenant", 404)
        return view(sandbox, provider, who, tenant, **kwargs)

    return wrapped


def _number(name: str, default: int, high: int) -> int:
    try:
        return max(0, min(int(request.args.get(name, default)), high))
    except ValueError:
        return default


@blueprint.get(f"{PREFIX}/<name>/panel")
@for_tenant
def panel(sandbox: Sandbox, provider: Provider, who: Viewer, tenant: Tenant):
    every = tenants(sandbox, provider) if who.admin else [tenant]
    return render_template("panel.html", provider=provider, who=who, tenant=tenant, tid=tenant_id(provider.name,
                                                                                                 tenant.key),
                           tenants=[(tenant_id(provider.name, t.key), t) for t in every])


@blueprint.get(f"{PREFIX}/<name>/views/<view_name>")
@for_tenant
def entity_view(sandbox: Sandbox, provider: Provider, who: Viewer, tenant: Tenant, view_name: str):
    view = provider.dashboard.view(view_name) if provider.dashboard else None
    if view is None:
        abort(404)
    by, value = request.args.get("by"), request.args.get("value", "")
    filtered = (by, value) if by and value else None
    if filtered and by not in {f.index for f in view.filters}:
        return refused(f"{view.title} cannot be filtered by {by}", 400)
    rows = view.page(sandbox.store, provider.name, tenant.key, offset=_number("offset", 0, 10**9),
                     limit=_number("limit", PAGE_SIZE, 100), filtered=filtered)
    tid = tenant_id(provider.name, tenant.key)
    kept = urlencode({"tenant": tid, **({"by": by, "value": value} if filtered else {})})
    return render_template("entities.html", provider=provider, view=view, rows=rows, by=by, value=value,
                           tid=tid, kept=kept)


@blueprint.get(f"{PREFIX}/<name>/journal")
@for_tenant
def journal(sandbox: Sandbox, provider: Provider, who: Viewer, tenant: Tenant):
    given = {key: value for key, value in request.args.items() if key in _JOURNAL_FILTERS.fields and value}
    try:
        filters = _JOURNAL_FILTERS.load(given)
    except ValidationError as refusal:
        return refused(f"a filter is refused: {refusal.messages}", 400)
    offset = _number("offset", 0, 10**6)
    # the admin sees every tenant's requests to the provider (and those no credential owns); a tenant its own
    match = Match(provider=provider.name, owner=tenant.key if not who.admin else None, **filters)
    found, total = sandbox.journal.find(match, offset, JOURNAL_PAGE)
    tid = tenant_id(provider.name, tenant.key)
    return render_template("journal.html", provider=provider, entries=[e.view() for e in found], total=total,
                           offset=offset, size=JOURNAL_PAGE, tid=tid, kept=urlencode({"tenant": tid, **given}))


@blueprint.get(f"{PREFIX}/<name>/journal/<int:entry_id>")
@for_tenant
def journal_entry(sandbox: Sandbox, provider: Provider, who: Viewer, tenant: Tenant, entry_id: int):
    match = Match(provider=provider.name, owner=None if who.admin else tenant.key)
    found = next((e for e in sandbox.journal.find(match, 0, sandbox.journal.size)[0] if e.id == entry_id), None)
    if found is None:  # another tenant's is not found either
        return refused("no such request in the journal (it may have been dropped, or be another tenant's)", 404)
    return render_template("entry.html", entry=found.view())


@blueprint.get(f"{PREFIX}/<name>/outbox")
@for_tenant
def outbox(sandbox: Sandbox, provider: Provider, who: Viewer, tenant: Tenant):
    callbacks = sandbox.runtime(provider.name).context.callbacks
    if callbacks is None:
        return render_template("outbox.html", provider=provider, none=True)
    target = callbacks.target(tenant.key)
    return render_template("outbox.html", provider=provider, none=False,
                           messages=[m.view(callbacks.policy) for m in callbacks.messages(tenant.key)[:50]],
                           dropped=callbacks.dropped(tenant.key), url_now=target.url if target else None,
                           secret=target.secret[:4] if target else None)


@blueprint.get(f"{PREFIX}/<name>/faults")
@for_tenant
def faults(sandbox: Sandbox, provider: Provider, who: Viewer, tenant: Tenant):
    return render_template("faults.html", provider=provider, who=who,
                           faults=[f.view() for f in sandbox.faults.list(provider.name, tenant.key)],
                           every=[f.view() for f in sandbox.faults.list(provider.name, None)] if who.admin else [])


def _admin_only(view):
    @wraps(view)
    def wrapped(**kwargs):
        sandbox = sandbox_of()
        if not admin_open(sandbox, request):
            return refused("the admin token is needed to see this", 401)
        return view(sandbox, **kwargs)

    return wrapped


@blueprint.get(f"{PREFIX}/clock")
@_admin_only
def clock(sandbox: Sandbox):
    return render_template("clock.html", clock=sandbox.clock.view(), pending=len(sandbox.scheduler.pending()))


@blueprint.get(f"{PREFIX}/scenario")
@_admin_only
def scenario(sandbox: Sandbox):
    loaded = sandbox.scenario
    counts = sandbox.store.counts()
    records = {name: sum(n for collection, n in counts.items() if collection.startswith(f"{name}."))
               for name in sandbox.providers}
    acting = {name: [(t.label, t.credential) for t in p.dashboard.tenants(loaded.sections[name])]
              for name, p in sandbox.providers.items() if p.dashboard}
    return render_template("scenario.html", scenario=loaded, records=records, acting=acting,
                           shipped=shipped_scenarios(),
                           credentials={name: p.credentials(loaded.sections[name])
                                        for name, p in sandbox.providers.items()})
