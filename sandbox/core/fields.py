"""Marshmallow pieces for validating requests the way a typed JSON API does:
no coercion of strings into numbers or booleans, no NaN, and field names
matched case-insensitively where a provider binds them that way."""

from __future__ import annotations

import decimal
import numbers
from collections.abc import Mapping

from marshmallow import Schema, fields, pre_load

# .NET's System.Decimal: the largest value such an API can hold.
DECIMAL_MAX = decimal.Decimal("79228162514264337593543950335")


class StrictBoolean(fields.Boolean):
    """JSON true/false only; not "true", not 1."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictInteger(fields.Integer):
    """A JSON integer only; not "5", not 5.5, not true."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, decimal.Decimal) and value == value.to_integral_value():
            value = int(value)
        return super()._deserialize(value, attr, data, **kwargs)


class StrictDecimal(fields.Decimal):
    """A JSON number only, finite and within .NET decimal range."""

    def __init__(self, **kwargs):
        super().__init__(allow_nan=False, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, numbers.Number):
            raise self.make_error("invalid")
        result = super()._deserialize(value, attr, data, **kwargs)
        if abs(result) > DECIMAL_MAX:
            raise self.make_error("invalid")
        return result

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(value)


class CaseInsensitiveSchema(Schema):
    """Binds incoming keys to fields whatever their case ("EmailAddress",
    "emailaddress" and "emailAddress" are one field), as .NET model binding
    does. Unknown keys stay as sent so the schema can report them."""

    @pre_load
    def _match_key_case(self, data, **kwargs):
        if not isinstance(data, Mapping):
            return data
        canonical = {}
        for name, field in self.load_fields.items():
            key = field.data_key or name
            canonical[key.casefold()] = key
        return {canonical.get(str(k).casefold(), k): v for k, v in data.items()}
