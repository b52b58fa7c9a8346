"""Chroma-backed chunk store: embedded PersistentClient by default, HttpClient in server mode.

Every document is written record-first: its record is marked `writing`, its old chunks are
deleted, the new ones added, then the record is marked `complete`. A process killed in between
leaves a `writing` record, which `repair()` detects and undoes, so the index always holds each
document whole or not at all. Chunk ids are content hashes, so re-ingesting adds nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: no inter-process lock; one writer at a time is then the user's care
    fcntl = None  # type: ignore[assignment]

from ingestion.config import ChunkingConfig
from ingestion.models import Chunk, SourceDocument
from vectorstore.chroma import (  # noqa: F401 - re-exported for callers
    StoreFullError,
    StoreUnavailableError,
    chroma_where,
    guarded,
    make_client,
    make_ef,
)
from vectorstore.embeddings import OfflineEmbedder
from vectorstore.models import DocumentRecord, Hit
from vectorstore.terms import tokenize

SCHEMA_VERSION = "v1"
_WRITE_BATCH = 256
_READ_PAGE = 5000


def collection_name(embedder_name: str, chunking: ChunkingConfig) -> str:
    """Name that encodes the embedding model and chunking, so a change never mixes indexes."""
    base = f"pa-{embedder_name}-c{chunking.chunk_tokens}-o{chunking.overlap_tokens}-{SCHEMA_VERSION}"
    return re.sub(r"[^a-zA-Z0-9._-]", "-", base)


def chunk_id(chunk: Chunk) -> str:
    """Content hash of a chunk: same document, position and text give the same id."""
    key = f"{chunk.doc_id}\x00{chunk.kind}\x00{chunk.ordinal}\x00{chunk.text}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def search_text(chunk: Chunk) -> str:
    """The text that is embedded: a recommendation carries its number and guideline title, a section its headings."""
    if chunk.kind == "recommendation":
        return f"Recomendación {chunk.recommendation}. {chunk.text} ({chunk.guideline_title})"
    if chunk.section and not chunk.text.startswith(chunk.section.rpartition(" › ")[2].rstrip("…")):
        return f"{chunk.section}\n{chunk.text}"  # a user document's chunk is found by its headings too
    return chunk.text


def lexical_terms(chunk: Chunk) -> list[str]:
    """The terms BM25 indexes for a chunk: its text's, stemmed in its language, and its English
    rendering's, stemmed as English."""
    from ingestion.renderings import english_rendering

    english = english_rendering(chunk)
    return tokenize(search_text(chunk)) + (tokenize(english, "en") if english else [])


