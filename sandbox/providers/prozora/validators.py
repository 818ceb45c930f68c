"""Prozora's value formats, each checked by the kept library for it:
GUIDs (uuid), Stellar account IDs (stellar-sdk's StrKey), IBANs (schwifty),
ISO 8601 time bounds (datetime). Each raises a code of errors.py."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import cache

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException


@cache
def _strkey():
    # stellar_sdk's package import costs ~0.7 s (it loads the whole SDK): pay it on first use.
    from stellar_sdk import StrKey  # noqa: PLC0415

    return StrKey


def guid(value: str) -> str | None:
    """The canonical (lower-case, hyphenated) form of a UUID, or None."""
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) and len(value) <= 45 else None
    except ValueError:
        return None


def is_stellar_account(value: str) -> bool:
    """A Stellar account ID: "G" + 55 base32 characters, version byte and CRC16 checked (SEP-23)."""
    return isinstance(value, str) and _strkey().is_valid_ed25519_public_key(value)


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
