"""Create, update and read customers and their accounts, through the API."""

from __future__ import annotations

import pytest

from tests.harness import stored_records
from tests.prozora.client import (
    IBANS,
    KYIV,
    LVIV,
    UAH_A,
    UAH_TYPE_A,
    USDC_A,
    A,
    error_of,
    path,
)


def test_create_returns_the_first_account_and_a_separate_customer_guid(prozora):
    created = prozora.created(login="olena@example.com", name="Olena", surname="Shevchenko",
                              iban="DE89 3704 0044 0532 0130 00")
    assert created["guid"] == created["wallet_account_guid"] != created["customer_guid"]
    assert created == {
        "activated": True, "registered": True, "blocked": False, "assets_total": 1,
        "assets": [{"activated": True, "balance": 0, "code": "UAH", "minor_unit": 2, "name": "Digital hryvnia",
                    "platform": "", "stellar_code": "UAH", "stellar_issuer": UAH_A}],
        "customer_guid": created["customer_guid"], "guid": created["guid"], "iban": "DE89370400440532013000",
        "name": "Olena Shevchenko", "platform": "", "type": UAH_TYPE_A,
        "wallet_account_guid": created["guid"],
    }


def test_a_created_customer_is_listed_with_its_fields_and_defaults(prozora, sandbox):
    created = prozora.created(login="taras@example.com", name="Taras", balance_allowed=12.34,
                              phone_number="+380501234567", segment="PL")
    customer = prozora.customer(created["customer_guid"])
    assert customer == {
        "wallet_user_guid": created["customer_guid"], "counterparty_guid": A, "login": "taras@example.com",
        "name": "Taras", "surname": None, "paternal_name": None, "phone_number": "+380501234567", "kyc_level": 0,
        "is_disabled": False, "balance_allowed": 12.34, "balance_asset_code": None, "balance_asset_issuer": None,
        "branch_guid": None, "segment": "PL", "status": "active",
        "created_at": customer["created_at"], "updated_at": customer["created_at"],
    }
    assert customer["created_at"].endswith("Z")


def test_the_same_seed_gives_the_same_guids_after_a_reset(prozora, sandbox):
    first = prozora.created(login="x@example.com")
    sandbox.reset()
    assert prozora.created(login="y@example.com")["customer_guid"] == first["customer_guid"]


def test_an_unknown_customer_is_absent_from_the_list(prozora):
    assert prozora.listed(wallet_user_guids="00000000-0000-4000-8000-000000000000") == {"customers": [], "total": 0}


# -- update --------------------------------------------------------------------------------
def test_update_changes_only_the_fields_given_and_moves_updated_at(prozora, sandbox):
    guid = prozora.created(login="u@example.com", name="Old", kyc_level=1, segment="PL")["customer_guid"]
    before = prozora.customer(guid)
    sandbox.clock.advance(60)
    response = prozora.update(guid, name="New", kyc_level=3, is_disabled=True, balance_allowed=5, branch_guid=LVIV,
                              status="blocked", wallet_user_guid=guid, segment=None)
    assert (response.status_code, response.get_json()) == (200, {})
    after = prozora.customer(guid)
    assert after == {**before, "name": "New", "kyc_level": 3, "is_disabled": True, "balance_allowed": 5,
                     "branch_guid": LVIV, "status": "blocked", "updated_at": after["updated_at"]}
    assert after["updated_at"] > before["updated_at"]


@pytest.mark.parametrize("immutable", [{"login": "other@example.com"}, {"iban": IBANS[1]}, {"asset_code": "USDC"},
                                       {"asset_issuer": USDC_A}])
def test_login_iban_and_asset_cannot_change(prozora, immutable):
    guid = prozora.created(login="same@example.com", iban=IBANS[0])["customer_guid"]
    before = prozora.customer(guid)
    response = prozora.update(guid, **immutable)
    assert (response.status_code, error_of(response)) == (400, f"{next(iter(immutable))}: unknown field")
    assert prozora.customer(guid) == before


