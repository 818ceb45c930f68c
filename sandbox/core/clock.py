"""The sandbox's time: one clock drives every time rule (token and rate-lock
expiry, idempotency windows, lock-outs, transitions the provider decides
later, webhook retries), so no rule reads the wall clock on its own.

Real time passes by default (wall-clock UTC plus an offset a test may
move); frozen, it stands still until it is set or advanced. Whoever must
act when time passes a moment (the scheduler, the webhook worker)
subscribes, and is told after every move, before the move returns."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class BadDuration(ValueError):
    """Not an ISO-8601 duration the clock can add (e.g. PT10M, P1DT2H)."""


def parse_duration(value: str | float | timedelta) -> timedelta:
    """An ISO-8601 duration ("PT10M"), seconds, or a timedelta. Months and
    years have no fixed length, so they are refused; so is a negative one."""
    if isinstance(value, timedelta):
        duration = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        duration = timedelta(seconds=value)
    elif isinstance(value, str) and value.isascii():
        import isodate  # by the first duration given as text, not at start-up

        try:
            duration = isodate.parse_duration(value)
        except (isodate.ISO8601Error, ValueError) as exc:
            raise BadDuration(f"{value!r} is not an ISO-8601 duration such as PT10M or P1DT2H") from exc
        if not isinstance(duration, timedelta):
            raise BadDuration(f"{value!r}: months and years have no fixed length; say it in days (P30D)")
    else:
        raise BadDuration(f"{value!r} is not an ISO-8601 duration such as PT10M or P1DT2H")
    if duration < timedelta(0):
        raise BadDuration(f"{value!r}: time only moves forward")
    return duration


def iso(moment: datetime) -> str:
    """A moment as ISO-8601 UTC with milliseconds and a Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Clock:
    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    # -- reading -----------------------------------------------------------------------
    def now(self) -> datetime:
        """The current sandbox time, timezone-aware UTC."""
        frozen = self._frozen_at
        return frozen if frozen is not None else datetime.now(UTC) + self._offset

    def timestamp(self) -> float:
        return self.now().timestamp()

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def offset(self) -> timedelta:
        """How far sandbox time is from the wall clock now."""
        frozen = self._frozen_at
        return frozen - datetime.now(UTC) if frozen is not None else self._offset

    def view(self) -> dict:
        return {"now": iso(self.now()), "frozen": self.frozen}

    # -- moving ------------------------------------------------------------------------
    def advance(self, by: str | float | timedelta) -> None:
        """Move sandbox time forward (lock-outs expire, tokens age, queued
        transitions and webhook retries come due)."""
        duration = parse_duration(by)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += duration
            else:
                self._offset += duration
        self._moved()

    def set(self, moment: datetime) -> None:
        """Sandbox time is `moment` now (frozen: it stays there)."""
        if moment.tzinfo is None:
            raise ValueError("a moment names its zone (e.g. 2027-01-01T00:00:00Z)")
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = moment.astimezone(UTC)
            else:
                self._offset = moment - datetime.now(UTC)
        self._moved()

    def freeze(self, frozen: bool = True) -> None:
        """Stop time where it is (True), or let it pass again from there (False)."""
        with self._lock:
            if frozen and self._frozen_at is None:
                self._frozen_at = datetime.now(UTC) + self._offset
            elif not frozen and self._frozen_at is not None:
                self._offset = self._frozen_at - datetime.now(UTC)
                self._frozen_at = None
        self._moved()

    def set_offset(self, offset: timedelta, frozen: bool = False) -> None:
        """Become what offset() and `frozen` described (a snapshot's clock)."""
        with self._lock:
            self._offset, self._frozen_at = offset, None
            if frozen:
                self._frozen_at = datetime.now(UTC) + offset
        self._moved()

    def reset(self) -> None:
        """Back to the wall clock, running."""
        with self._lock:
            self._offset, self._frozen_at = timedelta(0), None
        self._moved()

    # -- who acts when time passes --------------------------------------------------------
    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every move (outside the clock's lock)."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _moved(self) -> None:
        for listener in list(self._listeners):
            listener()
