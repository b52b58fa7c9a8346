"""The model in its own process: a crash, a hang or an abandoned stream ends one call; the next is served.

The fake backend runs in the worker (slowed to 0.2 s a token, so a signal lands mid-answer); the last
test kills the real embedded model with SIGSEGV in the middle of an answer."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
from langchain_core.messages import HumanMessage

from assistant.llm.errors import BackendUnavailable, ModelStoppedError
from assistant.llm.worker import WorkerChat
from assistant.models import Answer
from assistant.settings import Settings


def _prompt(words: str) -> list[HumanMessage]:
    return [HumanMessage(f"Fuente:\n{words}\n\n")]  # the fake repeats its source


@pytest.fixture(name="worker")
def fixture_worker() -> Iterator[WorkerChat]:
    chat = WorkerChat(backend="fake", fake_delay=0.2, deadline_s=3)
    yield chat
    chat.close()


def test_a_crash_mid_answer_ends_that_answer_and_the_next_is_served(worker: WorkerChat) -> None:
    stream = worker.stream(_prompt("uno dos tres cuatro cinco seis"))
    assert next(stream).content == "uno "
    crashed = worker.pid
    assert crashed and crashed != os.getpid()
    os.kill(crashed, signal.SIGSEGV)
    with pytest.raises(ModelStoppedError, match=r"the local model stopped \(SIGSEGV\)"):
        list(stream)
    assert worker.invoke(_prompt("siete ocho")).content == "siete ocho"
    assert worker.pid not in (None, crashed)


def test_a_hung_worker_is_given_up_after_its_deadline_and_replaced(worker: WorkerChat) -> None:
    hung = worker.pid
    assert hung
    os.kill(hung, signal.SIGSTOP)
    start = time.monotonic()
    with pytest.raises(ModelStoppedError, match=r"no reply in 3 s"):
        worker.invoke(_prompt("x y"))
    assert 2.5 < time.monotonic() - start < 10
    assert worker.invoke(_prompt("once doce")).content == "once doce"


def test_a_stream_left_early_leaves_nothing_for_the_next_call(worker: WorkerChat) -> None:
    stream = worker.stream(_prompt("a b c d e f g h"))
    next(stream)
    stream.close()  # a reader that stops (the gate, a closed page)
    assert worker.invoke(_prompt("nueve diez")).content == "nueve diez"


def test_a_worker_that_cannot_start_is_unavailable_in_one_line() -> None:
    with pytest.raises(BackendUnavailable, match="process did not start"):
        WorkerChat(backend="no-such-backend", deadline_s=3)


@pytest.mark.llm
def test_the_real_model_killed_mid_answer_falls_back_then_answers(corpus_settings: Settings) -> None:
    from assistant.answering import answer as answer_module
    from assistant.answering.answer import answer, answer_stream
    from assistant.llm import backends

    settings = corpus_settings.model_copy(deep=True)
    settings.llm.backend = "llamacpp"
    settings.llm.answer_cache = False
    answer_module._resolved.clear()
    backends.forget_models()
    try:
        final, killed = None, None
        for item in answer_stream("¿Qué dice la recomendación 42?", settings=settings):
            if isinstance(item, Answer):
                final = item
            elif killed is None:  # the first token: the model is writing
                model = backends.load_chat_model("llamacpp", settings)
                killed = model.pid  # type: ignore[attr-defined]
                os.kill(killed, signal.SIGSEGV)
        assert killed and final is not None
        assert final.backend == "extractive" and [c.recommendation for c in final.citations] == [42]
        assert any("se detuvo" in n for n in final.notices), final.notices
        again = answer("¿Qué dice la recomendación 7?", settings=settings)
        assert again.backend == "llamacpp", again.notices
        assert [c.recommendation for c in again.citations] == [7]
    finally:
        answer_module._resolved.clear()
        backends.forget_models()
