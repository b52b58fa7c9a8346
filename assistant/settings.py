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

from ingestion.config import ChunkingConfig
from vectorstore.config import ChromaConfig, EmbeddingConfig

PROJECT_ROOT = Path(__file__).resolve().parents[1]
Backend = Literal["extractive", "llamacpp", "ollama", "openai", "fake"]


class SupportConfig(BaseModel):
    """Thresholds of the support gate.

    Fitted by `python -m evals.calibrate fit` on the dev part of the hand labels (the best recall
    with the gate's precision at least 0.95): a sentence passes on words alone only when all of them
    are in its source (a copied sentence with one clause added keeps most of its words, so a lower
    share let those through), otherwise on a cross-lingual similarity of at least 0.92.
    """

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(True, description="Check every generated sentence against its source.")
    lexical: float = Field(1.0, ge=0, le=1, description="Share of a sentence's own words found in its source.")
    similarity: float = Field(0.92, ge=0, le=1, description="e5 cosine similarity with its source.")
    lexical_floor: float = Field(0.0, ge=0, le=1, description="Below this word share, similarity cannot save it.")
    repeat: float = Field(0.8, ge=0, le=1, description="Word overlap with an earlier sentence that makes a repeat.")


class RetrievalConfig(BaseModel):
    """How many sources a question retrieves and how they are fused."""

    model_config = ConfigDict(extra="forbid")

    k: int = Field(6, ge=1, le=50, description="Sources given to the answer.")
    candidates: int = Field(30, ge=5, le=500, description="Candidates each retriever contributes.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal rank fusion constant.")
    rerank: bool = Field(True, description="Order the fused candidates with the learned reranker "
                         "(vectorstore/rerank.json); false keeps the fused order.")
    split_compound: bool = Field(True, description="Also retrieve each part of a question that asks two things "
                                 "(vectorstore/compound.py); needs rerank.")
    judge: Literal["model", "always", "off"] = Field(
        "model", description="Let the local model judge the candidates close to the best before sources are "
        "chosen (assistant/relevance.py; needs rerank): when it writes the answer (model), also for extractive "
        "answers, loading it for that alone (always), or never (off).")
    judge_weight: float = Field(0.4, ge=0, le=2, description="Logits a candidate moves per unit of the model's "
                                "log P(yes) - log P(no) (chosen on the users' dev split).")
    judge_window: float = Field(2.5, ge=0, le=10, description="Candidates within this many logits of the best are judged.")
    # Out-of-scope decision, calibrated for e5-small on 39 in-scope and 15 out-of-scope questions:
    # in scope when dense_top >= scope_accept, or dense_top >= scope_floor and the top stands out
    # (margin) or BM25 finds the query's domain words.
    scope_accept: float = Field(0.84, description="Dense similarity that is in scope by itself.")
    scope_floor: float = Field(0.80, description="Below this dense similarity, always out of scope.")
    scope_margin: float = Field(0.035, description="Top-vs-rest dense margin that counts as evidence.")
    scope_bm25: float = Field(2.2, description="BM25 score that counts as evidence.")
    scope_off_topic: float = Field(0.0125, description="Refuse when a question is this much nearer a domain the "
                                   "corpus does not cover (vectorstore/off_topics.txt) than anything it covers.")
    scope_asked: float = Field(0.89, description="Answer a question this near one of the questions a booklet "
                               "recommendation answers (ingestion.booklet_questions), unless it is off topic; "
                               "above every out-of-scope dev question (the nearest: 0.877).")
    scope_on_topic: float = Field(-0.0275, description="Answer a question this much nearer what the corpus covers "
                                  "than any uncovered domain, even below scope_floor (fitted on dev).")


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
    worker: bool = Field(True, description="Run the embedded model in a process of its own: a crash, a hang "
                         "(no reply for timeout_s) or running out of memory ends one answer, not the app.")
    answer_cache: bool = Field(True, description="Return a stored model answer for the same question, index "
                                                 "and settings (under <data_dir>/cache).")


