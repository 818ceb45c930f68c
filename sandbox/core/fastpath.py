"""A fast lane through a request schema's fields, for a request that is valid.

marshmallow stays the single source of what a request may be and the only
author of every refusal: a lane can only say "valid" (returning the very
values marshmallow's field loop would) or "look closer" (LookCloser), and
then marshmallow's own loop runs as if the lane did not exist. The schema's
hooks (pre_load, @validates, @validates_schema, post_load) always run, by
marshmallow, around whichever loop read the fields (ApiSchema._deserialize).

A lane is compiled once per schema from its declared fields, as the source of
one function (compile_lane): a plain field's checks are written inline, any
other field is read by a function of its own. A field is read:

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
    decimal_places,
    no_control_characters,
    not_blank,
    within_net_range,
)


class LookCloser(Exception):
    """The lane cannot say the value is valid: marshmallow's own loop decides."""


#: a field's fast read: the loaded value of a raw one (never `missing`), or LookCloser
Read = Callable[[Any, Mapping], Any]
Lane = Callable[[Any, str], dict]


def compile_lane(schema) -> Lane | None:
    """The schema's lane, or None when its fields cannot have one: one
    function written for the schema (see _field_source), so that reading
    47 fields costs 47 inline checks, not three calls each."""
    names: dict[str, Any] = {"Mapping": Mapping, "EXCLUDE": EXCLUDE, "LookCloser": LookCloser,
                             "missing": missing, "dict_class": schema.dict_class, "search": _CONTROL.search,
                             "Decimal": decimal.Decimal, "EXACT": _EXACT,
                             "ValidationError": ValidationError}
    body, keys = [], []
    for number, (attr_name, field) in enumerate(schema.load_fields.items()):
        key = field.data_key if field.data_key is not None else attr_name
        target = field.attribute or attr_name
        if "." in target:  # marshmallow nests a dotted attribute; rare enough to leave to it
            return None
        keys.append(key)
        body.extend(_field_source(field, key, target, f"_{number}", names))
    names["declared"] = frozenset(keys)
    source = "\n".join([
        "def lane(data, unknown):",
        "    if not isinstance(data, Mapping):",
        "        raise LookCloser",
        "    if unknown != EXCLUDE and not declared.issuperset(data):",
        "        raise LookCloser",  # an unknown key: RAISE refuses it, INCLUDE keeps it; marshmallow does either
        "    result = dict_class()",
        "    get = data.get",
        *body,
        "    return result",
    ])
    exec(compile(source, f"<lane of {type(schema).__name__}>", "exec"), names)  # noqa: S102 - our own source
    return names["lane"]


#: an int within .NET decimal's range is read as Decimal(int) at once: marshmallow's Decimal(str(int)),
#: with no places
_EXACT = int(DECIMAL_MAX) + 1


def _field_source(field: fields.Field, key: str, target: str, suffix: str, names: dict) -> list[str]:
    """The lines of the lane that read one field: absent (required: look closer; else its default),
    or present and read. A plain field (text, a boolean, a choice, a decimal, with only the
    common validators) is read inline; any other by its own `read` (_read_of)."""
    lines = [f"    raw = get({key!r}, missing)", "    if raw is missing:"]
    default = field.load_default
    if field.required:
        lines.append("        raise LookCloser")
    elif default is missing:
        lines.append("        pass")
    else:
        names[f"default{suffix}"] = default
        if callable(default):  # (one that gives `missing` leaves the field out, as marshmallow does)
            lines += [f"        value = default{suffix}()", "        if value is not missing:",
                      f"            result[{target!r}] = value"]
        else:
            lines.append(f"        result[{target!r}] = default{suffix}")
    inline = _inline_source(field, suffix, names)
    if inline is None:
        names[f"read{suffix}"] = _read_of(field, key)
        lines += ["    else:", f"        result[{target!r}] = read{suffix}(raw, data)"]
        return lines
    lines += ["    elif raw is None:", f"        result[{target!r}] = None" if field.allow_none else
              "        raise LookCloser", "    else:"]
    lines += [f"        {line}" for line in inline]
    lines.append(f"        result[{target!r}] = raw")
    return lines


def _inline_source(field: fields.Field, suffix: str, names: dict) -> list[str] | None:
    """Lines that check a present, non-None `raw` of a plain field and leave its loaded value in
    `raw`; None: the field is not plain."""
    if getattr(field, "pre_load", None) or getattr(field, "post_load", None) or \
            type(field).deserialize is not fields.Field.deserialize:
        return None
    reads = type(field)._deserialize
    if reads is fields.String._deserialize:
        lines = ["if type(raw) is not str:", "    raise LookCloser"]
    elif reads is StrictBoolean._deserialize:
        lines = ["if type(raw) is not bool:", "    raise LookCloser"]
    elif reads is Choice._deserialize:
        names[f"choices{suffix}"] = field._canonical
        lines = ["if type(raw) is not str:", "    raise LookCloser",
                 f"raw = choices{suffix}.get(raw.casefold())", "if raw is None:", "    raise LookCloser"]
    elif reads is StrictDecimal._deserialize and field.places is None and not field.allow_nan:
        names[f"decimal{suffix}"] = _strict_decimal(field.max_places)
        lines = ["if type(raw) is int and -EXACT < raw < EXACT:", "    raw = Decimal(raw)",
                 "else:", f"    raw = decimal{suffix}(raw, data)"]
    else:
        return None
    longest, blank, control, others = _validator_parts(field.validators)
    text = reads is fields.String._deserialize or (
        reads is Choice._deserialize and all(type(choice) is str for choice in field._canonical.values()))
    if (longest is not None or blank or control) and not text:
        return None  # a length, not_blank or no_control_characters on a value that is no str: left to _read_of
    if longest is not None:
        lines += [f"if len(raw) > {longest}:", "    raise LookCloser"]
    if blank:
        lines += ["if not raw.strip():", "    raise LookCloser"]
    if control:
        lines += ["if search(raw):", "    raise LookCloser"]
    if others:  # each as marshmallow's `And` calls it: a ValidationError, or a function's False, fails
        lines.append("try:")
        for number, validator in enumerate(others):
            names[f"validator{suffix}_{number}"] = validator
            lines.append(f"    validator{suffix}_{number}(raw)" if isinstance(validator, Validator) else
                         f"    if validator{suffix}_{number}(raw) is False: raise LookCloser")
        lines += ["except ValidationError:", "    raise LookCloser from None"]
    return lines


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

    def strict_decimal(raw: Any, data: Mapping) -> Any:
        kind = type(raw)
        if kind is int and -_EXACT < raw < _EXACT:  # the common case
            return Decimal(raw)
        if kind is Decimal:
            number = raw
        elif kind is int or kind is float:  # (a float where a route reads JSON fractions as floats)
            number = Decimal(str(raw))
        else:
            raise LookCloser
        if not number.is_finite() or not within_net_range(number):
            raise LookCloser
        if max_places is not None and decimal_places(number) > max_places:
            raise LookCloser
        return number

    return strict_decimal


def _validator_parts(validators: list) -> tuple[int | None, bool, bool, list]:
    """(the shortest Length maximum, not_blank among them, no_control_characters among them,
    the others): the common ones, which the lane checks inline."""
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
            rest.append(validator)
    return longest, blank, control, rest


def _validators(validators: list) -> Callable[[Any], None] | None:
    """The field's validators as marshmallow's `And` runs them, minus the
    error messages: any failure is LookCloser. None: it has none."""
    if not validators:
        return None
    longest, blank, control, rest = _validator_parts(validators)
    others = tuple((validator, isinstance(validator, Validator)) for validator in rest)
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
