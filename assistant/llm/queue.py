"""Whole questions take turns at the embedded model: first come, first served, one per user.

The model writes one answer at a time. Without turns, the calls of several answers interleave (a
judge here, a source there), so every answer waits for all the others, and one user asking again and
again pushes everyone back. A `TurnQueue` gives each user (a signed-in account, or a browser session)
at most one question queued or running, serves them in the order they came, says where a waiting
question stands and about how long it will wait, and refuses a user who asks the model more often
than `per_minute` times a minute.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from assistant.llm.gate import ModelBusyError
from assistant.settings import Settings


class AlreadyQueuedError(ModelBusyError):
    """This user already has a question waiting for (or with) the model."""


class RateLimitedError(ModelBusyError):
    """This user asked the model too often in the last minute; `retry_s` says when the next may come."""

    def __init__(self, message: str, retry_s: float) -> None:
        super().__init__(message)
        self.retry_s = retry_s


class TurnQueue:
    """One question at the model at a time, the others in arrival order, each user once.

    `typical_s` seeds the estimate of one turn's length; each finished turn moves it (a running mean
    of the last turns), so "2 ahead, ~20 s" follows the machine it runs on.
    """

    def __init__(self, per_minute: int = 6, most_waiting: int = 16, typical_s: float = 10.0) -> None:
        self.per_minute = per_minute
        self.most_waiting = most_waiting
        self.typical_s = typical_s
        self._order: deque[str] = deque()  # users, the one with the model first
        self._asked: dict[str, deque[float]] = {}  # when each user's recent turns began
        self._started = 0.0  # when the question at the head got the model
        self._cond = threading.Condition()

    def ahead(self, user: str) -> int | None:
        """How many questions come before this user's (0: it has the model), or None when it has none."""
        with self._cond:
            return self._order.index(user) if user in self._order else None

    def estimate_s(self, ahead: int) -> float:
        """About how long a question with `ahead` questions before it waits for its turn."""
        with self._cond:
            if ahead <= 0:
                return 0.0
            left = self.typical_s - (time.monotonic() - self._started)  # of the turn now running
            running = max(left, 0.1 * self.typical_s, 1.0)  # one running past the typical is not done yet
            return running + (ahead - 1) * self.typical_s

    def join(self, user: str) -> Ticket:
        """Queue this user's question (AlreadyQueuedError, RateLimitedError, ModelBusyError if it may not)."""
        with self._cond:
            self._admit(user)
            self._order.append(user)
            if len(self._order) == 1:
                self._started = time.monotonic()
        return Ticket(self, user)

    @contextmanager
    def turn(self, user: str) -> Iterator[None]:
        """Wait for this user's turn, then hold the model until the block ends."""
        ticket = self.join(user)
        try:
            while not ticket.wait(1.0):
                pass
            yield
        finally:
            ticket.leave()

    def _wait(self, user: str, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._order[0] == user, timeout)

    def _leave(self, user: str) -> None:
        with self._cond:
            if user not in self._order:
                return
            if self._order[0] == user:  # a finished turn: it moves the estimate, the next one starts
                took = time.monotonic() - self._started
                self.typical_s = 0.7 * self.typical_s + 0.3 * took
                self._started = time.monotonic()
            self._order.remove(user)
            self._cond.notify_all()

    def _admit(self, user: str) -> None:
        """Refuse a second question of the same user, one over the rate, or one too many in all (held lock)."""
        if user in self._order:
            raise AlreadyQueuedError("you already have a question waiting for the local model; it is answered "
                                     "before you can ask another")
        now = time.monotonic()
        recent = self._asked.setdefault(user, deque())
        while recent and now - recent[0] >= 60.0:
            recent.popleft()
        if len(recent) >= self.per_minute:
            retry = 60.0 - (now - recent[0])
            raise RateLimitedError(f"{self.per_minute} questions to the local model in a minute is the limit; "
                                   f"ask again in {retry:.0f} s", retry_s=retry)
        if len(self._order) > self.most_waiting:
            raise ModelBusyError(f"the local model is busy ({self.most_waiting} questions waiting); retry in a moment")
        recent.append(now)


class Ticket:
    """A user's place in the queue: `wait` until it is their turn, `leave` when done (or given up)."""

    def __init__(self, queue: TurnQueue, user: str) -> None:
        self.queue, self.user = queue, user

    @property
    def ahead(self) -> int:
        """Questions before this one (0: it has the model)."""
        return self.queue.ahead(self.user) or 0

    def wait(self, timeout: float) -> bool:
        """Whether it is this question's turn, waiting at most `timeout` seconds for it."""
        return self.queue._wait(self.user, timeout)

    def leave(self) -> None:
        """Give the model to the next question (also when this one gave up waiting)."""
        self.queue._leave(self.user)


QUEUE = TurnQueue()  # one per app process: the model it guards is one per process


def model_queue(settings: Settings) -> TurnQueue:
    """The process's queue, with the settings' rate and length."""
    QUEUE.per_minute, QUEUE.most_waiting = settings.limits.model_per_minute, settings.limits.model_queue
    return QUEUE
