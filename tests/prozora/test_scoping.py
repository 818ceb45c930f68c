"""Who sees what: the employees of counterparty A, of counterparty B and of
A's Kyiv branch each try to read, update and add accounts to each other's
customers; only the allowed cases succeed, and a refusal leaks nothing."""

from __future__ import annotations

import pytest

from tests.prozora.client import KYIV, LVIV, NOWHERE, ODESA, TOKEN_A, TOKEN_B, TOKEN_KYIV, A, B, ProzoraClient, error_of

EMPLOYEES = {"A": (TOKEN_A, A), "B": (TOKEN_B, B), "kyiv": (TOKEN_KYIV, A)}
# whose customer -> the employees that may see and change it
ALLOWED = {
    "A-unbranched": {"A"},
    "A-kyiv": {"A", "kyiv"},
    "A-lviv": {"A"},
    "B": {"B"},
}
CASES = [(actor, owner) for actor in EMPLOYEES for owner in ALLOWED]


@pytest.fixture
def customers(client) -> dict[str, tuple[str, str]]:
    """owner -> (counterparty, customer guid)."""
    a, b = ProzoraClient(client), ProzoraClient(client, TOKEN_B, B)
    return {
        "A-unbranched": (A, a.created(name="Unbranched")["customer_guid"]),
        "A-kyiv": (A, a.created(name="Kyivan", branch_guid=KYIV)["customer_guid"]),
        "A-lviv": (A, a.created(name="Lvivian", branch_guid=LVIV)["customer_guid"]),
        "B": (B, b.created(name="Bee", branch_guid=ODESA)["customer_guid"]),
    }


def employee(client, actor: str) -> ProzoraClient:
    token, counterparty = EMPLOYEES[actor]
    return ProzoraClient(client, token, counterparty)


def refusal(actor: str, counterparty: str) -> tuple[int, str]:
    """What a refused call answers: another counterparty is forbidden (as a nonexistent one
    is); a customer outside the actor's branch is not found (as a nonexistent one is)."""
    if EMPLOYEES[actor][1] != counterparty:
        return 403, "permission denied"
    return 404, "customer_guid: customer not found"


@pytest.mark.parametrize(("actor", "owner"), CASES)
def test_read_customer_and_its_accounts(client, customers, actor, owner):
    counterparty, guid = customers[owner]
    me = employee(client, actor)
    listed = me.list(counterparty, wallet_user_guids=guid)
    accounts = me.accounts(guid, counterparty)
    if actor in ALLOWED[owner]:
        assert [c["wallet_user_guid"] for c in listed.get_json()["customers"]] == [guid]
        assert accounts.status_code == 200 and accounts.get_json()["total"] == 1
    else:
        if EMPLOYEES[actor][1] != counterparty:
            assert (listed.status_code, error_of(listed)) == refusal(actor, counterparty)
        else:  # the list simply does not show it
            assert listed.get_json() == {"customers": [], "total": 0}
        assert (accounts.status_code, error_of(accounts)) == refusal(actor, counterparty)


@pytest.mark.parametrize(("actor", "owner"), CASES)
def test_update_customer(client, customers, actor, owner):
    counterparty, guid = customers[owner]
    response = employee(client, actor).update(guid, counterparty, name="Changed")
    owner_view = employee(client, next(iter(ALLOWED[owner]))).customer(guid)
    if actor in ALLOWED[owner]:
        assert (response.status_code, owner_view["name"]) == (200, "Changed")
    else:
        assert (response.status_code, error_of(response)) == refusal(actor, counterparty)
        assert owner_view["name"] != "Changed"


@pytest.mark.parametrize(("actor", "owner"), CASES)
def test_add_account(client, customers, actor, owner):
    counterparty, guid = customers[owner]
    response = employee(client, actor).add_account(guid, counterparty)
    total = employee(client, next(iter(ALLOWED[owner]))).accounts(guid, counterparty).get_json()["total"]
    if actor in ALLOWED[owner]:
        assert (response.status_code, total) == (200, 2)
    else:
        assert (response.status_code, error_of(response)) == refusal(actor, counterparty)
        assert total == 1


@pytest.mark.parametrize("actor", list(EMPLOYEES))
def test_another_counterparty_is_refused_whether_it_exists_or_not(client, actor):
    me = employee(client, actor)
    other = B if EMPLOYEES[actor][1] == A else A
    answers = {(r.status_code, r.get_data(as_text=True)) for r in (
        me.list(other), me.list(NOWHERE), me.create(other), me.create(NOWHERE),
        me.update(NOWHERE, other, name="x"), me.update(NOWHERE, NOWHERE, name="x"))}
    assert answers == {(403, '{"error":"permission denied"}\n')}


def test_the_branch_employee_lists_only_its_branch(client, customers):
    kyiv = employee(client, "kyiv")
    assert [c["name"] for c in kyiv.listed()["customers"]] == ["Kyivan"]
    assert kyiv.listed(branch_guids=LVIV) == {"customers": [], "total": 0}
    assert kyiv.listed(branch_guids=f"{LVIV},{KYIV}")["total"] == 1
    assert [c["name"] for c in employee(client, "A").listed()["customers"]] == ["Unbranched", "Kyivan", "Lvivian"]


def test_a_branch_employee_creates_in_its_own_branch_only(client):
    kyiv = employee(client, "kyiv")
    guid = kyiv.created(name="Default")["customer_guid"]
    assert kyiv.customer(guid)["branch_guid"] == KYIV
    assert kyiv.create(branch_guid=KYIV).status_code == 200
    for branch in (LVIV, ODESA, NOWHERE):
        response = kyiv.create(branch_guid=branch, login=f"{branch}@x.com")
        assert (response.status_code, error_of(response)) == (400, "branch_guid: branch not found")
    assert kyiv.listed()["total"] == 2
    assert employee(client, "A").listed()["total"] == 2


def test_a_branch_employee_cannot_move_a_customer_out_of_its_branch(client, customers):
    _, guid = customers["A-kyiv"]
    response = employee(client, "kyiv").update(guid, branch_guid=LVIV)
    assert (response.status_code, error_of(response)) == (400, "branch_guid: branch not found")
    assert employee(client, "A").customer(guid)["branch_guid"] == KYIV


def test_the_unassigned_employee_uses_only_its_counterparty_branches(client, customers):
    a = employee(client, "A")
    _, guid = customers["A-unbranched"]
    for response in (a.create(branch_guid=ODESA), a.update(guid, branch_guid=ODESA)):
        assert (response.status_code, error_of(response)) == (400, "branch_guid: branch not found")
    assert a.update(guid, branch_guid=LVIV).status_code == 200
    assert a.customer(guid)["branch_guid"] == LVIV
