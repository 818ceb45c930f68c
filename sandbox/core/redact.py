"""What the sandbox may show of a request or an answer (in a log line, the
request journal, an outbox): never a password, a TOTP code, a token, a
secret, an api-key beyond a short prefix, or a file's content. Said once
here; the journal and the log line both go through it."""

from __future__ import annotations

import re
from typing import Any

#: a header carrying a credential (Authorization, api-key, x-api-key, programme-key, otp, a signature, a
#: cookie): shown as its first PREFIX characters
SECRET_HEADER = re.compile(r"key|token|secret|auth|signature|password|otp|cookie", re.IGNORECASE)
#: a JSON key whose value is a secret (its whole subtree: Weavr's {"password": {"value": ...}})
SECRET_KEY = re.compile(r"(password|passcode|otp|token|secret|pin|cvv|cvc|api[-_]?key|credentials?|authori[sz]ation"
                        r"|verificationcode)$", re.IGNORECASE)
#: a JSON key whose value is a file's content (Ibanera's base64 proof of address)
FILE_KEY = re.compile(r"file|base64|content|document|image|selfie", re.IGNORECASE)
PREFIX = 4
#: longer text is cut (a body is for reading, not for replaying)
TEXT_KEPT = 256
HIDDEN = "***"


def shown(value: str) -> str:
    """A credential as its first few characters ("eyJh…")."""
    return value[:PREFIX] + "…" if len(value) > PREFIX else HIDDEN


def is_secret_header(name: str) -> bool:
    return bool(SECRET_HEADER.search(name))


def header(name: str, value: str) -> str:
    if not is_secret_header(name):
        return value
    scheme, space, rest = value.partition(" ")
    if space and scheme.lower() in ("bearer", "basic", "token"):
        return f"{scheme} {shown(rest.strip())}"
    return shown(value)


def headers(items) -> dict[str, str]:
    return {name: header(name, value) for name, value in items}


def body(value: Any, key: str = "") -> Any:
    """A JSON value with every secret hidden and every file's content replaced by its size."""
    if isinstance(value, dict):
        return {k: _field(str(k), v) for k, v in value.items()}
    if isinstance(value, list):
        return [body(item, key) for item in value[:50]] + (["…"] if len(value) > 50 else [])
    if isinstance(value, str) and len(value) > TEXT_KEPT:
        return f"{value[:TEXT_KEPT]}… ({len(value)} characters)"
    return value


def _field(key: str, value: Any) -> Any:
    if SECRET_KEY.search(key):
        return HIDDEN if value not in (None, "") else value
    if FILE_KEY.search(key) and isinstance(value, str) and len(value) > 64:
        return f"<{len(value)} characters>"
    return body(value, key)
