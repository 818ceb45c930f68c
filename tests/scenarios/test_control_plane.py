"""The global controls: show and load a scenario, export and restore the
whole state exactly, and the admin token that guards them on a shared
sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from openapi_spec_validator import validate

from sandbox.config import Config
from tests.ibanera.client import IbaneraClient
from tests.p100.client import P100Client
from tests.prozora.client import ProzoraClient
from tests.scenarios.listings import listings
from tests.weavr.client import WeavrClient

ROOT = Path(__file__).resolve().parents[2]
EDGE = str(ROOT / "fixtures" / "kyc-edge-cases.yaml")
FIRST_CONSUMER = 110_000_000_000_000_000


@pytest.fixture
def config() -> Config:
    """An app of this module's own: loading a scenario changes the baseline that the
    session app's reset returns the other tests to."""
    return Config(scenario="default")


def test_get_scenario_names_the_loaded_one(client):
    body = client.get("/_sandbox/scenario").get_json()
    assert body["name"] == "default" and body["path"] is None  # made of each provider's own section
    assert body["description"] and set(body["sections"]) >= {"ibanera", "p100", "weavr", "prozora"}
    assert body["sections"]["ibanera"]["managers"][0]["username"] == "manager@example.com"
    assert body["records"]["ibanera"] == 6  # three managers; the example manager's two managees, one account


def test_post_a_yaml_scenario_replaces_the_state_and_becomes_the_baseline(client):
    text = Path(EDGE).read_text().replace("name: kyc-edge-cases", "name: posted")
    loaded = client.post("/_sandbox/scenario", data=text, content_type="application/yaml")
    assert loaded.status_code == 200 and loaded.get_json()["name"] == "posted", loaded.get_json()
    assert loaded.get_json()["path"] is None and loaded.get_json()["records"]["ibanera"] == 5
    ibanera = IbaneraClient(client, "manager@example.com").login()
    ibanera.new_managee(emailAddress="after@example.com")
    assert len(ibanera.list_managees().get_json()["details"]) == 4
    assert client.post("/_sandbox/reset").get_json()["scenario"] == "posted"
    assert len(ibanera.list_managees().get_json()["details"]) == 3  # the posted scenario's three
    # the manager of the default scenario is gone with it
    assert client.post("/ibanera/api/v1/public/auth/login", json={
        "username": "manager2@example.com", "password": "sandbox-password", "otp": "123456"}).status_code == 400
    back = client.post("/_sandbox/scenario", json={"name": "default"})
    assert back.status_code == 200 and back.get_json()["name"] == "default"


@pytest.mark.parametrize("body,content_type,where", [
    (("ibanera:\n  managers:\n    - username: manager@example.com\n      password: pw\n"
      "      totp_secret: 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4\n      managees:\n        - {verification: Maybe}\n"),
     "application/yaml", ("<request body>", 7, "ibanera.managers[0].managees[0].verification")),
    (("p100:\n  api_keys:\n    - api_key: k\n      users:\n        - external_user_id: a\n"
      "          verified: true\n"),
     "application/yaml", ("<request body>", 6, "p100.api_keys[0].users[0].verified")),
    ('{"path": "no/such/file.yaml"}', "application/json", ("no/such/file.yaml", None, None)),
    # found only while seeding (the programme refuses the domain): the section's line
    (("name: x\nweavr:\n  blocked_email_domains: [b.example]\n  api_keys:\n    - api_key: k\n"
      "      consumer_profile_id: '1'\n      consumers: [{email: a@b.example}]\n"),
     "application/yaml", ("<request body>", 2, "weavr")),
    # YAML aliases that would expand to billions of values are refused before any validation
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdef", "bcdefg")),
     "application/yaml", ("<request body>", 1, None)),
])
def test_a_refused_scenario_names_file_line_and_field_and_changes_nothing(client, body, content_type, where):
    before = client.get("/_sandbox/snapshot").get_json()
    response = client.post("/_sandbox/scenario", data=body, content_type=content_type)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert (error["code"], error["file"], error["line"], error["field"]) == ("invalid_scenario", *where)
    prefix = where[0] + (f":{where[1]}" if where[1] else "") + (f": {where[2]}" if where[2] else "") + ": "
    assert error["message"].startswith(prefix), error["message"]
    assert client.get("/_sandbox/snapshot").get_json() == before


