"""Vectors kept on disk by model and text, so a fresh process does not embed the same texts again.

The scope gate compares a question with every recommendation, guideline and document start
(vectorstore.topics): several hundred texts that a fresh `ask` embedded again each time (about 5 s
of its 7 on 2 cores). Keyed by the text's sha256 and the model's name, an entry can never be stale:
a changed index brings new texts, and new keys. A cache that cannot be read or written (a read-only
data dir, a full disk) is skipped: the vectors are computed as before.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (model TEXT, digest TEXT, vector BLOB, PRIMARY KEY (model, digest))"


def digest(text: str) -> str:
    """The key of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Unit vectors (float32) by (model, text) in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.failed = False  # set after an error: the cache is then left alone for this process

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10)
        db.execute(_SCHEMA)
        return db

    def get(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those texts that have one."""
        if self.failed or not texts or not self.path.exists():
            return {}
        keys = {digest(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        try:
            with self._connect() as db:
                items = list(keys)
                for start in range(0, len(items), 500):
                    part = items[start : start + 500]
                    rows = db.execute(f"SELECT digest, vector FROM vectors WHERE model = ? AND digest IN "
                                      f"({','.join('?' * len(part))})", (model, *part)).fetchall()
                    found.update((keys[d], np.frombuffer(v, dtype=np.float32)) for d, v in rows)
        except (sqlite3.Error, OSError):
            self.failed = True
            return {}
        return found

    def put(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Keep the vectors of those texts (one transaction)."""
        if self.failed or not len(texts):
            return
        try:
            with self._connect() as db:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                               [(model, digest(t), np.asarray(v, dtype=np.float32).tobytes())
                                for t, v in zip(texts, vectors, strict=True)])
        except (sqlite3.Error, OSError):
            self.failed = True
