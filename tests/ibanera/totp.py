"""An independent RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for the tests, so the
sandbox's codes are checked against the RFC and not against its own library."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def totp(secret_base32: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


# RFC 6238 appendix B, SHA-1 (8 digits): the oracle itself is checked.
assert totp(base64.b32encode(b"12345678901234567890").decode(), at=59, digits=8) == "94287082"
