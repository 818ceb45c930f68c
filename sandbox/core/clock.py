"""The sandbox's time: wall-clock UTC plus an offset that tests can move."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The current sandbox time, timezone-aware UTC."""
        return datetime.now(UTC) + self._offset

    def timestamp(self) -> float:
        return self.now().timestamp()

    def advance(self, seconds: float) -> None:
        """Move sandbox time forward (lock-outs expire, tokens age)."""
        with self._lock:
            self._offset += timedelta(seconds=seconds)

    def offset(self) -> timedelta:
        return self._offset

    def set_offset(self, offset: timedelta) -> None:
        with self._lock:
            self._offset = offset

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta(0)
