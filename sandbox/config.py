"""Settings of one sandbox process. The CLI fills them from flags and
SANDBOX_* environment variables (see cli.py); tests build them directly."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PORT = 8080
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    #: scenario YAML file; None means fixtures/default.yaml
    scenario: str | None = None
    #: seeds every generated value (links, account numbers, names)
    seed: int = 0
    #: persist state to this TinyDB JSON file instead of memory only
    state_file: str | None = None
    #: refuse the fixed sandbox OTP 123456; only real TOTP codes pass
    strict_otp: bool = False
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    threads: int = 8
