"""Ingest files into the store: load -> parse/chunk (ingestion) -> embed/store, one document at a time."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ingestion.chunking import chunk_document
from ingestion.config import ChunkingConfig
from ingestion.errors import IngestError
from ingestion.loaders import load_document
from ingestion.sources import SourceSpec, iter_sources
from vectorstore.store import ChunkStore, StoreUnavailableError


class IngestReport(BaseModel):
    """What one ingest run did; `rejected` holds one line per file that could not be read."""

    model_config = ConfigDict(extra="forbid")

    documents: int = Field(0, description="Documents seen (new, updated or unchanged).")
    written: int = Field(0, description="Documents (re)written this run.")
    recommendations: int = 0
    chunks: int = Field(0, description="Chunks written this run.")
    total_chunks: int = Field(0, description="Chunks in the store afterwards.")
    repaired: list[str] = Field(default_factory=list)
    rejected: list[str] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list, description="Folders not walked (link loops, unreadable).")
    seconds: float = 0.0


ProgressFn = Callable[[str, int], None]


def ingest(
    paths: list[Path],
    store: ChunkStore,
    chunking: ChunkingConfig,
    *,
    on_file: Callable[[SourceSpec], None] | None = None,
) -> IngestReport:
    """Ingest every file under `paths`; a bad file is reported and leaves the store untouched."""
    start = time.perf_counter()
    report = IngestReport(repaired=store.repair())
    pending = ""  # the file being written when the store failed, if any
    try:
        specs = iter_sources(paths, on_skip=report.skipped.append)
        for spec in specs:
            if on_file:
                on_file(spec)
            try:
                doc = load_document(spec.path, doc_id=spec.doc_id, title=spec.title, kind=spec.kind,
                                    max_file_mb=chunking.max_file_mb)
            except IngestError as exc:
                report.rejected.append(str(exc))
                continue
            report.documents += 1
            if store.is_current(doc):
                rec = store.record(doc.doc_id)
                report.recommendations += rec.n_recommendations if rec else 0
                continue
            chunks = chunk_document(doc, chunking)
            if not chunks:
                report.rejected.append(f"{doc.source}: no text to index")
                continue
            pending = spec.path.name
            report.chunks += store.write_document(doc, chunks)
            pending = ""
            report.written += 1
            report.recommendations += sum(1 for c in chunks if c.kind == "recommendation")
        report.total_chunks = store.count()
    except IngestError as exc:
        report.rejected.append(str(exc))
        report.total_chunks = store.count()
    except StoreUnavailableError as exc:  # a full disk or a lost server, at any store call: stop, saying what is kept
        current = f"; {pending} is not in the index" if pending else ""
        raise type(exc)(f"{exc} ({report.written} documents of this run were written whole{current})") from None
    report.seconds = round(time.perf_counter() - start, 2)
    return report
