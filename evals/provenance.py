"""What a run was made of: when, which commit, backend and model file, dataset and its hash, settings.

Every kind of run (answers, drafting) carries a `RunMeta`, so that the run history can list, keep
and compare them the same way (evals.history).
"""

from __future__ import annotations

import datetime
import hashlib
import subprocess
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.settings import PROJECT_ROOT, Settings

Metrics = dict[str, dict[str, float | int | None]]
# The settings sections that change an answer; paths, limits, sign-in and secrets do not.
ANSWER_SETTINGS = {"embedding": True, "chunking": True, "retrieval": True, "support": True,
                   "llm": {"backend", "model", "base_url", "max_tokens", "source_tokens", "item_tokens",
                           "context_tokens", "answer_cache"}, "max_question_chars": True}
# The metrics a list of runs shows for each kind (`eval runs`, the history table in the app), with short labels.
HEADLINE = {"answers": [("citation_f1", "F1"), ("citation_recall", "rec"), ("citation_precision", "prec"),
                        ("recall_at_5", "R@5"), ("abstention", "abstain")],
            "drafting": [("supported", "supported"), ("uncited", "uncited"), ("policy_mix_accuracy", "mix")]}


class RunMeta(BaseModel):
    """A run's provenance and its metrics table (group -> metric -> value)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["answers", "drafting"] = "answers"
    id: int | None = Field(None, description="Its number in the run history, once recorded.")
    dataset: str
    backend: str
    embedding: str
    date: str
    machine: str
    started: str = Field("", description="When it started, ISO 8601 in UTC.")
    commit: str | None = Field(None, description="The git commit it ran at; '+dirty' when files were changed.")
    model_sha256: str | None = Field(None, description="The sha256 of the backend's model file, where it has one.")
    dataset_sha256: str | None = None
    split: str | None = None
    settings: dict[str, Any] = Field(default_factory=dict, description="The settings that change answers.")
    note: str = Field("", description="Free text from the person who ran it.")
    metrics: Metrics

    @property
    def when(self) -> str:
        """When it started, to the minute ("2026-12-07 11:38"; the date for a run that did not record it)."""
        return self.started[:16].replace("T", " ") or self.date


def now() -> str:
    """The current time, ISO 8601 in UTC to the second."""
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def git_commit(root: Path = PROJECT_ROOT) -> str | None:
    """The checkout's commit, with '+dirty' when tracked files differ; None outside a git checkout."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=10)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty else "")


def model_sha256(settings: Settings) -> str | None:
    """The embedded model's verified file hash; None for backends without a file of ours."""
    if settings.llm.backend != "llamacpp":
        return None
    from assistant.llm.model_file import MODEL_SHA256

    return MODEL_SHA256  # the file is refused unless it has this hash (assistant.llm.model_file)


def file_sha256(path: Path) -> str:
    """Hex sha256 of a (dataset) file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def provenance(settings: Settings, dataset: Path | None, split: str | None = None) -> dict[str, Any]:
    """The RunMeta fields that describe where and how a run is made (all but its name and metrics)."""
    return {"started": now(), "commit": git_commit(), "model_sha256": model_sha256(settings),
            "dataset_sha256": file_sha256(dataset) if dataset is not None else None, "split": split,
            "settings": settings.model_dump(mode="json", include=ANSWER_SETTINGS)}
