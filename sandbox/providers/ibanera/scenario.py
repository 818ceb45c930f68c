"""The `ibanera:` section of a scenario file: managers (credentials, and
optionally their webhook endpoint and how their managees' KYC is decided)
and, optionally, managees already onboarded in a given KYC state with a
balance (seeded quietly: no KYC planned, no callback).

    ibanera:
      supported_countries: [USA, GBR]      # optional; constants.DEFAULT_SUPPORTED_COUNTRIES
      managers:
        - username: manager@example.com
          password: sandbox-password
          totp_secret: 3S3QY26KJEEBY4FPBER5NCOMBZQMT3N4    # base32
          widget_client: true              # optional, default false
          status: active                   # active | not_verified | suppressed
          webhooks:                        # optional: where its callbacks go, and its hash secret
            url: http://127.0.0.1:9000/hooks
            secret: my-hash-secret
          outcomes:                        # optional: how its managees' KYC is decided (manual by default)
            kyc: {progression: after, delay: PT10M, outcome: Accepted}
          managees:                        # optional
            - reference: acme-001          # every field optional; the rest is generated
              full_name: Alan Nameson
              email: alan@example.com
              verification: Accepted       # Pending | Accepted | Rejected
              balance: 250.00              # USD, needs Accepted
            - generate: 1000               # 1000 managees like this one: names, emails, references generated
              verification: Rejected
"""

from __future__ import annotations

import binascii
import random
from datetime import date, timedelta
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from sandbox.core.fakes import numerify
from sandbox.core.outcomes import outcome_schema
from sandbox.core.webhooks import TargetSchema
from sandbox.providers.ibanera import constants as k
from sandbox.providers.ibanera import events
from sandbox.providers.ibanera.runtime import IbaneraRuntime
from sandbox.providers.ibanera.services.auth import ShortSecretTOTP, tenant_of

MAX_GENERATED = 1_000_000


def _base32(value: str) -> None:
    """A secret is valid when login could use it: the same decoding as auth."""
    try:
        ShortSecretTOTP(value).byte_secret()
    except (binascii.Error, ValueError):
        raise ValidationError("must be a base32 TOTP secret") from None


class SeedManageeSchema(Schema):
    reference = fields.String(load_default=None)
    full_name = fields.String(load_default=None)
    email = fields.Email(load_default=None)
    verification = fields.String(load_default="Pending", validate=validate.OneOf(k.VERIFICATION_STATUSES))
    balance = fields.Decimal(load_default=Decimal(0), validate=validate.Range(min=0, max=k.MAX_PAYIN))
    #: this many managees like this one (generated names, emails and references)
    generate = fields.Integer(load_default=None, validate=validate.Range(1, MAX_GENERATED))

    @validates_schema
    def _balance_needs_account(self, data, **kwargs):
        if data["balance"] and data["verification"] != "Accepted":
            raise ValidationError("a balance needs verification: Accepted (only accepted managees have accounts)",
                                  "balance")
        if data["generate"] and any(data[name] for name in ("reference", "full_name", "email")):
            raise ValidationError("generated managees get their own reference, name and email", "generate")


class ManagerSchema(Schema):
    username = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1))
    totp_secret = fields.String(required=True, validate=_base32)
    widget_client = fields.Boolean(load_default=False)
    status = fields.String(load_default="active", validate=validate.OneOf(k.MANAGER_STATUSES))
    managees = fields.List(fields.Nested(SeedManageeSchema), load_default=list)
    webhooks = fields.Nested(TargetSchema, load_default=None)
    outcomes = fields.Nested(outcome_schema(events.OUTCOMES), load_default=None)

    @validates_schema
    def _unique_emails(self, data, **kwargs):
        seen = set()
        for n, managee in enumerate(data["managees"]):
            email = (managee["email"] or "").casefold()
            if email and email in seen:
                raise ValidationError({n: {"email": ["emails must be unique for a manager"]}}, "managees")
            seen.add(email)


class IbaneraScenarioSchema(Schema):
    supported_countries = fields.List(
        fields.String(validate=validate.Regexp(k.ISO3_PATTERN)),
        load_default=lambda: list(k.DEFAULT_SUPPORTED_COUNTRIES),
    )
    managers = fields.List(fields.Nested(ManagerSchema), load_default=list)

    @validates_schema  # runs only once every manager is valid
    def _unique_usernames(self, data, **kwargs):
        names = [m["username"].casefold() for m in data["managers"]]
        if len(set(names)) != len(names):
            raise ValidationError("usernames must be unique", field_name="managers")


def load(runtime: IbaneraRuntime, section: dict) -> None:
    runtime.managees.supported_countries = frozenset(c.upper() for c in section["supported_countries"])
    for spec in section["managers"]:
        manager = runtime.auth.add_manager(
            spec["username"], spec["password"], spec["totp_secret"],
            widget_client=spec["widget_client"], status=spec["status"],
        )
        tenant = tenant_of(manager["username"])
        if spec["webhooks"]:
            runtime.context.callbacks.configure(tenant, spec["webhooks"]["url"], spec["webhooks"]["secret"])
        if spec["outcomes"]:
            runtime.context.outcomes.set(tenant, spec["outcomes"])
        generated = 0
        for n, seed in enumerate(spec["managees"]):
            if seed["generate"]:
                _generate_managees(runtime, manager, n, seed, generated)
                generated += seed["generate"]
            else:
                _seed_managee(runtime, manager, n, seed)


