"""Every money operation of a partner's users over the one ledger: deposits
(sandbox controls), rates and locks, exchanges, SEPA, crypto withdrawals,
internal transfers partner <-> user. Each operation is one store
transaction: its checks, its records and its movements stand or fall
together. The sandbox settles at once (statuses are final on creation)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from sandbox.core.context import Context
from sandbox.core.store import Collection, Index
from sandbox.providers.p100 import constants as k
from sandbox.providers.p100 import errors as e
from sandbox.providers.p100.services.ids import Ids, p100_time
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
                 rates: dict[str, Decimal]):
        self.store = context.store
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
        only in the details); insufficient funds make it FAILED, debiting nothing."""
        amount_fits("eur", body["amount"])
        with self.store.transaction():
            user = self.users.active(tenant, body["sourceExternalUserId"])
            ext = user["externalUserId"]
            fee = k.SEPA_FEE
            funded = self.ledger.balance(tenant, ext, "eur") >= body["amount"] + fee
            record = self._new(tenant, "sepa", {
                "externalUserId": ext, "type": "external", "amount": wire("eur", body["amount"]),
                "transferTitle": body["transferTitle"], "destinationIban": body["destinationIban"],
                "receiverFirstName": body.get("receiverFirstName"), "receiverLastName": body.get("receiverLastName"),
                "companyName": body.get("companyName"), "receiverType": body.get("receiverType"),
                "status": k.SEPA_SUCCESSFUL if funded else k.SEPA_FAILED, "currency": "eur", "fee": int(fee),
                "error": None if funded else {"errorCode": e.INSUFFICIENT_FUNDS.code,
                                              "errorName": e.INSUFFICIENT_FUNDS.extra["name"]}})
            if funded:
                self.ledger.post(tenant, ext, "eur", -body["amount"], "SEPA_TRANSFER", record["key"])
                self.ledger.post(tenant, ext, "eur", -fee, "SEPA_FEE", record["key"])
        return {"transferId": record["key"]}

    def sepa_details(self, tenant: str, transfer_id: str) -> dict:
        record = public(self._find(tenant, "sepa", transfer_id, e.SEPA_NOT_FOUND))
        user = self.users.users.find(tenant, "external", record.pop("externalUserId"))
        record["user"] = {"externalUserId": user["externalUserId"], "email": user["email"],
                          "firstName": user["firstName"], "lastName": user["lastName"], "city": user["city"],
                          "country": user["country"]}
        return record

    # -- crypto -----------------------------------------------------------------------------------
    def network_fee(self, query: dict) -> dict:
        return {"networkFee": number(self._network(query["currency"], query.get("network"))[1])}

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
                "status": k.WITHDRAWAL_STATUS, "transactionHash": self.ids.tx_hash("withdrawal", tenant, n),
                "currency": {"currency": currency, "network": network}})
            self.ledger.post(tenant, ext, currency, -body["amount"], "CRYPTO_WITHDRAWAL", record["key"])
            self.ledger.post(tenant, ext, currency, -fee, "WITHDRAWAL_FEE", record["key"])
        return {"withdrawalId": record["key"]}

    def withdrawal_details(self, tenant: str, withdrawal_id: str) -> dict:
        record = public(self._find(tenant, "withdrawal", withdrawal_id, e.WITHDRAWAL_NOT_FOUND))
        record["user"] = {"externalUserId": record.pop("externalUserId")}
        return record

    def deposit_crypto(self, tenant: str, external_user_id: str, body: dict) -> dict:
        """Sandbox control: a deposit seen on chain, credited at once, or held
        WAITING_FOR_TR_DATA until Update Travel Rule releases it, or
        UNSUCCESSFUL (never credited) below the network's minDeposit."""
        currency = body["currency"]
        network, _, _ = self._network(currency, body.get("network"))
        amount_fits(currency, body["amount"])
        below_minimum = body["amount"] < Decimal(k.NETWORKS[currency][network][3])
        with self.store.transaction():
            user = self.users.active(tenant, external_user_id, verified=False)
            held = body["holdForTravelRule"] and not below_minimum
            n = self.records["deposit"].page(tenant, limit=0).total
            record = self._new(tenant, "deposit", {
                "externalUserId": user["externalUserId"], "amount": wire(currency, body["amount"]),
                "currency": currency, "network": network,
                "status": "UNSUCCESSFUL" if below_minimum else "WAITING_FOR_TR_DATA" if held else "SUCCESSFUL",
                "transactionHash": self.ids.tx_hash("deposit", tenant, n), "travelRule": None})
            if not held and not below_minimum:
                self.ledger.post(tenant, user["externalUserId"], currency, body["amount"], "CRYPTO_DEPOSIT",
                                 record["key"])
        return deposit_view(record)

    def update_travel_rule(self, tenant: str, body: dict) -> dict:
        with self.store.transaction():
            deposit = self._find(tenant, "deposit", body["cryptoDepositId"], e.DEPOSIT_NOT_FOUND)
            user = self.users.active(tenant, deposit["externalUserId"], verified=False)
            if deposit["status"] != "WAITING_FOR_TR_DATA":
                raise e.P100Error.of(e.TRAVEL_RULE_NOT_REQUIRED)
            travel_rule = {key: body[key] for key in ("name", "walletType", "receiverType")}
            updated = self.records["deposit"].update(tenant, deposit["id"], {"status": "SUCCESSFUL",
                                                                             "travelRule": travel_rule})
            self.ledger.post(tenant, user["externalUserId"], deposit["currency"], Decimal(deposit["amount"]),
                             "CRYPTO_DEPOSIT", deposit["key"])
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
            debit, credit = (user["externalUserId"], k.PARTNER) if source else (k.PARTNER, user["externalUserId"])
            record = self._new(tenant, "transfer", {
                "sourceExternalUserId": source, "destinationExternalUserId": destination,
                "sourceEmail": user["email"] if source else None, "destinationEmail": None if source else user["email"],
                "amount": wire(currency, amount), "currency": currency, "status": k.TRANSFER_STATUS, "error": None})
            self.ledger.post(tenant, debit, currency, -amount, "TRANSFER", record["key"])
            self.ledger.post(tenant, credit, currency, amount, "TRANSFER", record["key"])
        return {"transferId": record["key"]}

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
