"""The `p100:` section of a scenario file: the partners' API keys with their
own balances (the other side of internal transfers), and optionally the
fixed rate table (EUR value of one unit) so tests can predict exchanges.

    p100:
      api_keys:
        - api_key: p100-sandbox-api-key
          partner_balances: {eur: "10000.00", btc: "1.00000000"}
          webhooks: {url: "http://127.0.0.1:9000/hooks", secret: my-token}   # optional: where its events go
          outcomes: {kyc: {progression: after, delay: PT10M, outcome: SUCCESSFUL}}   # optional (events.py kinds)
          users:                                 # optional; every field optional, Faker fills the rest
            - external_user_id: alice
              email: alice@example.pl
              first_name: Alicja
              last_name: Nowak
              country: PL                        # citizenship: the same unless given
              kyc: {verification_status: VERIFIED, attempt_status: SUCCESSFUL}   # omitted: no KYC yet
              poa_status: APPROVED               # optional: WAITING | APPROVED | REJECTED | QUESTIONED
              verified: true                     # Add User Verification done: fiat ACTIVE, IBAN (needs VERIFIED)
              history:                           # deposits on the user's ledger, oldest first
                - {currency: eur, amount: "100.00"}
              balances: {eur: "150.00", btc: "0.01000000"}   # one more deposit each (eur needs verified)
              kyc_verifications: [{document_type: PASSPORT}]   # Creating KYC Verification (Method B) calls
              crypto_deposits:                   # sandbox deposits; hold_for_travel_rule: WAITING_FOR_TR_DATA
                - {currency: eth, amount: "0.5", hold_for_travel_rule: true}
              exchanges: [{currency_from: btc, currency_to: eur, amount: "0.001"}]   # a lock, then the exchange
              rate_locks:                        # standing locks (expires_in_seconds: the inferred TTL unless given)
                - {currency_from: btc, currency_to: eur, amount: "0.01", expires_in_seconds: 315360000}
              sepa_transfers: [{amount: "10.00", destination_iban: LT601010012345678901, transfer_title: Rent}]
              crypto_withdrawals: [{currency: btc, amount: "0.001", wallet_address: tb1q..., name: Jan Kowalski}]
              transfers: [{direction: to_user, currency: eur, amount: "25.00"}]   # or to_partner
              status: ACTIVE                     # ACTIVE | SUSPENDED | DELETED
            - generate: 1000                     # 1000 users like this one, ids, names and emails generated
      rates: {btc: "100000", eth: "3000"}      # optional; constants.DEFAULT_RATES
"""

from __future__ import annotations

from decimal import Decimal

import pycountry
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from sandbox.core.fields import decimal_from_text
from sandbox.core.outcomes import outcome_schema
from sandbox.core.webhooks import TargetSchema
from sandbox.providers.p100 import constants as k
from sandbox.providers.p100 import events
from sandbox.providers.p100.services.ledger import fits

USER_STATUSES = ("ACTIVE", "SUSPENDED", "DELETED")
MAX_GENERATED = 1_000_000
SMALLEST_AMOUNT = Decimal("0.000000000001")


