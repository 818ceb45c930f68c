"""The documents work in a code generator as they are: `openapi-python-client`
(pinned in the test extras) generates a client from each document a
running sandbox serves (each provider's, and each provider's controls', with
their own server) and from Weavr's official spec, and one onboarding per
provider runs through the generated code, its controls included. Every
answer is parsed into the generated models: a free-form object where the
shape is known would fail here on the attribute read.

Generation runs once per module, all documents at once, with the generator's
post-generation hooks off (no network, no formatter of its own)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import get_type_hints

import pytest

from tests.server import Server

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PROVIDERS = ("ibanera", "p100", "weavr", "prozora")
WEAVR_SPEC = ROOT / "tests/weavr/spec/multi-consumers.openapi.yml"
IBANERA_EXAMPLE = ROOT / "examples/ibanera-create-managee.json"
WEAVR_KEY = {"api-key": "weavr-sandbox-api-key"}


@pytest.fixture(scope="module")
def server():
    with Server("--quiet") as running:
        yield running


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    """Each document's package, by name: <provider>, <provider>_controls, weavr_official."""
    out = tmp_path_factory.mktemp("generated")
    documents = {"weavr_official": WEAVR_SPEC}
    for provider in PROVIDERS:
        for name, path in ((provider, f"/{provider}/openapi.json"),
                           (f"{provider}_controls", f"/_sandbox/{provider}/openapi.json")):
            documents[name] = out / f"{name}.json"
            documents[name].write_bytes(urllib.request.urlopen(server.url + path, timeout=10).read())
    running = []
    for name, document in documents.items():
        package = f"generated_{name}"
        config = out / f"{name}.config.yaml"
        config.write_text(f"post_hooks: []\nproject_name_override: {package}\npackage_name_override: {package}\n")
        running.append((name, subprocess.Popen(
            [GENERATOR, "generate", "--path", document, "--meta", "none", "--config", config, "--output-path",
             out / package, "--fail-on-warning"], cwd=out, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)))
    for name, process in running:
        output = process.communicate(timeout=120)[0]
        assert process.returncode == 0, f"{name}: {output}"
    sys.path.insert(0, str(out))
    try:
        yield {name: importlib.import_module(f"generated_{name}") for name in documents}
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m.startswith("generated_")]:
            del sys.modules[module]


def operation(package, path: str):
    return importlib.import_module(f"{package.__name__}.api.{path}")


def call(package, path: str, client, status: int, body: dict | None = None, **arguments):
    """One operation of a generated client, its body built as the generated
    model it declares; the answer parsed into the generated model."""
    module = operation(package, path)
    if body is not None:
        arguments["body"] = get_type_hints(module.sync_detailed)["body"].from_dict(body)
    answer = module.sync_detailed(client=client, **arguments)
    assert answer.status_code == status, (path, answer.status_code, answer.content[:500])
    return answer.parsed


def test_ibanera_onboarding_through_its_generated_clients(server, generated):
    ibanera, controls = generated["ibanera"], generated["ibanera_controls"]
    login = call(ibanera, "authentication.login", ibanera.Client(base_url=f"{server.url}/ibanera"), 200,
                 {"username": "manager@example.com", "password": "sandbox-password", "otp": "123456"})
    token = login.details.access_token
    client = ibanera.AuthenticatedClient(base_url=f"{server.url}/ibanera", token=token, headers={"otp": "123456"})
    example = json.loads(IBANERA_EXAMPLE.read_text())  # the README's example, in the document's spelling
    created = call(ibanera, "managees.create_managee", client, 200, {**example, "emailAddress": "gen@example.com"})
    assert created.details.verification_status == "Pending"
    managee = created.details.managees_id

    control = controls.AuthenticatedClient(base_url=f"{server.url}/_sandbox/ibanera", token=token)
    decided = call(controls, "sandbox_control.set_verification", control, 200, {"status": "Accepted"},
                   managees_id=managee)
    assert decided.details.verification_status == "Accepted"

    listed = call(ibanera, "managees.list_managees", client, 200)
    assert {m.managees_id: m.verification_status for m in listed.details}[managee] == "Accepted"
    accounts = call(ibanera, "managees.list_managee_accounts", client, 200, managees_id=managee)
    assert [(a.asset, a.total_balance) for a in accounts.details] == [("USD", 0.0)]
    deliveries = call(controls, "sandbox_control.list_deliveries", control, 200)
    assert deliveries.details.dropped == 0


