"""One user's whole money story over real requests, the refusals, and the
ledger's promise: every balance is the sum of its history."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from schwifty import IBAN

from tests.p100.client import P100Client
from tests.p100.test_onboarding import error

BTC_EUR = Decimal("102178.03394219")  # the default rate table (constants.DEFAULT_RATES)


def sums_match(p100, user: str) -> dict[str, Decimal]:
    """Each currency's movements add up to its balance; every balanceAfter chains."""
    history = p100.history(user, limit=100)
    assert history["total"] == len(history["transactions"])
    totals: dict[str, Decimal] = {}
    for movement in reversed(history["transactions"]):  # oldest first
        currency = movement["currency"]
        totals[currency] = totals.get(currency, Decimal(0)) + Decimal(movement["amount"])
        assert Decimal(movement["balanceAfter"]) == totals[currency]
    balances = p100.balances(user)
    for currency, amount in balances.items():
        assert Decimal(amount) == totals.get(currency, Decimal(0)), currency
    return totals


def test_the_whole_money_story_of_one_user(p100, sandbox):
    p100.verified_user("alice")
    # SEPA deposit: the user's own IBAN and reference, then a credit to it
    info = p100.get("/v1/user/sepa-deposit/info/alice").get_json()
    assert IBAN(info["iban"]) and info["swift"] == "BZENLT22" and info["accountHolder"] == "P100 sp. z o.o."
    assert p100.get("/v1/user/sepa-deposit/info/alice").get_json() == info  # stable
    p100.deposit_fiat("alice", "1000.00", senderIban="DE89370400440532013000", senderName="Jan Kowalski",
                      title=info["title"])
    assert p100.get("/v1/user/sepa-deposit/contacts/alice").get_json()["contacts"] == [
        {"iban": "DE89370400440532013000", "name": "Jan Kowalski"}]
    assert p100.balances("alice")["eur"] == "1000.00"

    # rate, lock, exchange 500 EUR -> BTC at the scenario's fixed rate
    rate = (Decimal(1) / BTC_EUR).quantize(Decimal("1e-16"), rounding=ROUND_DOWN)
    btc = (Decimal(500) * rate).quantize(Decimal("1e-8"), rounding=ROUND_DOWN)
    quote = p100.get("/v1/exchange/get-rate", query_string={"currencyFrom": "eur", "currencyTo": "btc",
                                                            "amount": "500"}).get_json()
    assert quote == {"currencyFrom": "eur", "currencyTo": "btc", "amount": "500.00", "rate": f"{rate.normalize():f}",
                     "amountTo": f"{btc:f}"}
    lock = p100.lock("alice", "eur", "btc", "500")
    assert lock["rate"] == quote["rate"] and lock["destinationAmount"] == f"{btc:f}"
    response = p100.post("/v1/exchange", {"externalUserId": "alice", "amount": 500, "currencyFrom": "eur",
                                          "currencyTo": "btc", "lockId": lock["lockId"]})
    assert response.status_code == 200
    exchange_id = response.get_json()["exchangeId"]
    details = p100.get(f"/v1/exchange/{exchange_id}").get_json()
    assert details["status"] == "COMPLETED" and details["amountTo"] == f"{btc:f}"
    assert p100.balances("alice")["eur"] == "500.00" and p100.balances("alice")["btc"] == f"{btc:f}"

    # crypto withdrawal, paying the network fee
    fee = p100.get("/v1/crypto-withdrawal/get-network-fee", query_string={"currency": "btc"}).get_json()
    assert fee == {"networkFee": 0.0003, "currency": "btc", "network": "btc", "feeWithdrawal": 0.0003,
                   "minWithdrawal": 0.0001}
    response = p100.post("/v1/crypto-withdrawal", {
        "sourceExternalUserId": "alice", "currency": "btc", "amount": "0.001", "walletAddress": "tb1qexample",
        "name": "Alice", "walletType": "NON_CUSTODIAL", "receiverType": "NATURAL"})
    withdrawal = p100.get(f"/v1/crypto-withdrawal/details/{response.get_json()['withdrawalId']}").get_json()
    assert withdrawal["status"] == "SUCCESSFUL" and withdrawal["fee"] == "0.00030000"
    assert withdrawal["currency"] == {"currency": "btc", "network": "btc"}
    assert p100.balances("alice")["btc"] == f"{btc - Decimal('0.0013'):f}"

    # internal transfers both ways, against the partner's own balance
    partner_eur = Decimal(p100.partner_balances()["eur"])
    response = p100.post("/v1/transfer", {"destinationExternalUserId": "alice", "currency": "eur", "amount": "100"})
    assert response.status_code == 201
    incoming = p100.get(f"/v1/transfer/details/{response.get_json()['transferId']}").get_json()
    assert incoming["status"] == "SUCCESSFUL" and incoming["destinationEmail"] == "alice@example.pl"
    assert p100.post("/v1/transfer", {"sourceExternalUserId": "alice", "currency": "eur",
                                      "amount": 40.5}).status_code == 201
    assert Decimal(p100.partner_balances()["eur"]) == partner_eur - 100 + Decimal("40.5")
    assert p100.balances("alice")["eur"] == "559.50"

    # SEPA out: amount plus the 1 EUR fee
    response = p100.post("/v1/sepa-transfer", {"sourceExternalUserId": "alice", "currency": "eur", "amount": "9.50",
                                               "destinationIban": "LT601010012345678901", "transferTitle": "Rent"})
    sepa = p100.get(f"/v1/sepa-transfer/details/{response.get_json()['transferId']}").get_json()
    assert sepa["status"] == "SUCCESSFUL" and sepa["amount"] == "9.50" and sepa["fee"] == 1
    assert sepa["user"]["externalUserId"] == "alice"
    assert p100.balances("alice")["eur"] == "549.00"

    # the history shows every step, newest first, and adds up
    history = p100.history("alice", limit=100)["transactions"]
    assert [m["type"] for m in history] == ["SEPA_FEE", "SEPA_TRANSFER", "TRANSFER", "TRANSFER", "WITHDRAWAL_FEE",
                                            "CRYPTO_WITHDRAWAL", "EXCHANGE", "EXCHANGE", "FIAT_DEPOSIT"]
    assert history[-1]["amount"] == "1000.00" and history[0]["amount"] == "-1.00"
    totals = sums_match(p100, "alice")
    assert totals["eur"] == Decimal("549.00")
    page = p100.history("alice", page=2, limit=4)
    assert [m["type"] for m in page["transactions"]] == ["WITHDRAWAL_FEE", "CRYPTO_WITHDRAWAL", "EXCHANGE", "EXCHANGE"]


