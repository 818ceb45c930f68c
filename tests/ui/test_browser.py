"""The dashboard in a real browser: Debian's headless Chromium driven by
Playwright, against one sandbox served on 127.0.0.1 (a thread of this
process) and one webhook receiver. Each provider's onboarding is walked as a
person would: the test creates the entity through the provider's API, the
page shows it, a button decides its KYC (the control call a client would
make), the webhook delivery shows in the outbox and the request in the
journal. The screenshots the README shows are saved on the way."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

from sandbox.testing.receiver import Receiver
from sandbox.testing.running import InProcessSandbox

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: where the screenshots go: docs/screenshots with `make screenshots` (the README shows them), else a temporary
#: folder, so that a test run leaves the work tree as it found it
SCREENSHOTS = Path(os.environ.get("SANDBOX_SCREENSHOTS") or Path(tempfile.gettempdir()) / "fintech-sandbox-shots")
#: how long the page may take to show what changed (it polls every 2 s; a button's call refreshes at once)
SHOWS = 8000


@pytest.fixture(scope="module")
def served():
    sandbox = InProcessSandbox()
    yield sandbox
    sandbox.close()


@pytest.fixture(scope="module")
def browser():
    # a missing browser is a failure, not a skip: the project's setup installs it (.ci/run)
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def receiver():
    hooks = Receiver()
    yield hooks
    hooks.close()


@pytest.fixture
def page(browser, served):
    served.reset()
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, base_url=served.url)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"the page's scripts failed: {errors}"


def shot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def fits(page, provider: str) -> None:
    """At 1440 px every table of the tab shows all its columns and buttons: none scrolls sideways in its card."""
    hidden = page.evaluate("""provider => [...document.querySelectorAll(`#provider-${provider} .card.view`)]
        .filter(card => card.scrollWidth > card.clientWidth + 1)
        .map(card => `${card.dataset.view}: ${card.scrollWidth} px in ${card.clientWidth}`)""", provider)
    assert hidden == [], hidden


def last_call(page, status: int) -> None:
    """The page's last control call answered `status`."""
    page.wait_for_function("s => document.getElementById('last-call').textContent.includes('→ ' + s)", arg=status,
                           timeout=SHOWS)


def act_as(page, provider: str, label: str) -> None:
    """The admin (an open sandbox) takes a tenant's credential from the scenario."""
    page.click("#scenario-panel summary")
    page.click(f"#scenario-panel button:has-text('Act as {label}')")
    page.wait_for_selector(f"#provider-{provider} .tenant-label", timeout=SHOWS)


def set_endpoint(page, provider: str, url: str) -> None:
    outbox = page.locator(f"#provider-{provider} .outbox")
    outbox.locator("input[name=url]").fill(url)
    outbox.locator("input[name=secret]").fill("whsec-dashboard")
    outbox.locator("button:has-text('Set')").click()
    last_call(page, 200)
    page.wait_for_selector(f"#provider-{provider} .outbox code.endpoint:has-text('{url}')", timeout=SHOWS)


def row(page, provider: str, view: str, marker: str):
    found = page.locator(f"#provider-{provider} .view[data-view={view}] tr", has_text=marker)
    found.wait_for(timeout=SHOWS)
    return found


def decide(page, provider: str, view: str, marker: str, button: str, before: str, after: str):
    """Press a button on the record's row (its state `before`); the row then shows `after`."""
    found = row(page, provider, view, marker)
    assert before in found.inner_text()
    found.locator(f"button:has-text('{button}')").click()
    last_call(page, 200)
    decided = row(page, provider, view, marker)
    decided.locator(f".badge:has-text('{after}')").wait_for(timeout=SHOWS)
    return decided


def delivery_shown(page, provider: str, event: str) -> None:
    """The outbox on the page shows the event delivered."""
    page.wait_for_selector(f"#provider-{provider} .delivery[data-type='{event}'] .delivery-delivered", timeout=SHOWS)