def test_update_refuses_another_wallet_user_guid(prozora):
    guid = prozora.created()["customer_guid"]
    other = prozora.created()["customer_guid"]
    response = prozora.update(guid, wallet_user_guid=other, name="X")
    assert (response.status_code, error_of(response)) == (
        400, "wallet_user_guid: wallet_user_guid does not match the path")
    assert prozora.customer(guid)["name"] is None


# -- accounts --------------------------------------------------------------------------------
def test_added_accounts_are_listed_with_the_iban_filter_and_total(prozora):
    created = prozora.created(iban=IBANS[0], name="Ivan")
    guid = created["customer_guid"]
    second = prozora.add_account(guid, iban="GB29 NWBK 6016 1331 9268 19")
    third = prozora.add_account(guid)
    assert second.status_code == third.status_code == 200
    assert set(second.get_json()) == {"wallet_account_guid"}
    listed = prozora.accounts(guid).get_json()
    assert listed["total"] == 3
    assert [a["wallet_account_guid"] for a in listed["accounts"]] == [
        created["guid"], second.get_json()["wallet_account_guid"], third.get_json()["wallet_account_guid"]]
    assert [a["iban"] for a in listed["accounts"]] == [IBANS[0], IBANS[2], ""]
    assert listed["accounts"][0] == created
    only = prozora.accounts(guid, iban="gb29nwbk60161331926819").get_json()
    assert (only["total"], [a["iban"] for a in only["accounts"]]) == (1, [IBANS[2]])
    assert prozora.accounts(guid, iban=IBANS[3]).get_json() == {"accounts": [], "total": 0}


def test_an_iban_belongs_to_one_account_of_the_counterparty(prozora, sandbox):
    guid = prozora.created(iban=IBANS[0])["customer_guid"]
    before = stored_records(sandbox)
    for response in (prozora.add_account(guid, iban=IBANS[0]), prozora.create(iban=IBANS[0], login="new@x.com")):
        assert (response.status_code, error_of(response)) == (400, "iban: iban is already in use")
    # The customer of the refused create is not stored either: create is all or nothing.
    assert stored_records(sandbox) == before
    assert prozora.listed(logins="new@x.com")["total"] == 0


def test_a_login_is_unique_in_the_counterparty_case_insensitively(prozora, prozora_b):
    prozora.created(login="Dup@Example.com")
    response = prozora.create(login="dup@example.com")
    assert response.status_code == 400
    assert error_of(response) == ('failed to create wallet user: failed to sign up: response status code is not 2xx '
                                  'but 409; error was "{\\"error\\":\\"logic error\\"}\\n"')
    assert prozora_b.create(login="dup@example.com").status_code == 200  # another counterparty: its own logins


# -- authorization -----------------------------------------------------------------------------
@pytest.mark.parametrize("header", [None, "", "bearer", "bearer nope", "Basic prozora-sandbox-token",
                                    "prozora-sandbox-token"])
def test_without_a_known_bearer_token_every_call_is_unauthorized(client, header):
    headers = {} if header is None else {"Authorization": header}
    for method, url in (("get", path(A)), ("post", path(A)), ("put", path(A, KYIV)),
                        ("get", path(A, KYIV, "accounts")), ("post", path(A, KYIV, "accounts"))):
        response = client.open(url, method=method.upper(), json={}, headers=headers)
        assert (response.status_code, error_of(response)) == (401, "Access credentials are invalid")


@pytest.mark.parametrize("scheme", ["bearer", "Bearer", "BEARER"])
def test_the_bearer_scheme_is_case_insensitive(client, scheme):
    response = client.get(path(A), headers={"Authorization": f"{scheme} prozora-sandbox-token"})
    assert response.status_code == 200


def test_a_malformed_counterparty_guid_is_a_bad_request(prozora):
    response = prozora.list(counterparty="not-a-guid")
    assert (response.status_code, error_of(response)) == (400, "counterparty_guid: invalid UUID format")


def test_a_malformed_customer_guid_is_a_bad_request(prozora):
    for response in (prozora.update("nope", name="x"), prozora.accounts("nope"), prozora.add_account("nope")):
        assert (response.status_code, error_of(response)) == (400, "customer_guid: invalid UUID format")
