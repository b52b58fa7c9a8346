"""Typed data that leaves the vector store."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ingestion.models import Chunk


class Hit(BaseModel):
    """A stored chunk returned by a search, with its id and score (higher is better)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    chunk: Chunk
    score: float = 0.0
    dense: float | None = Field(None, description="Cosine similarity to the query, when the dense search found it.")
    rerank: float | None = Field(None, description="The reranker's logit relative to the best hit's (0.0), "
                                 "when the learned reranker ordered the hits.")


class DocumentRecord(BaseModel):
    """What the store knows of one ingested document; `complete` only after all its chunks."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    title: str
    source: str
    kind: str
    sha256: str
    n_chunks: int
    status: Literal["writing", "complete"]
    n_recommendations: int = Field(0, description="Numbered recommendations in the document.")
