"""Parallel askers (threads and processes) against one store: no errors, answers identical to serial."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.answering.answer import answer
from assistant.llm.gate import ModelBusyError, ModelGate
from assistant.settings import Settings

QUESTIONS = ["¿Cómo fortalecer las iniciativas clúster en mi región?", "How can development banks help?",
             "¿Qué dice la recomendación 42?", "lineamiento X", "How can regions close human talent gaps?",
             "¿Cómo evaluar las políticas?", "Dame una receta de pan", "¿Qué recomendaciones remiten a la página 231?"]


def _key(settings: Settings, question: str) -> str:
    ans = answer(question, settings=settings, backend="extractive")
    return json.dumps([ans.answer, [c.marker for c in ans.citations], ans.refused], ensure_ascii=False)


def test_threads_get_the_serial_answers(corpus_settings: Settings) -> None:
    serial = {q: _key(corpus_settings, q) for q in QUESTIONS}
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda q: (q, _key(corpus_settings, q)), QUESTIONS * 3))
    assert all(serial[q] == got for q, got in parallel)


def test_processes_get_the_serial_answers(corpus_settings: Settings, corpus_dir: Path) -> None:
    env = {**os.environ, "POLICY_ASSISTANT_DATA_DIR": str(corpus_dir)}
    procs = [subprocess.Popen([sys.executable, "-m", "assistant.cli", "ask", q, "--json", "--llm", "extractive"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for q in QUESTIONS[:4]]
    for q, proc in zip(QUESTIONS[:4], procs, strict=True):
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        got = json.loads(out)
        ans = answer(q, settings=corpus_settings, backend="extractive")
        assert got["answer"] == ans.answer and [c["marker"] for c in got["citations"]] == [c.marker for c in ans.citations]


def test_gate_serializes_and_says_busy_when_the_queue_is_full() -> None:
    gate = ModelGate(max_waiting=2)
    active, peak, busy, done = [0], [0], [], []
    lock = threading.Lock()

    def use() -> None:
        try:
            with gate.slot():
                with lock:
                    active[0] += 1
                    peak[0] = max(peak[0], active[0])
                time.sleep(0.3)
                with lock:
                    active[0] -= 1
            done.append(1)
        except ModelBusyError as exc:
            busy.append(str(exc))

    threads = [threading.Thread(target=use) for _ in range(6)]
    for th in threads:
        th.start()
        time.sleep(0.02)
    for th in threads:
        th.join()
    assert peak[0] == 1, "the model is never used by two requests at once"
    assert len(done) == 3 and len(busy) == 3
    assert "retry" in busy[0]


def test_busy_model_is_reported_not_swallowed(corpus_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.llm.fake import FakeChatModel

    class Busy(FakeChatModel):
        def _stream(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise ModelBusyError("the local model is busy (4 requests waiting); retry in a moment")
            yield  # pragma: no cover

    with pytest.raises(ModelBusyError, match="retry"):
        answer("¿Cómo fortalecer las iniciativas clúster?", settings=corpus_settings, llm=Busy())
