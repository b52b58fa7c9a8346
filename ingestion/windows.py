"""Token windows (cl100k tokens, offline) for text that has no structure to cut along."""

from __future__ import annotations

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingestion.config import ChunkingConfig
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
