"""A request body is read with msgspec where that gives exactly what the
stdlib gives with exact decimals (or floats, where a route asks for them): a
property test holds the two equal on any JSON value and any bytes (what one
refuses, the other refuses)."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.core.http import MalformedJson, _parsed, _reject_constant

values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=20)


def stdlib(raw: bytes, parse_float=Decimal):
    """The stdlib's reading, except that a lone surrogate is no text (the sandbox refuses it)."""
    try:
        value = json.loads(raw.decode("utf-8"), parse_float=parse_float, parse_constant=_reject_constant)
        json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
        return value
    except (ValueError, UnicodeDecodeError, UnicodeEncodeError, RecursionError):
        return MalformedJson


def ours(raw: bytes, parse_float=Decimal):
    try:
        return _parsed(raw, parse_float)
    except MalformedJson:
        return MalformedJson


def same(a, b) -> bool:
    """Equal, and of the same types all the way down (1 is not 1.0, a Decimal is not a float), a
    Decimal written the same (1.50 is not 1.5). Walked without recursion: bodies nest ~1,000 deep."""
    pending = [(a, b)]
    while pending:
        a, b = pending.pop()
        if type(a) is not type(b):
            return False
        if isinstance(a, dict):
            if list(a) != list(b):
                return False
            pending.extend((a[k], b[k]) for k in a)
        elif isinstance(a, list):
            if len(a) != len(b):
                return False
            pending.extend(zip(a, b, strict=True))
        elif isinstance(a, Decimal):
            if a.as_tuple() != b.as_tuple():
                return False
        elif a != b:
            return False
    return True


@settings(max_examples=400, deadline=None)
@given(values, st.sampled_from([Decimal, float]))
def test_any_json_value_reads_as_the_stdlib_reads_it(value, parse_float):
    raw = json.dumps(value).encode()
    assert same(ours(raw, parse_float), stdlib(raw, parse_float))


#: bodies at the edges: constants JSON has not, a BOM, surrogates, nesting around the recursion limit,
#: numbers no double holds, integers past 64 bits and past Python's 4,300 digits, decimals as written
EDGES = [b'{"a": NaN}', b'{"a": 1e400}', b'\xef\xbb\xbf{}', b'{"a": 1.50}', b'{"a": "\\ud800"}',
         b'{"a": "\\ud83d\\ude00"}', b'[' * 2000 + b']' * 2000, b'[' * 990 + b']' * 990, b'[' * 1024 + b']' * 1024,
         b'{"a":1,"a":2}', b'{"n": 123456789012345678901234567890}', b'[-0.0, -0, 1E2, 1e-7, 0.1e+5, 2.50E-3]',
         b'1' + b'0' * 5000, b'[1e999999999]', b'["\x01"]', b'["\\u0000"]', b'[1.7976931348623157e309]',
         b'{"a": 79228162514264337593543950335.00}', b' \t\r\n{} ', b'{}x', b'["\xff"]']


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=40) | st.sampled_from(EDGES), st.sampled_from([Decimal, float]))
def test_any_bytes_are_read_or_refused_as_the_stdlib_does(raw, parse_float):
    assert same(ours(raw, parse_float), stdlib(raw, parse_float))


def test_every_edge_reads_as_the_stdlib_reads_it():
    for parse_float in (Decimal, float):
        for raw in EDGES:
            assert same(ours(raw, parse_float), stdlib(raw, parse_float)), (raw[:40], parse_float)
