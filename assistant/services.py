"""Build the shared parts (embedder, store, registry) from Settings, once per process."""

from __future__ import annotations

import threading
from pathlib import Path

from assistant.settings import Settings
from vectorstore.embeddings import get_embedder
from vectorstore.hybrid import HybridRetriever
from vectorstore.registry import RecommendationRegistry
from vectorstore.rerank import load as load_reranker
from vectorstore.store import ChunkStore, make_client
from vectorstore.vector_cache import VectorCache

_lock = threading.Lock()
_stores: dict[str, ChunkStore] = {}


def _key(settings: Settings) -> str:
    return settings.model_dump_json(include={"data_dir", "chroma", "embedding", "chunking"})


def lock_path(settings: Settings) -> Path | None:
    """The embedded index's writer lock file (None in server mode)."""
    return None if settings.chroma.host else settings.index_dir / ".writer.lock"


def get_store(settings: Settings | None = None) -> ChunkStore:
    """The process-wide store for these settings (an embedded folder or a server)."""
    settings = settings or Settings()
    key = _key(settings)
    with _lock:
        if key not in _stores:
            client = make_client(settings.chroma, settings.index_dir)
            server = f"{settings.chroma.host}:{settings.chroma.port}" if settings.chroma.host else None
            store = ChunkStore(client, get_embedder(settings.embedding), settings.chunking, server=server,
                               lock_path=lock_path(settings))
            store.repair()  # a document half-written by a killed ingest is never visible to readers
            _stores[key] = store
        return _stores[key]


_registries: dict[str, tuple[tuple[int, tuple[str, ...]], RecommendationRegistry]] = {}


def get_registry(settings: Settings | None = None) -> RecommendationRegistry:
    """The recommendation registry, rebuilt from the store only when its content changed."""
    store = get_store(settings)
    version = store.version()
    cached = _registries.get(store.name + str(id(store)))
    if cached is None or cached[0] != version:
        cached = (version, RecommendationRegistry.from_store(store))
        _registries[store.name + str(id(store))] = cached
    return cached[1]


def forget_stores() -> None:
    """Drop cached stores (tests, or after the data dir changes)."""
    with _lock:
        _stores.clear()
        _retrievers.clear()
        _registries.clear()


_retrievers: dict[str, HybridRetriever] = {}



def get_retriever(settings: Settings | None = None) -> HybridRetriever:
    """The process-wide hybrid retriever over the store (its BM25 index follows the store)."""
    settings = settings or Settings()
    store = get_store(settings)
    key = _key(settings) + settings.retrieval.model_dump_json()
    with _lock:
        if key not in _retrievers:
            _retrievers[key] = HybridRetriever(store, settings.retrieval.candidates, settings.retrieval.rrf_k,
                                               reranker=load_reranker() if settings.retrieval.rerank else None,
                                               vector_cache=VectorCache(settings.data_dir / "cache" / "vectors.sqlite"))
        return _retrievers[key]