class _Amount(fields.Decimal):
    """A YAML number, or a decimal written in ASCII digits ("١٠" is not ten here either)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and decimal_from_text(value) is None:
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _positive_amount():
    return _Amount(required=True, validate=validate.Range(min=SMALLEST_AMOUNT, max=k.MAX_AMOUNT))


def _amounts(positive: bool):
    low = SMALLEST_AMOUNT if positive else Decimal(0)
    return fields.Dict(keys=fields.String(validate=validate.OneOf(k.CURRENCIES)),
                       values=_Amount(validate=validate.Range(min=low, max=k.MAX_AMOUNT)), load_default=dict)


def _addressable(value: str) -> None:
    if not k.addressable(value):
        raise ValidationError("cannot travel in a path: no / or \\, not " + ", ".join(k.UNADDRESSABLE_USER_IDS))


def _too_many_decimals(currency: str) -> str:
    return f"{currency} takes at most {k.DECIMALS[currency]} decimals"


def _check_decimals(amounts: dict, field: str) -> None:
    for currency, amount in amounts.items():
        if not fits(currency, amount):
            raise ValidationError({currency: [_too_many_decimals(currency)]}, field)


def _country(value: str) -> None:
    if len(value) != 2 or not value.isupper() or pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError("must be an ISO 3166 alpha-2 country code")


class KycSpecSchema(Schema):
    verification_status = fields.String(load_default="NOT_VERIFIED", validate=validate.OneOf(k.VERIFICATION_STATUSES))
    attempt_status = fields.String(load_default="PENDING", validate=validate.OneOf(k.ATTEMPT_STATUSES))
    rejection_reason = fields.String(load_default=None)


class MovementSpecSchema(Schema):
    currency = fields.String(required=True, validate=validate.OneOf(k.CURRENCIES))
    amount = _positive_amount()

    @validates_schema
    def _decimals(self, data, **kwargs):
        if not fits(data["currency"], data["amount"]):
            raise ValidationError(_too_many_decimals(data["currency"]), "amount")


class VerificationSpecSchema(Schema):
    document_type = fields.String(load_default="PASSPORT", validate=validate.OneOf(k.DOCUMENT_TYPES))


class CryptoDepositSpecSchema(Schema):
    currency = fields.String(required=True, validate=validate.OneOf(k.CRYPTO))
    amount = _positive_amount()
    network = fields.String(load_default=None)
    hold_for_travel_rule = fields.Boolean(load_default=False)


class LockSpecSchema(Schema):
    currency_from = fields.String(required=True, validate=validate.OneOf(k.CURRENCIES))
    currency_to = fields.String(required=True, validate=validate.OneOf(k.CURRENCIES))
    amount = _positive_amount()
    expires_in_seconds = fields.Integer(load_default=k.RATE_LOCK_SECONDS, validate=validate.Range(1, 10 ** 10))


class SepaSpecSchema(Schema):
    amount = _positive_amount()
    destination_iban = fields.String(load_default="LT601010012345678901")
    transfer_title = fields.String(load_default="Sandbox transfer", validate=validate.Length(1, 140))


class WithdrawalSpecSchema(Schema):
    currency = fields.String(required=True, validate=validate.OneOf(k.CRYPTO))
    amount = _positive_amount()
    network = fields.String(load_default=None)
    wallet_address = fields.String(load_default="tb1qsandboxwallet", validate=validate.Length(1, 200))
    name = fields.String(load_default="Sandbox Receiver", validate=validate.Length(1, 200))
    wallet_type = fields.String(load_default="NON_CUSTODIAL", validate=validate.OneOf(k.WALLET_TYPES))
    receiver_type = fields.String(load_default="NATURAL", validate=validate.OneOf(k.RECEIVER_TYPES))


class TransferSpecSchema(Schema):
    direction = fields.String(required=True, validate=validate.OneOf(("to_user", "to_partner")))
    currency = fields.String(required=True, validate=validate.OneOf(k.CURRENCIES))
    amount = _positive_amount()


class UserSpecSchema(Schema):
    external_user_id = fields.String(load_default=None, validate=[validate.Length(1, 100), _addressable])
    email = fields.Email(load_default=None)
    first_name = fields.String(load_default=None, validate=validate.Length(1, 100))
    last_name = fields.String(load_default=None, validate=validate.Length(1, 100))
    country = fields.String(load_default="PL", validate=_country)
    citizenship = fields.String(load_default=None, validate=_country)
    kyc = fields.Nested(KycSpecSchema, load_default=None)
    poa_status = fields.String(load_default=None, validate=validate.OneOf(k.POA_STATUSES))
    verified = fields.Boolean(load_default=False)
    history = fields.List(fields.Nested(MovementSpecSchema), load_default=list)
    balances = _amounts(positive=False)
    kyc_verifications = fields.List(fields.Nested(VerificationSpecSchema), load_default=list)
    crypto_deposits = fields.List(fields.Nested(CryptoDepositSpecSchema), load_default=list)
    exchanges = fields.List(fields.Nested(LockSpecSchema), load_default=list)
    rate_locks = fields.List(fields.Nested(LockSpecSchema), load_default=list)
    sepa_transfers = fields.List(fields.Nested(SepaSpecSchema), load_default=list)
    crypto_withdrawals = fields.List(fields.Nested(WithdrawalSpecSchema), load_default=list)
    transfers = fields.List(fields.Nested(TransferSpecSchema), load_default=list)
    status = fields.String(load_default="ACTIVE", validate=validate.OneOf(USER_STATUSES))
    generate = fields.Integer(load_default=None, validate=validate.Range(1, MAX_GENERATED))

    @validates_schema
    def _consistent(self, data, **kwargs):
        _check_decimals(data["balances"], "balances")
        if data["verified"] and (data["kyc"] or {}).get("verification_status") != "VERIFIED":
            raise ValidationError("Add User Verification needs kyc.verification_status: VERIFIED", "verified")
        fiat = [m for m in data["history"] if m["currency"] in k.FIAT] + [c for c in data["balances"] if c in k.FIAT]
        if fiat and not data["verified"]:
            raise ValidationError("a euro deposit needs verified: true (the user's IBAN)", "balances")
        if data["generate"] and (data["external_user_id"] or data["email"]):
            raise ValidationError("generated users get their own id and email", "generate")
        money = ("exchanges", "rate_locks", "sepa_transfers", "crypto_withdrawals", "transfers")
        if any(data[name] for name in money) and not data["verified"]:
            raise ValidationError("money operations need verified: true", next(n for n in money if data[n]))


class ApiKeySchema(Schema):
    api_key = fields.String(required=True, validate=validate.Length(min=1, max=200))
    partner_balances = _amounts(positive=False)
    users = fields.List(fields.Nested(UserSpecSchema), load_default=list)
    webhooks = fields.Nested(TargetSchema, load_default=None)
    outcomes = fields.Nested(outcome_schema(events.OUTCOMES), load_default=None)

    @validates_schema
    def _decimals(self, data, **kwargs):
        _check_decimals(data["partner_balances"], "partner_balances")
        seen = set()
        for n, user in enumerate(data["users"]):
            if user["external_user_id"] in seen:
                raise ValidationError({n: {"external_user_id": ["ids must be unique for an api key"]}}, "users")
            if user["external_user_id"]:
                seen.add(user["external_user_id"])


class P100ScenarioSchema(Schema):
    api_keys = fields.List(fields.Nested(ApiKeySchema), load_default=list)
    rates = _amounts(positive=True)

    @validates_schema
    def _unique_keys(self, data, **kwargs):
        keys = [a["api_key"] for a in data["api_keys"]]
        if len(set(keys)) != len(keys):
            raise ValidationError("api keys must be unique", field_name="api_keys")


def load(runtime, section: dict) -> None:
    runtime.partners.load(a["api_key"] for a in section["api_keys"])
    runtime.rates.update(section["rates"])
    with runtime.later.seeded():  # the scenario's records are history: no event, decided as by default
        for spec in section["api_keys"]:
            _load_api_key(runtime, spec)
    for spec in section["api_keys"]:
        if spec["webhooks"]:
            runtime.context.callbacks.configure(spec["api_key"], spec["webhooks"]["url"], spec["webhooks"]["secret"])
        if spec["outcomes"]:
            runtime.context.outcomes.set(spec["api_key"], spec["outcomes"])


def _load_api_key(runtime, spec: dict) -> None:
    """One API key's partner balances and users."""
    if spec["partner_balances"]:
        runtime.money.set_partner_balances(spec["api_key"], spec["partner_balances"])
    generated = 0
    for n, user in enumerate(spec["users"]):
        if user["generate"]:
            _generate(runtime, spec["api_key"], n, user, generated)
            generated += user["generate"]
        else:
            first, last, email = user["first_name"], user["last_name"], user["email"]
            if not (first and last and email):  # Faker (~0.2 s to load) only for what the scenario leaves out
                with runtime.context.fakes.seeded("p100.seed", spec["api_key"], n) as fake:
                    drawn = fake.first_name(), fake.last_name()
                first, last = first or drawn[0], last or drawn[1]
                email = email or f"{drawn[0]}.{drawn[1]}.{n + 1}@users.example".lower()
            _seed(runtime, spec["api_key"], user, user["external_user_id"] or f"seed-{n + 1:03d}", first, last, email)


