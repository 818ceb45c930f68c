"""Every validation error of Prozora's customer calls: the status, the
`{"error": "<field>: <message>"}` body, and nothing stored."""

from __future__ import annotations

import pytest

from tests.harness import stored_records
from tests.prozora.client import NOWHERE, UAH_A, UAH_B, USDC_A, A, error_of, path

BAD_CRC = UAH_A[:-1] + ("A" if UAH_A[-1] != "A" else "B")

CREATE_ERRORS = [
    ({"asset_code": None}, "asset_code: field is required"),
    ({"asset_issuer": None}, "asset_issuer: field is required"),
    ({"asset_code": "EUR"}, "asset_code: asset is not available for the counterparty"),
    ({"asset_code": "USDC"}, "asset_issuer: asset is not available for the counterparty"),  # UAH's issuer
    ({"asset_issuer": UAH_B}, "asset_issuer: asset is not available for the counterparty"),  # B's issuer
    ({"asset_code": "UAH!"}, "asset_code: invalid value"),
    ({"asset_issuer": BAD_CRC}, "asset_issuer: invalid stellar account id"),
    ({"asset_issuer": "G" + "A" * 55}, "asset_issuer: invalid stellar account id"),
    ({"asset_issuer": UAH_A.lower()}, "asset_issuer: invalid stellar account id"),
    ({"balance_asset_issuer": "SBAD"}, "balance_asset_issuer: invalid stellar account id"),
    ({"balance_asset_code": "EUR"}, "balance_asset_code: asset is not available for the counterparty"),
    ({"kyc_level": -1}, "kyc_level: must not be negative"),
    ({"kyc_level": "1"}, "kyc_level: invalid value"),
    ({"kyc_level": 1.5}, "kyc_level: invalid value"),
    ({"balance_allowed": -0.01}, "balance_allowed: must not be negative"),
    ({"balance_allowed": "10"}, "balance_allowed: invalid value"),
    ({"balance_allowed": 1234567890.1234567}, "balance_allowed: too many digits"),
    ({"is_disabled": "true"}, "is_disabled: invalid value"),
    ({"iban": "DE89 3704 0044 0532 0130 01"}, "iban: invalid IBAN"),
    ({"iban": "XX00"}, "iban: invalid IBAN"),
    ({"branch_guid": "kyiv"}, "branch_guid: invalid UUID format"),
    # a GUID is the document's format: uuid, 8-4-4-4-12 (google/uuid's other spellings are refused)
    ({"branch_guid": "ae8051f5da84468ba635643e363b5cd9"}, "branch_guid: invalid UUID format"),
    ({"branch_guid": "{ae8051f5-da84-468b-a635-643e363b5cd9}"}, "branch_guid: invalid UUID format"),
    ({"branch_guid": "urn:uuid:ae8051f5-da84-468b-a635-643e363b5cd9"}, "branch_guid: invalid UUID format"),
    ({"branch_guid": NOWHERE}, "branch_guid: branch not found"),
    ({"name": ""}, "name: invalid value"),
    ({"name": " \u3000\x1f"}, "name: invalid value"),  # only whitespace (U+001F counts, as for str.strip)
    ({"name": "x" * 257}, "name: invalid value"),
    ({"login": 5}, "login: invalid value"),
    ({"email": "a@b.c"}, "email: unknown field"),
    ({"guid": NOWHERE}, "guid: unknown field"),
]


@pytest.mark.parametrize(("fields", "message"), CREATE_ERRORS, ids=[m for _, m in CREATE_ERRORS])
def test_create_errors(client, prozora, sandbox, fields, message):
    body = {"asset_code": "UAH", "asset_issuer": UAH_A, **fields}
    before = stored_records(sandbox)
    response = client.post(path(A), json={k: v for k, v in body.items() if v is not None}, headers=prozora.headers())
    assert (response.status_code, error_of(response)) == (400, message)
    assert stored_records(sandbox) == before


def test_a_body_that_is_not_an_object(client, prozora):
    response = client.post(path(A), data="[1]", content_type="application/json", headers=prozora.headers())
    assert (response.status_code, error_of(response)) == (400, "invalid request body")


UPDATE_ERRORS = [
    ({"kyc_level": -3}, "kyc_level: must not be negative"),
    ({"balance_asset_code": "XYZ"}, "balance_asset_code: asset is not available for the counterparty"),
    ({"balance_asset_issuer": BAD_CRC}, "balance_asset_issuer: invalid stellar account id"),
    ({"branch_guid": "1"}, "branch_guid: invalid UUID format"),
    ({"wallet_user_guid": "me"}, "wallet_user_guid: invalid UUID format"),
    ({"status": ""}, "status: invalid value"),
    ({"login": "x@y.z"}, "login: unknown field"),
]


@pytest.mark.parametrize(("fields", "message"), UPDATE_ERRORS, ids=[m for _, m in UPDATE_ERRORS])
def test_update_errors(prozora, fields, message):
    guid = prozora.created(login="kept@example.com", kyc_level=1)["customer_guid"]
    before = prozora.customer(guid)
    response = prozora.update(guid, **fields)
    assert (response.status_code, error_of(response)) == (400, message)
    assert prozora.customer(guid) == before


