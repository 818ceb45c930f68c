"""Field builders for Weavr's request schemas: each constraint of the spec
(maxLength/minLength, pattern, minimum/maximum, enum) becomes a marshmallow
validator whose message maps to the spec's `error` value (SIZE, REGEX, RANGE,
IN); apispec documents the same constraints back."""

from __future__ import annotations

import re

from marshmallow import fields, validate

from sandbox.core.fields import Msg, StrictBoolean, StrictInteger, not_blank
from sandbox.providers.weavr import constants as k

SIZE, RANGE, IN = "size", "range", "in"  # messages of our validators (Msg has the rest)


class Pattern(validate.Regexp):
    """The spec's pattern with JSON Schema's meaning: `$` ends the string (in
    Python it also matches before a final newline). Documented as written."""

    def __init__(self, pattern: str):
        super().__init__(pattern, error=Msg.PATTERN)
        self._whole = re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)

    def __call__(self, value):
        if self._whole.search(value) is None:
            raise validate.ValidationError(self._format_error(value))
        return value


def string(*, required: bool = False, min: int | None = None, max: int | None = None, pattern: str | None = None,
           has_text: bool = False, **metadata) -> fields.String:
    """A string; optional ones may also be null (taken as absent)."""
    validators = [not_blank] if has_text else []
    if has_text and not pattern:  # blank: HAS_TEXT; documented as "has a character that is not whitespace"
        metadata.setdefault("pattern", r"\S")
    if min is not None or max is not None:
        validators.append(validate.Length(min=min, max=max, error=SIZE))
    if pattern:
        validators.append(Pattern(pattern))
    return fields.String(required=required, allow_none=not required, validate=validators, metadata=metadata)


def email(*, required: bool = False) -> fields.Email:
    return fields.Email(required=required, allow_none=not required)


def digits(*, required: bool = False, **metadata) -> fields.String:
    return string(required=required, pattern=k.DIGITS, **metadata)


def one_of(choices, *, required: bool = False, **metadata) -> fields.String:
    return fields.String(required=required, allow_none=not required, validate=validate.OneOf(choices, error=IN),
                         metadata=metadata)


def integer(minimum: int = k.INT64_MIN, maximum: int = k.INT64_MAX, *, required: bool = False,
            **metadata) -> StrictInteger:
    return StrictInteger(required=required, allow_none=not required,
                         validate=validate.Range(min=minimum, max=maximum, error=RANGE), metadata=metadata)


def boolean(**metadata) -> StrictBoolean:
    return StrictBoolean(allow_none=True, metadata=metadata)


def nested(schema, *, required: bool = False, **metadata) -> fields.Nested:
    return fields.Nested(schema, required=required, allow_none=not required, metadata=metadata)


def bounds(field_obj: fields.Field, message: str) -> list[str]:
    """The `params` Weavr gives with an error: [min, max] of a SIZE or RANGE
    ("_" for no bound, as the spec's x-fieldValidation writes it), the
    allowed values of IN."""
    for v in getattr(field_obj, "validators", ()):
        if message == SIZE and isinstance(v, validate.Length):
            return ["_" if v.min is None else str(v.min), "_" if v.max is None else str(v.max)]
        if message == RANGE and isinstance(v, validate.Range):
            return [str(v.min), str(v.max)]
        if message == IN and isinstance(v, validate.OneOf):
            return [str(c) for c in v.choices]
    return []
