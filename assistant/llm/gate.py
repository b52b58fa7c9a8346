"""Serialize use of a non-thread-safe model behind a bounded queue: one runs, a few wait, the rest are told to retry."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ModelBusyError(RuntimeError):
    """Too many requests are already waiting for the model; the message says to retry."""


class ModelGate:
    """At most one holder at a time and `max_waiting` queued; further callers get ModelBusyError."""

    def __init__(self, max_waiting: int = 4) -> None:
        self.max_waiting = max_waiting
        self._slots = threading.BoundedSemaphore(max_waiting + 1)
        self._lock = threading.Lock()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold the model; raise ModelBusyError at once if the queue is full."""
        if not self._slots.acquire(blocking=False):
            raise ModelBusyError(f"the local model is busy ({self.max_waiting} requests waiting); retry in a moment")
        try:
            with self._lock:
                yield
        finally:
            self._slots.release()