class LimitsConfig(BaseModel):
    """Bounds on the work one request may ask for; going over one is cut or refused with a notice."""

    model_config = ConfigDict(extra="forbid")

    history_turns: int = Field(8, ge=0, le=200, description="Earlier turns a question keeps (the last ones).")
    history_chars: int = Field(8000, ge=0, le=1_000_000,
                               description="Characters of history kept in all; each turn is cut to the question limit.")
    history_file_mb: float = Field(50.0, gt=0, le=1024, description="Largest --history file read.")
    upload_files: int = Field(20, ge=1, le=1000, description="Files one upload in the app may hold.")
    outline_chars: int = Field(200, ge=10, le=2000, description="Longest edited heading of a draft outline.")
    eval_items: int = Field(500, ge=1, le=100_000, description="Items an eval set run from the app may have.")
    eval_file_mb: float = Field(10.0, gt=0, le=1024, description="Largest eval dataset file read.")
    model_per_minute: int = Field(6, ge=1, le=10_000, description="Questions one user (or browser session) may put "
                                  "to the local model in a minute, in the app; more are refused with the wait.")
    model_queue: int = Field(16, ge=0, le=10_000, description="Questions that may wait for the local model at "
                             "once, each user's one at most; more are told to retry.")


class AuthConfig(BaseModel):
    """Sign-in for a shared server: where OIDC and the roles are configured, and how failures are slowed."""

    model_config = ConfigDict(extra="forbid")

    secrets_file: str = Field("", description="Streamlit secrets file with the [auth] OIDC section; empty = "
                              "Streamlit's own places (.streamlit/secrets.toml here, then in your home folder).")
    roles_file: str = Field("", description="TOML file mapping OIDC e-mails and groups to roles; empty = "
                            "<data_dir>/roles.toml.")
    max_failures: int = Field(5, ge=1, le=1000, description="Failed sign-ins to one account before it waits.")
    lockout_s: float = Field(300.0, gt=0, le=86_400, description="Seconds the failures are counted over, and "
                             "waited after the last of them.")


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
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    auth: AuthConfig = Field(default_factory=AuthConfig)
    max_question_chars: int = Field(4000, ge=100, le=1_000_000, description="Longer questions are truncated.")

    @property
    def index_dir(self) -> Path:
        """Folder of the embedded Chroma store."""
        return Path(self.chroma.path) if self.chroma.path else self.data_dir / "index"


def _variable(loc: tuple[object, ...]) -> str:
    return "POLICY_ASSISTANT_" + "_".join(str(part) for part in loc if not isinstance(part, int)).upper()


def _accepts(loc: tuple[object, ...]) -> str:
    """The range a numeric setting accepts, from its Field bounds ('' when it has none)."""
    model: type[BaseModel] | None = Settings
    info = None
    for part in loc:
        info = model.model_fields.get(str(part)) if model is not None else None
        if info is None:
            return ""
        ann = info.annotation
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    bounds = {name: getattr(m, name) for m in info.metadata for name in ("ge", "gt", "le", "lt") if hasattr(m, name)}
    low = f">= {bounds['ge']}" if "ge" in bounds else f"> {bounds['gt']}" if "gt" in bounds else ""
    high = f"<= {bounds['le']}" if "le" in bounds else f"< {bounds['lt']}" if "lt" in bounds else ""
    return f" (accepts a number {' and '.join(x for x in (low, high) if x)})" if low or high else ""


def load_settings() -> Settings:
    """Settings from the environment; a bad variable is a UserInputError naming it and what it accepts."""
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from assistant.errors import UserInputError

    try:
        settings = Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        value = err.get("input")
        shown = repr(value)[:60] if isinstance(value, str | int | float) else "(as set)"
        raise UserInputError(f"{_variable(loc)}={shown}: {err['msg'].rstrip('.')}{_accepts(loc)}") from None
    except SettingsError as exc:  # a section given as malformed JSON, e.g. POLICY_ASSISTANT_RETRIEVAL='{'
        raise UserInputError(f"invalid POLICY_ASSISTANT_* variable: {str(exc).splitlines()[0]}") from None
    for name, path in (("DATA_DIR", settings.data_dir), ("CHROMA_PATH", Path(settings.chroma.path or settings.index_dir))):
        if path.exists() and not path.is_dir():
            raise UserInputError(f"POLICY_ASSISTANT_{name}={str(path)!r}: is a file, expected a folder")
    return settings
