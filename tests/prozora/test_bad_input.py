"""Bad input Prozora refuses (issue #17), one test per class, over HTTP:
control characters in any text, numbers in the query in other than ASCII
digits, values that cannot exist (a balance finer than its asset, a status
outside its values, a phone number that is none), a query parameter given
twice where it has one value. Each answers 400 in Prozora's envelope and
stores nothing."""

from __future__ import annotations

import json

import pytest

from sandbox.app import create_app
from sandbox.config import Config
from sandbox.core.runtime import sandbox_of
from sandbox.core.scenario import ScenarioError
from tests.harness import stored_records
from tests.prozora.client import IBANS, UAH_A, USDC_A, A, ProzoraClient, customer_body, error_of, path

#: a control character of each kind: NUL, a tab, a line break, ESC, DEL
CONTROLS = ["\x00", "\t", "\n", "\x1b", "\x7f"]
TEXT_FIELDS = ["name", "surname", "paternal_name", "login", "segment"]
TOO_FINE = "too many decimal places for the asset"


@pytest.mark.parametrize("control", CONTROLS, ids=repr)
@pytest.mark.parametrize("field", [*TEXT_FIELDS, "phone_number", "iban"])
def test_a_control_character_in_a_created_customers_text_is_refused(client, prozora, sandbox, field, control):
    value = {"phone_number": "+380501234567", "iban": IBANS[0]}.get(field, "Olena")
    before = stored_records(sandbox)
    response = client.post(path(A), json=customer_body(**{field: value[:3] + control + value[3:]}),
                           headers=prozora.headers())
    assert (response.status_code, error_of(response)) == (400, f"{field}: control characters are not allowed")
    assert stored_records(sandbox) == before


@pytest.mark.parametrize("field", ["name", "surname", "paternal_name", "segment", "phone_number", "status"])
def test_a_control_character_in_an_update_is_refused_and_changes_nothing(prozora, field):
    guid = prozora.created(login="kept@example.com", name="Olena", status="pending")["customer_guid"]
    before = prozora.customer(guid)
    value = {"phone_number": "+380501234567", "status": "active"}.get(field, "Olena")
    response = prozora.update(guid, **{field: value + "\x00"})
    # status takes one of its values: with a NUL it is none of them
    message = "invalid value" if field == "status" else "control characters are not allowed"
    assert (response.status_code, error_of(response)) == (400, f"{field}: {message}")
    assert prozora.customer(guid) == before


@pytest.mark.parametrize(("query", "field"), [({"search_string": "ol\x00"}, "search_string"),
                                              ({"logins": "a@b.c,x\x1by"}, "logins"),
                                              ({"names": "Olena\n"}, "names"),
                                              ({"segments": "P\tL"}, "segments")])
def test_a_control_character_in_a_query_is_refused(prozora, query, field):
    prozora.created(name="Olena", login="olena@example.com")
    response = prozora.list(**query)
    assert (response.status_code, error_of(response)) == (400, f"{field}: control characters are not allowed")


def test_a_control_character_in_the_accounts_iban_filter_is_refused(prozora):
    guid = prozora.created(iban=IBANS[0])["customer_guid"]
    response = prozora.accounts(guid, iban=IBANS[0] + "\x00")
    assert (response.status_code, error_of(response)) == (400, "iban: control characters are not allowed")
    assert prozora.accounts(guid, iban=IBANS[0]).get_json()["total"] == 1


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_lone_surrogate_in_a_created_text_is_refused(client, prozora, sandbox, field):
    """JSON can escape half of a UTF-16 pair ("\\ud800"): no text, and nothing UTF-8 can store. Core reads such a
    body as malformed (orjson's reading) in every provider, so Prozora answers as for any unreadable body."""
    before = stored_records(sandbox)
    body = json.dumps(customer_body(**{field: "Ol\ud800ena"}))
    response = client.post(path(A), data=body, content_type="application/json", headers=prozora.headers())
    assert (response.status_code, error_of(response)) == (400, "invalid request body")
    assert stored_records(sandbox) == before


@pytest.mark.parametrize("field", ["name", "surname", "paternal_name", "segment"])
def test_a_lone_surrogate_in_an_update_is_refused(client, prozora, field):
    guid = prozora.created(name="Olena")["customer_guid"]
    before = prozora.customer(guid)
    response = client.put(path(A, guid), data=json.dumps({field: "\udc00"}), content_type="application/json",
                          headers=prozora.headers())
    assert (response.status_code, error_of(response)) == (400, "invalid request body")
    assert prozora.customer(guid) == before


