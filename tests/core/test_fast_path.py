"""The fast lane (core/fastpath.py) accepts exactly what marshmallow accepts,
with the same loaded values, for every declared request schema: each body
and query schema of every registered Api operation (the four providers, the
sandbox's own controls, the toy), found by walking the registrations, not
listed by hand.

Inputs start from the operation's own example (a request the server takes)
and are mutated by hypothesis: a field set to a value of another type, a
string at its longest and one past it, blank or with a control character,
digits in another script, the value of another field, a letter case
changed, None, a field dropped, a key added. For each, the schema's
pre_load hooks run as marshmallow runs them, then the lane and marshmallow's
own field loop (the lane turned off) read the same data: the lane says
"valid" exactly when marshmallow finds no error, and then gives the very
values marshmallow gives (same types, same key order)."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError, fields
from marshmallow.decorators import PRE_LOAD
from marshmallow.error_store import ErrorStore
from marshmallow.validate import Length

from sandbox import admin
from sandbox.core.fastpath import LookCloser
from sandbox.core.fields import DECIMAL_MAX, StrictDecimal
from sandbox.core.schemas import ApiSchema
from sandbox.providers import PROVIDERS
from tests.toy.provider import provider as toy

APIS = [p.api for p in (*PROVIDERS, toy)] + [admin.api]
SCHEMAS = [(f"{endpoint}:{where}", schema, example, where)
           for api in APIS for endpoint, op in sorted(api.operations.items())
           for where, schema, example in (("body", op.body, op.example and op.example.body),
                                          ("query", op.query, op.example and op.example.query))
           if schema is not None and endpoint.endswith("_0")]  # an alias shares its first rule's schema


def test_every_provider_declares_schemas_the_lane_covers():
    """The walk finds the schemas (not an empty parametrization), and each has a lane."""
    providers = {api.name for _, schema, _, _ in SCHEMAS for api in APIS if schema in _schemas_of(api)}
    assert {"ibanera", "p100", "weavr", "prozora", "toy", "sandbox"} <= providers
    assert len(SCHEMAS) >= 60
    assert [name for name, schema, _, _ in SCHEMAS if schema.fast_lane() is None] == []


def _schemas_of(api):
    return [s for op in api.operations.values() for s in (op.body, op.query) if s is not None]


# -- values --------------------------------------------------------------------------------
CONTROL = st.sampled_from(["\x00", "\x1b", "\n", "\t", "\x7f"])
ODD_DIGITS = st.sampled_from(["١٤٠٠١", "１４", "٣", "1_0", "+5", "-0", "05", " 7", "7 ", "1e3", "0x1f"])
texts = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=st.characters(codec="ascii"), max_size=12),
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=4), CONTROL, st.text(max_size=4)),
    st.sampled_from(["", " ", "\u3000", "\xa0 ", "abc", "ABC", "usd", "USD", "usa", "GBR", "true", "null"]),
    ODD_DIGITS,
)
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.decimals(allow_nan=False, allow_infinity=False), st.floats(),  # floats: a route reading fractions as floats
    st.sampled_from([Decimal("0.1"), Decimal("100.00"), Decimal("1e400"), Decimal("-0"), Decimal("99.999"),
                     Decimal("12.50"), 0, 1, -1, 2**31, 2**63,
                     int(DECIMAL_MAX), int(DECIMAL_MAX) + 1, -int(DECIMAL_MAX) - 1]),  # .NET decimal's edge
    texts,
)
json_values = st.one_of(json_scalars, st.lists(json_scalars, max_size=3),
                        st.dictionaries(st.text(max_size=5), json_scalars, max_size=2))


def _max_length(field: fields.Field) -> int | None:
    lengths = [v.max for v in field.validators if isinstance(v, Length) and v.max is not None]
    return min(lengths) if lengths else None


@st.composite
def mutated(draw, schema: ApiSchema, base: dict, where: str):
    """The base payload with zero or more fields changed, dropped or added."""
    payload = copy.deepcopy(base)
    target_schema, target = schema, payload
    # now and then reach into a nested object the base holds
    nested = [(name, f) for name, f in schema.load_fields.items()
              if isinstance(f, fields.Nested) and isinstance(payload.get(f.data_key or name), dict)]
    if nested and draw(st.booleans()):
        name, f = draw(st.sampled_from(nested))
        target_schema, target = f.schema, payload[f.data_key or name]
    keys = [f.data_key or name for name, f in target_schema.load_fields.items()]
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["set", "set", "bound", "drop", "add", "case", "swap"]))
        key = draw(st.sampled_from(keys)) if keys else draw(st.text(max_size=5))
        field = target_schema.load_fields.get(key) or next(
            (f for n, f in target_schema.load_fields.items() if f.data_key == key), None)
        if action == "set":
            target[key] = draw(texts if where == "query" else json_values)
        elif action == "bound" and field is not None:
            longest = _max_length(field) or draw(st.integers(1, 300))
            seed = target.get(key) if isinstance(target.get(key), str) and target.get(key) else "a"
            length = draw(st.sampled_from([longest, longest + 1, longest - 1, 0, 1]))
            target[key] = (seed * (length // len(seed) + 1))[:max(length, 0)]
        elif action == "drop":
            target.pop(key, None)
        elif action == "add":
            target[draw(st.sampled_from([key.upper(), key.lower(), key + "x", draw(st.text(max_size=6))]))] = \
                draw(texts if where == "query" else json_values)
        elif action == "case" and isinstance(target.get(key), str):
            target[key] = draw(st.sampled_from([str.upper, str.lower, str.title]))(target[key])
        elif action == "swap" and keys:
            other = draw(st.sampled_from(keys))
            if other in target:
                target[key] = copy.deepcopy(target[other])
    return payload


def _base(example, where: str) -> dict:
    if not example:
        return {}
    if where == "query":  # a query string: text values, as query_payload gives them
        return {k: [str(x) for x in v] if isinstance(v, list) else str(v) for k, v in example.items()}
    return copy.deepcopy(example)


def _same(a, b) -> bool:
    """Equal, of the same types all the way down, dict keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Decimal):
        return a.as_tuple() == b.as_tuple()
    return a == b


