"""Every list filter, alone and combined, ordering both ways and paging
edges, against a plain-Python oracle over the same seeded population
(240 Faker customers of counterparty A, --seed 0), read from the store.

The population is built once for this module, in its own app (the
scenario's `seed_customers`); these tests only read it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.runtime import sandbox_of
from sandbox.core.scenario import default_scenario_text
from tests.conftest import PROVIDERS
from tests.prozora.client import KYIV, LVIV, TOKEN_KYIV, A, ProzoraClient

POPULATION = 240
LIST_FIELDS = ("names", "surnames", "paternal_names", "phone_numbers", "segments", "balance_asset_codes",
               "balance_asset_issuers", "statuses", "branch_guids")


@pytest.fixture(scope="module")
def population_app(tmp_path_factory, answered_codes):
    scenario = yaml.safe_load(default_scenario_text(PROVIDERS))
    scenario["prozora"]["counterparties"][0]["seed_customers"] = POPULATION
    path: Path = tmp_path_factory.mktemp("prozora") / "population.yaml"
    path.write_text(yaml.safe_dump(scenario))
    app = create_app(Config(scenario=str(path)), PROVIDERS)
    answered_codes.install(app)
    yield app
    sandbox_of(app).close()


@pytest.fixture(scope="module")
def people(population_app) -> list[dict]:
    """The stored customers of A, as the store holds them (the oracle's data)."""
    customers = sandbox_of(population_app).store.collection("prozora.customers")
    return customers.page(A).items


@pytest.fixture
def api(population_app) -> ProzoraClient:
    return ProzoraClient(population_app.test_client())


def when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def oracle(people: list[dict], branch: str | None = None, **query) -> tuple[list[str], int]:
    """The GUIDs the list should answer, in order, paged: a plain reading of each filter."""
    def keep(c: dict) -> bool:
        checks = [
            ("wallet_user_guids", lambda vs: c["wallet_user_guid"] in vs),
            ("logins", lambda vs: (c["login"] or "").casefold() in {v.casefold() for v in vs}),
            ("kyc_levels", lambda vs: c["kyc_level"] in {int(v) for v in vs}),
            ("names", lambda vs: c["name"] in vs), ("surnames", lambda vs: c["surname"] in vs),
            ("paternal_names", lambda vs: c["paternal_name"] in vs),
            ("phone_numbers", lambda vs: c["phone_number"] in vs), ("segments", lambda vs: c["segment"] in vs),
            ("statuses", lambda vs: c["status"] in vs), ("branch_guids", lambda vs: c["branch_guid"] in vs),
            ("balance_asset_codes", lambda vs: c["balance_asset_code"] in vs),
            ("balance_asset_issuers", lambda vs: c["balance_asset_issuer"] in vs),
        ]
        for name, check in checks:
            if name in query and not check(query[name]):
                return False
        if "is_disabled" in query and c["is_disabled"] != (query["is_disabled"] == "true"):
            return False
        amount = Decimal(c["balance_allowed"])
        if "min_balance_allowed" in query and amount < Decimal(query["min_balance_allowed"]):
            return False
        if "max_balance_allowed" in query and amount > Decimal(query["max_balance_allowed"]):
            return False
        for bound in ("min_created_at", "max_created_at", "min_updated_at", "max_updated_at"):
            if bound in query:
                limit = datetime.fromisoformat(query[bound])
                limit = limit if limit.tzinfo else limit.replace(tzinfo=UTC)
                at = when(c[bound[4:]])
                if (at < limit) if bound.startswith("min") else (at > limit):
                    return False
        if "search_string" in query:
            needle = query["search_string"].casefold()
            if not any(needle in (c[f] or "").casefold() for f in ("name", "surname", "paternal_name", "login")):
                return False
        return branch is None or c["branch_guid"] == branch

    field, direction = query.get("ordering", "created_at_asc").rsplit("_", 1)
    found = sorted((c for c in people if keep(c)), key=lambda c: (when(c[field]), c["id"]),
                   reverse=direction == "desc")
    offset, limit = int(query.get("offset", 0)), int(query.get("limit", 20))
    return [c["wallet_user_guid"] for c in found][offset:offset + limit], len(found)


def answered(api: ProzoraClient, **query) -> tuple[list[str], int]:
    body = api.listed(**query)
    return [c["wallet_user_guid"] for c in body["customers"]], body["total"]


def some(people, field: str, n: int, step: int = 37) -> list:
    """n distinct present values of a field, spread over the population."""
    values = []
    for c in people[::step] + people:
        if c[field] is not None and c[field] not in values:
            values.append(c[field])
        if len(values) == n:
            return values
    return values


def test_the_population_has_every_kind_of_customer(people):
    assert len(people) == POPULATION
    assert {c["branch_guid"] is None for c in people} == {True, False}
    assert {c["is_disabled"] for c in people} == {True, False}
    assert {c["kyc_level"] for c in people} == {0, 1, 2, 3}
    assert len({c["status"] for c in people}) == 3
    assert any(c["updated_at"] != c["created_at"] for c in people)


def single_filters(people) -> list[dict]:
    mid = when(people[POPULATION // 2]["created_at"])
    return [
        {"wallet_user_guids": some(people, "wallet_user_guid", 3)},
        {"logins": [v.upper() for v in some(people, "login", 2)]},
        {"kyc_levels": ["2"]}, {"kyc_levels": ["0", "3"]},
        {"is_disabled": "true"}, {"is_disabled": "false"},
        {"min_balance_allowed": "5000"}, {"max_balance_allowed": "1234.56"},
        {"balance_asset_codes": ["USDC"]}, {"balance_asset_issuers": some(people, "balance_asset_issuer", 1)},
        {"branch_guids": [KYIV]}, {"branch_guids": some(people, "branch_guid", 2)},
        {"names": some(people, "name", 3)}, {"surnames": some(people, "surname", 2)},
        {"paternal_names": some(people, "paternal_name", 2)}, {"phone_numbers": some(people, "phone_number", 2)},
        {"segments": ["PL"]}, {"statuses": ["pending"]}, {"statuses": ["active", "blocked"]},
        {"search_string": "an"}, {"search_string": people[7]["login"][:6].upper()},
        {"min_created_at": mid.isoformat()}, {"max_created_at": mid.strftime("%Y-%m-%dT%H:%M:%SZ")},
        {"min_updated_at": people[100]["updated_at"]}, {"max_updated_at": people[60]["updated_at"]},
    ]


def test_each_filter_alone_matches_the_oracle(api, people):
    for query in single_filters(people):
        query = {**query, "limit": "1000"}
        expected = oracle(people, **query)
        assert answered(api, **query) == expected, query
        assert 0 < expected[1] < POPULATION, query  # each filter really discriminates


COMBINED = [
    {"kyc_levels": ["1", "2"], "statuses": ["active"], "is_disabled": "false"},
    {"branch_guids": [KYIV], "segments": ["PL", "PI"], "min_balance_allowed": "1000", "max_balance_allowed": "8000"},
    {"search_string": "a", "kyc_levels": ["0"], "balance_asset_codes": ["UAH"]},
    {"statuses": ["blocked"], "min_created_at": "2000-01-01", "ordering": "updated_at_desc"},
    {"is_disabled": "true", "ordering": "created_at_desc", "offset": "3", "limit": "7"},
    {"branch_guids": [KYIV, LVIV], "statuses": ["active", "pending"], "ordering": "created_at_desc"},
    {"branch_guids": [LVIV], "kyc_levels": ["1", "3"], "statuses": ["blocked"]},
]


@pytest.mark.parametrize("query", COMBINED, ids=[",".join(q) for q in COMBINED])
def test_combined_filters_match_the_oracle(api, people, query):
    query = {"limit": "1000", **query}
    assert answered(api, **query) == oracle(people, **query)


def test_combined_with_guids_and_logins(api, people):
    guids = some(people, "wallet_user_guid", 20, step=7)
    logins = some(people, "login", 40, step=3)
    query = {"wallet_user_guids": guids, "logins": logins, "limit": "1000"}
    expected = oracle(people, **query)
    assert answered(api, **query) == expected and expected[1] > 0


@pytest.mark.parametrize("ordering", ["created_at_asc", "created_at_desc", "updated_at_asc", "updated_at_desc"])
def test_ordering_both_ways(api, people, ordering):
    query = {"ordering": ordering, "limit": "1000", "statuses": ["active", "pending"]}
    expected = oracle(people, **query)
    assert answered(api, **query) == expected
    assert expected[0] != oracle(people, **{**query, "ordering": ordering.replace("asc", "x").replace(
        "desc", "asc").replace("x", "desc")})[0]


def test_the_default_order_is_creation_and_the_default_page_20(api, people):
    assert answered(api) == ([c["wallet_user_guid"] for c in people[:20]], POPULATION)


@pytest.mark.parametrize(("offset", "limit"), [(0, 0), (0, 1), (5, 10), (POPULATION - 1, 5), (POPULATION, 5),
                                               (POPULATION + 100, 5), (0, 1000), (2**31 - 1, 1000)])
def test_offset_and_limit_edges(api, people, offset, limit):
    for ordering in ("created_at_desc", "updated_at_asc"):
        query = {"offset": str(offset), "limit": str(limit), "ordering": ordering}
        got, total = answered(api, **query)
        assert (got, total) == oracle(people, **query)
        assert total == POPULATION and len(got) == max(0, min(limit, POPULATION - offset))


def test_repeated_keys_and_commas_are_the_same_array(api, people):
    names = some(people, "name", 3)
    repeated = answered(api, names=names, kyc_levels=["1", "2"], limit="1000")
    assert answered(api, names=",".join(names), kyc_levels="1,2", limit="1000") == repeated
    assert answered(api, names=[names[0], ",".join(names[1:])], kyc_levels=["1,2"], limit="1000") == repeated
    assert repeated == oracle(people, names=names, kyc_levels=["1", "2"], limit="1000")


def test_a_branch_employee_gets_the_oracle_within_its_branch(population_app, people):
    kyiv = ProzoraClient(population_app.test_client(), TOKEN_KYIV)
    for query in single_filters(people) + COMBINED:
        query = {"limit": "1000", **query}
        assert answered(kyiv, **query) == oracle(people, branch=KYIV, **query), query