def _generate(runtime, tenant: str, n: int, spec: dict, offset: int) -> None:
    """`generate` users: Faker's names drawn once, picked by a seeded random."""
    fakes = runtime.context.fakes
    firsts, lasts = fakes.name_pool("p100.generate", tenant, n)
    pick = fakes.rng("p100.generate", tenant, n)
    for i in range(offset + 1, offset + spec["generate"] + 1):
        _seed(runtime, tenant, spec, f"gen-{i:06d}", spec["first_name"] or pick.choice(firsts),
              spec["last_name"] or pick.choice(lasts), f"gen-{i:06d}@users.example")


def _seed(runtime, tenant: str, spec: dict, external_user_id: str, first: str, last: str, email: str) -> None:
    """One user through the user service, moved to its KYC state; its deposits on the ledger."""
    users, ledger = runtime.users, runtime.ledger
    users.create(tenant, {"externalUserId": external_user_id, "email": email, "firstName": first, "lastName": last,
                          "country": spec["country"], "citizenship": spec["citizenship"] or spec["country"]})
    for verification in spec["kyc_verifications"]:  # before the KYC state: creating one makes the attempt PENDING
        users.create_verification(tenant, {
            "externalUserId": external_user_id, "documentType": verification["document_type"],
            "country": spec["country"], "incomeSource": "SALARY", "openAccountReason": "DAILY_USE",
            "occupation": "IT", "additionalInfo": "scenario"})
    if spec["kyc"] or spec["poa_status"]:
        kyc = spec["kyc"] or {}
        users.set_kyc(tenant, external_user_id, {
            "verificationStatus": kyc.get("verification_status"), "attemptStatus": kyc.get("attempt_status"),
            "rejectionReason": kyc.get("rejection_reason"), "poaStatus": spec["poa_status"]})
    if spec["verified"]:
        document_number = runtime.context.fakes.token("p100.document", tenant, external_user_id, length=9).upper()
        users.add_user_verification(tenant, {"externalUserId": external_user_id, "documentType": "PASSPORT",
                                             "documentNumber": document_number})
    deposits = [*spec["history"], *({"currency": c, "amount": a} for c, a in spec["balances"].items() if a)]
    for deposit in deposits:
        kind = "FIAT_DEPOSIT" if deposit["currency"] in k.FIAT else "CRYPTO_DEPOSIT"
        ledger.post(tenant, external_user_id, deposit["currency"], deposit["amount"], kind, "scenario")
    _operations(runtime, tenant, external_user_id, spec)
    if spec["status"] != "ACTIVE":
        users.set_status(tenant, external_user_id, spec["status"])


