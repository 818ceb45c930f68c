"""The `weavr:` section of a scenario file: the api-keys (tenants) with their
consumer profile, fee groups and fee amounts, and what the programme allows.

    weavr:
      currencies: [EUR, GBP, USD]          # baseCurrency and managed accounts
      countries: [GB, DE, FR, ...]         # supported address countries (ISO alpha-2)
      blocked_email_domains: [blocked.example]
      api_keys:
        - api_key: weavr-sandbox-api-key
          consumer_profile_id: "1011"
          fee_groups: [DEFAULT]            # optional, default [DEFAULT]
          fees:                            # fee type (at most 50 characters) -> amount per currency, minor units
            PRINTED_CARD_ACCOUNT_STATEMENT: {EUR: 150, GBP: 120}
          webhooks: {url: "http://127.0.0.1:9000/hooks"}   # optional; events are signed with the api-key
          outcomes:                        # optional: how KYC and fee charges are decided (events.py)
            kyc: {progression: after, delay: PT10M, outcome: APPROVED}
          consumers:                       # optional; every field optional, Faker fills the rest
            - email: ada@example.com
              name: Ada
              surname: Lovelace
              email_verified: true         # default: true once KYC has started, else false
              email_code_sent: false       # unverified email: the code (123456) already sent, so verify works
              kyc: APPROVED                # NOT_STARTED | INITIATED | PENDING_REVIEW | APPROVED | REJECTED
              kyc_level: KYC_LEVEL_2
              password: Passw0rd!          # optional: lets the consumer log in
              fee_group: DEFAULT
              accounts: [{currency: EUR, balance: 1000}]   # managed accounts, minor units
            - generate: 500                # 500 consumers like this one, names and emails generated
              kyc: INITIATED
"""

from __future__ import annotations

import pycountry
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from sandbox.core.fields import no_control_characters
from sandbox.core.outcomes import outcome_schema
from sandbox.core.webhooks import TargetSchema
from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr import events as ev
from sandbox.providers.weavr.runtime import WeavrRuntime
from sandbox.providers.weavr.services.auth import Caller, ConsumerCaller, Programme, password_problem
from sandbox.providers.weavr.services.consumers import Rules

CURRENCY_CODE = r"^[A-Z]{3}\Z"
_CURRENCY = fields.String(validate=validate.Regexp(CURRENCY_CODE))
MAX_GENERATED = 1_000_000


def _country(value: str) -> None:
    if len(value) != 2 or not value.isupper() or pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError("must be an ISO 3166 alpha-2 country code")


class AccountSpecSchema(Schema):
    currency = fields.String(required=True, validate=validate.Regexp(CURRENCY_CODE))
    balance = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=k.INT64_MAX))


class ConsumerSpecSchema(Schema):
    email = fields.Email(load_default=None, validate=no_control_characters)
    name = fields.String(load_default=None, validate=[validate.Length(1, 20), no_control_characters])
    surname = fields.String(load_default=None, validate=[validate.Length(1, 20), no_control_characters])
    email_verified = fields.Boolean(load_default=None)
    email_code_sent = fields.Boolean(load_default=False)
    kyc = fields.String(load_default=k.NOT_STARTED, validate=validate.OneOf(k.KYC.states))
    kyc_level = fields.String(load_default=k.DEFAULT_KYC_LEVEL, validate=validate.OneOf(k.KYC_LEVELS))
    password = fields.String(load_default=None, validate=[validate.Length(k.PASSWORD_MIN, k.PASSWORD_MAX),
                                                          no_control_characters])
    fee_group = fields.String(load_default=None)
    country = fields.String(load_default="GB", validate=_country)
    accounts = fields.List(fields.Nested(AccountSpecSchema), load_default=list)
    generate = fields.Integer(load_default=None, validate=validate.Range(1, MAX_GENERATED))

    @validates_schema
    def _consistent(self, data, **kwargs):
        started = data["kyc"] != k.NOT_STARTED
        if data["email_verified"] is False and started:
            raise ValidationError("KYC starts only once the email is verified", "email_verified")
        if data["generate"] and (data["email"] or data["password"]):
            raise ValidationError("generated consumers get their own email (and no password)", "generate")
        refused = password_problem(data["password"]) if data["password"] else None
        if refused is not None:
            raise ValidationError(f"the password policy refuses it ({refused.code})", "password")


class ApiKeySchema(Schema):
    api_key = fields.String(required=True, validate=validate.Length(min=1))
    consumer_profile_id = fields.String(required=True, validate=validate.Regexp(r"^[0-9]+\Z"))
    fee_groups = fields.List(fields.String(), load_default=lambda: [k.DEFAULT_FEE_GROUP])
    # a fee type is the /fees/watch event's feeSubType: at most 50 characters [spec]
    fees = fields.Dict(keys=fields.String(validate=[validate.Length(1, ev.FEE_SUB_TYPE_MAX), no_control_characters]),
                       values=fields.Dict(keys=_CURRENCY, values=fields.Integer(
                           strict=True, validate=validate.Range(min=0, max=k.INT64_MAX))), load_default=dict)
    consumers = fields.List(fields.Nested(ConsumerSpecSchema), load_default=list)
    webhooks = fields.Nested(TargetSchema, load_default=None)
    outcomes = fields.Nested(outcome_schema(ev.OUTCOMES), load_default=None)

    @validates_schema
    def _consumers_fit(self, data, **kwargs):
        seen = set()
        for n, consumer in enumerate(data["consumers"]):
            email = (consumer["email"] or "").casefold()
            if email and email in seen:
                raise ValidationError({n: {"email": ["emails must be unique for an api key"]}}, "consumers")
            seen.add(email)
            if consumer["fee_group"] and consumer["fee_group"] not in data["fee_groups"]:
                raise ValidationError({n: {"fee_group": ["not one of this api key's fee_groups"]}}, "consumers")