#: "1" in Arabic-Indic, Devanagari and fullwidth digits: int() and Decimal() read each as 1
NOT_ASCII_ONE = ["\u0661", "\u0967", "\uff11"]


@pytest.mark.parametrize("one", NOT_ASCII_ONE, ids=ascii)
@pytest.mark.parametrize("param", ["kyc_levels", "limit", "offset", "min_balance_allowed", "max_balance_allowed"])
def test_a_number_in_the_query_takes_ascii_digits_only(prozora, param, one):
    prozora.created(kyc_level=1, balance_allowed=1)
    response = prozora.list(**{param: one})
    assert (response.status_code, error_of(response)) == (400, f"{param}: invalid value")


def test_the_same_numbers_in_ascii_digits_filter(prozora):
    level_one = prozora.created(kyc_level=1, balance_allowed=10)["customer_guid"]
    prozora.created(kyc_level=2, balance_allowed=0.5)
    for query in ({"kyc_levels": "1"}, {"min_balance_allowed": "1"}, {"max_balance_allowed": "+10.00", "limit": "1"},
                  {"offset": "1", "ordering": "created_at_desc"}):
        assert [c["wallet_user_guid"] for c in prozora.listed(**query)["customers"]] == [level_one], query


@pytest.mark.parametrize("amount", ["1e1", "1.", ".5", "0x10", "1_0", "Infinity", " 1"])
def test_a_query_amount_is_a_plain_decimal(prozora, amount):
    response = prozora.list(min_balance_allowed=amount)
    assert (response.status_code, error_of(response)) == (400, "min_balance_allowed: invalid value")


# -- values that cannot exist ------------------------------------------------------------------------
@pytest.mark.parametrize("amount", [0.001, 12.345, 1e-10, 1.005])
def test_a_balance_finer_than_its_asset_is_refused(client, prozora, sandbox, amount):
    before = stored_records(sandbox)
    response = prozora.create(balance_allowed=amount)
    assert (response.status_code, error_of(response)) == (400, f"balance_allowed: {TOO_FINE}")
    assert stored_records(sandbox) == before
    guid = prozora.created(balance_allowed=12.34)["customer_guid"]
    listed = prozora.customer(guid)
    response = prozora.update(guid, balance_allowed=amount)
    assert (response.status_code, error_of(response)) == (400, f"balance_allowed: {TOO_FINE}")
    assert prozora.customer(guid) == listed
    assert prozora.update(guid, balance_allowed=12.5).status_code == 200
    assert prozora.customer(guid)["balance_allowed"] == 12.5


NOT_AVAILABLE = "asset is not available for the counterparty"


@pytest.mark.parametrize("balance", [{"balance_asset_code": "UAH", "balance_asset_issuer": USDC_A},
                                     {"balance_asset_issuer": USDC_A},  # the customer's asset is UAH
                                     {"balance_asset_code": "USDC", "balance_asset_issuer": UAH_A}])
def test_a_balance_asset_with_another_assets_issuer_is_refused(prozora, sandbox, balance):
    before = stored_records(sandbox)
    response = prozora.create(**balance)
    assert (response.status_code, error_of(response)) == (400, f"balance_asset_issuer: {NOT_AVAILABLE}")
    assert stored_records(sandbox) == before
    guid = prozora.created()["customer_guid"]
    response = prozora.update(guid, **balance)
    assert (response.status_code, error_of(response)) == (400, f"balance_asset_issuer: {NOT_AVAILABLE}")
    assert prozora.customer(guid)["balance_asset_issuer"] is None


def test_a_balance_asset_changes_with_its_issuer(prozora):
    guid = prozora.created(balance_asset_code="UAH", balance_asset_issuer=UAH_A)["customer_guid"]
    before = prozora.customer(guid)
    response = prozora.update(guid, balance_asset_code="USDC")  # UAH's issuer stays: USDC has another
    assert (response.status_code, error_of(response)) == (400, f"balance_asset_code: {NOT_AVAILABLE}")
    assert prozora.customer(guid) == before
    assert prozora.update(guid, balance_asset_code="USDC", balance_asset_issuer=USDC_A).status_code == 200
    after = prozora.customer(guid)
    assert (after["balance_asset_code"], after["balance_asset_issuer"]) == ("USDC", USDC_A)
    assert prozora.created(balance_asset_issuer=UAH_A)["customer_guid"]  # the customer's own asset's issuer


