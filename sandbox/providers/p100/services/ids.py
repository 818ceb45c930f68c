"""Generated values that repeat for the same --seed: P100's UUIDs, the
users' IBANs (schwifty: a checked IBAN, not a hand-rolled checksum), chain
transaction hashes, and sandbox-clock timestamps."""

from __future__ import annotations

from datetime import datetime

from schwifty import IBAN

from sandbox.core.context import Context
from sandbox.core.fakes import hexify, numerify
from sandbox.providers.p100 import constants as k


class Ids:
    def __init__(self, context: Context):
        self.fakes = context.fakes
        self.clock = context.clock

    def uuid(self, what: str, *key) -> str:
        return self.fakes.uuid4(f"p100.{what}", *key)

    def iban(self, tenant: str, external_user_id: str) -> str:
        """The user's IBAN: the same for this user on every call, reset and restart."""
        account = numerify(self.fakes.rng("p100.iban", tenant, external_user_id), "#" * 11)
        return str(IBAN.generate(k.IBAN_COUNTRY, bank_code=k.IBAN_BANK_CODE, account_code=account))

    def tx_hash(self, *key) -> str:
        return "0x" + hexify(self.fakes.rng("p100.txhash", *key), "^" * 64)

    def timestamp(self) -> str:
        """Now on the sandbox clock, as P100 writes it."""
        return p100_time(self.clock.now())


def p100_time(moment: datetime) -> str:
    """A moment as P100 writes it: 2025-03-20T11:34:37.646Z (UTC, milliseconds)."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
