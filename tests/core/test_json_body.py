"""A request body is read with orjson where that gives exactly what the
stdlib gives with exact decimals: a property test holds the two equal on any
JSON value and any bytes (what one refuses, the other refuses)."""

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


def stdlib(raw: bytes):
    """The stdlib's reading, except that a lone surrogate is no text (the sandbox refuses it)."""
    try:
        value = json.loads(raw.decode("utf-8"), parse_float=Decimal, parse_constant=_reject_constant)
        json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
        return value
    except (ValueError, UnicodeDecodeError, UnicodeEncodeError, RecursionError):
        return MalformedJson


def ours(raw: bytes):
    try:
        return _parsed(raw, Decimal)
    except MalformedJson:
        return MalformedJson


def same(a, b) -> bool:
    """Equal, and of the same types all the way down (1 is not 1.0, a Decimal is not a float)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@settings(max_examples=400, deadline=None)
@given(values)
def test_any_json_value_reads_as_the_stdlib_reads_it(value):
    raw = json.dumps(value).encode()
    assert same(ours(raw), stdlib(raw))


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=40) | st.sampled_from([b'{"a": NaN}', b'{"a": 1e400}', b'\xef\xbb\xbf{}', b'{"a": 1.50}',
                                                  b'{"a": "\\ud800"}', b'[' * 2000 + b']' * 2000, b'{"a":1,"a":2}',
                                                  b'{"n": 123456789012345678901234567890}']))
def test_any_bytes_are_read_or_refused_as_the_stdlib_does(raw):
    assert same(ours(raw), stdlib(raw))
