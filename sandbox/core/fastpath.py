"""A fast lane through a request schema's fields, for a request that is valid.

marshmallow stays the single source of what a request may be and the only
author of every refusal: a lane can only say "valid" (returning the very
values marshmallow's field loop would) or "look closer" (LookCloser), and
then marshmallow's own loop runs as if the lane did not exist. The schema's
hooks (pre_load, @validates, @validates_schema, post_load) always run, by
marshmallow, around whichever loop read the fields (ApiSchema._deserialize).

A lane is compiled once per schema from its declared fields. A field is read:

* as it is, when it is one exact type: text (marshmallow's String or Email, or
  a subclass that reads a string as String does) is an exact `str`; a
  StrictBoolean an exact `bool`; a Choice a `str` found among its choices;
* a StrictDecimal (core.fields) from an exact int, float or Decimal, as its own
  rules read it (finite, within .NET's range, at most its places);
* a List item by item, each as its own field is read;
* any other field by its own `_deserialize` (a ValidationError: look closer);
* and then its own validator objects, called as marshmallow's `And` calls
  them (core's not_blank, no_control_characters and a Length's maximum
  inline, being what they are).

Anything the lane is not sure of says "look closer": a value of another
type, None where the field does not allow it, a missing required field, a
key the schema does not declare (when unknown keys are refused or kept), a
field with a `deserialize` or pre/post-load functions of its own, a dotted
attribute. tests/core/test_fast_path.py holds every declared schema of every
provider to marshmallow's answers, by property.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import EXCLUDE, ValidationError, fields, missing
from marshmallow.validate import Length, Validator

from sandbox.core.fields import (
    _CONTROL,
    DECIMAL_MAX,
    Choice,
    StrictBoolean,
    StrictDecimal,
    no_control_characters,
    not_blank,
)


class LookCloser(Exception):
    """The lane cannot say the value is valid: marshmallow's own loop decides."""


#: a field's fast read: the loaded value of a raw one (never `missing`), or LookCloser
Read = Callable[[Any, Mapping], Any]
Lane = Callable[[Any, str], dict]


def compile_lane(schema) -> Lane | None:
    """The schema's lane, or None when its fields cannot have one."""
    steps = []
    for attr_name, field in schema.load_fields.items():
        key = field.data_key if field.data_key is not None else attr_name
        target = field.attribute or attr_name
        if "." in target:  # marshmallow nests a dotted attribute; rare enough to leave to it
            return None
        steps.append((key, target, field.required, field.load_default, _read_of(field, key)))
    declared = frozenset(step[0] for step in steps)
    dict_class = schema.dict_class
    plan = tuple(steps)

    def lane(data: Any, unknown: str) -> dict:
        if not isinstance(data, Mapping):
            raise LookCloser
        if unknown != EXCLUDE and not declared.issuperset(data):
            raise LookCloser  # an unknown key: RAISE refuses it, INCLUDE keeps it; marshmallow does either
        result = dict_class()
        get = data.get
        for key, target, required, default, read in plan:
            raw = get(key, missing)
            if raw is missing:
                if required:
                    raise LookCloser
                value = default() if callable(default) else default
                if value is missing:
                    continue
            else:
                value = read(raw, data)
            result[target] = value
        return result

    return lane


def _read_of(field: fields.Field, key: str | None) -> Read:
    """How the lane reads one present value of `field` (Field.deserialize, minus the refusals)."""
    if getattr(field, "pre_load", None) or getattr(field, "post_load", None) or \
            type(field).deserialize is not fields.Field.deserialize:
        return _by_the_field(field, key)
    allow_none = field.allow_none
    typed = _typed(field, key)
    validate = _validators(field.validators)

    def read(raw: Any, data: Mapping) -> Any:
        if raw is None:
            if allow_none:
                return None
            raise LookCloser
        value = typed(raw, data)
        if validate is not None:
            validate(value)
        return value

    return read