def test_an_unknown_customer_is_not_found_on_every_customer_path(prozora, sandbox):
    before = stored_records(sandbox)
    for response in (prozora.update(NOWHERE, name="x"), prozora.add_account(NOWHERE), prozora.accounts(NOWHERE)):
        assert (response.status_code, error_of(response)) == (404, "customer_guid: customer not found")
    assert stored_records(sandbox) == before


def test_add_account_errors(prozora, sandbox):
    guid = prozora.created()["customer_guid"]
    before = stored_records(sandbox)
    for body, message in (({"iban": "GB00 NWBK 6016 1331 9268 19"}, "iban: invalid IBAN"),
                          ({"asset_code": "UAH"}, "asset_code: unknown field"),
                          ({"iban": 12}, "iban: invalid value")):
        response = prozora.add_account(guid, **body)
        assert (response.status_code, error_of(response)) == (400, message)
    assert stored_records(sandbox) == before


QUERY_ERRORS = [
    ({"limit": "-1"}, "limit: must not be negative"),
    ({"offset": "-5"}, "offset: must not be negative"),
    ({"limit": "1001"}, "limit: limit is too large"),
    ({"offset": str(2**31)}, "offset: limit is too large"),
    ({"limit": "ten"}, "limit: invalid value"),
    ({"ordering": "name"}, "ordering: invalid value"),
    ({"kyc_levels": "1,-1"}, "kyc_levels: must not be negative"),
    ({"kyc_levels": "one"}, "kyc_levels: invalid value"),
    ({"wallet_user_guids": f"{NOWHERE},nope"}, "wallet_user_guids: invalid UUID format"),
    ({"branch_guids": "nope"}, "branch_guids: invalid UUID format"),
    ({"is_disabled": "maybe"}, "is_disabled: invalid value"),
    ({"min_balance_allowed": "NaN"}, "min_balance_allowed: invalid value"),
    ({"max_balance_allowed": "lots"}, "max_balance_allowed: invalid value"),
    ({"min_created_at": "yesterday"}, "min_created_at: invalid date, expected ISO 8601"),
    ({"max_created_at": "2026-13-01"}, "max_created_at: invalid date, expected ISO 8601"),
    ({"min_updated_at": "2026-01-01T25:00"}, "min_updated_at: invalid date, expected ISO 8601"),
    ({"max_updated_at": "1/2/2026"}, "max_updated_at: invalid date, expected ISO 8601"),
    # a date or an RFC 3339 date-time (the document's anyOf date / date-time), nothing else ISO 8601 allows
    ({"min_created_at": "2026-01-01T10:00:00"}, "min_created_at: invalid date, expected ISO 8601"),
    ({"min_created_at": "20260101"}, "min_created_at: invalid date, expected ISO 8601"),
    ({"min_created_at": "2026-01-01 10:00:00Z"}, "min_created_at: invalid date, expected ISO 8601"),
    ({"min_created_at": "２０２６-01-01"}, "min_created_at: invalid date, expected ISO 8601"),
    ({"wallet_user_guids": NOWHERE.replace("-", "")}, "wallet_user_guids: invalid UUID format"),
    # one value of a key is at most 256 characters, commas included (the document's item maxLength)
    ({"logins": "a," * 129}, "logins: invalid value"),
    ({"page": "1"}, "page: unknown field"),
]


@pytest.mark.parametrize(("query", "message"), QUERY_ERRORS, ids=[m for _, m in QUERY_ERRORS])
def test_list_query_errors(prozora, query, message):
    response = prozora.list(**query)
    assert (response.status_code, error_of(response)) == (400, message)


@pytest.mark.parametrize("bound", ["2026-01-01", "2026-01-01T10:00:00Z", "2026-01-01t10:00:00.123456789z",
                                   "2026-01-01T10:00:00+05:30", "2016-12-31T23:59:60Z"])
def test_every_rfc3339_time_bound_is_taken(prozora, bound):
    guid = prozora.created(login="bound@example.com")["customer_guid"]
    assert prozora.listed(max_created_at=bound)["total"] == 0
    assert prozora.listed(min_created_at=bound)["customers"][0]["wallet_user_guid"] == guid


def test_a_malformed_path_guid_is_refused_before_any_lookup(client, prozora):
    for counterparty in ("0", A.replace("-", ""), f"{{{A}}}"):
        response = client.get(path(counterparty), headers=prozora.headers())
        assert (response.status_code, error_of(response)) == (400, "counterparty_guid: invalid UUID format")
    response = prozora.accounts(NOWHERE.upper()[:-1])
    assert (response.status_code, error_of(response)) == (400, "customer_guid: invalid UUID format")
    # upper case is a GUID too
    assert prozora.accounts(NOWHERE.upper()).status_code == 404


def test_the_accounts_query_takes_only_iban(prozora):
    guid = prozora.created()["customer_guid"]
    response = prozora.accounts(guid, limit="5")
    assert (response.status_code, error_of(response)) == (400, "limit: unknown field")


def test_every_issuer_in_the_scenario_is_a_valid_stellar_account():
    from stellar_sdk import StrKey

    assert all(StrKey.is_valid_ed25519_public_key(key) for key in (UAH_A, USDC_A, UAH_B))
    assert not StrKey.is_valid_ed25519_public_key(BAD_CRC)