def marshmallow_reads(schema: ApiSchema, data, monkeypatch) -> tuple[object, dict]:
    """marshmallow's own field loop (every lane off, nested schemas' too): (values, errors)."""
    with monkeypatch.context() as patched:
        patched.setattr(ApiSchema, "FAST_LANE", False)
        store = ErrorStore()
        values = schema._deserialize(data, error_store=store, unknown=schema.unknown)
    return values, store.errors


def lane_reads(schema: ApiSchema, data):
    try:
        return True, schema.fast_lane()(data, schema.unknown)
    except LookCloser:
        return False, None


@pytest.mark.parametrize(("name", "schema", "example", "where"), SCHEMAS, ids=[s[0] for s in SCHEMAS])
def test_the_lane_accepts_exactly_what_marshmallow_accepts(name, schema, example, where, monkeypatch):
    base = _base(example, where)

    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(mutated(schema, base, where))
    def lane_agrees(payload):
        data = payload
        if schema._hooks[PRE_LOAD]:  # marshmallow's own pre_load, as _do_load runs it
            try:
                data = schema._invoke_load_processors(PRE_LOAD, payload, many=False, original_data=payload,
                                                      partial=None, unknown=schema.unknown)
            except ValidationError:
                return  # refused before any field is read: the lane never runs
        values, errors = marshmallow_reads(schema, data, monkeypatch)
        accepted, fast = lane_reads(schema, data)
        assert accepted == (not errors), (payload, errors)
        if accepted:
            assert _same(fast, values), (payload, fast, values)

    lane_agrees()
    if base:  # the operation's own example, unchanged, is valid: the lane takes it
        accepted, _ = lane_reads(schema, _preloaded(schema, base))
        assert accepted, name


def _preloaded(schema: ApiSchema, payload):
    if not schema._hooks[PRE_LOAD]:
        return payload
    return schema._invoke_load_processors(PRE_LOAD, payload, many=False, original_data=payload, partial=None,
                                          unknown=schema.unknown)


#: numbers at the edges of what a StrictDecimal takes: .NET decimal's largest, one past it, places, kinds
EDGE_NUMBERS = (0, 7, -7, 10**5, int(DECIMAL_MAX), int(DECIMAL_MAX) + 1, -int(DECIMAL_MAX), -int(DECIMAL_MAX) - 1,
                DECIMAL_MAX, Decimal("0.005"), Decimal("12.50"), Decimal("1E+2"), 1.5, True)
DECIMAL_FIELDS = [(name, schema, example, key) for name, schema, example, where in SCHEMAS if where == "body"
                  for key, field in ((f.data_key or n, f) for n, f in schema.load_fields.items())
                  if isinstance(field, StrictDecimal) and example and key in example]


def test_every_number_field_of_an_example_is_found():
    assert len(DECIMAL_FIELDS) >= 19 and {name.split(".")[0] for name, *_ in DECIMAL_FIELDS} >= {"ibanera", "prozora"}


@pytest.mark.parametrize(("name", "schema", "example", "key"), DECIMAL_FIELDS,
                         ids=[f"{name}:{key}" for name, _, _, key in DECIMAL_FIELDS])
def test_the_lane_reads_numbers_at_their_edges_as_marshmallow_does(name, schema, example, key, monkeypatch):
    for number in EDGE_NUMBERS:
        data = _preloaded(schema, {**copy.deepcopy(example), key: number})
        values, errors = marshmallow_reads(schema, data, monkeypatch)
        accepted, fast = lane_reads(schema, data)
        assert accepted == (not errors), (key, number, errors)
        if accepted:
            assert _same(fast, values), (key, number, fast, values)
