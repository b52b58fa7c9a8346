"""Stored answers: the same question on the same index, backend, model and settings is answered at once.

A model answer takes seconds on 2 cores; planners ask the same questions again (examples, a
colleague's question, a reopened app). The verified Answer is stored in SQLite under the data dir,
keyed by everything that could change it: the standalone question, the store's content version,
the backend and its model, the settings of retrieval, generation and the support gate, the prompt
files, the English renderings and the booklet's questions, and `FORMAT`, raised whenever the code changes what an answer shows.
A change to any of them is a different key, so a stale answer is never returned.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from assistant.models import Answer
from assistant.settings import Settings

MAX_ENTRIES = 2000
_lock = threading.Lock()


# 2: English answers show marked translations, citations carry them (#32).
# 3: the reranker and the scope gate compare a question with those each recommendation answers (#32).
FORMAT = 3


@functools.cache  # prompts are loaded once per process (assistant.prompts.load_prompt), so is their digest
def _prompts_digest() -> str:
    from ingestion.booklet_questions import QUESTIONS
    from ingestion.renderings import RENDERINGS

    digest = hashlib.sha256()
    for path in sorted(resources.files("prompts").iterdir(), key=lambda p: p.name):
        if path.name.endswith((".md", ".json")):
            digest.update(path.name.encode() + path.read_bytes())
    digest.update(RENDERINGS.read_bytes())  # what an English answer shows in place of the Spanish
    digest.update(QUESTIONS.read_bytes())  # what the sources are chosen by
    return digest.hexdigest()


def cache_key(standalone: str, backend: str, settings: Settings, store_version: object,
              docs: Sequence[str] = ()) -> str:
    """The hash of everything an answer depends on (the documents it was limited to, if any)."""
    model = ""
    if backend == "llamacpp":
        from assistant.llm.model_file import MODEL_SHA256

        model = MODEL_SHA256
    payload = {
        "question": " ".join(standalone.split()).casefold(), "backend": backend, "model": model,
        "store": repr(store_version), "prompts": _prompts_digest(), "format": FORMAT,
        "settings": settings.model_dump(mode="json", include={"retrieval", "llm", "support", "embedding",
                                                              "chunking", "max_question_chars"},
                                        exclude={"llm": {"api_key", "timeout_s"}}),
    }
    if docs:  # absent when unlimited, so keys stored before the choice existed still match
        payload["docs"] = sorted(set(docs))
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class AnswerCache:
    """A small SQLite table of verified answers (one writer at a time; readers never see half a row)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL, "
                   "created REAL NOT NULL)")
        return db

    def get(self, key: str) -> Answer | None:
        """The stored answer for `key`, marked as cached, or None."""
        try:
            with _lock, self._connect() as db:
                row = db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None  # an unreadable cache is a miss, never an error
        if row is None:
            return None
        try:
            return Answer.model_validate_json(row[0]).model_copy(update={"cached": True})
        except ValueError:
            return None

    def put(self, key: str, answer: Answer) -> None:
        """Store (or replace) the answer for `key`; keep the newest MAX_ENTRIES."""
        try:
            with _lock, self._connect() as db:
                db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
                           (key, answer.model_copy(update={"cached": False}).model_dump_json(), time.time()))
                db.execute("DELETE FROM answers WHERE key NOT IN "
                           "(SELECT key FROM answers ORDER BY created DESC LIMIT ?)", (MAX_ENTRIES,))
        except sqlite3.Error:
            return  # a full or read-only disk only costs speed


def answer_cache(settings: Settings) -> AnswerCache:
    """The cache under this data dir."""
    return AnswerCache(settings.data_dir / "cache" / "answers.sqlite")