def _to_metadata(chunk: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key, value in chunk.model_dump(exclude={"text"}).items():
        if value is None or value == []:
            continue
        if key == "panorama_pages":
            value = ",".join(str(p) for p in value)
        elif key == "footnotes":
            value = json.dumps(value, ensure_ascii=False)
        meta[key] = value
    return meta


def _from_metadata(text: str, meta: dict[str, Any]) -> Chunk:
    data = dict(meta)
    pages = data.pop("panorama_pages", "")
    data["panorama_pages"] = [int(p) for p in str(pages).split(",") if p]
    data["footnotes"] = json.loads(data.pop("footnotes", "[]"))
    return Chunk(text=text, **data)


@contextlib.contextmanager
def index_lock(lock_path: Path | None, wait: bool = True) -> Iterator[bool]:
    """An inter-process lock on an embedded index; yields True when held.

    With `wait=False` it yields False at once if another process holds it, so that process's document
    in progress is never taken for one a killed process left behind. A server (`lock_path` None)
    serialises its own writes.
    """
    if lock_path is None or fcntl is None:
        yield True
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class ChunkStore:
    """All chunks of all documents in one Chroma collection, plus a collection of records."""

    def __init__(self, client: Any, embedder: OfflineEmbedder, chunking: ChunkingConfig,
                 server: str | None = None, lock_path: Path | None = None) -> None:
        self.client = client
        self.embedder = embedder
        self.server = server
        self.lock_path = lock_path
        self.name = collection_name(embedder.name, chunking)
        self._open()

    def _open(self) -> None:
        e = self.embedder
        self.chunks = self.client.get_or_create_collection(
            self.name, embedding_function=make_ef(f"policy-assistant-{e.name}", e.embed_documents,
                                                   e.embed_query),
            configuration={"hnsw": {"space": "cosine"}},
        )
        # Records are looked up by id only; their one-dimensional vector is a constant.
        self.records = self.client.get_or_create_collection(
            f"{self.name}-docs", embedding_function=make_ef(
                "policy-assistant-records", lambda texts: [[1.0] for _ in texts], lambda _: [1.0]),
        )

    def writer(self, wait: bool = True) -> contextlib.AbstractContextManager[bool]:
        """Hold the index's writer lock (embedded mode): one writing process at a time (see `index_lock`)."""
        return index_lock(self.lock_path, wait)

    # -- documents -------------------------------------------------------------------------
    @guarded
    def record(self, doc_id: str) -> DocumentRecord | None:
        """The stored record of a document, if any."""
        got = self.records.get(ids=[doc_id], include=["metadatas"])
        return DocumentRecord(**got["metadatas"][0]) if got["ids"] else None

    @guarded
    def documents(self) -> list[DocumentRecord]:
        """Records of every complete document, sorted by doc_id."""
        got = self.records.get(include=["metadatas"])
        recs = [DocumentRecord(**m) for m in got["metadatas"]]
        return sorted((r for r in recs if r.status == "complete"), key=lambda r: r.doc_id)

    def is_current(self, doc: SourceDocument) -> bool:
        """True when the same file (by hash) is already stored whole."""
        rec = self.record(doc.doc_id)
        return rec is not None and rec.status == "complete" and rec.sha256 == doc.sha256

    @guarded
    def write_document(
        self,
        doc: SourceDocument,
        chunks: list[Chunk],
        on_progress: Callable[[int], None] | None = None,
        embeddings: Sequence[Sequence[float]] | None = None,
    ) -> int:
        """Store a document's chunks whole (replacing an older version); return chunks written.

        `embeddings`, if given, are the chunks' vectors computed beforehand (benchmarks time the two apart).
        """
        with self.writer():
            return self._write_document(doc, chunks, on_progress, embeddings)

    def _write_document(self, doc: SourceDocument, chunks: list[Chunk], on_progress: Callable[[int], None] | None,
                        embeddings: Sequence[Sequence[float]] | None) -> int:
        if self.is_current(doc):
            return 0
        n_recs = sum(1 for c in chunks if c.kind == "recommendation")
        record = DocumentRecord(doc_id=doc.doc_id, title=doc.title, source=doc.source, kind=doc.kind,
                                sha256=doc.sha256, n_chunks=len(chunks), status="writing",
                                n_recommendations=n_recs)
        self._put_record(record)
        try:
            self.chunks.delete(where={"doc_id": doc.doc_id})
            for start in range(0, len(chunks), _WRITE_BATCH):
                batch = chunks[start : start + _WRITE_BATCH]
                self.chunks.add(
                    ids=[chunk_id(c) for c in batch],
                    documents=[c.text for c in batch],
                    metadatas=[_to_metadata(c) for c in batch],
                    embeddings=(list(map(list, embeddings[start : start + _WRITE_BATCH])) if embeddings is not None
                                else self.embedder.embed_documents([search_text(c) for c in batch])),
                )
                if on_progress:
                    on_progress(len(batch))
            self._put_record(record.model_copy(update={"status": "complete"}))
        except BaseException:
            self._undo(doc.doc_id)
            raise
        return len(chunks)

    def _undo(self, doc_id: str) -> None:
        """Remove a document whose write failed; if even that fails (a full disk), `repair` does it on next open."""
        try:
            self.chunks.delete(where={"doc_id": doc_id})
            self.records.delete(ids=[doc_id])
        except Exception:  # noqa: BLE001 - the `writing` record stays and marks the document for repair
            pass

    def _put_record(self, record: DocumentRecord) -> None:
        self.records.upsert(ids=[record.doc_id], documents=[record.title],
                            metadatas=[record.model_dump()], embeddings=[[1.0]])

    @guarded
    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and its chunks; False if it was not there."""
        with self.writer():
            record = self.record(doc_id)
            if record is None:
                return False
            self._put_record(record.model_copy(update={"status": "writing"}))
            self.chunks.delete(where={"doc_id": doc_id})
            self.records.delete(ids=[doc_id])
            return True

    @guarded
    def repair(self) -> list[str]:
        """Undo documents left half-written by a killed process; return their doc_ids.

        Does nothing while another process holds the writer lock: its `writing` document is in progress.
        """
        with self.writer(wait=False) as held:
            return self._repair() if held else []

    def _repair(self) -> list[str]:
        got = self.records.get(where={"status": "writing"}, include=["metadatas"])
        repaired = []
        for meta in got["metadatas"]:
            self.chunks.delete(where={"doc_id": meta["doc_id"]})
            self.records.delete(ids=[meta["doc_id"]])
            repaired.append(str(meta["doc_id"]))
        known = {r.doc_id for r in self.documents()}
        orphans = {h.chunk.doc_id for h in self.get()} - known
        for doc_id in sorted(orphans):
            self.chunks.delete(where={"doc_id": doc_id})
            repaired.append(doc_id)
        return repaired

    @guarded
    def reset(self) -> None:
        """Drop both collections and create them empty."""
        with self.writer():
            for name in (self.name, f"{self.name}-docs"):
                try:
                    self.client.delete_collection(name)
                except Exception:  # noqa: BLE001 - absent collection
                    pass
            self._open()

    # -- whole-index copies (backup and restore) ---------------------------------------------
    @guarded
    def export_documents(self) -> Iterator[dict[str, Any]]:
        """Every complete document with its chunks' ids, texts, metadata and vectors, one at a time.

        The caller holds `writer()` for a consistent copy; without it, a document still being written is left out.
        """
        for record in self.documents():
            got = self.chunks.get(where={"doc_id": record.doc_id}, include=["documents", "metadatas", "embeddings"])
            if len(got["ids"]) != record.n_chunks:  # changed under us (no lock in server mode): not whole
                continue
            yield {"record": record.model_dump(), "ids": list(got["ids"]), "documents": list(got["documents"]),
                   "metadatas": list(got["metadatas"]), "embeddings": [list(map(float, e)) for e in got["embeddings"]]}

    @guarded
    def import_document(self, item: dict[str, Any]) -> int:
        """Write one exported document back, record-first like any other write; return its chunks."""
        record = DocumentRecord(**item["record"])
        if not (len(item["ids"]) == len(item["documents"]) == len(item["metadatas"]) == len(item["embeddings"])
                == record.n_chunks):
            raise ValueError(f"document {record.doc_id}: its chunks do not match its record")
        with self.writer():
            self._put_record(record.model_copy(update={"status": "writing"}))
            self.chunks.delete(where={"doc_id": record.doc_id})
            for start in range(0, record.n_chunks, _WRITE_BATCH):
                end = start + _WRITE_BATCH
                self.chunks.add(ids=item["ids"][start:end], documents=item["documents"][start:end],
                                metadatas=item["metadatas"][start:end], embeddings=item["embeddings"][start:end])
            self._put_record(record.model_copy(update={"status": "complete"}))
        return record.n_chunks

    # -- reading ---------------------------------------------------------------------------
    @guarded
    def version(self) -> tuple[int, tuple[str, ...]]:
        """Changes whenever the stored content does: derived caches (BM25, registry) compare it."""
        return self.count(), tuple(r.sha256 for r in self.documents())

    @guarded
    def count(self) -> int:
        """Number of stored chunks."""
        return int(self.chunks.count())

    @guarded
    def get(self, where: dict[str, Any] | None = None, ids: Iterable[str] | None = None) -> list[Hit]:
        """Chunks matching a metadata filter (or ids), in document order."""
        hits: list[Hit] = []
        id_list = list(ids) if ids is not None else None
        offset = 0
        while True:  # in pages: one call for a large collection exceeds SQLite's variable limit
            page_ids = id_list[offset : offset + _READ_PAGE] if id_list is not None else None
            got = self.chunks.get(where=chroma_where(where), ids=page_ids, include=["documents", "metadatas"],
                                  limit=None if id_list is not None else _READ_PAGE,
                                  offset=None if id_list is not None else offset)
            hits += [Hit(id=i, chunk=_from_metadata(d, m))
                     for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]
            offset += _READ_PAGE
            if (id_list is not None and offset >= len(id_list)) or (id_list is None and len(got["ids"]) < _READ_PAGE):
                break
        return sorted(hits, key=lambda h: (h.chunk.doc_id, h.chunk.ordinal))

    @guarded
    def query(self, text: str, k: int, where: dict[str, Any] | None = None,
              vector: list[float] | None = None) -> list[Hit]:
        """Dense search: the k chunks nearest to `text` (or its `vector`, if computed already), score = cosine."""
        n = self.count()
        if n == 0 or not text.strip():
            return []
        got = self.chunks.query(query_embeddings=[vector if vector is not None else self.embedder.embed_query(text)],
                                n_results=min(k, n), where=chroma_where(where),
                                include=["documents", "metadatas", "distances"])
        return [Hit(id=i, chunk=_from_metadata(d, m), score=round(1.0 - float(dist), 4))
                for i, d, m, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0],
                                         got["distances"][0], strict=True)]
