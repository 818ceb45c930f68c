"""Scenario files and seeds: the world the sandbox starts in, repeatably."""

from __future__ import annotations

import pytest

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.scenario import ScenarioError
from tests.ibanera.client import IbaneraClient

SEEDED = """
name: onboarded
ibanera:
  supported_countries: [USA, GBR]
  managers:
    - username: ops@example.com
      password: pw
      totp_secret: 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4
      widget_client: true
      managees:
        - {reference: acme-001, full_name: Ada Lovelace, email: ada@example.com, verification: Accepted, balance: 250.5}
        - {verification: Rejected}
        - {}
"""


def client_for(tmp_path, text: str | None = None, **config):
    if text is not None:
        path = tmp_path / "scenario.yaml"
        path.write_text(text)
        config["scenario"] = str(path)
    return create_app(Config(**config)).test_client()


def onboard_and_accept(client) -> dict:
    ibanera = IbaneraClient(client, "manager@example.com").login()
    create = ibanera.create_managee().get_json()["details"]
    _, account_id = ibanera.accepted_managee(emailAddress="second@example.com")
    account = ibanera.list_accounts().get_json()["details"][0]
    return {"jumioLink": create["jumioLink"], "routing": account["routingNumber"],
            "account": account["accountNumber"], "accountId": account_id}


def test_same_seed_same_generated_values(tmp_path):
    assert onboard_and_accept(client_for(tmp_path, seed=7)) == onboard_and_accept(client_for(tmp_path, seed=7))


def test_other_seed_other_generated_values(tmp_path):
    a, b = onboard_and_accept(client_for(tmp_path, seed=7)), onboard_and_accept(client_for(tmp_path, seed=8))
    assert a["jumioLink"] != b["jumioLink"] and a["account"] != b["account"]
    assert a["accountId"] == b["accountId"]  # ids depend on order, not on the seed


def test_seeded_managees_are_there_from_the_start(tmp_path):
    client = client_for(tmp_path, SEEDED)
    ops = IbaneraClient(client, "ops@example.com", password="pw").login()
    managees = ops.list_managees().get_json()["details"]
    assert [(m["manageesReference"], m["verificationStatus"]) for m in managees] == [
        ("acme-001", "Accepted"), ("seed-002", "Rejected"), ("seed-003", "Pending")]
    assert managees[0]["name"] == "Ada Lovelace" and managees[1]["name"]  # Faker filled the others
    (account,) = ops.list_accounts().get_json()["details"]
    assert account["manageesId"] == managees[0]["manageesId"] and account["availableBalance"] == 250.5
    # the seeded email is taken for this manager, like any other
    taken = ops.create_managee(emailAddress="ada@example.com").get_json()["errors"]
    assert {"fieldName": "EmailAddress", "messageCode": "Email_Already_Exists"} in taken
    # the scenario's supported countries apply
    refused = ops.create_managee(nationalityISO="CAN").get_json()["errors"]
    assert refused == [{"fieldName": "NationalityISO", "messageCode": "Nationality_Not_Supported"}]


def test_reset_returns_to_the_seeded_managees(tmp_path):
    client = client_for(tmp_path, SEEDED)
    ops = IbaneraClient(client, "ops@example.com", password="pw").login()
    ops.new_managee(emailAddress="new@example.com")
    client.post("/_sandbox/reset")
    assert len(ops.list_managees().get_json()["details"]) == 3


@pytest.mark.parametrize("text,message", [
    ("ibanera: [1, 2", "not valid YAML"),
    ("- just\n- a list\n", "a scenario is a mapping"),
    ("ibanra: {}\n", "scenario.yaml:1: ibanra: unknown section"),
    (("ibanera:\n  managers:\n"
      "    - {username: not-an-email, password: pw, totp_secret: 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4}\n"),
     "scenario.yaml:3: ibanera.managers[0].username: Not a valid email address."),
    ("ibanera:\n  managers:\n    - {username: a@example.com, password: pw, totp_secret: '0189!'}\n", "base32"),
    (("ibanera:\n  managers:\n"
      "    - {username: a@example.com, password: pw, totp_secret: 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4}\n"
      "    - {username: A@example.com, password: pw, totp_secret: 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4}\n"),
     "must be unique"),
    (("ibanera:\n  managers:\n"
      "    - {username: a@example.com, password: pw, totp_secret: 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4,"
      " managees: [{verification: Pending, balance: 5}]}\n"),
     "needs verification: Accepted"),
])
def test_bad_scenarios_are_refused_with_a_reason(tmp_path, text, message):
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")
                       .replace(")", r"\)")):
        client_for(tmp_path, text)


def test_missing_scenario_file(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read the scenario"):
        create_app(Config(scenario=str(tmp_path / "nope.yaml")))
