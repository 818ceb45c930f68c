"""The `p100:` section of a scenario file: the partners' API keys with their
own balances (the other side of internal transfers), and optionally the
fixed rate table (EUR value of one unit) so tests can predict exchanges.

    p100:
      api_keys:
        - api_key: p100-sandbox-api-key
          partner_balances: {eur: "10000.00", btc: "1.00000000"}
      rates: {btc: "100000", eth: "3000"}      # optional; constants.DEFAULT_RATES
"""

from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from sandbox.providers.p100 import constants as k
from sandbox.providers.p100.ledger import fits


def _amounts(positive: bool):
    low = Decimal("0.000000000001") if positive else Decimal(0)
    return fields.Dict(keys=fields.String(validate=validate.OneOf(k.CURRENCIES)),
                       values=fields.Decimal(validate=validate.Range(min=low, max=k.MAX_AMOUNT)), load_default=dict)


class ApiKeySchema(Schema):
    api_key = fields.String(required=True, validate=validate.Length(min=1, max=200))
    partner_balances = _amounts(positive=False)

    @validates_schema
    def _decimals(self, data, **kwargs):
        for currency, amount in data["partner_balances"].items():
            if not fits(currency, amount):
                raise ValidationError(f"{currency} takes at most {k.DECIMALS[currency]} decimals", "partner_balances")


class P100ScenarioSchema(Schema):
    api_keys = fields.List(fields.Nested(ApiKeySchema), load_default=list)
    rates = _amounts(positive=True)

    @validates_schema
    def _unique_keys(self, data, **kwargs):
        keys = [a["api_key"] for a in data["api_keys"]]
        if len(set(keys)) != len(keys):
            raise ValidationError("api keys must be unique", field_name="api_keys")


def load(runtime, section: dict) -> None:
    runtime.keys = frozenset(a["api_key"] for a in section["api_keys"])
    runtime.rates.update(section["rates"])
    for spec in section["api_keys"]:
        if spec["partner_balances"]:
            runtime.money.set_partner_balances(spec["api_key"], spec["partner_balances"])


def credentials(section: dict) -> list[str]:
    return [f"x-api-key: {a['api_key']}" for a in section["api_keys"]]
