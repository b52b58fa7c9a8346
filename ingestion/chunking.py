"""Token-window chunking for generic documents (cl100k tokens, offline), one page at a time."""

from __future__ import annotations

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingestion.config import ChunkingConfig
from ingestion.models import Chunk, SourceDocument
from ingestion.tokens import count_tokens


def split_text(text: str, config: ChunkingConfig | None = None) -> list[str]:
    """Split text into windows of at most `chunk_tokens`, preferring paragraph/sentence breaks."""
    config = config or ChunkingConfig()
    if not text.strip():
        return []
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=config.chunk_tokens,
        chunk_overlap=config.overlap_tokens,
        length_function=count_tokens,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )
    return [p.strip() for p in splitter.split_text(text) if p.strip()]


def chunk_document(doc: SourceDocument, config: ChunkingConfig | None = None) -> list[Chunk]:
    """Chunk any document: the booklet by its structure, slides one per slide, text by tokens."""
    if doc.kind == "recommendations":
        from ingestion.booklet import booklet_chunks

        return booklet_chunks(doc)
    kind = "slide" if doc.kind == "slides" else "text"
    chunks: list[Chunk] = []
    for page in doc.pages:
        for piece in split_text(page.text, config):
            chunks.append(Chunk(doc_id=doc.doc_id, kind=kind, text=piece, source=doc.source,
                                ordinal=len(chunks), page=page.label, page_index=page.index))
    return chunks