POINTS = """
prozora:
  counterparties:
    - id: 2a0b0c0d-0000-4000-8000-000000000001
      employee_token: tok-1
      assets:
        - {code: UAH, issuer: GAAACAQDAQCQMBYIBEFAWDANBYHRAEISCMKBKFQXDAMRUGY4DUPB7JZX}
        - {code: PTS, issuer: GCKLZLMYTLRBKM6BDZJYAKHDBSNCGBSN7EDF32FMIAYFAITLCB45ZJW4, minor_unit: 0}
"""


@pytest.fixture
def points(tmp_path):
    """An employee of a counterparty whose PTS asset has no minor unit (whole points only)."""
    scenario = tmp_path / "points.yaml"
    scenario.write_text(POINTS)
    app = create_app(Config(scenario=str(scenario)))
    yield ProzoraClient(app.test_client(), "tok-1", "2a0b0c0d-0000-4000-8000-000000000001")
    sandbox_of(app).close()


def test_the_balance_takes_the_places_of_its_own_asset(points):
    pts = {"asset_code": "PTS", "asset_issuer": "GCKLZLMYTLRBKM6BDZJYAKHDBSNCGBSN7EDF32FMIAYFAITLCB45ZJW4"}
    refused = points.client.post(path(points.counterparty), json={**pts, "balance_allowed": 1.5},
                                 headers=points.headers())
    assert (refused.status_code, error_of(refused)) == (400, f"balance_allowed: {TOO_FINE}")
    assert points.client.post(path(points.counterparty), json={**pts, "balance_allowed": 2},
                              headers=points.headers()).status_code == 200
    # a UAH customer whose balance is in PTS: whole points
    refused = points.create(balance_allowed=1.5, balance_asset_code="PTS")
    assert (refused.status_code, error_of(refused)) == (400, f"balance_allowed: {TOO_FINE}")
    # a balance of 10.50 UAH cannot become 10.50 PTS
    guid = points.created(balance_allowed=10.5)["customer_guid"]
    before = points.customer(guid)
    refused = points.update(guid, balance_asset_code="PTS")
    assert (refused.status_code, error_of(refused)) == (400, f"balance_asset_code: {TOO_FINE}")
    assert points.customer(guid) == before
    assert points.update(guid, balance_asset_code="PTS", balance_allowed=10).status_code == 200
    assert (points.customer(guid)["balance_asset_code"], points.customer(guid)["balance_allowed"]) == ("PTS", 10)
    assert points.listed()["total"] == 2


@pytest.mark.parametrize(("customer", "complaint"), [
    ("{asset: PTS, balance_allowed: 1.5}", "at most 0 decimal places"),
    ('{name: "Ol\\0ena"}', "must be printable text"),
    ('{surname: "\\ud800"}', "must be printable text"),
    ("{status: closed}", "Must be one of: active, pending, verified, blocked"),
    ('{phone_number: "+\u0663\u0668\u0660501234567"}', "must be a phone number"),
])
def test_a_scenario_customer_held_to_the_apis_rules(tmp_path, customer, complaint):
    scenario = tmp_path / "points.yaml"
    scenario.write_text(POINTS.replace("      assets:", f"      customers: [{customer}]\n      assets:"))
    with pytest.raises(ScenarioError, match=complaint):
        create_app(Config(scenario=str(scenario)))


@pytest.mark.parametrize("status", ["closed", "", "Active ", "deleted", "verified\x00"])
def test_a_status_outside_its_values_is_refused(prozora, sandbox, status):
    before = stored_records(sandbox)
    response = prozora.create(status=status)
    assert (response.status_code, error_of(response)) == (400, "status: invalid value")
    assert stored_records(sandbox) == before
    guid = prozora.created(status="pending")["customer_guid"]
    response = prozora.update(guid, status=status)
    assert (response.status_code, error_of(response)) == (400, "status: invalid value")
    assert prozora.customer(guid)["status"] == "pending"


@pytest.mark.parametrize("status", ["closed", "deleted", "actives"])
def test_a_status_filter_outside_its_values_is_refused(prozora, status):
    response = prozora.list(statuses=f"active,{status}")
    assert (response.status_code, error_of(response)) == (400, "statuses: invalid value")


def test_every_status_of_the_document_is_taken(prozora, client):
    document = client.get("/prozora/openapi.json").get_json()
    statuses = document["components"]["schemas"]["CreateCustomer"]["properties"]["status"]["enum"]
    assert statuses == ["active", "pending", "verified", "blocked"]
    guids = {status: prozora.created(status=status)["customer_guid"] for status in statuses}
    for status, guid in guids.items():
        assert prozora.customer(guid)["status"] == status
        assert [c["wallet_user_guid"] for c in prozora.listed(statuses=status)["customers"]] == [guid]


