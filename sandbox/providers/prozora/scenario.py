"""The `prozora:` section of a scenario file: counterparties, each with its
unassigned employee's session token, its assets (the e-money tokens a
customer account can hold), its branches (each optionally with a branch
employee's token) and, optionally, a generated population of customers.

    prozora:
      counterparties:
        - id: 0b8f6a0e-6d2c-4c37-9b7e-5a1d2c3e4f50
          employee_token: prozora-sandbox-token     # sees every customer of the counterparty
          name: Sandbox Bank                        # optional
          assets:
            - code: UAH                             # 1-12 letters or digits
              issuer: GC2BKLYOOYPDEFJKLKY6FNNRQMGFLVHJKQRGNSSRRGSMPGF32LHCQVGF   # Stellar account ID
              account_type_guid: 5e3f4309-...       # optional; the account's `type`
              name: Digital hryvnia                 # optional
              minor_unit: 2                         # optional
          branches:
            - guid: 2b7c...
              name: Kyiv
              employee_token: prozora-branch-token  # optional; sees the Kyiv customers only
          employees:                                # optional: more employees (session tokens)
            - token: prozora-kyiv-teller
              branch: 2b7c...                       # optional; a branch GUID of this counterparty
          customers:                                # optional; every field optional, Faker fills the rest
            - guid: 3f2b...                         # optional: the customer's GUID (default: generated)
              login: olena@example.com
              name: Olena
              surname: Shevchenko
              kyc_level: 2                          # the customer's KYC level (an integer, default 0)
              status: verified                      # active (default), pending, verified or blocked
              branch: ae8051f5-...                  # optional branch GUID
              asset: UAH                            # the first account's asset (default: the first listed)
              iban: UA21 3223 1300 0002 6007 2335 6600 1
              phone_number: +380 50 123 45 67
              balance_allowed: 1500.50              # at most the asset's minor unit of decimal places
              is_disabled: false
            - generate: 1000                        # 1000 customers like this one, names and logins generated
              kyc_level: 1
          seed_customers: 0                         # optional: this many Faker customers of every kind
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from sandbox.core.fields import no_control_characters
from sandbox.providers.prozora import constants as k
from sandbox.providers.prozora import schemas as s
from sandbox.providers.prozora.runtime import ProzoraRuntime
from sandbox.providers.prozora.services.customers import Asset, Counterparty
from sandbox.providers.prozora.services.employees import Employee

SEED_STATUSES = ("active", "pending", "blocked")
SEED_SEGMENTS = ("PL", "PI")


def _uuid(value: str) -> None:
    if s.guid(value) is None:
        raise ValidationError("must be a UUID")


def _stellar(value: str) -> None:
    if not s.is_stellar_account(value):
        raise ValidationError("must be a Stellar account ID (G..., 56 characters, valid checksum)")


def _phone(value: str) -> None:
    if not s.is_phone_number(value):
        raise ValidationError("must be a phone number: + and the country code (or a Ukrainian national number), "
                              "ASCII digits")


def _text(**kwargs) -> fields.String:
    """A customer's text as the API takes it: printable, 1-64 characters."""
    return fields.String(load_default=None, validate=[_printable, validate.Length(1, k.MAX_SHORT)], **kwargs)


def _printable(value: str) -> None:
    """The API's rules for text (schemas.text): UTF-8 text, no control character."""
    try:
        s.well_formed(value)
        no_control_characters(value)
    except ValidationError:
        raise ValidationError("must be printable text (no control character, no lone surrogate)") from None


class AssetSpecSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(s.ASSET_CODE))
    issuer = fields.String(required=True, validate=_stellar)
    account_type_guid = fields.String(load_default=None, validate=_uuid)
    name = fields.String(load_default=None)
    minor_unit = fields.Integer(load_default=k.DEFAULT_MINOR_UNIT, validate=validate.Range(0, 18))


class BranchSpecSchema(Schema):
    guid = fields.String(required=True, validate=_uuid)
    name = fields.String(required=True, validate=validate.Length(min=1))
    employee_token = fields.String(load_default=None, validate=validate.Length(min=1))


class EmployeeSpecSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1))
    branch = fields.String(load_default=None, validate=_uuid)


class CustomerSpecSchema(Schema):
    guid = fields.String(load_default=None, validate=_uuid)
    login = _text()
    name = _text()
    surname = _text()
    paternal_name = _text()
    phone_number = fields.String(load_default=None, validate=_phone)
    kyc_level = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, k.MAX_KYC_LEVEL))
    status = fields.String(load_default=k.DEFAULT_STATUS, validate=validate.OneOf(k.STATUSES))
    is_disabled = fields.Boolean(load_default=False)
    segment = _text()
    branch = fields.String(load_default=None, validate=_uuid)
    asset = fields.String(load_default=None)
    iban = fields.String(load_default=None)
    balance_allowed = fields.Decimal(load_default=Decimal(0), validate=validate.Range(0, Decimal("1e12")))
    generate = fields.Integer(load_default=None, validate=validate.Range(1, 1_000_000))

    @validates_schema
    def _consistent(self, data, **kwargs):
        if data["iban"] is not None:
            compact = s.compact_iban(data["iban"])
            if compact is None:
                raise ValidationError("not a valid IBAN", "iban")
            data["iban"] = compact
        if data["generate"] and (data["login"] or data["iban"] or data["guid"]):
            raise ValidationError("generated customers get their own login and GUID (and no IBAN)", "generate")


