"""Settings of one sandbox process. The CLI fills them from flags and
SANDBOX_* environment variables (see cli.py); tests build them directly.
Settings that only one provider reads are that provider's (Provider.settings)
and arrive here under `providers`, keyed by provider name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    threads: int = 8
    #: when set, the global controls (reset, scenario, snapshot, clock) require `Authorization: Bearer <it>`
    admin_token: str | None = None
    #: the only directories a scenario file loads from by path at run time (POST /_sandbox/scenario);
    #: empty: the working directory (the --scenario file's own directory is always one)
    scenario_dirs: tuple[str, ...] = ()
    #: how many of the latest requests the request journal keeps
    journal_size: int = 1000
    #: provider name -> its own settings (see Provider.settings), e.g. {"ibanera": {"strict_otp": True}}
    providers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