def test_a_scenario_in_another_media_type_is_a_415(client):
    response = client.post("/_sandbox/scenario", data="name: x", content_type="text/plain")
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "unsupported_media_type"


def _world(client) -> tuple[dict, list, list]:
    """On kyc-edge-cases, a little of everything: Weavr tokens, accounts, P100 money, Prozora customers."""
    weavr_tokens = {}
    for n, email in ((1, "not-started@consumers.example"), (4, "approved@consumers.example")):
        consumer = WeavrClient(client)
        consumer.consumer = {"id": {"id": str(FIRST_CONSUMER + n)}, "rootUser": {"email": email}}
        weavr_tokens[consumer.id] = consumer.login().token
    approved = WeavrClient(client)
    approved.consumer = {"id": {"id": str(FIRST_CONSUMER + 4)}}
    account = approved.open_account("GBP", 77)["id"]
    p100 = P100Client(client)
    p100.verified_user("extra")
    p100.deposit_fiat("extra", "12.34")
    ProzoraClient(client).created(login="snap@example.com", kyc_level=2)
    IbaneraClient(client, "manager@example.com").login().new_managee(emailAddress="snap@example.com")
    users = ["no-kyc", "verified", "expired", "poa-waiting", "suspended", "extra"]
    return weavr_tokens, [str(120_000_000_000_000_000), account], users


def test_snapshot_round_trip_is_exact_through_every_providers_listings(client, sandbox):
    assert client.post("/_sandbox/scenario", json={"path": EDGE}).status_code == 200
    tokens, accounts, users = _world(client)
    before = listings(client, tokens, accounts, users)
    exported = client.get("/_sandbox/snapshot").get_json()
    assert exported["format"] == "fintech-sandbox/snapshot" and exported["clockOffsetSeconds"] == 0
    # change every provider and the clock, then travel back
    IbaneraClient(client, "manager@example.com").login().new_managee(emailAddress="later@example.com")
    P100Client(client).create_user("later")
    ProzoraClient(client).created(login="later@example.com")
    sandbox.clock.advance(90)
    assert listings(client, tokens, accounts, users) != before
    restored = client.put("/_sandbox/snapshot", json=exported)
    assert restored.status_code == 200, restored.get_json()
    assert sandbox.clock.offset().total_seconds() == 0
    assert client.get("/_sandbox/snapshot").get_json() == exported  # (before a read touches a token's last use)
    assert listings(client, tokens, accounts, users) == before
    # ids go on where they were: the next managee is the one after the snapshot's last
    managees = IbaneraClient(client, "manager@example.com").login()
    new_id = managees.new_managee(emailAddress="next@example.com")
    assert new_id == max(m["manageesId"] for m in before["ibanera"][0]) + 1


def test_a_snapshot_restores_its_own_scenario_too(client):
    assert client.post("/_sandbox/scenario", json={"path": EDGE}).status_code == 200
    exported = client.get("/_sandbox/snapshot").get_json()
    assert client.post("/_sandbox/scenario", json={"name": "default"}).status_code == 200
    assert client.put("/_sandbox/snapshot", json=exported).get_json()["scenario"] == "kyc-edge-cases"
    assert client.get("/_sandbox/scenario").get_json()["name"] == "kyc-edge-cases"
    assert P100Client(client).get("/v1/kyc/status/expired").get_json()["verificationStatus"] == "EXPIRED"


@pytest.mark.parametrize("change,message", [
    (lambda s: {**s, "format": "other"}, "format"),
    (lambda s: {**s, "collections": {"nope.things": {"next_id": 1, "records": {}}}}, "no such collections"),
    (lambda s: {**s, "collections": {"ibanera.managers": {"next_id": 1, "records": {"1": {"id": 2}}}}},
     "integer id and a tenant"),
    (lambda s: {k: v for k, v in s.items() if k != "seed"}, "seed"),
])
def test_a_bad_snapshot_is_refused_and_changes_nothing(client, change, message):
    exported = client.get("/_sandbox/snapshot").get_json()
    response = client.put("/_sandbox/snapshot", json=change(exported))
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_snapshot" and message in error["message"]
    assert client.get("/_sandbox/snapshot").get_json() == exported