def test_insufficient_balance_is_p433_and_changes_nothing(p100):
    p100.verified_user("alice")
    p100.deposit_fiat("alice", "10.00")
    before = p100.history("alice")
    refused = [
        p100.post("/v1/transfer", {"sourceExternalUserId": "alice", "currency": "eur", "amount": "10.01"}),
        p100.post("/v1/crypto-withdrawal", {"sourceExternalUserId": "alice", "currency": "eth", "amount": "0.001",
                                            "walletAddress": "0xabc", "name": "A", "walletType": "OTHER",
                                            "receiverType": "NATURAL"}),
        p100.post("/v1/exchange", {"externalUserId": "alice", "amount": "10.01", "currencyFrom": "eur",
                                   "currencyTo": "btc", "lockId": p100.lock("alice", "eur", "btc", "10.01")["lockId"]}),
    ]
    assert [error(r)[:2] for r in refused] == [(400, "P433")] * 3
    assert p100.history("alice") == before and p100.balances("alice")["eur"] == "10.00"
    # the refused exchange did not use its lock either
    lock = p100.lock("alice", "eur", "btc", "5")
    assert p100.post("/v1/exchange", {"externalUserId": "alice", "amount": "5", "currencyFrom": "eur",
                                      "currencyTo": "btc", "lockId": lock["lockId"]}).status_code == 200


def test_sepa_without_funds_is_accepted_then_failed(p100):
    p100.verified_user("alice")
    p100.deposit_fiat("alice", "10.00")
    response = p100.post("/v1/sepa-transfer", {"sourceExternalUserId": "alice", "currency": "eur", "amount": "9.50",
                                               "destinationIban": "LT601010012345678901", "transferTitle": "x"})
    assert response.status_code == 200
    details = p100.get(f"/v1/sepa-transfer/details/{response.get_json()['transferId']}").get_json()
    assert details["status"] == "FAILED" and details["error"]["errorCode"] == "P433"
    assert p100.balances("alice")["eur"] == "10.00"


def test_partner_balance_bounds_outgoing_transfers(p100):
    p100.verified_user("alice")
    p100.control("PUT", "/partner/balances", {"balances": {"eur": "5.00"}})
    response = p100.post("/v1/transfer", {"destinationExternalUserId": "alice", "currency": "eur", "amount": "5.01"})
    assert error(response)[:2] == (400, "P433")
    assert p100.partner_balances()["eur"] == "5.00" and p100.balances("alice")["eur"] == "0.00"