@pytest.mark.parametrize("phone", [
    "+\u0663\u0668\u0660\u0665\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667",  # Arabic-Indic digits
    "+\uff13\uff18\uff10501234567",  # fullwidth digits
    "+1-800-FLOWERS", "hello", "+380 12", "12", "+", "+380501234567890123", "++380501234567", "+380501234567 ext. 5",
])
def test_a_phone_number_that_is_none_is_refused(prozora, sandbox, phone):
    before = stored_records(sandbox)
    response = prozora.create(phone_number=phone)
    assert (response.status_code, error_of(response)) == (400, "phone_number: invalid phone number")
    assert stored_records(sandbox) == before
    guid = prozora.created()["customer_guid"]
    response = prozora.update(guid, phone_number=phone)
    assert (response.status_code, error_of(response)) == (400, "phone_number: invalid phone number")
    assert prozora.customer(guid)["phone_number"] is None


@pytest.mark.parametrize("phone", ["+380501234567", "+380 (50) 123-45-67", "0501234567", "+44 20 7946 0958",
                                   "+1.212.555.0123"])
def test_a_phone_number_is_kept_as_sent(prozora, phone):
    guid = prozora.created(phone_number=phone)["customer_guid"]
    assert prozora.customer(guid)["phone_number"] == phone
    assert prozora.listed(phone_numbers=phone)["total"] == 1


def test_an_iban_is_ascii_letters_digits_and_spaces(prozora, sandbox):
    before = stored_records(sandbox)
    arabic_zeros = "\u0660" * 3
    ideographic_space = "DE89\u30003704 0044 0532 0130 00"
    for iban in (ideographic_space, "DE89-3704-0044-0532-0130-00", f"DE89370400440532013{arabic_zeros}"):
        response = prozora.create(iban=iban)
        assert (response.status_code, error_of(response)) == (400, "iban: invalid IBAN"), iban
    assert stored_records(sandbox) == before
    assert prozora.created(iban="de89 3704 0044 0532 0130 00")["iban"] == "DE89370400440532013000"


# -- a query parameter given twice -----------------------------------------------------------------
def test_a_repeated_array_parameter_takes_every_value(client, prozora):
    one, two = (prozora.created(kyc_level=level)["customer_guid"] for level in (1, 2))
    prozora.created(kyc_level=3)
    repeated = client.get(f"{path(A)}?kyc_levels=1&kyc_levels=2", headers=prozora.headers()).get_json()
    assert [c["wallet_user_guid"] for c in repeated["customers"]] == [one, two]
    assert repeated == prozora.listed(kyc_levels="1,2") == prozora.listed(kyc_levels=["1", "2,1"])


@pytest.mark.parametrize("param", ["limit", "offset", "search_string", "is_disabled", "ordering", "min_created_at",
                                   "max_balance_allowed"])
def test_a_parameter_of_one_value_given_twice_is_refused(client, prozora, param):
    value = {"search_string": "ol", "is_disabled": "false", "ordering": "created_at_asc",
             "min_created_at": "2020-01-01"}.get(param, "1")
    response = client.get(f"{path(A)}?{param}={value}&{param}={value}", headers=prozora.headers())
    assert (response.status_code, error_of(response)) == (400, f"{param}: invalid value")


def test_the_accounts_iban_filter_given_twice_is_refused(client, prozora):
    guid = prozora.created(iban=IBANS[0])["customer_guid"]
    response = client.get(f"{path(A, guid, 'accounts')}?iban={IBANS[0]}&iban={IBANS[1]}", headers=prozora.headers())
    assert (response.status_code, error_of(response)) == (400, "iban: invalid value")


def test_the_document_says_text_is_printable_and_query_numbers_are_ascii(client):
    document = client.get("/prozora/openapi.json").get_json()
    create = document["components"]["schemas"]["CreateCustomer"]["properties"]
    for name in TEXT_FIELDS:
        assert create[name]["pattern"].startswith("^[^\\u0000-\\u001F\\u007F]*"), name
    listing = {p["name"]: p["schema"] for p in
               document["paths"]["/api/v1/counterparty/{counterparty_guid}/customers"]["get"]["parameters"]}
    assert listing["min_balance_allowed"]["pattern"] == "^[+-]?[0-9]+(?:\\.[0-9]+)?$"
    assert listing["search_string"]["pattern"] == "^[^\\x00-\\x1f\\x7f]*$"
    assert listing["statuses"]["items"]["enum"] == ["active", "pending", "verified", "blocked"]
