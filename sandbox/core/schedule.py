"""Transitions the real provider decides later (a KYC review, a transfer
settling), queued on the sandbox clock and run once it passes their moment
(moto's state manager, Stripe's test clocks).

A due job runs:
* when a test moves the clock: before the move answers, so what the test
  reads next already shows the decision;
* after each request that has one due (a job due "now", e.g. an immediate
  outcome, runs as soon as the request that caused it has its answer);
* while real time passes, from one worker thread that sleeps until the next
  job is due (none while the clock is frozen, or nothing is queued).

Jobs of a tenant run in the order they were due (ties in the order they were
queued), one at a time across the whole sandbox. A job that fails is logged
and dropped: it must not stop the others."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sandbox.core.clock import Clock

log = logging.getLogger(__name__)


@dataclass(order=True)
class Job:
    due: datetime
    seq: int
    provider: str = field(compare=False)
    tenant: str = field(compare=False)
    #: what it does, in words (for the dashboard and the logs)
    name: str = field(compare=False)
    run: Callable[[], None] = field(compare=False, repr=False)
    cancelled: bool = field(default=False, compare=False)


class Scheduler:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._heap: list[Job] = []
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._running = threading.Lock()  # one batch of jobs at a time
        self._worker: threading.Thread | None = None
        self._closed = False
        clock.subscribe(self._time_moved)

    def at(self, due: datetime, provider: str, tenant: str, name: str, run: Callable[[], None]) -> Job:
        """Queue `run` for `due` (sandbox time)."""
        with self._lock:
            job = Job(due, next(self._seq), provider, tenant, name, run)
            heapq.heappush(self._heap, job)
            if self._worker is None and not self._closed:
                self._worker = threading.Thread(target=self._work, name="sandbox-scheduler", daemon=True)
                self._worker.start()
            self._wake.notify()
        return job

    def pending(self, provider: str | None = None, tenant: str | None = None) -> list[Job]:
        with self._lock:
            return sorted(j for j in self._heap if not j.cancelled and provider in (None, j.provider)
                          and tenant in (None, j.tenant))

    def cancel(self, provider: str | None = None, tenant: str | None = None) -> int:
        """Drop the queued jobs (of a provider's tenant; all by default): a reset."""
        with self._lock:
            dropped = [j for j in self._heap if provider in (None, j.provider) and tenant in (None, j.tenant)]
            for job in dropped:
                job.cancelled = True
            self._heap = [j for j in self._heap if not j.cancelled]
            heapq.heapify(self._heap)
            return len(dropped)

    def has_due(self) -> bool:
        """Cheap: whether a job is due now (a peek at the earliest)."""
        heap = self._heap
        return bool(heap) and heap[0].due <= self._clock.now()

    def run_due(self) -> int:
        """Run every job due now, in order; returns how many ran."""
        ran = 0
        with self._running:
            while True:
                with self._lock:
                    if not self._heap or self._heap[0].due > self._clock.now():
                        return ran
                    job = heapq.heappop(self._heap)
                if job.cancelled:
                    continue
                try:
                    job.run()
                except Exception:  # one job's bug must not stop the queue
                    log.exception("scheduled job failed: %s (%s, tenant %s)", job.name, job.provider, job.tenant)
                ran += 1

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._wake.notify()
        self._clock.unsubscribe(self._time_moved)

    # -- internals -------------------------------------------------------------------------
    def _time_moved(self) -> None:
        self.run_due()
        with self._lock:
            self._wake.notify()

    def _work(self) -> None:
        """While real time passes, run each job when it comes due."""
        while True:
            with self._lock:
                while not self._closed and not self._due_now():
                    self._wake.wait(self._seconds_to_next())
                if self._closed:
                    return
            self.run_due()

    def _due_now(self) -> bool:
        return bool(self._heap) and self._heap[0].due <= self._clock.now()

    def _seconds_to_next(self) -> float | None:
        """How long to sleep: until the next job (None: until woken)."""
        if not self._heap or self._clock.frozen:
            return None
        return max((self._heap[0].due - self._clock.now()).total_seconds(), 0.001)
