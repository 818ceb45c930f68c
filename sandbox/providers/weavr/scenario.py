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
          fees:                            # fee type -> amount per currency, minor units
            PRINTED_CARD_ACCOUNT_STATEMENT: {EUR: 150, GBP: 120}
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from sandbox.providers.weavr import constants as k
from sandbox.providers.weavr.auth import Programme
from sandbox.providers.weavr.consumers import Rules
from sandbox.providers.weavr.runtime import WeavrRuntime

_CURRENCY = fields.String(validate=validate.Regexp(r"^[A-Z]{3}\Z"))


class ApiKeySchema(Schema):
    api_key = fields.String(required=True, validate=validate.Length(min=1))
    consumer_profile_id = fields.String(required=True, validate=validate.Regexp(r"^[0-9]+\Z"))
    fee_groups = fields.List(fields.String(), load_default=lambda: [k.DEFAULT_FEE_GROUP])
    fees = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=_CURRENCY, values=fields.Integer(strict=True, validate=validate.Range(min=0, max=k.INT64_MAX))),
        load_default=dict)


class WeavrScenarioSchema(Schema):
    currencies = fields.List(_CURRENCY, load_default=lambda: list(k.DEFAULT_CURRENCIES))
    countries = fields.List(fields.String(validate=validate.Regexp(r"^[A-Z]{2}\Z")),
                            load_default=lambda: list(k.DEFAULT_COUNTRIES))
    blocked_email_domains = fields.List(fields.String(), load_default=list)
    api_keys = fields.List(fields.Nested(ApiKeySchema), load_default=list)

    @validates_schema
    def _unique_keys(self, data, **kwargs):
        keys = [a["api_key"] for a in data["api_keys"]]
        if len(set(keys)) != len(keys):
            raise ValidationError("api keys must be unique", field_name="api_keys")


def load(runtime: WeavrRuntime, section: dict) -> None:
    runtime.consumers.rules = Rules(
        currencies=frozenset(section["currencies"]), countries=frozenset(section["countries"]),
        blocked_email_domains=frozenset(d.casefold() for d in section["blocked_email_domains"]))
    runtime.auth.programmes = {
        a["api_key"]: Programme(a["api_key"], a["consumer_profile_id"], frozenset(a["fee_groups"]), a["fees"])
        for a in section["api_keys"]
    }


def credentials(section: dict) -> list[str]:
    return [f"api-key {a['api_key']} (also the simulator's programme-key) / consumer profile "
            f"{a['consumer_profile_id']}" for a in section["api_keys"]]
