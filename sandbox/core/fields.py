"""Marshmallow fields and field builders for validating requests the way a
typed JSON API does: no coercion of strings into numbers or booleans, no NaN.

Fields raise provider-neutral messages (the names in `Msg`); a provider's
schema (core.schemas.ApiSchema) maps each to one of its own codes."""

from __future__ import annotations

import decimal
import math
import numbers
import re
from datetime import UTC, date, datetime

from marshmallow import ValidationError, fields, validate

# .NET's System.Decimal: the largest value such an API can hold.
DECIMAL_MAX = decimal.Decimal(79228162514264337593543950335)


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


class QueryInteger(fields.Integer):
    """An integer in a query string: ASCII digits with an optional sign, as
    typed; not "١٤٠٠١" or "１４" (Unicode digits int() would take), not "1_0",
    not blank. At most 18 digits, so it always fits a 64-bit integer."""

    _DIGITS = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not self._DIGITS.fullmatch(value):
            raise self.make_error("invalid")
        return int(value)


#: a decimal as text, in ASCII digits only (Decimal() and int() take every Unicode digit: "١٠", "１０")
DECIMAL_TEXT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?", re.ASCII)


def decimal_from_text(value: str) -> decimal.Decimal | None:
    """A decimal written in ASCII digits (an optional sign, a point), or None."""
    return decimal.Decimal(value) if DECIMAL_TEXT.fullmatch(value) else None


def within_net_range(number: decimal.Decimal) -> bool:
    """Within .NET decimal's range, exactly: copy_abs() and comparisons never round (abs() and
    normalize() round to the context's 28 digits, and .NET's maximum has 29)."""
    return number.copy_abs() <= DECIMAL_MAX


def decimal_places(number: decimal.Decimal) -> int:
    """The places after the point that are not trailing zeros (12.50 has 1), counted exactly."""
    _, digits, exponent = number.as_tuple()
    if exponent >= 0:
        return 0
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -exponent - zeros) if zeros < len(digits) else 0


class StrictDecimal(fields.Decimal):
    """A JSON number only, finite and within .NET decimal range; with
    `max_places`, one with more decimal places than that is invalid (money
    keeps its currency's precision: 1e-400 is not a cent)."""

    def __init__(self, *, max_places: int | None = None, **kwargs):
        self.max_places = max_places
        # The document says what is enforced: the .NET range, and the places as multipleOf.
        # (the float of DECIMAL_MAX rounds up past it: take the next float down)
        largest = math.nextafter(float(DECIMAL_MAX), 0)
        validators = kwargs.get("validate") or []
        if not isinstance(validators, list):
            validators = [validators]
        ranged = any(isinstance(v, validate.Range) for v in validators)
        document = {} if ranged else {"minimum": -largest, "maximum": largest}  # a Range documents itself
        if max_places is not None:
            document["multipleOf"] = float(decimal.Decimal(1).scaleb(-max_places))
        kwargs["metadata"] = {**document, **kwargs.get("metadata", {})}
        super().__init__(allow_nan=False, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, numbers.Number):
            raise self.make_error("invalid")
        result = super()._deserialize(value, attr, data, **kwargs)
        if not within_net_range(result):
            raise self.make_error("invalid")
        if self.max_places is not None and decimal_places(result) > self.max_places:
            raise self.make_error("invalid")
        return result

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(value)


class Msg:
    """The messages core fields raise. Marshmallow's own error keys
    (required, null, invalid, unknown, type, ...) are used as messages too;
    a provider schema maps each to one of its codes (see ApiSchema)."""

    REQUIRED = "required"
    NULL = "null"
    INVALID = "invalid"
    BLANK = "blank"  # a string of only whitespace
    TOO_LONG = "too_long"
    PATTERN = "pattern"
    EMPTY = "empty"  # an array with no items
    DUPLICATE = "duplicate"  # an array holding the same item twice
    UNKNOWN = "unknown"  # a key the schema does not declare
    TYPE = "type"  # the body is not an object
    CONTROL = "control"  # a string holding a control character (NUL, ESC, ...)
    BAD_ID = "bad_id"  # an id that is not an integer in the provider's range


