"""Chunk a document by its kind: the booklet by its structure, slides one per slide, text by token windows."""

from __future__ import annotations

from ingestion.booklet import booklet_chunks
from ingestion.config import ChunkingConfig
from ingestion.models import Chunk, SourceDocument
from ingestion.sections import section_chunks
from ingestion.windows import split_text


def chunk_document(doc: SourceDocument, config: ChunkingConfig | None = None) -> list[Chunk]:
    """Chunk any document: the booklet and a structured document by their structure, slides one per slide, text by tokens."""
    if doc.kind == "recommendations":
        return booklet_chunks(doc)
    if doc.blocks:
        return section_chunks(doc, config)
    kind = "slide" if doc.kind == "slides" else "text"
    chunks: list[Chunk] = []
    for page in doc.pages:
        for piece in split_text(page.text, config):
            chunks.append(Chunk(doc_id=doc.doc_id, kind=kind, text=piece, source=doc.source,
                                ordinal=len(chunks), page=page.label, page_index=page.index))
    return chunks
