"""Two tenants of each provider, each with one record of its own made
through the provider's API, and the credential the dashboard's page sends
for each (its provider's own headers, X-Sandbox-View: tenant, and the
controls' scope in the query)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.ui.access import VIEW_HEADER
from tests.ibanera.client import IbaneraClient
from tests.p100.client import KEY as P100_KEY
from tests.p100.client import KEY_2 as P100_KEY_2
from tests.p100.client import P100Client
from tests.prozora.client import TOKEN_A, TOKEN_B, A, B, ProzoraClient
from tests.weavr.client import KEY as WEAVR_KEY
from tests.weavr.client import KEY_2 as WEAVR_KEY_2
from tests.weavr.client import WeavrClient

PROVIDERS = ("ibanera", "p100", "weavr", "prozora")
#: the view each provider's record shows in
VIEW = {"ibanera": "managees", "p100": "users", "weavr": "consumers", "prozora": "customers"}


@dataclass
class Side:
    """One tenant as the page sees it."""

    headers: dict
    #: text only its record shows (an email, an id)
    marker: str
    query: dict = field(default_factory=dict)
    #: the credential itself, which a page must never show in full
    secret: str = ""
    #: the tenant as the store knows it
    tenant: str = ""

    def get(self, client, path: str, **query):
        return client.get(path, query_string={**self.query, **query}, headers={**self.headers, VIEW_HEADER: "tenant"})


def ibanera(client, tag: str) -> tuple[Side, Side]:
    sides = []
    for username, name in (("manager@example.com", "a"), ("manager2@example.com", "b")):
        manager = IbaneraClient(client, username).login()
        email = f"ui-{tag}-{name}@example.com"
        manager.new_managee(emailAddress=email, manageesReference=f"ui-{tag}-{name}")
        sides.append(Side({"Authorization": f"Bearer {manager.token}"}, email, secret=manager.token, tenant=username))
    return sides[0], sides[1]


def p100(client, tag: str) -> tuple[Side, Side]:
    sides = []
    for key, name in ((P100_KEY, "a"), (P100_KEY_2, "b")):
        user = f"ui-{tag}-{name}"
        P100Client(client, key).create_user(user)
        sides.append(Side({"x-api-key": key}, user, secret=key, tenant=key))
    return sides[0], sides[1]


def weavr(client, tag: str) -> tuple[Side, Side]:
    sides = []
    for key, name in ((WEAVR_KEY, "a"), (WEAVR_KEY_2, "b")):
        email = f"ui-{tag}-{name}@example.com"
        WeavrClient(client, key).create(rootUser={"email": email})
        sides.append(Side({"api-key": key}, email, secret=key, tenant=key))
    return sides[0], sides[1]


def prozora(client, tag: str) -> tuple[Side, Side]:
    sides = []
    for token, counterparty, name in ((TOKEN_A, A, "a"), (TOKEN_B, B, "b")):
        login = f"ui-{tag}-{name}@example.com"
        ProzoraClient(client, token, counterparty).created(login=login)
        sides.append(Side({"Authorization": f"bearer {token}"}, login, {"counterparty_guid": counterparty},
                          secret=token, tenant=counterparty))
    return sides[0], sides[1]


TWO_TENANTS = {"ibanera": ibanera, "p100": p100, "weavr": weavr, "prozora": prozora}
