"""The Chroma store: idempotent ingest, reset, repair of half-written documents, naming."""

from __future__ import annotations

from pathlib import Path

from assistant.services import get_store
from assistant.settings import Settings
from ingestion.chunking import chunk_document
from ingestion.config import ChunkingConfig
from ingestion.loaders import load_document
from tests.conftest import CORPUS, SLIDES
from vectorstore.indexer import ingest
from vectorstore.registry import RecommendationRegistry
from vectorstore.store import ChunkStore, collection_name


def test_reingest_adds_nothing_and_reset_rebuilds(corpus_store: ChunkStore, corpus_settings: Settings) -> None:
    before = corpus_store.count()
    kinds = [h.chunk.kind for h in corpus_store.get()]
    assert (kinds.count("recommendation"), kinds.count("guideline"), kinds.count("slide")) == (113, 14, 6)
    assert kinds.count("intro") >= 1 and before == len(kinds)
    report = ingest([CORPUS], corpus_store, corpus_settings.chunking)
    assert (report.written, report.chunks, corpus_store.count()) == (0, 0, before)
    assert report.recommendations == 113


def test_reset_rebuilds(tmp_path: Path) -> None:
    settings = Settings()
    store = get_store(settings)
    ingest([SLIDES], store, settings.chunking)
    assert store.count() == 6
    store.reset()
    assert store.count() == 0 and store.documents() == []
    ingest([SLIDES], store, settings.chunking)
    assert store.count() == 6


def test_changed_file_replaces_its_chunks(tmp_path: Path) -> None:
    settings = Settings()
    store = get_store(settings)
    path = tmp_path / "nota.txt"
    path.write_text("Primera versión sobre clústeres.", encoding="utf-8")
    ingest([path], store, settings.chunking)
    path.write_text("Segunda versión sobre talento humano.", encoding="utf-8")
    report = ingest([path], store, settings.chunking)
    assert report.written == 1
    assert [h.chunk.text for h in store.get(where={"doc_id": "nota"})] == ["Segunda versión sobre talento humano."]


def test_repair_undoes_a_half_written_document() -> None:
    settings = Settings()
    store = get_store(settings)
    doc = load_document(SLIDES, kind="slides")
    chunks = chunk_document(doc)
    store.write_document(doc, chunks)
    # Simulate a kill after the record said "writing" and part of the chunks were added.
    record = store.record(doc.doc_id)
    assert record is not None
    store._put_record(record.model_copy(update={"status": "writing"}))
    store.chunks.delete(ids=[store.get(where={"doc_id": doc.doc_id})[0].id])
    assert store.repair() == [doc.doc_id]
    assert store.count() == 0 and store.record(doc.doc_id) is None


def test_delete_document() -> None:
    settings = Settings()
    store = get_store(settings)
    ingest([SLIDES], store, settings.chunking)
    assert store.delete_document("cepal-fomento-regional-chile")
    assert store.count() == 0 and not store.delete_document("cepal-fomento-regional-chile")


def test_collection_name_encodes_model_and_chunking() -> None:
    a = collection_name("e5-small", ChunkingConfig())
    assert a != collection_name("usem3", ChunkingConfig())
    assert a != collection_name("e5-small", ChunkingConfig(chunk_tokens=200))


def test_registry_lookups(corpus_store: ChunkStore) -> None:
    registry = RecommendationRegistry.from_store(corpus_store)
    assert len(registry) == 113 and registry.get(150) is None
    assert registry.get(42).panorama_pages == (96,) and registry.get(42).guideline == "III"
    assert [r.number for r in registry.by_guideline("VIII")] == list(range(79, 90))
    assert [r.number for r in registry.by_guideline(10)] == list(range(93, 100))
    assert {r.number for r in registry.by_panorama_page(231)} == {43, 65, 67, 68, 69, 70, 71, 76, 88}
    assert len(registry.guidelines()) == 14


def test_get_pages_through_a_large_collection() -> None:
    """Reading every chunk of a big index (BM25, repair) must not hit SQLite's variable limit."""
    import numpy as np

    settings = Settings()
    settings.embedding.model = "usem3"
    store = get_store(settings)
    n = 12_000
    for start in range(0, n, 4000):
        ids = range(start, start + 4000)
        store.chunks.add(ids=[f"x{i}" for i in ids], documents=[f"texto {i}" for i in ids],
                         metadatas=[{"doc_id": "grande", "kind": "text", "source": "g.pdf", "ordinal": i} for i in ids],
                         embeddings=np.random.default_rng(start).random((4000, 512)).tolist())
    hits = store.get()
    assert len(hits) == n and len({h.id for h in hits}) == n
    assert [h.chunk.ordinal for h in hits] == list(range(n))
    assert len(store.get(ids=[f"x{i}" for i in range(7000)])) == 7000
