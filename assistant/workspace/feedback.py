"""Answer feedback (thumbs, wrong-citation flags) appended to <data_dir>/feedback.jsonl."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.settings import Settings

_lock = threading.Lock()


class Feedback(BaseModel):
    """One judgement of an answer by a user."""

    model_config = ConfigDict(extra="forbid")

    question: str
    language: Literal["es", "en"]
    answer: str
    cited: list[str] = Field(default_factory=list)
    rating: Literal["up", "down"] | None = None
    wrong_citations: list[str] = Field(default_factory=list)
    backend: str = ""
    time: str = Field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%S"))


def feedback_path(settings: Settings | None = None) -> Path:
    """The feedback file."""
    return (settings or Settings()).data_dir / "feedback.jsonl"


def save(feedback: Feedback, settings: Settings | None = None) -> Path:
    """Append one record (one JSON object per line)."""
    path = feedback_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock, path.open("a", encoding="utf-8") as fh:
        fh.write(feedback.model_dump_json() + "\n")
    return path