def test_rate_locks_expire_and_serve_one_exchange(p100, sandbox):
    p100.verified_user("alice")
    p100.deposit_fiat("alice", "100.00")

    def finalize(lock_id, amount="10"):
        return p100.post("/v1/exchange", {"externalUserId": "alice", "amount": amount, "currencyFrom": "eur",
                                          "currencyTo": "btc", "lockId": lock_id})

    old = p100.lock("alice", "eur", "btc", "10")["lockId"]
    sandbox.clock.advance(30)
    assert error(finalize(old))[:2] == (400, "P471")
    fresh = p100.lock("alice", "eur", "btc", "10")["lockId"]
    sandbox.clock.advance(29)
    assert error(finalize(fresh, "11"))[:2] == (400, "P473")
    assert finalize(fresh).status_code == 200
    assert error(finalize(fresh))[:2] == (400, "P472")
    assert error(finalize("no-such-lock"))[:2] == (404, "P470")
    assert p100.balances("alice")["eur"] == "90.00"


def test_a_rate_lock_serves_until_its_expiry_instant_and_not_at_it(p100, sandbox, monkeypatch):
    """expiresAt is the first instant the lock no longer serves: a millisecond
    before it the exchange settles, at it the answer is LOCK_EXPIRED (P471).
    A running clock never lands on one instant, so the sandbox's clock stands
    still here and the test moves it."""
    p100.verified_user("alice")
    p100.deposit_fiat("alice", "100.00")
    moment = [sandbox.clock.now().replace(microsecond=0)]  # a whole second: expiresAt keeps milliseconds
    monkeypatch.setattr(sandbox.clock, "now", lambda: moment[0])

    before, at = (p100.lock("alice", "eur", "btc", "10") for _ in range(2))
    expiry = moment[0] + timedelta(seconds=30)  # the inferred TTL (constants.RATE_LOCK_SECONDS)
    assert before["expiresAt"] == at["expiresAt"] == expiry.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def exchange(lock):
        return p100.post("/v1/exchange", {"externalUserId": "alice", "amount": "10", "currencyFrom": "eur",
                                          "currencyTo": "btc", "lockId": lock["lockId"]})

    moment[0] = expiry - timedelta(milliseconds=1)
    assert exchange(before).status_code == 200
    moment[0] = expiry
    assert error(exchange(at)) == (400, "P471", "Rate lock expired")
    assert p100.balances("alice")["eur"] == "90.00"  # the refused exchange moved nothing


def test_travel_rule_releases_a_held_deposit(p100):
    p100.create_user("alice")  # crypto works before KYC
    held = p100.deposit_crypto("alice", "eth", "0.5", holdForTravelRule=True)
    assert held["status"] == "WAITING_FOR_TR_DATA" and p100.balances("alice")["eth"] == "0.00000000"
    body = {"cryptoDepositId": held["cryptoDepositId"], "name": "Bob", "walletType": "CUSTODIAL",
            "receiverType": "NATURAL"}
    released = p100.patch("/v1/crypto-deposit/travel-rule", body)
    assert released.status_code == 200 and released.get_json()["status"] == "SUCCESSFUL"
    assert p100.balances("alice")["eth"] == "0.50000000"
    assert error(p100.patch("/v1/crypto-deposit/travel-rule", body))[:2] == (400, "P478")
    assert error(p100.patch("/v1/crypto-deposit/travel-rule", {**body, "cryptoDepositId": "x"}))[:2] == (404, "P477")
    sums_match(p100, "alice")


