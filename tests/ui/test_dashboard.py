"""The dashboard over HTTP (Flask's test client): the landing page and its
JSON index, the documents' reference, and the page's fragments behind the
same credentials as the controls: a tenant's credential shows its own
records only, the admin (or an open sandbox) every tenant, no credential
nothing; its buttons are the control calls a client would make."""

from __future__ import annotations

import html
import json
import re

import pytest

from sandbox.config import Config
from sandbox.core.journal import Match
from sandbox.ui.access import tenant_id
from tests.ibanera.client import IbaneraClient
from tests.p100.client import P100Client
from tests.prozora.client import TOKEN_KYIV, A
from tests.ui.tenants import PROVIDERS, TWO_TENANTS, VIEW
from tests.weavr.client import WeavrClient

ADMIN_TOKEN = "ui-admin-token"


def calls_in(page: str) -> list[dict]:
    """The control calls the page's buttons make (their data-call)."""
    return [json.loads(html.unescape(found)) for found in re.findall(r"data-call='([^']*)'", page)]


#: where a provider's clients point under its prefix, where not at the prefix itself
CLIENT_BASE = {"weavr": "/multi"}


def test_landing_is_a_page_for_a_browser(client):
    page = client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    for name in PROVIDERS:
        assert f"http://localhost/{name}{CLIENT_BASE.get(name, '')}</code>" in text
        assert f'href="/{name}/openapi.json"' in text and f'href="/_sandbox/ui/reference/{name}"' in text
    assert "sandbox-password" in text  # the scenario's credentials: no admin token is configured
    assert 'href="/_sandbox/ui"' in text


def test_landing_is_an_index_for_a_client(client):
    index = client.get("/", headers={"Accept": "application/json"}).get_json()
    by_name = {p["name"]: p for p in index["providers"]}
    assert set(PROVIDERS) <= set(by_name)
    weavr = by_name["weavr"]
    # Weavr's clients point at its Multi API and its simulator, each a base of its own
    assert weavr == {"name": "weavr", "title": weavr["title"],
                     "baseUrls": ["http://localhost/weavr/multi", "http://localhost/weavr/simulate/api"],
                     "document": "/weavr/openapi.json", "controlsDocument": "/_sandbox/weavr/openapi.json",
                     "reference": "/_sandbox/ui/reference/weavr"}
    assert client.get(weavr["document"]).status_code == 200
    assert index["scenario"]["name"] == "default" and index["clock"]["now"]
    assert any("p100-sandbox-api-key" in line for line in index["scenario"]["credentials"]["p100"])
    assert index["links"]["dashboard"] == "/_sandbox/ui"


