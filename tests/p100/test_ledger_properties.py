"""Property test of the one ledger (hypothesis, stateful): random sequences of
money operations, some of them fired from several threads at once; after
every step no balance is negative and every balance equals the sum of its
history, the partner's own balances included."""

from __future__ import annotations

import threading
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from sandbox.core.runtime import sandbox_of
from sandbox.providers.p100 import constants as k
from tests.p100.client import KEY, P100Client

USERS = ("ann", "ben")
CURRENCIES = ("eur", "btc", "usdc")


def amounts(currency: str):
    """Positive amounts with the currency's decimals, as the strings a partner sends."""
    places = k.DECIMALS[currency]
    return st.integers(1, 2000 * 10**places).map(lambda units: f"{Decimal(units).scaleb(-places):f}")


amount_in = st.sampled_from(CURRENCIES).flatmap(lambda c: st.tuples(st.just(c), amounts(c)))


def operation(p100: P100Client, kind: str, user: str, currency: str, amount: str):
    """One money operation by real request; any answer but a 5xx is fine."""
    if kind == "deposit":
        path = "fiat-deposits" if currency == "eur" else "crypto-deposits"
        return p100.control("POST", f"/users/{user}/{path}", {"amount": amount, **(
            {} if currency == "eur" else {"currency": currency})})
    if kind == "to_partner":
        return p100.post("/v1/transfer", {"sourceExternalUserId": user, "currency": currency, "amount": amount})
    if kind == "from_partner":
        return p100.post("/v1/transfer", {"destinationExternalUserId": user, "currency": currency, "amount": amount})
    if kind == "withdraw":
        return p100.post("/v1/crypto-withdrawal", {
            "sourceExternalUserId": user, "currency": currency, "amount": amount, "walletAddress": "0xabc",
            "name": "N", "walletType": "OTHER", "receiverType": "NATURAL"})
    if kind == "sepa":
        return p100.post("/v1/sepa-transfer", {"sourceExternalUserId": user, "currency": "eur", "amount": amount,
                                               "destinationIban": "LT601010012345678901", "transferTitle": "t"})
    target = "btc" if currency != "btc" else "eur"
    lock = p100.get("/v1/exchange/get-lock", query_string={"externalUserId": user, "currencyFrom": currency,
                                                           "currencyTo": target, "amount": amount}).get_json()
    return p100.post("/v1/exchange", {"externalUserId": user, "amount": amount, "currencyFrom": currency,
                                      "currencyTo": target, "lockId": lock["lockId"]})


KINDS = st.sampled_from(("deposit", "to_partner", "from_partner", "withdraw", "sepa", "exchange"))
STEP = st.tuples(KINDS, st.sampled_from(USERS), amount_in)


def test_ledger_invariants_hold_under_random_and_concurrent_operations(app):
    sandbox = sandbox_of(app)

    class Ledger(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            sandbox.reset()
            self.p100 = P100Client(app.test_client())
            for user in USERS:
                self.p100.verified_user(user)

        @rule(step=STEP)
        def one(self, step):
            kind, user, (currency, amount) = step
            assert operation(self.p100, kind, user, currency, amount).status_code < 500

        @rule(steps=st.lists(STEP, min_size=2, max_size=6))
        def concurrently(self, steps):
            statuses = []

            def run(step):
                kind, user, (currency, amount) = step
                statuses.append(operation(P100Client(app.test_client()), kind, user, currency, amount).status_code)

            threads = [threading.Thread(target=run, args=(s,)) for s in steps]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert len(statuses) == len(steps) and max(statuses) < 500

        @invariant()
        def balances_are_sums_of_their_history_and_never_negative(self):
            ledger = sandbox.runtime("p100").ledger
            for owner in (*USERS, k.PARTNER):
                for currency in k.CURRENCIES:
                    balance = ledger.balance(KEY, owner, currency)
                    assert balance >= 0, (owner, currency)
                    assert balance == ledger.sum_of_movements(KEY, owner, currency), (owner, currency)
            for user in USERS:  # and what the API shows is the same
                shown = self.p100.balances(user)
                assert all(Decimal(shown[c]) == ledger.balance(KEY, user, c) for c in k.CURRENCIES)

    run_state_machine_as_test(Ledger, settings=settings(
        max_examples=25, stateful_step_count=20, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck)))