def journal_shows(page, provider: str, method: str, path: str) -> None:
    """The request is in the page's journal, and opens to its whole exchange."""
    entry = page.locator(f"#provider-{provider} .journal-list tr.entry", has_text=path).filter(has_text=method).first
    entry.wait_for(timeout=SHOWS)
    entry.click()
    page.wait_for_selector(f"#entry-{provider} .entry-full:has-text('{path}')", timeout=SHOWS)


def test_the_landing_page(page, served):
    page.goto("/")
    rows = page.locator("#providers tbody tr")
    assert rows.count() == 4
    assert page.locator("#providers tr[data-provider=weavr] code").all_inner_texts() == [
        f"{served.url}/weavr/multi", f"{served.url}/weavr/simulate/api"]  # a client's two bases
    assert "p100-sandbox-api-key" in page.locator("#scenario").inner_text()  # open sandbox: the credentials show
    shot(page, "landing")
    page.click("#providers tr[data-provider=prozora] a:has-text('Swagger UI')")
    page.wait_for_selector(".swagger-ui .info .title:has-text('Prozora')", timeout=SHOWS)
    assert page.locator(".swagger-ui .opblock").count() > 5  # the document's operations, rendered offline
    shot(page, "reference", full_page=False)


def test_ibanera_onboarding(page, served, receiver):
    page.goto("/_sandbox/ui")
    form = page.locator("form[data-credential=ibanera]")  # a manager logs in as a person would
    form.locator("input[name=username]").fill("manager@example.com")
    form.locator("input[name=password]").fill("sandbox-password")
    form.locator("button:has-text('Use')").click()
    page.wait_for_selector("#provider-ibanera .tenant-label:has-text('manager@example.com')", timeout=SHOWS)
    set_endpoint(page, "ibanera", receiver.url_for("ibanera"))

    with served.ibanera.client() as api:
        from tests.ibanera.payloads import managee

        created = api.post("/api/v4/customer/managees/create",
                           json=managee(emailAddress="ada.browser@example.com", manageesReference="browser-1"))
        assert created.status_code == 200, created.text
    managee_id = created.json()["details"]["manageesId"]
    decide(page, "ibanera", "managees", "ada.browser@example.com", "Accept", "Pending", "Accepted")
    delivered = receiver.wait_for("MANAGEE_KYC_UPDATED", timeout=10, provider="ibanera")
    assert delivered.json["Data"] == {**delivered.json["Data"], "ManageesId": managee_id,
                                      "VerificationStatus": "Accepted"}
    delivery_shown(page, "ibanera", "MANAGEE_KYC_UPDATED")
    row(page, "ibanera", "accounts", str(managee_id))  # Accepted opens its USD account
    journal_shows(page, "ibanera", "POST", "/ibanera/api/v4/customer/managees/create")
    fits(page, "ibanera")
    shot(page, "dashboard-ibanera")


def test_weavr_onboarding(page, served, receiver):
    page.goto("/_sandbox/ui")
    act_as(page, "weavr", "api-key weav… (profile 1011)")
    set_endpoint(page, "weavr", receiver.url_for("weavr"))
    with served.weavr.client() as api:
        created = api.post("/multi/consumers", json={"profileId": "1011", "ipAddress": "127.0.0.1", "rootUser": {
            "name": "Ada", "surname": "Lovelace", "email": "ada.browser@example.com",
            "mobile": {"countryCode": "+44", "number": "7700900123"}, "dateOfBirth": {"year": 1990, "month": 12,
                                                                                     "day": 10},
            "address": {"addressLine1": "1 Main Street", "city": "London", "postCode": "N1 9GU", "country": "GB"}}})
        assert created.status_code == 200, created.text
    consumer_id = created.json()["id"]["id"]
    decide(page, "weavr", "consumers", "ada.browser@example.com", "Approve", "NOT_STARTED", "APPROVED")
    delivered = receiver.wait_for("/consumers/kyc/watch", timeout=10, provider="weavr")
    assert (delivered.json["consumerId"], delivered.json["status"]) == (consumer_id, "APPROVED")
    delivery_shown(page, "weavr", "/consumers/kyc/watch")
    journal_shows(page, "weavr", "POST", "/weavr/multi/consumers")
    fits(page, "weavr")
    shot(page, "dashboard-weavr")