ADMIN = Config(admin_token="let-me-in")


@pytest.mark.parametrize("config", [ADMIN])
@pytest.mark.parametrize("method,path", [("POST", "/_sandbox/reset"), ("GET", "/_sandbox/scenario"),
                                         ("POST", "/_sandbox/scenario"), ("GET", "/_sandbox/snapshot"),
                                         ("PUT", "/_sandbox/snapshot"), ("GET", "/_sandbox/clock"),
                                         ("POST", "/_sandbox/clock")])
def test_with_an_admin_token_the_global_controls_refuse_everyone_else(client, method, path):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "let-me-in"}):
        response = client.open(path, method=method, headers=headers, json={})
        assert response.status_code == 401, headers
        assert response.get_json() == {"error": {"status": 401, "code": "unauthorized", "message": (
            "An admin token is configured: send Authorization: Bearer <admin token>.")}}
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("config", [ADMIN])
def test_with_the_admin_token_they_answer(client):
    admin = {"Authorization": "Bearer let-me-in"}
    assert client.post("/_sandbox/reset", headers=admin).status_code == 200
    exported = client.get("/_sandbox/snapshot", headers=admin).get_json()
    assert client.put("/_sandbox/snapshot", headers=admin, json=exported).status_code == 200
    assert client.get("/_sandbox/scenario", headers=admin).get_json()["name"] == "default"
    # health, the document and a tenant's own reset need no admin token
    assert client.get("/healthz").status_code == 200 and client.get("/_sandbox/openapi.json").status_code == 200
    assert client.post("/_sandbox/p100/reset", headers={"x-api-key": "p100-sandbox-api-key"}).status_code == 200


def test_without_an_admin_token_the_controls_are_open(client):
    assert client.post("/_sandbox/reset").status_code == 200
    assert client.get("/_sandbox/snapshot").status_code == 200


def test_the_sandbox_documents_its_own_endpoints_and_error_body(client):
    document = client.get("/_sandbox/openapi.json").get_json()
    validate(document)
    assert set(document["paths"]) == {"/healthz", "/_sandbox/reset", "/_sandbox/scenario", "/_sandbox/snapshot",
                                      "/_sandbox/clock", "/_sandbox/magic", "/_sandbox/journal",
                                      "/_sandbox/journal/count", "/_sandbox/faults", "/_sandbox/scenarios"}
    error = document["components"]["schemas"]["SandboxError"]
    assert set(document["components"]["schemas"]["SandboxErrorDetail"]["properties"]) == {
        "status", "code", "message", "file", "line", "field", "errors"} and "error" in error["properties"]
    load = document["paths"]["/_sandbox/scenario"]["post"]["responses"]
    assert {e["code"] for e in load["400"]["x-error-codes"]} >= {"invalid_scenario"}
    assert load["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/SandboxError"}


@pytest.mark.parametrize("path", ["../../../../etc/hostname", "/etc/hostname", "/etc/no-such-file-here",
                                  "/proc/self/environ", "fixtures/../../outside.yaml"])
def test_a_scenario_path_outside_the_scenario_directories_is_refused_alike_whether_it_exists(client, path):
    before = client.get("/_sandbox/snapshot").get_json()
    response = client.post("/_sandbox/scenario", json={"path": path})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_scenario" and error["field"] == "path"
    assert error["message"].startswith("a scenario file loads only from the scenario directories")
    assert "hostname" not in error["message"] and "No such" not in error["message"]
    assert client.get("/_sandbox/snapshot").get_json() == before


def test_shipped_scenarios_load_by_name_and_a_path_inside_the_directories_loads(client):
    assert client.post("/_sandbox/scenario", json={"name": "kyc-edge-cases"}).get_json()["name"] == "kyc-edge-cases"
    assert client.post("/_sandbox/scenario", json={"path": EDGE}).status_code == 200
    unknown = client.post("/_sandbox/scenario", json={"name": "no-such-scenario"}).get_json()["error"]
    assert unknown["code"] == "invalid_scenario" and "default, kyc-edge-cases, large" in unknown["message"]