def test_money_refusals_and_codes(p100):
    p100.create_user("newbie")
    assert error(p100.get("/v1/user/sepa-deposit/info/newbie"))[:2] == (400, "P459")
    assert error(p100.post("/v1/transfer", {"destinationExternalUserId": "newbie", "currency": "eur",
                                            "amount": "1"}))[:2] == (400, "P459")
    p100.verified_user("alice")
    p100.deposit_crypto("alice", "usdc", "100")
    assert error(p100.post("/v1/transfer", {"currency": "eur", "amount": "1"}))[:2] == (400, "P424")
    assert error(p100.post("/v1/transfer", {"sourceExternalUserId": "alice", "destinationExternalUserId": "newbie",
                                            "currency": "eur", "amount": "1"}))[:2] == (400, "P425")
    fee = p100.get("/v1/crypto-withdrawal/get-network-fee", query_string={"currency": "usdc", "network": "polygon"})
    assert fee.get_json() == {"networkFee": 0.5, "currency": "usdc", "network": "polygon", "feeWithdrawal": 0.5,
                              "minWithdrawal": 2}
    for query in ({"currency": "xyz"}, {"currency": "eur"}, {"currency": "btc", "network": "polygon"}):
        assert error(p100.get("/v1/crypto-withdrawal/get-network-fee", query_string=query))[:2] == (400, "P410")
    withdraw = {"sourceExternalUserId": "alice", "currency": "usdc", "network": "polygon", "walletAddress": "0xabc",
                "name": "A", "walletType": "OTHER", "receiverType": "LEGAL"}
    assert error(p100.post("/v1/crypto-withdrawal", {**withdraw, "amount": "1.99"}))[:2] == (400, "P479")
    status, code, message = error(p100.post("/v1/crypto-withdrawal", {**withdraw, "amount": "2.0000001"}))
    assert (status, code) == (400, "P403") and "amount" in message
    assert p100.post("/v1/crypto-withdrawal", {**withdraw, "amount": "2"}).status_code == 200
    assert p100.balances("alice")["usdc"] == "97.500000"
    for missing in ("/v1/exchange/x", "/v1/transfer/details/x", "/v1/crypto-withdrawal/details/x"):
        assert error(p100.get(missing))[0] == 404
    assert error(p100.get("/v1/sepa-transfer/details/x"))[:2] == (404, "P428")
    status, code, message = error(p100.post("/v1/sepa-transfer", {
        "sourceExternalUserId": "alice", "currency": "eur", "amount": "1", "destinationIban": "LT601010012345678900",
        "transferTitle": "x"}))
    assert (status, code) == (400, "P403") and "destinationIban" in message
    status, code, message = error(p100.post("/v1/sepa-transfer", {
        "sourceExternalUserId": "alice", "currency": "eur", "amount": "1", "destinationIban": "LT601010012345678901",
        "transferTitle": "x", "receiverType": "LEGAL"}))
    assert (status, code) == (400, "P403") and "companyName" in message
    assert error(p100.post("/v1/sepa-transfer", {
        "sourceExternalUserId": "alice", "currency": "usd", "amount": "1", "destinationIban": "LT601010012345678901",
        "transferTitle": "x"}))[:2] == (400, "P410")


def test_amounts_are_decimal_strings_or_numbers_never_floats(p100):
    p100.verified_user("alice")
    p100.deposit_fiat("alice", "0.30")
    for amount in (0.1, "0.1", 0.10):
        assert p100.post("/v1/transfer", {"sourceExternalUserId": "alice", "currency": "eur",
                                          "amount": amount}).status_code == 201
    assert p100.balances("alice")["eur"] == "0.00"  # 0.3 - 3 x 0.1, exactly
    for bad in ("1e3", "-1", "0", "abc", True, None, [], "1.0.0"):
        assert error(p100.post("/v1/transfer", {"sourceExternalUserId": "alice", "currency": "eur",
                                                "amount": bad}))[:2] == (400, "P403"), bad


def test_concurrent_transfers_never_lose_or_double_a_movement(app):
    setup = P100Client(app.test_client())
    setup.verified_user("alice")
    setup.deposit_fiat("alice", "50.00")
    results: list[int] = []

    def spend():
        client = P100Client(app.test_client())
        for _ in range(10):
            response = client.post("/v1/transfer", {"sourceExternalUserId": "alice", "currency": "eur", "amount": "1"})
            results.append(response.status_code)

    threads = [threading.Thread(target=spend) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(201) == 50 and results.count(400) == 30
    assert setup.balances("alice")["eur"] == "0.00"
    sums_match(setup, "alice")


def test_the_iban_is_stable_across_calls_and_resets(p100, client):
    p100.verified_user("alice")
    iban = p100.get("/v1/user/sepa-deposit/info/alice").get_json()["iban"]
    assert p100.get("/v1/user/balances/alice").get_json()["fiatBalances"][0]["iban"] == iban
    assert client.post("/_sandbox/reset").status_code == 200
    assert error(p100.get("/v1/user/sepa-deposit/info/alice"))[:2] == (400, "P412")
    p100.verified_user("alice")
    assert p100.get("/v1/user/sepa-deposit/info/alice").get_json()["iban"] == iban
    p100.verified_user("bob")
    assert p100.get("/v1/user/sepa-deposit/info/bob").get_json()["iban"] != iban


def test_a_crypto_deposit_below_the_network_minimum_is_unsuccessful(p100):
    p100.create_user("alice")
    small = p100.deposit_crypto("alice", "usdc", "4.99", network="ethereum")  # minDeposit 5 on ethereum
    assert small["status"] == "UNSUCCESSFUL" and p100.balances("alice")["usdc"] == "0.000000"
    assert p100.deposit_crypto("alice", "usdc", "4.99", network="polygon")["status"] == "SUCCESSFUL"  # minDeposit 0
    assert p100.balances("alice")["usdc"] == "4.990000"
    body = {"cryptoDepositId": small["cryptoDepositId"], "name": "B", "walletType": "OTHER", "receiverType": "LEGAL"}
    assert error(p100.patch("/v1/crypto-deposit/travel-rule", body))[:2] == (400, "P478")