def test_weavr_onboarding_through_a_client_of_its_official_spec(server, generated):
    weavr, controls = generated["weavr_official"], generated["weavr_controls"]
    base = f"{server.url}/weavr/multi"  # the spec's server is https://sandbox.weavr.io/multi
    client = weavr.Client(base_url=base, headers=WEAVR_KEY)
    email = "gen.lovelace@example.com"
    consumer = call(weavr, "consumers.consumer_create", client, 200, {
        "profileId": "1011", "ipAddress": "127.0.0.1",
        "rootUser": {"name": "Ada", "surname": "Lovelace", "email": email,
                     "mobile": {"countryCode": "+44", "number": "7700900123"},
                     "dateOfBirth": {"year": 1990, "month": 12, "day": 10},
                     "address": {"addressLine1": "1 Main Street", "city": "London", "country": "GB"}}})
    consumer_id = consumer.id.id
    assert consumer.root_user.email_verified is False
    call(weavr, "authentication_factors.password_create", client, 200, {"password": {"value": "Passw0rd!"}},
         user_id=consumer_id)
    call(weavr, "authorised_signatories.consumer_root_user_email_verification_code_send", client, 204,
         {"email": email})
    call(weavr, "authorised_signatories.consumer_root_user_email_verify", client, 204,
         {"email": email, "verificationCode": "123456"})
    auth = call(weavr, "sign_in.login_with_password", client, 200, {"email": email, "password": {"value": "Passw0rd!"}})
    session = weavr.AuthenticatedClient(base_url=base, token=auth.token, headers=WEAVR_KEY)
    access = call(weavr, "access_tokens.request_access_token", session, 200,
                  {"identity": {"type": "CONSUMER", "id": consumer_id}})
    user = weavr.AuthenticatedClient(base_url=base, token=access.token, headers=WEAVR_KEY)
    started = call(weavr, "customer_data_due_diligence.consumer_kyc_start", user, 200)
    assert started.kyc_level == "KYC_LEVEL_2"

    control = controls.Client(base_url=f"{server.url}/_sandbox/weavr", headers=WEAVR_KEY)
    call(controls, "sandbox_control.set_kyc", control, 200, {"status": "APPROVED"}, consumer_id=consumer_id)
    kyc = call(weavr, "customer_data_due_diligence.consumer_kyc_get", user, 200)
    assert (kyc.full_due_diligence, kyc.ongoing_full_due_diligence) == ("APPROVED", "APPROVED")
    account = call(controls, "sandbox_control.open_managed_account", control, 200, {"currency": "EUR"},
                   consumer_id=consumer_id)
    assert (account.currency, account.balance) == ("EUR", 0)


def test_weavr_served_document_generates_a_client_that_works(server, generated):
    weavr = generated["weavr"]
    client = weavr.Client(base_url=f"{server.url}/weavr", headers=WEAVR_KEY)  # its paths start /multi, /simulate
    consumer = call(weavr, "consumers.consumer_create", client, 200, {
        "profileId": "1011", "ipAddress": "127.0.0.1",
        "rootUser": {"name": "Grace", "surname": "Hopper", "email": "gen.hopper@example.com",
                     "mobile": {"countryCode": "+44", "number": "7700900124"},
                     "dateOfBirth": {"year": 1990, "month": 12, "day": 9},
                     "address": {"addressLine1": "1 Main Street", "city": "London", "country": "GB"}}})
    assert consumer.root_user.email == "gen.hopper@example.com"


