"""Creates racing for one login or one IBAN, and the `prozora:` scenario
section (its validation, a seeded population, the same values per seed)."""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.scenario import ScenarioError
from tests.prozora.client import IBANS, UAH_A, ProzoraClient, error_of, path

RACERS, ROUNDS = 8, 5


@pytest.fixture
def tiny_switch_interval():
    """Threads switch after almost every bytecode, so racing requests interleave."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.parametrize("field", ["login", "iban"])
def test_creates_racing_for_one_login_or_iban_make_one_customer(app, prozora, tiny_switch_interval, field):
    start = threading.Barrier(RACERS)

    def create(value):
        client = app.test_client()
        start.wait()
        return client.post(path(prozora.counterparty), json={"asset_code": "UAH", "asset_issuer": UAH_A,
                                                              field: value}, headers=prozora.headers())

    values = [f"race{n}@example.com" for n in range(ROUNDS)] if field == "login" else IBANS[:ROUNDS]
    with ThreadPoolExecutor(RACERS) as pool:
        for value in values:
            responses = list(pool.map(create, [value] * RACERS))
            assert sorted(r.status_code for r in responses) == [200] + [400] * (RACERS - 1), value
            assert len({error_of(r) for r in responses if r.status_code == 400}) == 1
    assert prozora.listed(limit=100)["total"] == ROUNDS


SCENARIO = """
prozora:
  counterparties:
    - id: 2a0b0c0d-0000-4000-8000-000000000001
      employee_token: tok-1
      assets:
        - {code: UAH, issuer: GC2BKLYOOYPDEFJKLKY6FNNRQMGFLVHJKQRGNSSRRGSMPGF32LHCQVGF}
      branches:
        - {guid: 2a0b0c0d-0000-4000-8000-0000000000b1, name: North, employee_token: tok-north}
      seed_customers: 30
"""


def app_for(tmp_path, text: str, **config):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(text)
    return create_app(Config(scenario=str(scenario), **config))


def customers_of(app, token="tok-1") -> list[dict]:
    employee = ProzoraClient(app.test_client(), token, "2a0b0c0d-0000-4000-8000-000000000001")
    return employee.listed(limit=1000)["customers"]


def test_a_seeded_population_is_the_same_for_the_same_seed(tmp_path):
    first, again = customers_of(app_for(tmp_path, SCENARIO)), customers_of(app_for(tmp_path, SCENARIO))
    other = customers_of(app_for(tmp_path, SCENARIO, seed=7))
    strip = [{k: v for k, v in c.items() if k not in ("created_at", "updated_at")} for c in first]
    assert len(first) == 30
    assert strip == [{k: v for k, v in c.items() if k not in ("created_at", "updated_at")} for c in again]
    assert [c["wallet_user_guid"] for c in other] != [c["wallet_user_guid"] for c in first]
    assert [c["created_at"] for c in first] == sorted(c["created_at"] for c in first)


def test_a_branch_token_of_the_scenario_sees_its_branch(tmp_path):
    app = app_for(tmp_path, SCENARIO)
    north = customers_of(app, "tok-north")
    assert north and {c["branch_guid"] for c in north} == {"2a0b0c0d-0000-4000-8000-0000000000b1"}
    assert len(north) < len(customers_of(app))


@pytest.mark.parametrize(("change", "complaint"), [
    (("GC2BKLYOOYPDEFJKLKY6FNNRQMGFLVHJKQRGNSSRRGSMPGF32LHCQVGF}",
      "GC2BKLYOOYPDEFJKLKY6FNNRQMGFLVHJKQRGNSSRRGSMPGF32LHCQVGA}"), "Stellar account ID"),
    (("tok-north", "tok-1"), "employee tokens must be unique"),
    (("id: 2a0b0c0d-0000-4000-8000-000000000001", "id: not-a-guid"), "must be a UUID"),
    (("code: UAH,", "code: U-H,"), "code"),
])
def test_a_wrong_scenario_section_is_refused_at_start(tmp_path, change, complaint):
    with pytest.raises(ScenarioError, match=complaint):
        app_for(tmp_path, SCENARIO.replace(*change))
