"""Managed accounts funded by the simulator, fees charged from them.
Balances and amounts are integers in minor units."""

from __future__ import annotations

from tests.weavr.client import WeavrClient, error_code

STATEMENT = "PRINTED_CARD_ACCOUNT_STATEMENT"  # EUR 150 for api-key 1 (fixtures/default.yaml)


def charge(weavr, account_id, fee_type=STATEMENT, kind="managed_accounts", **headers):
    return weavr.post("/consumers/fees/charge", {"feeType": fee_type, "source": {"type": kind, "id": account_id}},
                      **headers)


def deposit(weavr, account_id, amount, currency="EUR"):
    response = weavr.simulate(f"/accounts/{account_id}/deposit",
                              {"depositAmount": {"currency": currency, "amount": amount}})
    assert response.status_code == 200
    return response.get_json()["code"]


def test_deposits_by_account_id(weavr):
    account = weavr.onboard().open_account("EUR")
    assert deposit(weavr, account["id"], 1234) == "COMPLETED"
    assert deposit(weavr, account["id"], 0) == "DENIED_AMOUNT_NOT_POSITIVE"
    assert deposit(weavr, account["id"], 100, "GBP") == "DENIED_CURRENCY_NOT_ACCOUNT_CURRENCY"
    assert deposit(weavr, "99", 100) == "DENIED_ACCOUNT_NOT_FOUND"
    balance = weavr.balance(account["id"])
    assert balance == 1234 and isinstance(balance, int)


def test_deposits_by_bank_details(weavr):
    weavr.onboard()
    eur, gbp = weavr.open_account("EUR"), weavr.open_account("GBP")
    assert eur["iban"].startswith("DE") and gbp["iban"].startswith("GB") and len(gbp["accountNumber"]) == 8
    by_iban = weavr.simulate("/accounts/deposit", {"depositAmount": {"currency": "EUR", "amount": 500},
                                                   "destinationIbanDetails": {"iban": eur["iban"]}})
    assert by_iban.get_json() == {"code": "COMPLETED"}
    by_fps = weavr.simulate("/accounts/deposit", {
        "depositAmount": {"currency": "GBP", "amount": 700},
        "destinationFasterPaymentsDetails": {"sortCode": gbp["sortCode"], "accountNumber": gbp["accountNumber"]}})
    assert by_fps.get_json() == {"code": "COMPLETED"}
    nowhere = weavr.simulate("/accounts/deposit", {"depositAmount": {"currency": "EUR", "amount": 1}})
    assert nowhere.get_json() == {"code": "DENIED_ACCOUNT_NOT_FOUND"}
    assert (weavr.balance(eur["id"]), weavr.balance(gbp["id"])) == (500, 700)


def test_simulator_400_is_client_invalid_request(weavr):
    account = weavr.onboard().open_account("EUR")
    response = weavr.simulate(f"/accounts/{account['id']}/deposit", {"depositAmount": {"currency": "euro"}})
    assert response.status_code == 400
    body = response.get_json()
    assert body["validation"]["invalid"] is True
    assert body["validation"]["fields"] == [{"name": "currency", "errors": [{"type": "SIZE", "params": ["3", "3"]}]}]


def test_fee_charge_with_enough_balance(weavr, sandbox):
    account = weavr.onboard().open_account("EUR")
    deposit(weavr, account["id"], 1000)
    expected_ms = int(sandbox.clock.timestamp() * 1000)
    response = charge(weavr, account["id"])
    assert response.status_code == 200 and response.headers["request-ref"]
    fee = response.get_json()
    assert fee["transactionId"]["type"] == "CHARGE_FEE" and fee["transactionId"]["id"].isdigit()
    assert fee["availableBalanceAdjustment"] == {"currency": "EUR", "amount": -150}
    assert fee["state"] == "COMPLETED" and fee["profileId"] == "1011" and fee["feeType"] == STATEMENT
    assert fee["source"] == {"type": "managed_accounts", "id": account["id"]}
    assert abs(fee["creationTimestamp"] - expected_ms) < 5000
    assert weavr.balance(account["id"]) == 850


def test_fee_charge_with_too_little_balance(weavr):
    account = weavr.onboard().open_account("EUR", balance=149)
    response = charge(weavr, account["id"])
    assert response.status_code == 409 and error_code(response) == "FUNDS_INSUFFICIENT"
    assert weavr.balance(account["id"]) == 149


def test_fee_charge_conflicts(weavr, client):
    other = WeavrClient(client).onboard()
    others_account = other.open_account("EUR", balance=10_000)
    usd = weavr.onboard().open_account("USD", balance=10_000)
    for response, code in (
        (charge(weavr, usd["id"], fee_type="NO_SUCH_FEE"), "UNRESOLVED_FEE_TYPE"),
        (charge(weavr, "99"), "UNRESOLVED_INSTRUMENT"),
        (charge(weavr, usd["id"], kind="managed_cards"), "UNRESOLVED_INSTRUMENT"),
        (charge(weavr, others_account["id"]), "IDENTITY_NOT_OWNER_OF_INSTRUMENT"),
        (charge(weavr, usd["id"], fee_type="ACCOUNT_MAINTENANCE"), "FEE_AMOUNT_NOT_SET"),  # no USD amount
    ):
        assert response.status_code == 409 and error_code(response) == code, code
    assert weavr.balance(usd["id"]) == 10_000 and other.balance(others_account["id"]) == 10_000
