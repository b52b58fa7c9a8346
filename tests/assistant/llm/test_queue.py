"""Whole questions take turns at the model: in arrival order, one per user, at a bounded rate."""

from __future__ import annotations

import threading
import time

import pytest

from assistant.llm.gate import ModelBusyError
from assistant.llm.queue import AlreadyQueuedError, RateLimitedError, TurnQueue


def test_questions_are_served_in_arrival_order_one_at_a_time() -> None:
    queue, served, holding = TurnQueue(), [], threading.Lock()
    first = queue.join("ana")  # ana has the model; the others queue behind her in the order they come
    assert first.wait(0) and first.ahead == 0

    def ask(user: str) -> None:
        with queue.turn(user):
            assert holding.acquire(blocking=False), "two questions held the model at once"
            served.append(user)
            time.sleep(0.02)
            holding.release()

    threads = []
    for user in ("bea", "carla", "dora"):
        threads.append(threading.Thread(target=ask, args=(user,)))
        threads[-1].start()
        while queue.ahead(user) is None:
            time.sleep(0.005)
    assert [queue.ahead(u) for u in ("bea", "carla", "dora")] == [1, 2, 3]
    first.leave()
    for th in threads:
        th.join(5)
    assert served == ["bea", "carla", "dora"]
    assert queue.ahead("ana") is None


def test_a_user_has_one_question_in_the_queue_and_the_others_do_not_wait_behind_their_second() -> None:
    queue = TurnQueue()
    ana = queue.join("ana")
    bea = queue.join("bea")
    with pytest.raises(AlreadyQueuedError):
        queue.join("ana")  # ana's second question is refused, not put before bea's first
    with pytest.raises(AlreadyQueuedError):
        queue.join("bea")
    assert bea.ahead == 1
    ana.leave()
    assert bea.wait(1) and bea.ahead == 0
    queue.join("ana").leave()  # ana's next question, once the first is answered, is welcome again
    bea.leave()


def test_a_question_given_up_while_waiting_leaves_its_place() -> None:
    queue = TurnQueue()
    ana, bea, carla = queue.join("ana"), queue.join("bea"), queue.join("carla")
    assert not bea.wait(0.05)
    bea.leave()  # bea closed the page
    assert carla.ahead == 1
    ana.leave()
    assert carla.wait(1)
    carla.leave()


def test_the_rate_is_per_user_and_says_when_to_ask_again() -> None:
    queue = TurnQueue(per_minute=2)
    for _ in range(2):
        queue.join("ana").leave()
    with pytest.raises(RateLimitedError) as refused:
        queue.join("ana")
    assert 0 < refused.value.retry_s <= 60 and "ask again in" in str(refused.value)
    queue.join("bea").leave()  # another user is not held back by ana's rate


def test_too_many_waiting_are_told_to_retry() -> None:
    queue = TurnQueue(most_waiting=1)
    tickets = [queue.join("ana"), queue.join("bea")]
    with pytest.raises(ModelBusyError, match="busy"):
        queue.join("carla")
    for t in tickets:
        t.leave()


def test_the_estimate_follows_the_turns_it_has_seen() -> None:
    queue = TurnQueue(typical_s=10.0)
    assert queue.estimate_s(0) == 0.0
    ana = queue.join("ana")
    assert 9.0 < queue.estimate_s(1) <= 10.0 and 19.0 < queue.estimate_s(2) <= 20.0
    ana.leave()  # a turn of almost no time pulls the typical turn down
    assert queue.typical_s < 10.0
