"""What the dashboard (sandbox/ui) shows of a provider, declared in the
provider's dashboard.py and named on its Provider: its entities (a
collection, the columns, the state, the filters), the buttons that move
them (each the very control or API call a client would make), the
credential a tenant gives the page, and the tenants the scenario defines.

An entity view reads one tenant's records of one collection, a page at a
time, newest first, through the store's indexes: a page costs its length,
however many records are stored. Nothing here changes state: the buttons
are calls the browser makes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from sandbox.core.store import Store

#: how many records a page shows unless asked (and at most MAX_PAGE)
PAGE_SIZE = 20
MAX_PAGE = 100
_PLACEHOLDER = re.compile(r"\{([\w.]+)\}")


def pick(record: dict, path: str) -> Any:
    """A dotted field of a record ("rootUser.email"), or None."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def fill(template: str, values: Callable[[str], Any], encode: bool = False) -> str:
    """A template's {name}s replaced by values(name) (a dotted field), URL-encoded
    with `encode`; a name without a value stays as it is (the browser fills
    the controls' scope parameters from the credential)."""
    def one(match: re.Match) -> str:
        found = values(match[1])
        if found is None:
            return match[0]
        return quote(str(found), safe="") if encode else str(found)

    return _PLACEHOLDER.sub(one, template)


class TenantReader:
    """One tenant's records of any of the provider's collections, for a
    column that shows related records (a user's balances, a customer's accounts)."""

    def __init__(self, store: Store, provider: str, tenant: str):
        self._store, self._provider, self._tenant = store, provider, tenant

    def find(self, collection: str, index: str, *values) -> dict | None:
        return self._store.collection(f"{self._provider}.{collection}").find(self._tenant, index, *values)

    def page(self, collection: str, index: str, *values, limit: int = 10) -> list[dict]:
        found = self._store.collection(f"{self._provider}.{collection}").page(self._tenant, index, *values,
                                                                              limit=limit)
        return found.items


@dataclass(frozen=True)
class Column:
    title: str
    #: a dotted field of the record, or a function of (record, TenantReader) for what another collection holds
    value: str | Callable[[dict, TenantReader], Any]
    #: shown as a state badge
    state: bool = False

    def of(self, record: dict, reader: TenantReader) -> Any:
        return pick(record, self.value) if isinstance(self.value, str) else self.value(record, reader)


@dataclass(frozen=True)
class Ask:
    """A value of a button's body the user types in (an amount), with its default
    (the browser puts it in its place before the call)."""

    default: str = ""
    #: sent as a JSON number rather than a string
    number: bool = False


@dataclass(frozen=True)
class Action:
    """A button on a record: the call a client would make. `path` and string
    values of `body` may name the record's fields and the controls' scope
    parameters in braces ("/_sandbox/ibanera/managees/{id}/verification");
    an `Ask` value is typed in by the user."""

    label: str
    method: str
    path: str
    body: dict | None = None
    #: shown only while the view's state is one of these (empty: always)
    states: tuple[str, ...] = ()
    #: a short word for its look: "good", "bad" or "" (neutral)
    tone: str = ""

    def shown_for(self, state: Any) -> bool:
        return not self.states or state in self.states

    def call(self, record: dict) -> dict:
        """The call for one record: its method, its path and body filled from the
        record, and the values the user types in (each by its dotted place in the body)."""
        def value(name: str) -> Any:
            return pick(record, name)

        asks: list[dict] = []

        def filled(given: Any, place: str) -> Any:
            if isinstance(given, Ask):
                asks.append({"name": place, "default": given.default, "number": given.number})
                return None
            if isinstance(given, dict):
                return {key: filled(v, f"{place}.{key}" if place else key) for key, v in given.items()}
            if isinstance(given, str):
                whole = _PLACEHOLDER.fullmatch(given)
                if whole and value(whole[1]) is not None:  # "{field}" alone keeps the field's type
                    return value(whole[1])
                return fill(given, value)
            return given

        body = None if self.body is None else filled(self.body, "")
        return {"method": self.method, "path": fill(self.path, value, encode=True), "body": body, "asks": asks}


@dataclass(frozen=True)
class Filter:
    """Narrow a view to one value of an ordered index over one string field (a branch, an owner)."""

    index: str
    label: str


@dataclass(frozen=True)
class Row:
    id: Any
    cells: list[Any]
    state: Any
    actions: list[dict]


@dataclass(frozen=True)
class Rows:
    rows: list[Row]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class EntityView:
    """One kind of entity of a provider, as the dashboard lists it."""

    name: str
    title: str
    #: the collection's name after the provider's ("managees" for ibanera.managees)
    collection: str
    columns: tuple[Column, ...]
    #: the dotted field holding its state (the one the buttons move), if it has one
    state: str | None = None
    filters: tuple[Filter, ...] = ()
    actions: tuple[Action, ...] = ()

    def page(self, store: Store, provider: str, tenant: str, offset: int = 0, limit: int = PAGE_SIZE,
             filtered: tuple[str, str] | None = None) -> Rows:
        """The tenant's records, newest first, one page; `filtered`: (a filter's index, its value)."""
        limit = max(1, min(limit, MAX_PAGE))
        collection = store.collection(f"{provider}.{self.collection}")
        match = None
        if filtered is not None:
            index, value = filtered
            if index not in {f.index for f in self.filters}:
                raise ValueError(f"{self.name} has no filter {index!r}")
            match = {index: [(value,)]}
        found = collection.query(tenant, match, descending=True, offset=offset, limit=limit)
        reader = TenantReader(store, provider, tenant)
        rows = []
        for record in found.items:
            state = pick(record, self.state) if self.state else None
            rows.append(Row(record.get("id"), [column.of(record, reader) for column in self.columns], state,
                            [{"label": a.label, "tone": a.tone, **a.call(record)}
                             for a in self.actions if a.shown_for(state)]))
        return Rows(rows, found.total, offset, limit)


@dataclass(frozen=True)
class CredentialField:
    name: str
    label: str
    secret: bool = False
    default: str = ""


@dataclass(frozen=True)
class Login:
    """A credential that is a login first (Ibanera's manager): POST `body` (its
    values templates over the fields) to `path`; the token is at `token` (dotted) in the answer."""

    path: str
    body: dict[str, str]
    token: str


@dataclass(frozen=True)
class Credential:
    """What a tenant gives the page, and how the browser sends it: `headers`
    and `scope` (the controls' path parameters) are templates over the
    fields and, after a login, {token}."""

    fields: tuple[CredentialField, ...]
    headers: dict[str, str]
    scope: dict[str, str] = field(default_factory=dict)
    login: Login | None = None


@dataclass(frozen=True)
class Tenant:
    #: the tenant as the store knows it
    key: str
    #: how the page names it: no secret beyond a short prefix
    label: str
    #: the credential's field values, to act as it (shown only where the global controls are open)
    credential: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Dashboard:
    credential: Credential
    #: the tenants a scenario section defines (a loaded, validated section)
    tenants: Callable[[dict], list[Tenant]]
    views: tuple[EntityView, ...] = ()

    def view(self, name: str) -> EntityView | None:
        return next((v for v in self.views if v.name == name), None)
