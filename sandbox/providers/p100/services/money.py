"""Every money operation of a partner's users over the one ledger: deposits
(sandbox controls), rates and locks, exchanges, SEPA, crypto withdrawals,
internal transfers partner <-> user. Each operation is one store
transaction: its checks, its records and its movements stand or fall
together. Exchanges settle at once; transfers, SEPA transfers, crypto
withdrawals and deposits are decided as the partner's outcome settings say
(at once unless set: events.py), each decision its own transaction, and
the documented ones an event to the partner."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from sandbox.core.context import Context
from sandbox.core.outcomes import Outcome
from sandbox.core.store import Collection, Index
from sandbox.providers.p100 import constants as k
from sandbox.providers.p100 import errors as e
from sandbox.providers.p100 import events as ev
from sandbox.providers.p100.services.ids import Ids, p100_time
from sandbox.providers.p100.services.later import Later
from sandbox.providers.p100.services.ledger import Ledger, fits, number, wire
from sandbox.providers.p100.services.users import Users

#: one collection per kind of operation, each keyed by its public id
KEYED = (Index("key", ("key",), unique=True),)
RATE_DIGITS = Decimal("1e-16")  # a rate keeps 16 decimals (1 EUR in BTC needs them)


def amount_fits(currency: str, amount: Decimal, field: str = "amount") -> None:
    if not fits(currency, amount):
        raise e.fail(e.VALIDATION, field, f"at most {k.DECIMALS[currency]} decimals for {currency}")


class Money:
    def __init__(self, context: Context, ledger: Ledger, users: Users, records: dict[str, Collection], ids: Ids,
                 rates: dict[str, Decimal], later: Later):
        self.store = context.store
        self.later = later
        self.clock = context.clock
        self.ledger = ledger
        self.users = users
        self.records = records  # "lock", "exchange", "sepa", "withdrawal", "transfer", "deposit"
        self.ids = ids
        self.rates = rates

    # -- records -----------------------------------------------------------------------------------
    def _new(self, tenant: str, kind: str, record: dict) -> dict:
        collection = self.records[kind]
        key = self.ids.uuid(kind, tenant, collection.page(tenant, limit=0).total)
        record = {"key": key, **record, "createdAt": self.ids.timestamp()}
        collection.insert(tenant, record)
        return record

    def _find(self, tenant: str, kind: str, key: str, missing) -> dict:
        found = self.records[kind].find(tenant, "key", key)
        if found is None:
            raise e.P100Error.of(missing)
        return found

    # -- rates ----------------------------------------------------------------------------------
    def rate(self, currency_from: str, currency_to: str) -> Decimal:
        return (self.rates[currency_from] / self.rates[currency_to]).quantize(RATE_DIGITS, rounding=ROUND_DOWN)

    def rate_for(self, tenant: str, query: dict) -> dict:
        """Retrieve Rate: indicative, for a user's pair when one is named (it must be this key's: P412)."""
        if query.get("externalUserId") is not None:
            self.users.get(tenant, query["externalUserId"])
        return self.quote(query)

    def quote(self, query: dict) -> dict:
        frm, to, amount = query["currencyFrom"], query["currencyTo"], query["amount"]
        if frm == to:
            raise e.fail(e.VALIDATION, "currencyTo", "must differ from currencyFrom")
        amount_fits(frm, amount)
        rate = self.rate(frm, to)
        return {"currencyFrom": frm, "currencyTo": to, "amount": wire(frm, amount), "rate": f"{rate.normalize():f}",
                "amountTo": wire(to, amount * rate)}

    def lock(self, tenant: str, query: dict, seconds: int = k.RATE_LOCK_SECONDS) -> dict:
        """A lock valid `seconds` on the sandbox clock (the API's: the inferred
        TTL; a scenario's standing lock may be given longer)."""
        quote = self.quote(query)
        with self.store.transaction():
            user = self.users.active(tenant, query["externalUserId"])
            expires = self.clock.now() + timedelta(seconds=seconds)
            record = self._new(tenant, "lock", {**quote, "externalUserId": user["externalUserId"], "used": False,
                                                "expiresAt": p100_time(expires)})
        return {"lockId": record["key"], "amount": quote["amount"], "rate": quote["rate"],
                "expiresAt": record["expiresAt"], "currency": quote["currencyFrom"],
                "destinationCurrency": quote["currencyTo"], "destinationAmount": quote["amountTo"]}

    # -- exchange -------------------------------------------------------------------------------
    def exchange(self, tenant: str, body: dict) -> dict:
        with self.store.transaction():
            user = self.users.active(tenant, body["externalUserId"])
            ext = user["externalUserId"]
            lock = self._find(tenant, "lock", body["lockId"], e.LOCK_NOT_FOUND)
            if lock["externalUserId"] != ext:
                raise e.P100Error.of(e.LOCK_NOT_FOUND)
            if lock["used"]:
                raise e.P100Error.of(e.LOCK_USED)
            if self.clock.now() >= datetime.fromisoformat(lock["expiresAt"]):
                raise e.P100Error.of(e.LOCK_EXPIRED)
            frm, to, amount = body["currencyFrom"], body["currencyTo"], body["amount"]
            amount_fits(frm, amount)
            if (frm, to) != (lock["currencyFrom"], lock["currencyTo"]) or wire(frm, amount) != lock["amount"]:
                raise e.P100Error.of(e.LOCK_MISMATCH)
            amount_to = Decimal(lock["amountTo"])
            self.records["lock"].update(tenant, lock["id"], {"used": True})
            record = self._new(tenant, "exchange", {
                "externalUserId": ext, "currencyFrom": frm, "currencyTo": to, "amount": lock["amount"],
                "amountTo": lock["amountTo"], "rate": lock["rate"], "lockId": lock["key"],
                "status": k.EXCHANGE_STATUS})
            self.ledger.post(tenant, ext, frm, -amount, "EXCHANGE", record["key"])
            self.ledger.post(tenant, ext, to, amount_to, "EXCHANGE", record["key"])
        return {"exchangeId": record["key"]}

    def exchange_details(self, tenant: str, exchange_id: str) -> dict:
        return public(self._find(tenant, "exchange", exchange_id, e.EXCHANGE_NOT_FOUND))

    # -- SEPA ----------------------------------------------------------------------------------
    def sepa_info(self, tenant: str, external_user_id: str) -> dict:
        user = self.users.active(tenant, external_user_id)
        if user["iban"] is None:
            raise e.P100Error.of(e.USER_NOT_VERIFIED)
        return {"title": user["sepaTitle"], "iban": user["iban"], "swift": k.SEPA_SWIFT,
                "accountHolder": k.SEPA_ACCOUNT_HOLDER, "address": k.SEPA_ADDRESS}

    def sepa_contacts(self, tenant: str, external_user_id: str) -> dict:
        user = self.users.get(tenant, external_user_id)
        return {"externalUserId": external_user_id, "contacts": user["contacts"]}

    def sepa_transfer(self, tenant: str, body: dict) -> dict:
        """Accepted whatever the balance (documented: business errors show
        only in the details), PROCESSING until `sepa_transfer` decides it."""
        amount_fits("eur", body["amount"])
        with self.store.transaction():
            user = self.users.active(tenant, body["sourceExternalUserId"])
            record = self._new(tenant, "sepa", {
                "externalUserId": user["externalUserId"], "type": "external", "amount": wire("eur", body["amount"]),
                "transferTitle": body["transferTitle"], "destinationIban": body["destinationIban"],
                "receiverFirstName": body.get("receiverFirstName"), "receiverLastName": body.get("receiverLastName"),
                "companyName": body.get("companyName"), "receiverType": body.get("receiverType"),
                "status": k.PROCESSING, "currency": "eur", "fee": int(k.SEPA_FEE), "error": None})
        key = record["key"]
        self.later.plan(tenant, ev.SEPA_SETTLEMENT.name, f"SEPA transfer {key}",
                        lambda o: self._settle_sepa(tenant, key, o))
        return {"transferId": key}

    def _settle_sepa(self, tenant: str, key: str, outcome: Outcome) -> None:
        """SUCCESSFUL debits amount and fee now, if the balance can pay them (else FAILED, insufficient
        funds, nothing debited); FAILED debits nothing. No webhook is documented for SEPA."""
        with self.store.transaction():
            record = self.records["sepa"].find(tenant, "key", key)
            if record is None or record["status"] != k.PROCESSING:
                return
            ext, amount, fee = record["externalUserId"], Decimal(record["amount"]), Decimal(record["fee"])
            if outcome.outcome == k.FAILED:
                error = {"errorCode": None, "errorName": outcome.reason}
            elif self.ledger.balance(tenant, ext, "eur") < amount + fee:
                error = {"errorCode": e.INSUFFICIENT_FUNDS.code, "errorName": e.INSUFFICIENT_FUNDS.extra["name"]}
            else:
                error = None
                self.ledger.post(tenant, ext, "eur", -amount, "SEPA_TRANSFER", key)
                self.ledger.post(tenant, ext, "eur", -fee, "SEPA_FEE", key)
            self.records["sepa"].update(tenant, record["id"], {"status": k.FAILED if error else k.SUCCESSFUL,
                                                               "error": error})

    def sepa_details(self, tenant: str, transfer_id: str) -> dict:
        record = public(self._find(tenant, "sepa", transfer_id, e.SEPA_NOT_FOUND))
        user = self.users.users.find(tenant, "external", record.pop("externalUserId"))
        record["user"] = {"externalUserId": user["externalUserId"], "email": user["email"],
                          "firstName": user["firstName"], "lastName": user["lastName"], "city": user["city"],
                          "country": user["country"]}
        return record

    # -- crypto -----------------------------------------------------------------------------------
    def network_fee(self, query: dict) -> dict:
        """The fee and the limits of a withdrawal on the network (documented: "gas costs and limits")."""
        currency = query["currency"]
        network, fee, minimum = self._network(currency, query.get("network"))
        return {"networkFee": number(fee), "currency": currency, "network": network, "feeWithdrawal": number(fee),
                "minWithdrawal": number(minimum)}

    @staticmethod
    def _network(currency: str, network: str | None) -> tuple[str, Decimal, Decimal]:
        """(network, fee, minimum) of a crypto currency; P410 for anything else."""
        networks = k.NETWORKS.get(currency)
        network = (network or (k.default_network(currency) if networks else "")).lower()
        if not networks or network not in networks:
            raise e.P100Error.of(e.INVALID_CURRENCY)
        _, fee, minimum, _ = networks[network]
        return network, Decimal(fee), Decimal(minimum)

    def withdraw(self, tenant: str, body: dict) -> dict:
        currency = body["currency"]
        network, fee, minimum = self._network(currency, body.get("network"))
        amount_fits(currency, body["amount"])
        if body["amount"] < minimum:
            raise e.P100Error.of(e.BELOW_MINIMUM)
        with self.store.transaction():
            user = self.users.active(tenant, body["sourceExternalUserId"])
            ext = user["externalUserId"]
            n = self.records["withdrawal"].page(tenant, limit=0).total
            record = self._new(tenant, "withdrawal", {
                "externalUserId": ext, "amount": wire(currency, body["amount"]), "fee": wire(currency, fee),
                "destination": body["walletAddress"], "memo": body.get("memo"), "name": body["name"],
                "walletType": body["walletType"], "receiverType": body["receiverType"],
                "status": k.PROCESSING, "transactionHash": None,
                "currency": {"currency": currency, "network": network}, "error": None})
            self.ledger.post(tenant, ext, currency, -body["amount"], "CRYPTO_WITHDRAWAL", record["key"])
            self.ledger.post(tenant, ext, currency, -fee, "WITHDRAWAL_FEE", record["key"])
        key, tx_hash = record["key"], self.ids.tx_hash("withdrawal", tenant, n)
        self.later.plan(tenant, ev.WITHDRAWAL_SETTLEMENT.name, f"crypto withdrawal {key}",
                        lambda o: self._settle_withdrawal(tenant, key, tx_hash, o))
        return {"withdrawalId": key}

    def _settle_withdrawal(self, tenant: str, key: str, tx_hash: str, outcome: Outcome) -> None:
        """SUCCESSFUL: on chain (its hash); FAILED: amount and fee given back. Either is an event."""
        with self.store.transaction():
            record = self.records["withdrawal"].find(tenant, "key", key)
            if record is None or record["status"] != k.PROCESSING:
                return
            if outcome.outcome == k.SUCCESSFUL:
                changes = {"status": k.SUCCESSFUL, "transactionHash": tx_hash}
            else:
                currency = record["currency"]["currency"]
                refund = Decimal(record["amount"]) + Decimal(record["fee"])
                self.ledger.post(tenant, record["externalUserId"], currency, refund, k.REFUND, key)
                changes = {"status": k.FAILED, "error": {"description": outcome.reason,
                                                         "status": k.TRANSFER_ERROR_STATUS}}
            record = self.records["withdrawal"].update(tenant, record["id"], changes)
        self.later.emit(tenant, ev.crypto_withdrawal(record))

    def withdrawal_details(self, tenant: str, withdrawal_id: str) -> dict:
        record = public(self._find(tenant, "withdrawal", withdrawal_id, e.WITHDRAWAL_NOT_FOUND))
        record["user"] = {"externalUserId": record.pop("externalUserId")}
        return record

    def deposit_crypto(self, tenant: str, external_user_id: str, body: dict) -> dict:
        """Sandbox control: a deposit seen on chain (WAITING_FOR_VERIFICATION), then
        as `crypto_deposit` decides: credited, UNSUCCESSFUL, or held WAITING_FOR_TR_DATA
        until Update Travel Rule releases it. Below the network's minDeposit it is
        UNSUCCESSFUL, and holdForTravelRule holds it, whatever the setting."""
        currency = body["currency"]
        network, _, _ = self._network(currency, body.get("network"))
        amount_fits(currency, body["amount"])
        below_minimum = body["amount"] < Decimal(k.NETWORKS[currency][network][3])
        with self.store.transaction():
            user = self.users.active(tenant, external_user_id, verified=False)
            n = self.records["deposit"].page(tenant, limit=0).total
            record = self._new(tenant, "deposit", {
                "externalUserId": user["externalUserId"], "amount": wire(currency, body["amount"]),
                "currency": currency, "network": network, "status": k.DEPOSIT_SEEN,
                "transactionHash": self.ids.tx_hash("deposit", tenant, n), "travelRule": None})
        key = record["key"]
        self.later.emit(tenant, ev.crypto_deposit(record))
        rule = k.DEPOSIT_UNSUCCESSFUL if below_minimum else k.DEPOSIT_HELD if body["holdForTravelRule"] else None
        self.later.plan(tenant, ev.DEPOSIT_CHECK.name, f"crypto deposit {key}",
                        lambda o: self._settle_deposit(tenant, key, o.outcome), rule)
        return deposit_view(self.records["deposit"].find(tenant, "key", key))

    def _settle_deposit(self, tenant: str, key: str, status: str) -> None:
        with self.store.transaction():
            record = self.records["deposit"].find(tenant, "key", key)
            if record is None or record["status"] != k.DEPOSIT_SEEN:
                return
            record = self.records["deposit"].update(tenant, record["id"], {"status": status})
            if status == k.DEPOSIT_SUCCESSFUL:
                self.ledger.post(tenant, record["externalUserId"], record["currency"], Decimal(record["amount"]),
                                 "CRYPTO_DEPOSIT", key)
        self.later.emit(tenant, ev.crypto_deposit(record))

    def update_travel_rule(self, tenant: str, body: dict) -> dict:
        with self.store.transaction():
            deposit = self._find(tenant, "deposit", body["cryptoDepositId"], e.DEPOSIT_NOT_FOUND)
            user = self.users.active(tenant, deposit["externalUserId"], verified=False)
            if deposit["status"] != k.DEPOSIT_HELD:
                raise e.P100Error.of(e.TRAVEL_RULE_NOT_REQUIRED)
            travel_rule = {key: body[key] for key in ("name", "walletType", "receiverType")}
            updated = self.records["deposit"].update(tenant, deposit["id"], {"status": k.DEPOSIT_SUCCESSFUL,
                                                                             "travelRule": travel_rule})
            self.ledger.post(tenant, user["externalUserId"], deposit["currency"], Decimal(deposit["amount"]),
                             "CRYPTO_DEPOSIT", deposit["key"])
        self.later.emit(tenant, ev.crypto_deposit(updated))
        return deposit_view(updated)

    def deposit_fiat(self, tenant: str, external_user_id: str, body: dict) -> dict:
        """Sandbox control: a SEPA credit to the user's IBAN. The sender
        joins the user's contact list (the IBAN whitelist)."""
        amount_fits("eur", body["amount"])
        with self.store.transaction():
            user = self.users.active(tenant, external_user_id)
            movement = self.ledger.post(tenant, user["externalUserId"], "eur", body["amount"], "FIAT_DEPOSIT",
                                        body["title"] or user["sepaTitle"])
            contact = {"iban": body["senderIban"], "name": body["senderName"]}
            if contact not in user["contacts"]:
                self.users.users.update(tenant, user["id"], {"contacts": [*user["contacts"], contact]})
        return movement_view(movement)

    # -- internal transfers -------------------------------------------------------------------------
    def transfer(self, tenant: str, body: dict) -> dict:
        source, destination = body.get("sourceExternalUserId"), body.get("destinationExternalUserId")
        if source is None and destination is None:
            raise e.P100Error.of(e.SOURCE_OR_DESTINATION)
        if source is not None and destination is not None:
            raise e.P100Error.of(e.USER_TO_USER)
        currency, amount = body["currency"], body["amount"]
        amount_fits(currency, amount)
        with self.store.transaction():
            user = self.users.active(tenant, source or destination)
            debit = user["externalUserId"] if source else k.PARTNER
            record = self._new(tenant, "transfer", {
                "sourceExternalUserId": source, "destinationExternalUserId": destination,
                "sourceEmail": user["email"] if source else None, "destinationEmail": None if source else user["email"],
                "amount": wire(currency, amount), "currency": currency, "status": k.PROCESSING, "error": None})
            self.ledger.post(tenant, debit, currency, -amount, "TRANSFER", record["key"])  # P433 now (documented)
        key = record["key"]
        self.later.plan(tenant, ev.TRANSFER_SETTLEMENT.name, f"transfer {key}",
                        lambda o: self._settle_transfer(tenant, key, o))
        return {"transferId": key}

    def _settle_transfer(self, tenant: str, key: str, outcome: Outcome) -> None:
        """SUCCESSFUL credits the other side; FAILED gives the debited side its amount back. Either is an event."""
        with self.store.transaction():
            record = self.records["transfer"].find(tenant, "key", key)
            if record is None or record["status"] != k.PROCESSING:
                return
            source, destination = record["sourceExternalUserId"], record["destinationExternalUserId"]
            amount, currency = Decimal(record["amount"]), record["currency"]
            if outcome.outcome == k.SUCCESSFUL:
                self.ledger.post(tenant, destination or k.PARTNER, currency, amount, "TRANSFER", key)
                changes = {"status": k.SUCCESSFUL}
            else:
                self.ledger.post(tenant, source or k.PARTNER, currency, amount, k.REFUND, key)
                changes = {"status": k.FAILED, "error": {"description": outcome.reason,
                                                         "status": k.TRANSFER_ERROR_STATUS}}
            record = self.records["transfer"].update(tenant, record["id"], changes)
        self.later.emit(tenant, ev.transfer(record))

    def transfer_details(self, tenant: str, transfer_id: str) -> dict:
        return public(self._find(tenant, "transfer", transfer_id, e.TRANSFER_NOT_FOUND))

    # -- partner and history ------------------------------------------------------------------------
    def partner_balances(self, tenant: str) -> dict:
        return {"balances": {c: wire(c, self.ledger.balance(tenant, k.PARTNER, c)) for c in k.CURRENCIES}}

    def set_partner_balances(self, tenant: str, balances: dict) -> dict:
        """Sandbox control: set the partner's own balances, each change an ADJUSTMENT movement."""
        for currency, target in balances.items():
            amount_fits(currency, target, f"balances.{currency}")
        with self.store.transaction():
            for currency, target in balances.items():
                delta = target - self.ledger.balance(tenant, k.PARTNER, currency)
                if delta:
                    self.ledger.post(tenant, k.PARTNER, currency, delta, "ADJUSTMENT", "sandbox")
        return self.partner_balances(tenant)

    def history(self, tenant: str, external_user_id: str, query: dict) -> dict:
        self.users.get(tenant, external_user_id)
        page, limit = query["page"], query["limit"]
        items, total = self.ledger.history(tenant, external_user_id, (page - 1) * limit, limit)
        return {"transactions": [movement_view(m) for m in items], "page": page, "limit": limit, "total": total}


def public(record: dict) -> dict:
    """A stored operation as the API shows it: its key is its id."""
    shown = {key: value for key, value in record.items() if key not in ("id", "key", "used")}
    return {"id": record["key"], **shown}


def deposit_view(record: dict) -> dict:
    return {"cryptoDepositId": record["key"], "externalUserId": record["externalUserId"],
            "amount": record["amount"], "currency": record["currency"], "network": record["network"],
            "status": record["status"], "transactionHash": record["transactionHash"], "createdAt": record["createdAt"]}


def movement_view(m: dict) -> dict:
    currency = m["currency"]
    return {"transactionId": m["transactionId"], "type": m["type"], "currency": currency,
            "amount": wire(currency, Decimal(m["amount"])), "balanceAfter": wire(currency, Decimal(m["balanceAfter"])),
            "reference": m["reference"], "createdAt": m["createdAt"]}