def _operations(runtime, tenant: str, user: str, spec: dict) -> None:
    """The user's operations, made through the money service as the API makes them (ids as the API's)."""
    money = runtime.money
    for deposit in spec["crypto_deposits"]:
        money.deposit_crypto(tenant, user, {"currency": deposit["currency"], "amount": deposit["amount"],
                                            "network": deposit["network"],
                                            "holdForTravelRule": deposit["hold_for_travel_rule"]})
    for exchange in spec["exchanges"]:
        lock = money.lock(tenant, _lock_query(user, exchange))
        money.exchange(tenant, {"externalUserId": user, "amount": exchange["amount"],
                                "currencyFrom": exchange["currency_from"], "currencyTo": exchange["currency_to"],
                                "lockId": lock["lockId"]})
    for lock in spec["rate_locks"]:
        money.lock(tenant, _lock_query(user, lock), seconds=lock["expires_in_seconds"])
    for sepa in spec["sepa_transfers"]:
        money.sepa_transfer(tenant, {"sourceExternalUserId": user, "amount": sepa["amount"],
                                     "destinationIban": sepa["destination_iban"],
                                     "transferTitle": sepa["transfer_title"]})
    for withdrawal in spec["crypto_withdrawals"]:
        money.withdraw(tenant, {"sourceExternalUserId": user, "currency": withdrawal["currency"],
                                "amount": withdrawal["amount"], "network": withdrawal["network"],
                                "walletAddress": withdrawal["wallet_address"], "name": withdrawal["name"],
                                "walletType": withdrawal["wallet_type"], "receiverType": withdrawal["receiver_type"]})
    for transfer in spec["transfers"]:
        side = "destinationExternalUserId" if transfer["direction"] == "to_user" else "sourceExternalUserId"
        money.transfer(tenant, {side: user, "currency": transfer["currency"], "amount": transfer["amount"]})


def _lock_query(user: str, spec: dict) -> dict:
    return {"externalUserId": user, "currencyFrom": spec["currency_from"], "currencyTo": spec["currency_to"],
            "amount": spec["amount"]}


def credentials(section: dict) -> list[str]:
    return [f"x-api-key: {a['api_key']}" for a in section["api_keys"]]