class WeavrScenarioSchema(Schema):
    currencies = fields.List(_CURRENCY, load_default=lambda: list(k.DEFAULT_CURRENCIES))
    countries = fields.List(fields.String(validate=_country),
                            load_default=lambda: list(k.DEFAULT_COUNTRIES))
    blocked_email_domains = fields.List(fields.String(), load_default=list)
    api_keys = fields.List(fields.Nested(ApiKeySchema), load_default=list)

    @validates_schema
    def _unique_keys(self, data, **kwargs):
        keys = [a["api_key"] for a in data["api_keys"]]
        if len(set(keys)) != len(keys):
            raise ValidationError("api keys must be unique", field_name="api_keys")


def load(runtime: WeavrRuntime, section: dict) -> None:
    """The section as a state: seeding sends no event and plans nothing."""
    with runtime.notify.quiet():
        _load(runtime, section)


def _load(runtime: WeavrRuntime, section: dict) -> None:
    runtime.consumers.rules = Rules(
        currencies=frozenset(section["currencies"]), countries=frozenset(section["countries"]),
        blocked_email_domains=frozenset(d.casefold() for d in section["blocked_email_domains"]))
    runtime.auth.programmes = {
        a["api_key"]: Programme(a["api_key"], a["consumer_profile_id"], frozenset(a["fee_groups"]), a["fees"])
        for a in section["api_keys"]
    }
    for spec in section["api_keys"]:
        caller = Caller(runtime.auth.programmes[spec["api_key"]])
        if spec["webhooks"]:
            runtime.context.callbacks.configure(caller.tenant, spec["webhooks"]["url"], spec["webhooks"]["secret"])
        if spec["outcomes"]:
            runtime.context.outcomes.set(caller.tenant, spec["outcomes"])
        generated = 0
        for n, consumer in enumerate(spec["consumers"]):
            if consumer["generate"]:
                _generate(runtime, caller, n, consumer, generated)
                generated += consumer["generate"]
            else:
                first, last, email = consumer["name"], consumer["surname"], consumer["email"]
                if not (first and last and email):  # Faker (~0.2 s to load) only for what the scenario leaves out
                    with runtime.context.fakes.seeded("weavr.seed", caller.tenant, n) as fake:
                        drawn = fake.first_name()[:20], fake.last_name()[:20]
                    first, last = first or drawn[0], last or drawn[1]
                    email = email or f"{drawn[0]}.{drawn[1]}.{n + 1}@consumers.example".lower()
                _seed(runtime, caller, consumer, first, last, email)


def _generate(runtime: WeavrRuntime, caller: Caller, n: int, spec: dict, offset: int) -> None:
    """`generate` consumers: Faker's names drawn once, picked by a seeded random."""
    fakes = runtime.context.fakes
    firsts, lasts = fakes.name_pool("weavr.generate", caller.tenant, n)
    pick = fakes.rng("weavr.generate", caller.tenant, n)
    for i in range(offset + 1, offset + spec["generate"] + 1):
        _seed(runtime, caller, spec, spec["name"] or pick.choice(firsts)[:20],
              spec["surname"] or pick.choice(lasts)[:20], f"gen-{i:06d}@consumers.example")


def _seed(runtime: WeavrRuntime, caller: Caller, spec: dict, name: str, surname: str, email: str) -> None:
    """One consumer through the consumer service, moved to its email and KYC state the way the API would."""
    consumers = runtime.consumers
    body = {"profileId": caller.programme.profile_id, "ipAddress": "127.0.0.1",
            "rootUser": {"name": name, "surname": surname, "email": email,
                         "mobile": {"countryCode": "+44", "number": "7700900123"},
                         "dateOfBirth": {"year": 1990, "month": 1, "day": 1},
                         "address": {"addressLine1": "1 Main Street", "city": "London", "postCode": "N1 9GU",
                                     "country": spec["country"]}}}
    if spec["fee_group"]:
        body["feeGroup"] = spec["fee_group"]
    consumer_id = int(consumers.create(caller, body, seeding=True)["id"]["id"])
    if spec["password"]:
        consumers.create_password(caller, str(consumer_id), spec["password"])
    kyc = spec["kyc"]
    verified = spec["email_verified"] if spec["email_verified"] is not None else kyc != k.NOT_STARTED
    if verified or spec["email_code_sent"]:
        consumers.send_verification(caller, email)
    if verified:
        consumers.verify_email(caller, email, k.SANDBOX_VERIFICATION_CODE)
    if kyc != k.NOT_STARTED:
        consumers.start_kyc(ConsumerCaller(caller.programme, consumer_id), spec["kyc_level"])
    if kyc in (k.PENDING_REVIEW, k.REJECTED):
        consumers.decide_kyc(caller, consumer_id, k.PENDING_REVIEW)
    if kyc in (k.APPROVED, k.REJECTED):
        consumers.decide_kyc(caller, consumer_id, kyc)
    for account in spec["accounts"]:
        runtime.money.add_account(caller, consumer_id, account["currency"], account["balance"])


def credentials(section: dict) -> list[str]:
    return [f"api-key {a['api_key']} (also the simulator's programme-key) / consumer profile "
            f"{a['consumer_profile_id']}" for a in section["api_keys"]]