class CounterpartySpecSchema(Schema):
    id = fields.String(required=True, validate=_uuid)
    employee_token = fields.String(required=True, validate=validate.Length(min=1))
    name = fields.String(load_default=None)
    assets = fields.List(fields.Nested(AssetSpecSchema), load_default=list)
    branches = fields.List(fields.Nested(BranchSpecSchema), load_default=list)
    employees = fields.List(fields.Nested(EmployeeSpecSchema), load_default=list)
    customers = fields.List(fields.Nested(CustomerSpecSchema), load_default=list)
    seed_customers = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))

    @validates_schema
    def _population_needs_an_asset(self, data, **kwargs):
        if (data["seed_customers"] or data["customers"]) and not data["assets"]:
            raise ValidationError("customers need at least one asset", field_name="assets")
        branches = {s.guid(b["guid"]) for b in data["branches"]}
        codes = {a["code"]: a["minor_unit"] for a in data["assets"]}
        for field, items in (("employees", data["employees"]), ("customers", data["customers"])):
            for n, item in enumerate(items):
                if item["branch"] and s.guid(item["branch"]) not in branches:
                    raise ValidationError({n: {"branch": ["not a branch of this counterparty"]}}, field)
        logins, ibans, guids = set(), set(), set()
        for n, customer in enumerate(data["customers"]):
            if customer["asset"] is not None and customer["asset"] not in codes:
                raise ValidationError({n: {"asset": ["not an asset of this counterparty"]}}, "customers")
            places = codes[customer["asset"] or data["assets"][0]["code"]]
            if -customer["balance_allowed"].normalize().as_tuple().exponent > places:
                too_fine = f"at most {places} decimal places (the asset's minor unit)"
                raise ValidationError({n: {"balance_allowed": [too_fine]}}, "customers")
            for value, seen, what in ((customer["login"], logins, "login"), (customer["iban"], ibans, "iban"),
                                      (customer["guid"] and s.guid(customer["guid"]), guids, "guid")):
                if value is not None and value.casefold() in seen:
                    raise ValidationError({n: {what: [f"{what}s must be unique in a counterparty"]}}, "customers")
                if value is not None:
                    seen.add(value.casefold())


class ProzoraScenarioSchema(Schema):
    counterparties = fields.List(fields.Nested(CounterpartySpecSchema), load_default=list)

    @validates_schema
    def _unique(self, data, **kwargs):
        cps = data["counterparties"]
        tokens = [cp["employee_token"] for cp in cps] + [b["employee_token"] for cp in cps for b in cp["branches"]
                                                         if b["employee_token"]] + [
            e["token"] for cp in cps for e in cp["employees"]]
        ids = [s.guid(cp["id"]) for cp in cps]
        branches = [s.guid(b["guid"]) for cp in cps for b in cp["branches"]]
        codes = [(cp["id"], a["code"]) for cp in cps for a in cp["assets"]]
        for what, values in (("employee tokens", tokens), ("counterparty ids", ids), ("branch guids", branches),
                             ("asset codes of a counterparty", codes)):
            if len(set(values)) != len(values):
                raise ValidationError(f"{what} must be unique", field_name="counterparties")


def load(runtime: ProzoraRuntime, section: dict) -> None:
    for spec in section["counterparties"]:
        guid = s.guid(spec["id"])
        cp = Counterparty(guid=guid, name=spec["name"] or "Counterparty")
        for a in spec["assets"]:
            type_guid = s.guid(a["account_type_guid"]) if a["account_type_guid"] else str(
                uuid.uuid5(uuid.NAMESPACE_URL, f"prozora:{guid}:{a['code']}"))
            cp.assets[a["code"]] = Asset(a["code"], a["issuer"], type_guid, a["name"] or a["code"], a["minor_unit"])
        cp.branches = {s.guid(b["guid"]): b["name"] for b in spec["branches"]}
        runtime.customers.counterparties[guid] = cp
        runtime.employees.add(Employee(spec["employee_token"], guid))
        for b in spec["branches"]:
            if b["employee_token"]:
                runtime.employees.add(Employee(b["employee_token"], guid, s.guid(b["guid"])))
        for employee in spec["employees"]:
            runtime.employees.add(Employee(employee["token"], guid, s.guid(employee["branch"] or "") or None))
        seed_customers(runtime, cp, spec["customers"])
        seed_population(runtime, cp, spec["seed_customers"])