def _seed_managee(runtime: IbaneraRuntime, manager: dict, n: int, seed: dict) -> None:
    key = ("ibanera.seed", manager["username"].casefold(), n)
    names = (seed["full_name"] or "").split()
    if names:  # its first and last name: no Faker (~0.2 s to load) when the scenario gives them
        first, last = names[0], names[-1]
    else:
        with runtime.context.fakes.seeded(*key) as fake:
            first, last = fake.first_name(), fake.last_name()
    profile = _kyc_profile(runtime.context.fakes.rng(*key), first, last, runtime.managees.supported_countries)
    profile |= {
        "manageesReference": seed["reference"] or f"seed-{n + 1:03d}",
        "fullName": seed["full_name"] or f"{first} {last}",
        "emailAddress": seed["email"] or f"{first}.{last}.{n + 1}@example.com".lower(),
    }
    _seed(runtime, manager, profile, seed)


def _generate_managees(runtime: IbaneraRuntime, manager: dict, n: int, seed: dict, offset: int) -> None:
    """`generate` managees: one profile, then Faker's names picked by a seeded
    random (Faker per record would cost ~100x more)."""
    key = (manager["username"].casefold(), n)
    fakes = runtime.context.fakes
    base = _kyc_profile(fakes.rng("ibanera.generate", *key), "", "", runtime.managees.supported_countries)
    firsts, lasts = fakes.name_pool("ibanera.generate", *key)
    pick = fakes.rng("ibanera.generate", *key)
    for i in range(offset + 1, offset + seed["generate"] + 1):
        first, last = pick.choice(firsts), pick.choice(lasts)
        profile = base | {"firstGivenName": first, "lastSurname": last, "fullName": f"{first} {last}",
                          "manageesReference": f"gen-{i:06d}", "emailAddress": f"gen-{i:06d}@managees.example"}
        _seed(runtime, manager, profile, seed)


def _seed(runtime: IbaneraRuntime, manager: dict, profile: dict, seed: dict) -> None:
    """A managee as the scenario has it: no KYC planned, no callback sent."""
    managees_id = runtime.managees.seed_managee(manager, profile, seed["verification"])
    if seed["balance"]:
        page = runtime.managees.list_accounts(manager, managees_id, None, 1, 1)
        runtime.managees.seed_balance(manager, page.items[0]["id"], seed["balance"])


def _kyc_profile(pick: random.Random, first: str, last: str, supported_countries) -> dict:
    """A complete, valid create-managee request body (as the schema returns it), its
    filler drawn by `pick` from constants' SEED_* (see there why not Faker)."""
    country = "USA" if "USA" in supported_countries else min(supported_countries)
    zero, share = Decimal(0), Decimal(25)
    town, state = pick.choice(k.SEED_PLACES)
    born = date.fromisoformat(k.SEED_BORN_FROM) + timedelta(days=pick.randrange(k.SEED_BORN_SPAN_DAYS))
    return {
        "firstGivenName": first, "lastSurname": last,
        "fiatCurrencyCode": "USD", "addressLine1": f"{pick.randint(1, 9999)} {pick.choice(k.SEED_STREETS)}",
        "addressLine2": None, "townCity": town, "stateProvince": state, "postcode": numerify(pick, "%####"),
        "addressCountryISO": country, "nationalityISO": country, "phoneNumber": numerify(pick, "+1%#########"),
        "dateOfBirth": born.isoformat(),
        "taxNumber": numerify(pick, "#########"), "occupation": pick.choice(k.SEED_OCCUPATIONS),
        "otherSourceOfFunds": None,
        "sourceFundsTypes": ["Salary"], "estimatedNetWorth": Decimal(pick.randint(10_000, 2_000_000)),
        "estimatedGrossAnnualIncome": Decimal(pick.randint(20_000, 400_000)), "otherBanks": [],
        "bActivelyEmployed": True, "employedCompanyName": pick.choice(k.SEED_COMPANIES),
        "employedJobTitle": pick.choice(k.SEED_OCCUPATIONS),
        "purposeOfOpeningAccountTypes": ["DigitalAsset"], "monthlyTurnover": Decimal(pick.randint(100, 50_000)),
        "anticipatedTransactionActivity": Decimal(pick.randint(100, 100_000)),
        **{f"{side}Crypto{what}": zero for side in ("purchase", "selling")
           for what in ("MonthlyVolume", "AverageAmount", "TotalAmountPerMonth")},
        "totalMonthlyVolume": zero, "totalAverageAmount": zero, "totalMonthlyAmount": zero,
        **{name: share for name in k.TRADING_PERCENTAGE_FIELDS},
        "bIrsTax": True, "bForeignAccountTax": True, "bNotCriminal": True, "bAccurateInfo": True,
        "proofOfAddressFile": {"mimeType": "image/png", "size": 0, "sha256": None},
        "proofOfAddressType": "UtilityBill",
    }


def credentials(section: dict) -> list[str]:
    lines = []
    for m in section["managers"]:
        extras = [m["status"]] if m["status"] != "active" else []
        if m["widget_client"]:
            extras.append("widget client")
        suffix = f" ({', '.join(extras)})" if extras else ""
        lines.append(f"manager {m['username']} / password {m['password']} / TOTP secret {m['totp_secret']}{suffix}")
    return lines
