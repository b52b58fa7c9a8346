"""A question for the model in the app takes its turn: it is told its place and offered the sources at once."""

from __future__ import annotations

import threading

import pytest

from assistant.answering.answer import answer_stream
from assistant.llm.queue import QUEUE, AlreadyQueuedError
from assistant.models import Answer, Waiting
from assistant.settings import Settings

QUESTION = "¿Cómo fortalecer las iniciativas clúster en mi región?"


def test_a_waiting_question_is_told_its_place_and_gets_the_sources_then_the_model_answer(
        corpus_settings: Settings) -> None:
    other = QUEUE.join("someone-else")  # another planner's question has the model
    items: list[object] = []
    done = threading.Event()

    def ask() -> None:
        try:
            items.extend(answer_stream(QUESTION, settings=corpus_settings, backend="fake", user="me", quick=True,
                                       use_cache=False))
        finally:
            done.set()

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        while QUEUE.ahead("me") is None and not done.is_set():
            done.wait(0.01)
        assert QUEUE.ahead("me") == 1
        while not any(isinstance(i, Waiting) for i in items) and not done.is_set():
            done.wait(0.01)  # it is told its place before the model is free
        with pytest.raises(AlreadyQueuedError):  # a second question while the first waits is refused at once
            list(answer_stream("¿Y la innovación?", settings=corpus_settings, backend="fake", user="me"))
    finally:
        other.leave()
    asker.join(60)
    waits = [i for i in items if isinstance(i, Waiting)]
    assert waits and {w.ahead for w in waits} == {1} and waits[0].seconds > 0
    assert [w.quick is not None for w in waits] == [True] + [False] * (len(waits) - 1)  # offered once
    quick = waits[0].quick
    assert quick is not None and quick.backend == "extractive" and quick.citations  # the sources, cited, at once
    final = items[-1]
    assert isinstance(final, Answer) and final.backend == "fake" and "queued" in final.timings_ms
    assert QUEUE.ahead("me") is None  # its turn is over


def test_without_a_user_or_with_the_extractive_backend_nothing_queues(corpus_settings: Settings) -> None:
    other = QUEUE.join("someone-else")
    try:  # the command line and the eval have no user; extractive needs no model: neither waits
        items = list(answer_stream(QUESTION, settings=corpus_settings, backend="fake", use_cache=False))
        items += list(answer_stream(QUESTION, settings=corpus_settings, backend="extractive", user="me"))
    finally:
        other.leave()
    assert not [i for i in items if isinstance(i, Waiting)]
    assert [i.backend for i in items if isinstance(i, Answer)] == ["fake", "extractive"]
