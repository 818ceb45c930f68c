"""Managed accounts (opened by the sandbox control, funded by the simulator's
deposits) and fee charges. Balances are integers in minor units [spec]."""

from __future__ import annotations

from schwifty import IBAN

from sandbox.core.context import Context
from sandbox.core.store import Collection, Index
from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr.auth import Caller
from sandbox.providers.weavr.errors import WeavrError

ACCOUNT_INDEXES = (
    Index("iban", ("iban",), unique=True),
    Index("faster_payments", ("sortCode", "accountNumber"), unique=True),
)


class MoneyService:
    def __init__(self, context: Context, accounts: Collection, charges: Collection):
        self.context = context
        self.accounts = accounts
        self.charges = charges

    # -- managed accounts (sandbox control) ----------------------------------------------
    def open_account(self, caller: Caller, consumer_id: int, currency: str, balance: int) -> dict:
        with self.context.store.transaction():
            account_id = self.accounts.insert(caller.tenant, {"consumerId": str(consumer_id), "currency": currency,
                                                              "balance": balance, "iban": None})
            country = k.IBAN_COUNTRY.get(currency, k.DEFAULT_IBAN_COUNTRY)
            number = f"{account_id % 10**8:08d}"
            iban = str(IBAN.generate(country, bank_code=k.BANK_CODES[country], account_code=number))
            details = {"iban": iban}
            if country == "GB":
                details |= {"sortCode": k.BANK_CODES["GB"][4:], "accountNumber": number}
            return account_view(self.accounts.update(caller.tenant, account_id, details))

    def account(self, caller: Caller, account_id: int) -> dict | None:
        return self.accounts.get(caller.tenant, account_id)

    # -- simulator deposits: business refusals are 200 with a DENIED_* code [spec] -----------
    def deposit(self, caller: Caller, account: dict | None, amount: dict, tx_id: int | None) -> dict:
        if account is None:
            return {"code": "DENIED_ACCOUNT_NOT_FOUND"}
        if tx_id is not None and tx_id < 0:
            return {"code": "DENIED_INVALID_TX_ID"}
        value = amount.get("amount") or 0
        if value <= 0:
            return {"code": "DENIED_AMOUNT_NOT_POSITIVE"}
        if amount["currency"] != account["currency"]:
            return {"code": "DENIED_CURRENCY_NOT_ACCOUNT_CURRENCY"}
        with self.context.store.transaction():
            current = self.accounts.get(caller.tenant, account["id"])
            if current["balance"] + value > k.INT64_MAX:
                return {"code": "DENIED_OTHER"}
            self.accounts.update(caller.tenant, account["id"], {"balance": current["balance"] + value})
        return {"code": "COMPLETED"}

    def account_by_iban(self, caller: Caller, iban: str) -> dict | None:
        return self.accounts.find(caller.tenant, "iban", iban)

    def account_by_faster_payments(self, caller: Caller, sort_code: str, account_number: str) -> dict | None:
        return self.accounts.find(caller.tenant, "faster_payments", sort_code, account_number)

    # -- fees -----------------------------------------------------------------------------------
    def charge_fee(self, caller: Caller, fee_type: str, source: dict) -> dict:
        fee = caller.programme.fees.get(fee_type)
        if fee is None:
            raise WeavrError.of(e.UNRESOLVED_FEE_TYPE)
        with self.context.store.transaction():
            account = None
            if source["type"] == "managed_accounts" and len(source["id"]) < 20:
                account = self.accounts.get(caller.tenant, int(source["id"]))
            if account is None:
                raise WeavrError.of(e.UNRESOLVED_INSTRUMENT)
            if account["consumerId"] != str(caller.consumer_id):
                raise WeavrError.of(e.IDENTITY_NOT_OWNER_OF_INSTRUMENT)
            amount = fee.get(account["currency"])
            if amount is None:
                raise WeavrError.of(e.FEE_AMOUNT_NOT_SET)
            if account["balance"] < amount:
                raise WeavrError.of(e.FUNDS_INSUFFICIENT)
            self.accounts.update(caller.tenant, account["id"], {"balance": account["balance"] - amount})
            charge = {
                "profileId": caller.programme.profile_id, "feeType": fee_type,
                "source": {"type": source["type"], "id": source["id"]}, "destination": dict(k.FEE_DESTINATION),
                "availableBalanceAdjustment": {"currency": account["currency"], "amount": -amount},
                "state": k.CHARGE_FEE_STATE, "creationTimestamp": int(self.context.clock.timestamp() * 1000),
            }
            charge_id = self.charges.insert(caller.tenant, charge)
        return {"transactionId": {"type": "CHARGE_FEE", "id": str(charge_id)}, **charge}


def account_view(record: dict) -> dict:
    view = {"id": str(record["id"]), "consumerId": record["consumerId"], "currency": record["currency"],
            "balance": record["balance"], "iban": record["iban"]}
    if record.get("sortCode"):
        view |= {"sortCode": record["sortCode"], "accountNumber": record["accountNumber"]}
    return view
