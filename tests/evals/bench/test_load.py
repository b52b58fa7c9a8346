"""The load bench's fairness count: who waited behind another session's later second question."""

from __future__ import annotations

from evals.bench.load import Outcome, behind_second


def _answer(session: int, turn: int, asked_at: float, done_at: float) -> Outcome:
    return Outcome(session=session, question="q", kind="answer", seconds=done_at - asked_at, asked_at=asked_at,
                   turn=turn)


def test_a_first_question_answered_after_a_later_second_question_is_counted() -> None:
    first = _answer(0, 1, asked_at=0.0, done_at=100.0)
    overtaking = _answer(1, 2, asked_at=40.0, done_at=70.0)
    assert behind_second([first, overtaking]) == 1


def test_questions_in_arrival_order_are_fair() -> None:
    rows = [_answer(0, 1, 0.0, 30.0), _answer(1, 1, 0.1, 60.0), _answer(0, 2, 30.5, 90.0), _answer(1, 2, 60.5, 120.0)]
    assert behind_second(rows) == 0


def test_two_clicks_within_a_second_may_join_the_queue_either_way() -> None:
    rows = [_answer(4, 2, asked_at=100.0, done_at=250.0), _answer(5, 2, asked_at=100.3, done_at=230.0)]
    assert behind_second(rows) == 0
    rows[1] = _answer(5, 2, asked_at=101.5, done_at=230.0)
    assert behind_second(rows) == 1