@pytest.mark.parametrize("name", ["sandbox", *PROVIDERS])
def test_each_document_has_a_reference_from_local_files(client, name):
    page = client.get(f"/_sandbox/ui/reference/{name}").get_data(as_text=True)
    document = "/_sandbox/openapi.json" if name == "sandbox" else f"/{name}/openapi.json"
    assert f'url: "{document}"' in page
    assert 'src="/_sandbox/ui/swagger-ui/swagger-ui-bundle.js"' in page and "//cdn" not in page
    bundle = client.get("/_sandbox/ui/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and b"SwaggerUIBundle" in bundle.data
    assert client.get("/_sandbox/ui/reference/nobody").status_code == 404


def test_the_page_is_a_shell_its_fragments_carry_the_credentials(client):
    page = client.get("/_sandbox/ui").get_data(as_text=True)
    for name in PROVIDERS:
        assert f'hx-get="/_sandbox/ui/{name}/panel"' in page and f'data-credential="{name}"' in page
    assert "/_sandbox/ui/static/htmx.min.js" in page and "//cdn" not in page
    assert client.get("/_sandbox/ui/static/htmx.min.js").status_code == 200


@pytest.mark.parametrize("name", PROVIDERS)
def test_a_tenant_sees_only_its_own_records(client, name):
    a, b = TWO_TENANTS[name](client, "own")
    base = f"/_sandbox/ui/{name}"
    for mine, theirs in ((a, b), (b, a)):
        view = mine.get(client, f"{base}/views/{VIEW[name]}").get_data(as_text=True)
        assert mine.marker in view and theirs.marker not in view
        # naming the other tenant changes nothing: a credential is its own tenant
        named = mine.get(client, f"{base}/views/{VIEW[name]}", tenant=tenant_id(name, theirs.tenant))
        assert named.status_code == 200 and theirs.marker not in named.get_data(as_text=True)
        panel = mine.get(client, f"{base}/panel").get_data(as_text=True)
        # one tenant, and its credential is not shown
        assert '<select name="tenant"' not in panel and mine.secret not in panel
        journal = mine.get(client, f"{base}/journal").get_data(as_text=True)
        assert journal.count('class="entry') >= 1 and mine.secret not in journal


@pytest.mark.parametrize("name", PROVIDERS)
def test_a_tenant_cannot_open_another_tenants_request(client, sandbox, name):
    a, b = TWO_TENANTS[name](client, "entry")
    entries, _ = sandbox.journal.find(Match(provider=name), 0, 100)
    owners = {entry.owner for entry in entries}
    assert len(owners - {None}) == 2
    for entry in entries:
        if entry.owner is None:
            continue
        shown = [side for side in (a, b) if side.get(client, f"/_sandbox/ui/{name}/journal/{entry.id}").status_code
                 == 200]
        assert len(shown) == 1, entry.path  # its own tenant's, and no other's


@pytest.mark.parametrize("name", PROVIDERS)
def test_a_wrong_credential_is_refused_as_the_controls_refuse_it(client, name):
    a, _ = TWO_TENANTS[name](client, "wrong")
    wrong = type(a)({key: value + "-wrong" for key, value in a.headers.items()}, a.marker, a.query)
    refused = wrong.get(client, f"/_sandbox/ui/{name}/views/{VIEW[name]}")
    assert refused.status_code in (401, 403)
    assert "refused the credential" in refused.get_data(as_text=True) and a.marker not in refused.get_data(True)


def test_a_prozora_branch_employee_may_not_use_it_as_it_may_not_use_the_controls(client):
    headers = {"Authorization": f"bearer {TOKEN_KYIV}", "X-Sandbox-View": "tenant"}
    control = client.get(f"/_sandbox/prozora/counterparty/{A}/faults",
                         headers={"Authorization": headers["Authorization"]})
    page = client.get("/_sandbox/ui/prozora/panel", query_string={"counterparty_guid": A}, headers=headers)
    assert control.status_code == page.status_code == 403
    assert "permission denied" in page.get_data(as_text=True)


@pytest.mark.parametrize("name", PROVIDERS)
def test_an_open_sandbox_shows_the_admin_every_tenant(client, sandbox, name):
    a, b = TWO_TENANTS[name](client, "admin")
    panel = client.get(f"/_sandbox/ui/{name}/panel").get_data(as_text=True)
    ids = re.findall(r'<option value="([0-9a-f]{12})"', panel)
    assert len(ids) >= 2
    seen = [client.get(f"/_sandbox/ui/{name}/views/{VIEW[name]}", query_string={"tenant": tid}).get_data(True)
            for tid in ids]
    assert sum(a.marker in view for view in seen) == 1 and sum(b.marker in view for view in seen) == 1
    assert client.get(f"/_sandbox/ui/{name}/panel", query_string={"tenant": "nobody"}).status_code == 404


def test_labels_show_an_api_key_by_its_prefix_only(client):
    for name, key in (("weavr", "weavr-sandbox-api-key"), ("p100", "p100-sandbox-api-key")):
        panel = client.get(f"/_sandbox/ui/{name}/panel").get_data(as_text=True)
        labels = re.findall(r"<option [^>]*>([^<]*)</option>", panel)
        assert labels and all(key not in label for label in labels) and any(key[:4] + "…" in label
                                                                             for label in labels)


class TestWithAnAdminToken:
    @pytest.fixture
    def config(self):
        return Config(admin_token=ADMIN_TOKEN)

    def test_without_credentials_nothing_of_a_tenant_shows(self, client):
        markers = []
        for name in PROVIDERS:
            a, b = TWO_TENANTS[name](client, "locked")
            markers += [a.marker, b.marker]
            for part in ("panel", f"views/{VIEW[name]}", "journal", "outbox", "faults", "journal/1"):
                answer = client.get(f"/_sandbox/ui/{name}/{part}")
                assert answer.status_code == 401, part
                assert not any(marker in answer.get_data(as_text=True) for marker in markers)
        for part in ("clock", "scenario"):
            assert client.get(f"/_sandbox/ui/{part}").status_code == 401
        index = client.get("/", headers={"Accept": "application/json"}).get_json()
        assert index["scenario"] is None and index["clock"] is None
        assert "sandbox-password" not in client.get("/").get_data(as_text=True)

    def test_the_admin_token_shows_everything_a_tenant_credential_its_own(self, client):
        a, b = TWO_TENANTS["p100"](client, "token")
        admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        index = client.get("/", headers={**admin, "Accept": "application/json"}).get_json()
        assert index["scenario"]["name"] == "default" and index["clock"]
        panel = client.get("/_sandbox/ui/p100/panel", headers=admin).get_data(as_text=True)
        ids = re.findall(r'<option value="([0-9a-f]{12})"', panel)
        shown = "".join(client.get("/_sandbox/ui/p100/views/users", query_string={"tenant": tid},
                                   headers=admin).get_data(True) for tid in ids)
        assert a.marker in shown and b.marker in shown
        assert client.get("/_sandbox/ui/scenario", headers=admin).status_code == 200
        own = a.get(client, "/_sandbox/ui/p100/views/users").get_data(as_text=True)
        assert a.marker in own and b.marker not in own


@pytest.mark.parametrize("name", PROVIDERS)
def test_its_buttons_are_the_calls_a_client_makes(client, name):
    """The first button on the tenant's new record, sent as the browser sends
    it (the call as the page describes it, with the tenant's credential),
    moves the record's state; the view then shows the new state."""
    a, _ = TWO_TENANTS[name](client, "button")
    view = f"/_sandbox/ui/{name}/views/{VIEW[name]}"
    before = a.get(client, view).get_data(as_text=True)
    row = next(r for r in before.split("<tr ")[1:] if a.marker in r)
    call = calls_in(row)[0]
    assert call["path"].startswith(("/_sandbox/", f"/{name}/"))
    body = call["body"]
    for ask in call["asks"]:
        place = body
        *parents, last = ask["name"].split(".")
        for parent in parents:
            place = place.setdefault(parent, {})
        place[last] = float(ask["default"]) if ask["number"] else ask["default"]
    answer = client.open(call["path"], method=call["method"], json=body, headers=a.headers)
    assert 200 <= answer.status_code < 300, answer.get_data(as_text=True)
    after = next(r for r in a.get(client, view).get_data(as_text=True).split("<tr ")[1:] if a.marker in r)
    assert re.search(r'class="badge state-[^"]*"', after)[0] != re.search(r'class="badge state-[^"]*"', row)[0]


def test_views_are_paged_newest_first_and_filtered(client):
    p100 = P100Client(client)
    for n in range(23):
        p100.create_user(f"paged-{n:02d}")
    side = {"x-api-key": p100.key, "X-Sandbox-View": "tenant"}
    first = client.get("/_sandbox/ui/p100/views/users", headers=side).get_data(as_text=True)
    assert first.count("<tr data-id=") == 20 and first.index("paged-22") < first.index("paged-03")
    assert "paged-02" not in first and "1–20 of" in first and "Older" in first
    rest = client.get("/_sandbox/ui/p100/views/users", query_string={"offset": 20}, headers=side)
    assert "paged-02" in rest.get_data(as_text=True) and "paged-22" not in rest.get_data(as_text=True)
    p100.kyc("paged-01", verificationStatus="VERIFIED", attemptStatus="SUCCESSFUL")
    p100.control("POST", "/users/paged-01/crypto-deposits", {"currency": "btc", "amount": "0.5"})
    moves = client.get("/_sandbox/ui/p100/views/movements", query_string={"by": "owner", "value": "paged-01"},
                       headers=side).get_data(as_text=True)
    assert moves.count("<tr data-id=") == 1 and "paged-01" in moves and ">0.5" in moves


@pytest.mark.parametrize("query", [{"offset": "abc"}, {"limit": "-5"}, {"by": "nothing", "value": "x"},
                                   {"offset": "99999999999999999999"}])
def test_odd_paging_is_answered_not_broken(client, query):
    answer = client.get("/_sandbox/ui/prozora/views/customers", query_string=query)
    assert answer.status_code in (200, 400)
    if "by" in query:
        assert answer.status_code == 400 and "cannot be filtered" in answer.get_data(as_text=True)


def test_odd_journal_filters_are_refused_in_words(client):
    for query in ({"method": "FETCH"}, {"status": "abc"}, {"status": "99"}):
        answer = client.get("/_sandbox/ui/weavr/journal", query_string=query)
        assert answer.status_code == 400 and "filter is refused" in answer.get_data(as_text=True)
    assert client.get("/_sandbox/ui/weavr/views/nothing").status_code == 404
    assert client.get("/_sandbox/ui/nobody/panel").status_code == 404


def test_the_journal_filters_and_opens_each_request_to_why_it_was_refused(client):
    weavr = WeavrClient(client)
    weavr.create()
    refused = weavr.post("/consumers", {"profileId": "1011"}, token=False)
    assert refused.status_code == 400
    side = {"api-key": weavr.api_key, "X-Sandbox-View": "tenant"}
    listed = client.get("/_sandbox/ui/weavr/journal", query_string={"status": 400}, headers=side).get_data(True)
    ids = re.findall(r'data-entry="(\d+)"', listed)
    assert len(ids) == 1 and "/weavr/multi/consumers" in listed
    entry = client.get(f"/_sandbox/ui/weavr/journal/{ids[0]}", headers=side).get_data(as_text=True)
    assert "Why it was refused" in entry and "rootUser" in entry and "weav…" in entry
    assert "weavr-sandbox-api-key" not in entry


def test_the_dashboard_itself_is_not_in_the_journal(client, sandbox):
    for path in ("/", "/_sandbox/ui", "/_sandbox/ui/p100/panel", "/_sandbox/ui/p100/views/users",
                 "/_sandbox/ui/clock", "/_sandbox/ui/static/ui.js"):
        assert client.get(path).status_code == 200
    assert sandbox.journal.count(Match()) == 0


def test_the_outbox_shows_a_secret_by_its_prefix(client):
    manager = IbaneraClient(client, "manager@example.com").login()
    token = {"Authorization": f"Bearer {manager.token}"}
    endpoint = {"url": "http://127.0.0.1:9/hooks", "secret": "whsec-very-secret"}
    assert client.put("/_sandbox/ibanera/webhooks", json=endpoint, headers=token).status_code == 200
    outbox = client.get("/_sandbox/ui/ibanera/outbox", headers={**token, "X-Sandbox-View": "tenant"}).get_data(True)
    assert "http://127.0.0.1:9/hooks" in outbox and "whse…" in outbox and "whsec-very-secret" not in outbox


def test_what_a_client_stored_is_shown_as_text_never_as_markup(client):
    manager = IbaneraClient(client, "manager@example.com").login()
    manager.new_managee(firstGivenName="<img src=x onerror=alert(1)>", lastSurname="O'Brien",
                        manageesReference="it's-<b>")
    view = client.get("/_sandbox/ui/ibanera/views/managees", headers={**manager.headers(), "X-Sandbox-View": "tenant"})
    text = view.get_data(as_text=True)
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt; O&#39;Brien" in text
    assert "<b>" not in text and "it&#39;s-&lt;b&gt;" in text