def seed_customers(runtime: ProzoraRuntime, cp: Counterparty, specs: list[dict]) -> None:
    """The listed customers (and `generate` counts of them) through the customer service."""
    employee = Employee("", cp.guid)
    fakes = runtime.context.fakes
    first_asset = next(iter(cp.assets.values()), None)
    generated = 0
    for n, spec in enumerate(specs):
        asset = cp.assets[spec["asset"]] if spec["asset"] else first_asset
        body = {"asset_code": asset.code, "asset_issuer": asset.issuer, "kyc_level": spec["kyc_level"],
                "status": spec["status"], "is_disabled": spec["is_disabled"], "segment": spec["segment"],
                "balance_allowed": spec["balance_allowed"], "branch_guid": s.guid(spec["branch"] or "") or None,
                "paternal_name": spec["paternal_name"], "phone_number": spec["phone_number"]}
        if not spec["generate"]:
            first, last, login = spec["name"], spec["surname"], spec["login"]
            if not (first and last and login):  # Faker (~0.2 s to load) only for what the scenario leaves out
                with fakes.seeded("prozora.seed", cp.guid, n) as fake:
                    drawn = fake.first_name(), fake.last_name()
                first, last = first or drawn[0], last or drawn[1]
                login = login or f"{drawn[0]}.{drawn[1]}.{n + 1}@customers.example".lower()
            runtime.customers.create_customer(employee, body | {
                "login": login, "name": first, "surname": last,
                "iban": s.compact_iban(spec["iban"]) if spec["iban"] else None},
                guid=s.guid(spec["guid"]) if spec["guid"] else None)
            continue
        firsts, lasts = fakes.name_pool("prozora.generate", cp.guid, n)
        pick = fakes.rng("prozora.generate", cp.guid, n)
        for i in range(generated + 1, generated + spec["generate"] + 1):
            runtime.customers.create_customer(employee, body | {
                "login": f"gen-{i:06d}@customers.example", "name": spec["name"] or pick.choice(firsts),
                "surname": spec["surname"] or pick.choice(lasts)})
        generated += spec["generate"]


def seed_population(runtime: ProzoraRuntime, cp: Counterparty, count: int) -> None:
    """`count` customers of every kind (branch, status, kyc level, disabled, ...), created a minute
    apart up to now, each updated some minutes after its creation; the same for the same --seed."""
    if not count:
        return
    context = runtime.context
    employee = Employee("", cp.guid)
    now = context.clock.now()
    assets = sorted(cp.assets.values(), key=lambda a: a.code)
    branches = [None, *sorted(cp.branches)]
    people = []
    with context.fakes.seeded("prozora.population", cp.guid) as fake:  # released before creating (one Faker)
        chance = random.Random(fake.random_int(0, 2**32))
        for n in range(count):
            asset = chance.choice(assets)
            balance_asset = chance.choice([None, *assets])
            people.append({
                "asset_code": asset.code, "asset_issuer": asset.issuer,
                "login": f"{fake.user_name()}.{n}@example.com" if chance.random() < 0.9 else None,
                "name": fake.first_name(), "surname": fake.last_name(),
                "paternal_name": fake.first_name_male() if chance.random() < 0.7 else None,
                "phone_number": fake.numerify("+380#########"),
                "kyc_level": chance.randint(0, 3), "is_disabled": chance.random() < 0.2,
                "balance_allowed": _cut(Decimal(chance.randint(0, 1_000_000)) / 100,
                                        (balance_asset or asset).minor_unit),
                "balance_asset_code": balance_asset and balance_asset.code,
                "balance_asset_issuer": balance_asset and balance_asset.issuer,
                "branch_guid": chance.choice(branches),
                "segment": chance.choice([None, *SEED_SEGMENTS]), "status": chance.choice(SEED_STATUSES),
            })
        updates = [chance.randint(0, 3 * 3600) for _ in range(count)]
    for n, (body, later) in enumerate(zip(people, updates)):
        created = now - timedelta(minutes=count - n)
        customer_guid = runtime.customers.create_customer(employee, body, at=created)["customer_guid"]
        runtime.customers.set_updated_at(cp.guid, customer_guid, min(now, created + timedelta(seconds=later)))


def _cut(amount: Decimal, places: int) -> Decimal:
    """`amount` with at most `places` decimal places (its asset's minor unit), rounded down."""
    if -amount.as_tuple().exponent <= places:
        return amount
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def credentials(section: dict) -> list[str]:
    lines = []
    for cp in section["counterparties"]:
        lines.append(f"counterparty {cp['id']}: Authorization: bearer {cp['employee_token']}")
        lines += [f"  branch {b['name']} ({b['guid']}): Authorization: bearer {b['employee_token']}"
                  for b in cp["branches"] if b["employee_token"]]
    return lines
