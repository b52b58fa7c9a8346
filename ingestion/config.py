"""Chunking settings: one section of the application's Settings."""

from pydantic import BaseModel, ConfigDict, Field


class ChunkingConfig(BaseModel):
    """How generic documents are cut into token windows."""

    model_config = ConfigDict(extra="forbid")

    chunk_tokens: int = Field(350, ge=50, le=4000, description="Tokens per chunk (cl100k).")
    overlap_tokens: int = Field(50, ge=0, le=1000, description="Tokens shared by neighbours.")
    max_file_mb: float = Field(50.0, gt=0, description="Files larger than this are rejected.")