def _typed(field: fields.Field, key: str | None) -> Read:
    """The field's `_deserialize`, for a value that is not None."""
    reads = type(field)._deserialize
    if reads is fields.String._deserialize:  # String, Email, and their kin: a str is taken as it is
        return _exactly(str)
    if reads is StrictBoolean._deserialize:
        return _exactly(bool)
    if reads is Choice._deserialize:
        canonical = field._canonical

        def choice(raw: Any, data: Mapping) -> Any:
            if type(raw) is not str:
                raise LookCloser
            found = canonical.get(raw.casefold())
            if found is None:
                raise LookCloser
            return found

        return choice
    if reads is StrictDecimal._deserialize and field.places is None and not field.allow_nan:
        return _strict_decimal(field.max_places)
    if reads is fields.List._deserialize and not getattr(field.inner, "pre_load", None):
        item = _read_of(field.inner, None)  # List reads an item as inner.deserialize(item): no key, no data

        def each(raw: Any, data: Mapping) -> Any:
            if type(raw) is not list:
                raise LookCloser
            return [item(value, None) for value in raw]

        return each
    return _refusal_is_doubt(field._deserialize, key)


def _exactly(kind: type) -> Read:
    def exactly(raw: Any, data: Mapping) -> Any:
        if type(raw) is not kind:
            raise LookCloser
        return raw

    return exactly


def _strict_decimal(max_places: int | None) -> Read:
    """StrictDecimal's reading: marshmallow's Decimal(str(value)) of an int, a
    float or a Decimal (that Decimal itself, exactly); finite, within
    DECIMAL_MAX, at most `max_places`."""
    Decimal = decimal.Decimal
    # An int below 10**28 is read at once: Decimal(int) is marshmallow's Decimal(str(int)), it has no
    # places, and its abs() is exact in the default 28-digit context. (Above, abs() rounds, and the
    # field's range check with it: those few are read as Decimals are, below.)
    exact = 10**28

    def strict_decimal(raw: Any, data: Mapping) -> Any:
        kind = type(raw)
        if kind is int and -exact < raw < exact:  # the common case
            return Decimal(raw)
        if kind is Decimal:
            number = raw
        elif kind is int or kind is float:  # (a float where a route reads JSON fractions as floats)
            number = Decimal(str(raw))
        else:
            raise LookCloser
        if not number.is_finite() or abs(number) > DECIMAL_MAX:
            raise LookCloser
        if max_places is not None and -number.normalize().as_tuple().exponent > max_places:
            raise LookCloser
        return number

    return strict_decimal


def _validators(validators: list) -> Callable[[Any], None] | None:
    """The field's validators as marshmallow's `And` runs them, minus the
    error messages: any failure is LookCloser. None: it has none."""
    if not validators:
        return None
    longest, blank, control, rest = None, False, False, []
    for validator in validators:
        if type(validator) is Length and validator.min is None and validator.equal is None \
                and validator.max is not None:
            longest = validator.max if longest is None else min(longest, validator.max)
        elif validator is not_blank:
            blank = True
        elif validator is no_control_characters:
            control = True
        else:
            rest.append((validator, isinstance(validator, Validator)))
    others = tuple(rest)
    search = _CONTROL.search

    def validate(value: Any) -> None:
        if longest is not None and len(value) > longest:
            raise LookCloser
        if isinstance(value, str):  # not_blank and no_control_characters judge text only
            if blank and not value.strip():
                raise LookCloser
            if control and search(value):
                raise LookCloser
        for validator, is_validator in others:
            try:
                returned = validator(value)
            except ValidationError:
                raise LookCloser from None
            if returned is False and not is_validator:  # And: a function that returns False fails
                raise LookCloser

    return validate


def _by_the_field(field: fields.Field, key: str | None) -> Read:
    return _refusal_is_doubt(field.deserialize, key)


def _refusal_is_doubt(reads: Callable, key: str | None) -> Read:
    """The field's own code reads the value; where it refuses, marshmallow says why."""

    def read(raw: Any, data: Mapping) -> Any:
        try:
            return reads(raw, key, data)
        except ValidationError:
            raise LookCloser from None

    return read


__all__ = ("LookCloser", "compile_lane")
