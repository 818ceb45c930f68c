"""One ledger for every balance a partner's API key sees: its users' and its
own. A balance is the sum of its movements; the balance record keeps that
sum as a running total, written in the SAME store transaction as the
movement, so a reader never sees one without the other and a refused
operation (an exception inside the transaction) changes neither.

Owners are a user's externalUserId or `constants.PARTNER`. Amounts are
Decimal in memory and strings with the currency's decimals on the wire."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from sandbox.core.context import Context
from sandbox.core.store import Collection, Index
from sandbox.providers.p100 import constants as k
from sandbox.providers.p100 import errors as e
from sandbox.providers.p100.services.ids import Ids

BALANCE_INDEXES = (Index("owner_currency", ("owner", "currency"), unique=True),)
MOVEMENT_INDEXES = (Index("owner", ("owner",)), Index("owner_currency", ("owner", "currency")))


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-k.DECIMALS[currency])


def wire(currency: str, amount: Decimal) -> str:
    """An amount as P100 writes it: a string with the currency's decimals."""
    return f"{amount.quantize(quantum(currency), rounding=ROUND_DOWN):f}"


def number(value) -> int | float:
    """A fixed table value (rate, fee) where P100 shows a JSON number: 1, 0.0003."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def fits(currency: str, amount: Decimal) -> bool:
    """Whether an amount has no more decimals than its currency."""
    return amount == amount.quantize(quantum(currency), rounding=ROUND_DOWN)


class Ledger:
    def __init__(self, context: Context, balances: Collection, movements: Collection, ids: Ids):
        self.store = context.store
        self.balances = balances
        self.movements = movements
        self.ids = ids

    def open(self, tenant: str, owner: str, currency: str) -> dict:
        """The owner's balance record in a currency, created at zero if absent."""
        with self.store.transaction():
            found = self.balances.find(tenant, "owner_currency", owner, currency)
            if found is not None:
                return found
            balance_id = self.ids.uuid("balance", tenant, owner, currency)
            doc_id = self.balances.insert(tenant, {"owner": owner, "currency": currency, "amount": "0",
                                                   "balanceId": balance_id})
            return self.balances.get(tenant, doc_id)

    def balance(self, tenant: str, owner: str, currency: str) -> Decimal:
        found = self.balances.find(tenant, "owner_currency", owner, currency)
        return Decimal(found["amount"]) if found else Decimal(0)

    def post(self, tenant: str, owner: str, currency: str, delta: Decimal, kind: str, reference: str,
             **details) -> dict:
        """Add one movement and move the running balance with it; a balance
        that would go negative refuses the whole operation (P433)."""
        with self.store.transaction():
            balance = self.open(tenant, owner, currency)
            after = Decimal(balance["amount"]) + delta
            if after < 0:
                raise e.P100Error.of(e.INSUFFICIENT_FUNDS)
            self.balances.update(tenant, balance["id"], {"amount": f"{after:f}"})
            movement = {
                "owner": owner, "currency": currency, "amount": f"{delta:f}", "balanceAfter": f"{after:f}",
                "type": kind, "reference": reference, "createdAt": self.ids.timestamp(), **details,
            }
            movement["transactionId"] = self.ids.uuid("movement", tenant, self.movements.page(tenant, limit=0).total)
            self.movements.insert(tenant, movement)
            return movement

    def history(self, tenant: str, owner: str, offset: int, limit: int) -> tuple[list[dict], int]:
        """The owner's movements, newest first."""
        with self.store.lock:
            total = self.movements.page(tenant, "owner", owner, limit=0).total
            end = max(total - offset, 0)
            start = max(end - limit, 0)
            items = self.movements.page(tenant, "owner", owner, offset=start, limit=end - start).items
        return list(reversed(items)), total

    def sum_of_movements(self, tenant: str, owner: str, currency: str) -> Decimal:
        """The balance recomputed from its history (a check, not the request path)."""
        page = self.movements.page(tenant, "owner_currency", owner, currency)
        return sum((Decimal(m["amount"]) for m in page.items), Decimal(0))
