"""Prozora's value formats, each checked by the kept library for it:
GUIDs (uuid), Stellar account IDs (SEP-23 strkeys, with the stdlib calls
stellar-sdk's StrKey makes, see is_stellar_account), IBANs (schwifty),
ISO 8601 time bounds (datetime). Each raises a code of errors.py."""

from __future__ import annotations

import base64
import binascii
import struct
import uuid
from datetime import UTC, datetime

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException


def guid(value: str) -> str | None:
    """The canonical (lower-case, hyphenated) form of a UUID, or None."""
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) and len(value) <= 45 else None
    except ValueError:
        return None


#: SEP-23 version byte of an ed25519 public key (the "G" prefix)
_ACCOUNT_VERSION = 6 << 3


def is_stellar_account(value: str) -> bool:
    """A Stellar account ID (SEP-23): base32 of the version byte, the 32-byte
    key and its CRC-16/XModem (little-endian). These are the stdlib calls
    stellar-sdk's StrKey.is_valid_ed25519_public_key makes; the SDK itself is
    not imported because its import costs ~0.7 s and the default scenario's
    issuers are checked at start-up, which must stay well under a second.
    tests/prozora/test_stellar_account.py holds this to the SDK's answer."""
    if not isinstance(value, str) or len(value) != 56 or not value.isascii():
        return False
    try:
        raw = base64.b32decode(value)
    except binascii.Error:
        return False
    payload, checksum = raw[:-2], raw[-2:]
    crc = struct.pack("<H", binascii.crc_hqx(payload, 0))
    return len(raw) == 35 and payload[0] == _ACCOUNT_VERSION and crc == checksum


def compact_iban(value: str) -> str | None:
    """The IBAN without spaces, upper case, if its country format and checksum hold; else None."""
    try:
        return IBAN(value).compact
    except (SchwiftyException, ValueError):
        return None


def utc_timestamp(moment: datetime) -> str:
    """The wire (and stored) form: fixed width, so text order is time order."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def time_bound(value: str) -> str | None:
    """An ISO 8601 date or date-time as a comparable timestamp (no zone: UTC), or None."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return utc_timestamp(moment)
    except (OverflowError, ValueError):
        return None