def test_prozora_onboarding(page, served):
    page.goto("/_sandbox/ui")
    act_as(page, "prozora", "Sandbox Bank (0b8f6a0e)")
    assert page.locator("#provider-prozora .outbox").count() == 0  # Prozora documents no callbacks
    with served.prozora.client() as api:
        created = api.post("/customers", json={
            "asset_code": "UAH", "asset_issuer": "GC2BKLYOOYPDEFJKLKY6FNNRQMGFLVHJKQRGNSSRRGSMPGF32LHCQVGF",
            "login": "olena.browser@example.com", "name": "Olena", "surname": "Shevchenko", "kyc_level": 1,
            "iban": "UA21 3223 1300 0002 6007 2335 6600 1", "branch_guid": "ae8051f5-da84-468b-a635-643e363b5cd9"})
        assert created.status_code == 200, created.text
    customer = row(page, "prozora", "customers", "olena.browser@example.com")
    assert "UA213223130000026007233566001" in customer.inner_text()  # its first account, with the customer
    verified = decide(page, "prozora", "customers", "olena.browser@example.com", "Verify (KYC 2)", "active",
                      "verified")
    assert re.search(r"\b2\b", verified.inner_text())
    journal_shows(page, "prozora", "PUT", "/customers/")  # the page's own call: Prozora's update
    fits(page, "prozora")
    shot(page, "dashboard-prozora")


def test_p100_onboarding(page, served, receiver):
    page.goto("/_sandbox/ui")
    act_as(page, "p100", "x-api-key p100… #1")
    set_endpoint(page, "p100", receiver.url_for("p100"))
    with served.p100.client() as api:
        assert api.post("/v1/user/balances/crypto-and-fiat", json=_p100_user("jan-browser")).status_code == 201
    verified = decide(page, "p100", "users", "jan-browser", "Verify KYC", "none", "VERIFIED")
    delivered = receiver.wait_for("/webhook/kyc-verification/status", timeout=10, provider="p100")
    assert delivered.json["externalUserId"] == "jan-browser"
    delivery_shown(page, "p100", "/webhook/kyc-verification/status")
    verified.locator(".action:has(button:has-text('Deposit crypto')) input[data-ask=amount]").fill("0.25")
    verified.locator("button:has-text('Deposit crypto')").click()
    last_call(page, 201)
    row(page, "p100", "users", "jan-browser").locator("td:has-text('0.25000000 btc')").wait_for(timeout=SHOWS)
    row(page, "p100", "movements", "jan-browser")  # the ledger's movement of the deposit
    journal_shows(page, "p100", "POST", "/p100/v1/user/balances/crypto-and-fiat")
    fits(page, "p100")
    shot(page, "dashboard-p100")


def test_a_tenant_sees_only_its_own(page, served):
    with served.p100.client() as first, served.p100.client("p100-sandbox-api-key-2") as second:
        assert first.post("/v1/user/balances/crypto-and-fiat", json=_p100_user("mine")).status_code == 201
        assert second.post("/v1/user/balances/crypto-and-fiat", json=_p100_user("theirs")).status_code == 201
    page.goto("/_sandbox/ui")
    page.click("[data-tab=p100]")
    form = page.locator("form[data-credential=p100]")
    form.locator("input[name=api_key]").fill("p100-sandbox-api-key-2")
    form.locator("button:has-text('Use')").click()
    row(page, "p100", "users", "theirs")
    assert "mine" not in page.locator("#provider-p100 .view[data-view=users]").inner_text()


def _p100_user(external_user_id: str) -> dict:
    return {"externalUserId": external_user_id, "email": f"{external_user_id}@example.pl", "firstName": "Jan",
            "lastName": "Kowalski", "country": "PL", "citizenship": "PL", "hasAcceptedP100Tc": True}
