"""P100's state in one running sandbox: its collections and services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sandbox.core.context import Context, ProviderRuntime
from sandbox.providers.p100 import constants as k
from sandbox.providers.p100.services.ids import Ids
from sandbox.providers.p100.services.later import Later
from sandbox.providers.p100.services.ledger import BALANCE_INDEXES, MOVEMENT_INDEXES, Ledger
from sandbox.providers.p100.services.money import KEYED, Money
from sandbox.providers.p100.services.partners import Partners
from sandbox.providers.p100.services.users import USER_INDEXES, VERIFICATION_INDEXES, Users

OPERATIONS = ("lock", "exchange", "sepa", "withdrawal", "transfer", "deposit")


@dataclass
class P100Runtime(ProviderRuntime):
    ledger: Ledger
    users: Users
    money: Money
    partners: Partners
    #: what P100 tells the partner and decides later
    later: Later
    #: EUR value of one unit of each currency (constants, replaced by the scenario's `rates`)
    rates: dict[str, Decimal]


def build(context: Context) -> P100Runtime:
    store = context.store
    ids, later = Ids(context), Later(context)
    rates = {c: Decimal(v) for c, v in k.DEFAULT_RATES.items()}
    ledger = Ledger(context, store.collection("p100.balances", BALANCE_INDEXES),
                    store.collection("p100.movements", MOVEMENT_INDEXES), ids)
    users = Users(context, store.collection("p100.users", USER_INDEXES),
                  store.collection("p100.verifications", VERIFICATION_INDEXES), ledger, ids, rates, later)
    records = {name: store.collection(f"p100.{name}s", KEYED) for name in OPERATIONS}
    money = Money(context, ledger, users, records, ids, rates, later)
    return P100Runtime(context, ledger, users, money, Partners(), later, rates)