def raises(*messages: str):
    """Mark a validator function with the messages it can raise, so the
    OpenAPI lists the codes they map to."""

    def mark(fn):
        fn.raises_messages = messages
        return fn

    return mark


@raises(Msg.BLANK)
def not_blank(value):
    if isinstance(value, str) and not value.strip():
        raise ValidationError(Msg.BLANK)


@raises(Msg.DUPLICATE)
def no_duplicates(values):
    """Case-insensitively for strings."""
    folded = [v.casefold() if isinstance(v, str) else v for v in values]
    if len(set(folded)) != len(folded):
        raise ValidationError(Msg.DUPLICATE)


@raises(Msg.EMPTY)
def non_empty(values):
    if not values:
        raise ValidationError(Msg.EMPTY)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: the same rule as an OpenAPI pattern, for the document
PRINTABLE_PATTERN = r"^[^\x00-\x1f\x7f]*$"


@raises(Msg.CONTROL)
def no_control_characters(value):
    """Printable text only: a NUL or an escape in a name is an attack or a bug."""
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValidationError(Msg.CONTROL)


def identifier(max_value: int = 2**31 - 1, **kwargs) -> StrictInteger:
    """An id in the request body: a JSON integer from 1 to `max_value` (the
    provider's range; .NET's int by default). 1e400 or 2**63 is not an id."""
    return StrictInteger(validate=validate.Range(min=1, max=max_value, error=Msg.BAD_ID),
                         error_messages={"invalid": Msg.BAD_ID}, **kwargs)


def text(max_length: int, *, required: bool = True, pattern: str | None = None, **metadata) -> fields.String:
    """A string of at most `max_length` printable characters, never blank;
    optional ones default to None."""
    validators = [not_blank, no_control_characters, validate.Length(max=max_length, error=Msg.TOO_LONG)]
    if pattern:
        validators.append(validate.Regexp(pattern, error=Msg.PATTERN))
    else:
        metadata = {"pattern": PRINTABLE_PATTERN, **metadata}
    if required:  # blank is refused; the document says so
        return fields.String(required=True, validate=validators, metadata={"minLength": 1, **metadata})
    return fields.String(load_default=None, allow_none=True, validate=validators, metadata=metadata)


class Choice(fields.String):
    """One of a fixed set of strings, matched case-insensitively and returned
    in its documented spelling."""

    def __init__(self, choices, **kwargs):
        self.choices = tuple(choices)
        self._canonical = {c.casefold(): c for c in self.choices}
        metadata = {"enum": list(self.choices), **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self._canonical[value.casefold()]
        except KeyError:
            raise self.make_error("invalid") from None


def choice_list(choices, *, provenance: str | None = None) -> fields.List:
    """A non-empty array of choices, each at most once."""
    metadata = {"minItems": 1, "uniqueItems": True, **({"x-provenance": provenance} if provenance else {})}
    return fields.List(Choice(choices), required=True, validate=[non_empty, no_duplicates], metadata=metadata)


class IsoDate(fields.String):
    """A date, "YYYY-MM-DD" (an ISO date-time is accepted and cut to its
    date, as .NET binds DateTime); returned as "YYYY-MM-DD". With
    `past_only`, a date after today is invalid."""

    def __init__(self, *, past_only: bool = False, **kwargs):
        self.past_only = past_only
        super().__init__(metadata={"format": "date", "example": "1994-01-02", **kwargs.pop("metadata", {})},
                         **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            parsed = datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)
        except ValueError:
            raise self.make_error("invalid") from None
        if self.past_only and parsed > datetime.now(UTC).date():
            raise self.make_error("invalid")
        return parsed.isoformat()
