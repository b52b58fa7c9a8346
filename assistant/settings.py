"""The application's one Settings object (env prefix POLICY_ASSISTANT_).

Sections are defined next to the code that uses them (chunking in ingestion, store and
embeddings in vectorstore) and composed here. Flat variables map onto sections by their first
word: POLICY_ASSISTANT_CHROMA_HOST -> chroma.host, POLICY_ASSISTANT_LLM_BACKEND -> llm.backend.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.support import SupportConfig
from ingestion.config import ChunkingConfig
from vectorstore.config import ChromaConfig, EmbeddingConfig

PROJECT_ROOT = Path(__file__).resolve().parents[1]
Backend = Literal["extractive", "llamacpp", "ollama", "openai", "fake"]


class RetrievalConfig(BaseModel):
    """How many sources a question retrieves and how they are fused."""

    model_config = ConfigDict(extra="forbid")

    k: int = Field(6, ge=1, le=50, description="Sources given to the answer.")
    candidates: int = Field(30, ge=5, le=500, description="Candidates each retriever contributes.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    # Out-of-scope decision, calibrated for e5-small on 39 in-scope and 15 out-of-scope questions:
    # in scope when dense_top >= scope_accept, or dense_top >= scope_floor and the top stands out
    # (margin) or BM25 finds the query's domain words.
    scope_accept: float = Field(0.84, description="Dense similarity that is in scope by itself.")
    scope_floor: float = Field(0.80, description="Below this dense similarity, always out of scope.")
    scope_margin: float = Field(0.035, description="Top-vs-rest dense margin that counts as evidence.")
    scope_bm25: float = Field(2.2, description="BM25 score that counts as evidence.")


class LLMConfig(BaseModel):
    """Which chat model writes answers; `extractive` needs none."""

    model_config = ConfigDict(extra="forbid")

    backend: Backend = Field("llamacpp", description="extractive, llamacpp, ollama, openai or fake.")
    model: str = Field("", description="Model name for ollama/openai; empty = backend default.")
    base_url: str = Field("", description="Server URL for ollama/openai-compatible backends.")
    api_key: str = Field("not-needed", description="API key for an OpenAI-compatible server.")
    timeout_s: float = Field(60.0, gt=0, description="Seconds before a model server is given up.")
    max_tokens: int = Field(320, ge=16, le=4096, description="Longest reply of any one model call, in tokens.")
    source_tokens: int = Field(110, ge=16, le=1024, description="Most tokens written per source in an answer.")
    item_tokens: int = Field(100, ge=16, le=1024, description="Most tokens written per item of a draft.")
    context_tokens: int = Field(300, ge=60, le=8000, description="Longest source text given to the model (cl100k).")
    threads: int = Field(2, ge=1, le=64, description="CPU threads for llama.cpp.")
    answer_cache: bool = Field(True, description="Return a stored model answer for the same question, index "
                                                 "and settings (under <data_dir>/cache).")


class Settings(BaseSettings):
    """Everything configurable, with defaults that work offline and with no configuration."""

    model_config = SettingsConfigDict(
        env_prefix="POLICY_ASSISTANT_", env_nested_delimiter="_", env_nested_max_split=1,
        extra="ignore",
    )

    data_dir: Path = Field(PROJECT_ROOT / "data", description="Index, models, feedback, uploads.")
    corpus_dir: Path = Field(PROJECT_ROOT / "data" / "corpus", description="Bundled ECLAC corpus.")
    chroma: ChromaConfig = Field(default_factory=ChromaConfig)
    embedding: EmbeddingConfig = Field(default_factory=EmbeddingConfig)
    chunking: ChunkingConfig = Field(default_factory=ChunkingConfig)
    retrieval: RetrievalConfig = Field(default_factory=RetrievalConfig)
    llm: LLMConfig = Field(default_factory=LLMConfig)
    support: SupportConfig = Field(default_factory=SupportConfig)
    max_question_chars: int = Field(4000, ge=100, description="Longer questions are truncated.")

    @property
    def index_dir(self) -> Path:
        """Folder of the embedded Chroma store."""
        return Path(self.chroma.path) if self.chroma.path else self.data_dir / "index"