def test_p100_onboarding_through_its_generated_clients(server, generated):
    p100, controls = generated["p100"], generated["p100_controls"]
    key = {"x-api-key": "p100-sandbox-api-key"}
    client = p100.Client(base_url=f"{server.url}/p100", headers=key)
    created = call(p100, "users.create_user", client, 201, {
        "externalUserId": "gen-carol", "email": "gen.carol@example.pl", "firstName": "Jan", "lastName": "Kowalski",
        "country": "PL", "citizenship": "PL", "hasAcceptedP100Tc": True})
    assert created.user_id
    call(p100, "kyc.create_kyc_verification", client, 201, {
        "externalUserId": "gen-carol", "documentType": "PASSPORT", "country": "PL", "incomeSource": "SALARY",
        "openAccountReason": "DAILY_USE", "occupation": "IT", "additionalInfo": "Developer"})

    control = controls.Client(base_url=f"{server.url}/_sandbox/p100", headers=key)
    call(controls, "sandbox_control.set_kyc", control, 200,
         {"verificationStatus": "VERIFIED", "attemptStatus": "SUCCESSFUL"}, external_user_id="gen-carol")
    status = call(p100, "kyc.get_kyc_status", client, 200, external_user_id="gen-carol")
    assert (status.verification_status, status.attempt_status) == ("VERIFIED", "SUCCESSFUL")
    call(p100, "kyc.add_user_verification", client, 200,
         {"externalUserId": "gen-carol", "documentType": "PASSPORT", "documentNumber": "XK1234567"})
    call(controls, "sandbox_control.deposit_fiat", control, 201, {"amount": "250.00"}, external_user_id="gen-carol")

    balances = call(p100, "users.get_balances", client, 200, external_user_id="gen-carol")
    fiat = {b.name: (b.amount, b.status) for b in balances.fiat_balances}
    assert fiat["eur"] == ("250.00", "ACTIVE")
    assert "btc" in {b.name for b in balances.crypto_balances}
    history = call(p100, "money.transaction_history", client, 200, external_user_id="gen-carol")
    assert [(t.type_, t.amount) for t in history.transactions] == [("FIAT_DEPOSIT", "250.00")]


def test_prozora_onboarding_through_its_generated_clients(server, generated):
    prozora, controls = generated["prozora"], generated["prozora_controls"]
    counterparty = "0b8f6a0e-6d2c-4c37-9b7e-5a1d2c3e4f50"
    client = prozora.AuthenticatedClient(base_url=f"{server.url}/prozora", token="prozora-sandbox-token",
                                         prefix="bearer")
    created = call(prozora, "customer.create_customer", client, 200, {
        "asset_code": "UAH", "asset_issuer": "GC2BKLYOOYPDEFJKLKY6FNNRQMGFLVHJKQRGNSSRRGSMPGF32LHCQVGF",
        "login": "gen.olena@example.com", "name": "Olena", "surname": "Shevchenko", "kyc_level": 1},
        counterparty_guid=counterparty)
    customer = created.customer_guid
    listed = call(prozora, "customer.list_customers", client, 200, counterparty_guid=counterparty,
                  logins=["gen.olena@example.com"])
    assert [(c.wallet_user_guid, c.kyc_level) for c in listed.customers] == [(customer, 1)]
    accounts = call(prozora, "customer.list_accounts", client, 200, counterparty_guid=counterparty,
                    customer_guid=customer)
    assert accounts.total == 1 and accounts.accounts[0].assets[0].code == "UAH"

    control = controls.AuthenticatedClient(base_url=f"{server.url}/_sandbox/prozora", token="prozora-sandbox-token",
                                           prefix="bearer")
    journal = call(controls, "sandbox_control.list_journal", control, 200, counterparty_guid=counterparty)
    assert {"POST", "GET"} <= {entry.method for entry in journal.requests}
