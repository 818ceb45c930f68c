"""Bad input P100 once accepted (issue #17), each class refused over HTTP
with 400 P403 in P100's envelope and nothing stored; and two fidelity fixes
(Retrieve Rate for a user's pair, Get Network Fee's limits)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from sandbox.core.runtime import sandbox_of
from tests.harness import stored_records
from tests.p100.client import user_body
from tests.p100.test_onboarding import error

ARABIC_TEN, FULLWIDTH_TEN = "١٠", "１０"  # ten in Arabic-Indic and fullwidth digits
NOT_ASCII = [ARABIC_TEN, FULLWIDTH_TEN, "1٠.5", "٠.١"]


def refused(response, field: str, code: str = "P403") -> None:
    status, answered, message = error(response)
    assert (status, answered) == (400, code) and field in message, (status, answered, message)


@pytest.fixture
def funded(p100):
    p100.verified_user("kate")
    p100.deposit_fiat("kate", "500.00")
    return p100


def money_state(p100) -> tuple:
    return p100.balances("kate"), p100.partner_balances(), p100.history("kate")["total"]


@pytest.mark.parametrize("amount", NOT_ASCII)
def test_money_in_other_scripts_digits_moves_nothing(funded, app, amount):
    p100 = funded
    before, records = money_state(p100), stored_records(sandbox_of(app))
    iban = "DE89370400440532013000"
    for path, body in (
            ("/v1/transfer", {"destinationExternalUserId": "kate", "currency": "eur", "amount": amount}),
            ("/v1/transfer", {"sourceExternalUserId": "kate", "currency": "eur", "amount": amount}),
            ("/v1/sepa-transfer", {"sourceExternalUserId": "kate", "currency": "eur", "amount": amount,
                                   "destinationIban": iban, "transferTitle": "Rent"}),
            ("/v1/crypto-withdrawal", {"sourceExternalUserId": "kate", "currency": "btc", "amount": amount,
                                       "walletAddress": "tb1q", "name": "Kate", "walletType": "CUSTODIAL",
                                       "receiverType": "NATURAL"})):
        refused(p100.post(path, body), "amount")
    refused(p100.control("POST", "/users/kate/fiat-deposits", {"amount": amount}), "amount")
    refused(p100.control("POST", "/users/kate/crypto-deposits", {"currency": "btc", "amount": amount}), "amount")
    refused(p100.control("PUT", "/partner/balances", {"balances": {"eur": amount}}), "balances")
    refused(p100.get("/v1/exchange/get-rate", query_string={"currencyFrom": "eur", "currencyTo": "btc",
                                                            "amount": amount}), "amount")
    assert money_state(p100) == before and stored_records(sandbox_of(app)) == records
    # the same amount in ASCII digits moves money (the refusal is the digits', not the amount's)
    assert p100.post("/v1/transfer", {"destinationExternalUserId": "kate", "currency": "eur",
                                      "amount": "10"}).status_code == 201


def test_an_amount_with_a_trailing_newline_or_sign_is_refused(funded):
    for amount in ("10\n", "+10", " 10", "1e1", "10."):
        refused(funded.post("/v1/transfer", {"destinationExternalUserId": "kate", "currency": "eur",
                                             "amount": amount}), "amount")


@pytest.mark.parametrize("page", [ARABIC_TEN, FULLWIDTH_TEN, "1_0", " 1"])
def test_a_page_in_other_digits_is_refused(funded, page):
    refused(funded.get("/v1/user/transactions/kate", query_string={"page": page}), "page")
    refused(funded.get("/v1/user/transactions/kate", query_string={"limit": page}), "limit")


@pytest.mark.parametrize("external_user_id", ["../ada", "a/b", "a\\b", ".", "..", "/", "crypto-and-fiat",
                                              "verification"])
def test_an_external_user_id_no_path_could_reach_is_refused_and_not_stored(p100, app, external_user_id):
    records = stored_records(sandbox_of(app))
    refused(p100.post("/v1/user/balances/crypto-and-fiat", user_body(external_user_id)), "externalUserId")
    assert stored_records(sandbox_of(app)) == records


def test_an_unusual_but_addressable_id_is_reached_on_every_path(p100, client):
    for external_user_id in ("ada.nowak", "a b", "zoë", "100%", "a?b#c"):
        p100.create_user(external_user_id, email="odd@example.pl")
        path = quote(external_user_id, safe="")
        assert p100.get(f"/v1/user/balances/{path}").get_json()["fiatBalances"][0]["status"] == \
            "WAITING_TO_BE_ACTIVATED", external_user_id
        assert p100.delete(f"/v1/user/{path}").status_code == 200, external_user_id


@pytest.mark.parametrize("phone", ["٤٨٦٠١٢٣٣٤٥٦٧", "４８６０１２３３４５６７", "48 601 233 456", "486012334567\n",
                                   "+", "1234", "1234567890123456", "phone"])
def test_a_phone_not_in_ascii_digits_is_refused_on_create_and_update(p100, app, phone):
    records = stored_records(sandbox_of(app))
    refused(p100.post("/v1/user/balances/crypto-and-fiat", user_body("kate", phone=phone)), "phone")
    assert stored_records(sandbox_of(app)) == records
    p100.create_user("ola", phone="486012334567")
    refused(p100.patch("/v1/user", {"externalUserId": "ola", "phone": phone}), "phone")
    assert p100.patch("/v1/user", {"externalUserId": "ola"}).get_json()["phone"] == "486012334567"


def test_phones_as_documented_are_taken(p100):
    p100.create_user("ola", phone="+48601233456")
    assert p100.patch("/v1/user", {"externalUserId": "ola", "phone": "486012334567"}).get_json()["phone"] == \
        "486012334567"


@pytest.mark.parametrize("field", ["country", "citizenship", "nationality", "birthCountry"])
@pytest.mark.parametrize("code", ["XX", "ZZ", "pl", "EU", "ＰＬ"])
def test_a_country_iso_does_not_know_is_refused(p100, app, field, code):
    records = stored_records(sandbox_of(app))
    refused(p100.post("/v1/user/balances/crypto-and-fiat", user_body("kate", **{field: code})), field)
    assert stored_records(sandbox_of(app)) == records


def test_a_kyc_verification_in_a_country_that_is_not_one_is_refused(p100, app):
    p100.create_user("kate")
    records = stored_records(sandbox_of(app))
    refused(p100.post("/v1/kyc", {"externalUserId": "kate", "documentType": "PASSPORT", "country": "XX",
                                  "incomeSource": "BUSINESS_ACTIVITY", "openAccountReason": "DAILY_USE",
                                  "taxId": "PL1"}), "country")
    assert stored_records(sandbox_of(app)) == records
    assert error(p100.get("/v1/kyc/status/kate"))[:2] == (404, "P445")


@pytest.mark.parametrize("path, query, repeated", [
    ("/v1/exchange/get-rate", "currencyFrom=eur&currencyTo=btc&amount=10&amount=-5", "amount"),
    ("/v1/exchange/get-rate", "currencyFrom=eur&currencyFrom=btc&currencyTo=btc&amount=10", "currencyFrom:P410"),
    ("/v1/exchange/get-lock", "externalUserId=kate&currencyFrom=eur&currencyTo=btc&amount=10&amount=-5", "amount"),
    ("/v1/exchange/get-lock", "externalUserId=kate&externalUserId=ada&currencyFrom=eur&currencyTo=btc&amount=10",
     "externalUserId"),
    ("/v1/crypto-withdrawal/get-network-fee", "currency=btc&currency=usdc", "currency:P410"),
    ("/v1/crypto-withdrawal/get-network-fee", "currency=usdc&network=polygon&network=ethereum", "network"),
    ("/v1/user/transactions/kate", "page=1&page=2", "page"),
])
def test_a_repeated_query_parameter_is_refused_in_p100s_envelope(funded, client, path, query, repeated):
    """P403 naming the field (P410, a currency's own code, for a currency)."""
    before = money_state(funded)
    field, _, code = repeated.partition(":")
    refused(client.get(f"/p100{path}?{query}", headers=funded.headers), field, code or "P403")
    assert money_state(funded) == before


# -- fidelity ---------------------------------------------------------------------------------------------
def test_retrieve_rate_takes_the_users_pair_as_documented(p100, other):
    p100.create_user("kate")
    query = {"currencyFrom": "btc", "currencyTo": "eur", "amount": "0.5"}
    anyone = p100.get("/v1/exchange/get-rate", query_string=query)
    kates = p100.get("/v1/exchange/get-rate", query_string={**query, "externalUserId": "kate"})
    assert kates.status_code == 200 and kates.get_json() == anyone.get_json()
    assert error(p100.get("/v1/exchange/get-rate", query_string={**query, "externalUserId": "nobody"}))[:2] == (
        400, "P412")
    assert error(other.get("/v1/exchange/get-rate", query_string={**query, "externalUserId": "kate"}))[:2] == (
        400, "P412")  # another key's user is nobody here


def test_get_network_fee_gives_the_withdrawal_limits(p100):
    for currency, network, fee, minimum in (("usdc", None, 10, 1), ("usdc", "polygon", 0.5, 2),
                                            ("eth", None, 0.003, 0.0006), ("ltc", None, 0.002, 0.001)):
        query = {"currency": currency, **({"network": network} if network else {})}
        answer = p100.get("/v1/crypto-withdrawal/get-network-fee", query_string=query).get_json()
        assert answer == {"networkFee": fee, "currency": currency, "network": network or answer["network"],
                          "feeWithdrawal": fee, "minWithdrawal": minimum}
    assert p100.get("/v1/crypto-withdrawal/get-network-fee", query_string={"currency": "usdc"}).get_json()[
        "network"] == "ethereum"
