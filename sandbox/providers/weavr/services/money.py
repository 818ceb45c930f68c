"""Managed accounts (opened by the sandbox control, funded by the simulator's
deposits) and fee charges. Balances are integers in minor units [spec]. A
fee charge completes on the api-key's `fee` outcome (events.py): in the
request by default, or held (INITIALISED, its amount already debited) until
its plan or the control completes it; completion sends /fees/watch."""

from __future__ import annotations

from schwifty import IBAN

from sandbox.core.context import Context
from sandbox.core.outcomes import IMMEDIATE
from sandbox.core.store import Collection, Index
from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr import errors as e
from sandbox.providers.weavr import events as ev
from sandbox.providers.weavr.errors import WeavrError
from sandbox.providers.weavr.services.auth import Caller, ConsumerCaller
from sandbox.providers.weavr.services.consumers import ConsumerService, check_int64
from sandbox.providers.weavr.services.idempotency import Idempotency
from sandbox.providers.weavr.services.notify import Notifier

ACCOUNT_INDEXES = (
    Index("iban", ("iban",), unique=True),
    Index("faster_payments", ("sortCode", "accountNumber"), unique=True),
)


class MoneyService:
    def __init__(self, context: Context, accounts: Collection, charges: Collection, consumers: ConsumerService,
                 idempotency: Idempotency, notify: Notifier):
        self.context = context
        self.accounts = accounts
        self.charges = charges
        self.consumers = consumers
        self.idempotency = idempotency
        self.notify = notify

    # -- managed accounts (sandbox control) ----------------------------------------------
    def open_account(self, caller: Caller, consumer_id: int, currency: str, balance: int) -> dict:
        """The control: for a consumer of this api-key (CONSUMER_NOT_FOUND), in one of the
        scenario's currencies (CURRENCY_UNSUPPORTED)."""
        self.consumers.require(caller, consumer_id)
        if currency not in self.consumers.rules.currencies:
            raise WeavrError.of(e.CURRENCY_UNSUPPORTED)
        return self.add_account(caller, consumer_id, currency, balance)

    def add_account(self, caller: Caller, consumer_id: int, currency: str, balance: int) -> dict:
        """A managed account with its IBAN (and, in GB, sort code and account
        number), as given: a scenario's accounts are loaded through here."""
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

    def get_account(self, caller: Caller, account_id: int) -> dict:
        """An account of this api-key, or ACCOUNT_NOT_FOUND."""
        account = self.accounts.get(caller.tenant, account_id)
        if account is None:
            raise WeavrError.of(e.ACCOUNT_NOT_FOUND)
        return account_view(account)

    # -- simulator deposits: business refusals are 200 with a DENIED_* code [spec] -----------
    def deposit_by_id(self, caller: Caller, account_id: int, amount: dict, tx_id: int | None) -> dict:
        check_int64("account_id", account_id)
        return self._deposit(caller, self.accounts.get(caller.tenant, account_id), amount, tx_id)

    def deposit_by_details(self, caller: Caller, body: dict) -> dict:
        """The account found by `destinationIbanDetails.iban`, else by
        `destinationFasterPaymentsDetails`, else by the deprecated `iban`."""
        if "destinationIbanDetails" in body:
            account = self.accounts.find(caller.tenant, "iban", body["destinationIbanDetails"]["iban"])
        elif "destinationFasterPaymentsDetails" in body:
            details = body["destinationFasterPaymentsDetails"]
            account = self.accounts.find(caller.tenant, "faster_payments", details["sortCode"],
                                         details["accountNumber"])
        else:
            account = self.accounts.find(caller.tenant, "iban", body["iban"]) if "iban" in body else None
        return self._deposit(caller, account, body["depositAmount"], body.get("txId"))

    def _deposit(self, caller: Caller, account: dict | None, amount: dict, tx_id: int | None) -> dict:
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

    # -- fees -----------------------------------------------------------------------------------
    def charge_fee(self, caller: ConsumerCaller, body: dict, reference: str | None = None) -> dict:
        """Charge `body["feeType"]` to `body["source"]`; with an idempotency-ref, the first success again."""
        return self.idempotency.run(caller.tenant, reference, f"consumerChargeFee:{caller.consumer_id}", body,
                                    lambda: self._charge_fee(caller, body["feeType"], body["source"]))

    def _charge_fee(self, caller: ConsumerCaller, fee_type: str, source: dict) -> dict:
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
            held = self.notify.progression(caller.tenant, ev.FEE.name) != IMMEDIATE
            charge = {
                "profileId": caller.programme.profile_id, "feeType": fee_type,
                "source": {"type": source["type"], "id": source["id"]}, "destination": dict(k.FEE_DESTINATION),
                "availableBalanceAdjustment": {"currency": account["currency"], "amount": -amount},
                "state": k.CHARGE_INITIALISED if held else k.CHARGE_COMPLETED,
                "creationTimestamp": self.notify.now_ms(),
            }
            charge_id = self.charges.insert(caller.tenant, charge)
        if held:
            self.notify.plan(caller.tenant, ev.FEE.name, f"fee charge {charge_id}",
                             lambda outcome: self._complete_planned(caller, charge_id))
        else:
            self.notify.emit(caller.tenant, ev.fee_event(charge_id, charge, self.notify.now_ms()))
        return charge_view(charge_id, charge)

    def fee_charge(self, caller: Caller, charge_id: int) -> dict:
        """A fee charge of this api-key, or FEE_CHARGE_NOT_FOUND (the control)."""
        charge = self.charges.get(caller.tenant, charge_id)
        if charge is None:
            raise WeavrError.of(e.FEE_CHARGE_NOT_FOUND)
        return charge_view(charge_id, charge)

    def complete_fee(self, caller: Caller, charge_id: int) -> dict:
        """A held charge completes (its /fees/watch); one completed already is FEE_CHARGE_NOT_PENDING."""
        with self.context.store.transaction():
            charge = self.charges.get(caller.tenant, charge_id)
            if charge is None:
                raise WeavrError.of(e.FEE_CHARGE_NOT_FOUND)
            if charge["state"] != k.CHARGE_INITIALISED:
                raise WeavrError.of(e.FEE_CHARGE_NOT_PENDING)
            charge = self.charges.update(caller.tenant, charge_id, {"state": k.CHARGE_COMPLETED})
        self.notify.emit(caller.tenant, ev.fee_event(charge_id, charge, self.notify.now_ms()))
        return charge_view(charge_id, charge)

    def _complete_planned(self, caller: Caller, charge_id: int) -> None:
        """A planned completion, unless the control completed it first."""
        with self.context.store.transaction():
            charge = self.charges.get(caller.tenant, charge_id)
            if charge is not None and charge["state"] == k.CHARGE_INITIALISED:
                self.complete_fee(caller, charge_id)


def charge_view(charge_id: int, charge: dict) -> dict:
    """The ChargeFee as the spec shows it."""
    return {"transactionId": {"type": "CHARGE_FEE", "id": str(charge_id)},
            **{name: charge[name] for name in ("profileId", "feeType", "source", "destination",
                                               "availableBalanceAdjustment", "state", "creationTimestamp")}}


def account_view(record: dict) -> dict:
    view = {"id": str(record["id"]), "consumerId": record["consumerId"], "currency": record["currency"],
            "balance": record["balance"], "iban": record["iban"]}
    if record.get("sortCode"):
        view |= {"sortCode": record["sortCode"], "accountNumber": record["accountNumber"]}
    return view
