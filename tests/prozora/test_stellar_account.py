"""The sandbox's Stellar account check answers as stellar-sdk's StrKey does
(the reference), on real keys, keys with one character changed, other strkey
kinds and arbitrary text."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st
from stellar_sdk import StrKey

from sandbox.providers.prozora.schemas import is_stellar_account

BASE32 = string.ascii_uppercase + "234567"


@settings(max_examples=300, deadline=None)
@given(key=st.binary(min_size=32, max_size=32), position=st.integers(0, 55), char=st.sampled_from(BASE32 + "a1=-"))
def test_agrees_with_stellar_sdk_on_keys_and_near_misses(key, position, char):
    account = StrKey.encode_ed25519_public_key(key)
    assert is_stellar_account(account) is True
    changed = account[:position] + char + account[position + 1:]
    assert is_stellar_account(changed) is StrKey.is_valid_ed25519_public_key(changed)
    for other in (StrKey.encode_ed25519_secret_seed(key), StrKey.encode_pre_auth_tx(key),
                  StrKey.encode_sha256_hash(key), StrKey.encode_contract(key)):
        assert is_stellar_account(other) is False is StrKey.is_valid_ed25519_public_key(other)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=60), st.text(alphabet=BASE32 + "=", min_size=54, max_size=58)))
def test_agrees_with_stellar_sdk_on_any_text(text):
    assert is_stellar_account(text) is StrKey.is_valid_ed25519_public_key(text)
