"""Prozora's value formats, each checked by the kept library for it:
GUIDs (uuid), Stellar account IDs (SEP-23 strkeys, with the stdlib calls
stellar-sdk's StrKey makes, see is_stellar_account), IBANs (schwifty),
time bounds (dates and RFC 3339 date-times, datetime). Each raises a code of errors.py."""

from __future__ import annotations

import base64
import binascii
import re
import struct
import uuid
from datetime import UTC, datetime

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

#: [I] a GUID is written 8-4-4-4-12 hexadecimal digits, any case (RFC 4122's text form, every GUID of
#: the docs): exactly OpenAPI's `format: uuid`. google/uuid's other spellings (braces, urn:uuid:, no
#: hyphens) are refused, so what the document says and what the server takes are the same set.
GUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_GUID = re.compile(GUID_PATTERN.rstrip("$"))


def guid(value: str) -> str | None:
    """The canonical (lower-case, hyphenated) form of a UUID, or None."""
    if not isinstance(value, str) or not _GUID.fullmatch(value):
        return None
    return str(uuid.UUID(value))


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


#: [I] a time bound is OpenAPI's `date` (RFC 3339 full-date) or `date-time` (RFC 3339: T, seconds and
#: an offset required; t/z in any case; a leap second :60 counts as :59)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
                        r"([Zz]|[+-][0-9]{2}:[0-9]{2})")


def time_bound(value: str) -> str | None:
    """A date or RFC 3339 date-time as a comparable timestamp (a date: midnight UTC), or None."""
    if not isinstance(value, str):
        return None
    try:
        if _DATE.fullmatch(value):
            moment = datetime.fromisoformat(value).replace(tzinfo=UTC)
        elif match := _DATE_TIME.fullmatch(value):
            day, hour, minute, second, fraction, offset = match.groups()
            second = "59" if second == "60" else second
            zone = "+00:00" if offset in "Zz" else offset
            moment = datetime.fromisoformat(f"{day}T{hour}:{minute}:{second}{(fraction or '')[:7]}{zone}")
        else:
            return None
    except ValueError:
        return None
    try:
        return utc_timestamp(moment)
    except (OverflowError, ValueError):
        return None
