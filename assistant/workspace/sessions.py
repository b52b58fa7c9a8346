"""Saved conversations: every question and every answer as it was shown, kept in SQLite.

`<data_dir>/sessions.sqlite` (standard-library sqlite3, WAL) holds one row per conversation and one
per message. An answer is stored whole, as the `Answer` the user saw: its verified text, its
citations with the quoted text, guideline and pages, the backend, notices and suggestions, plus the
index version it was answered against. Reopening a conversation shows exactly that, even after the
index is rebuilt or a document removed; `citation_status` then says whether each cited source is
still there unchanged, changed, or gone. Each message is written in its own transaction before the
page shows it as final, so a killed app loses no answer a user has already seen.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import UserInputError
from assistant.models import Answer, Citation, Draft, StrategyDocument
from assistant.settings import Settings
from ingestion.models import Chunk

TITLE_CHARS = 80
SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'chat',
    title TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content TEXT NOT NULL,
    answer TEXT,
    index_version TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    PRIMARY KEY (session_id, position)
);
CREATE INDEX IF NOT EXISTS sessions_by_date ON sessions(owner, updated DESC);
"""


class SessionInfo(BaseModel):
    """One saved conversation, as the list shows it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: Literal["chat", "draft"] = "chat"
    title: str
    created: float
    updated: float
    messages: int = 0


class StoredMessage(BaseModel):
    """A question, or an answer exactly as it was shown."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str
    answer: Answer | None = None
    index_version: str = Field("", description="The index the answer was given against.")
    created: float = 0.0


class Session(BaseModel):
    """A conversation with its messages in order."""

    model_config = ConfigDict(extra="forbid")

    info: SessionInfo
    messages: list[StoredMessage]


def title_from(question: str) -> str:
    """A list title from the first question: one line, at most TITLE_CHARS characters."""
    line = " ".join(question.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"


def db_path(settings: Settings) -> Path:
    return settings.data_dir / "sessions.sqlite"


@contextmanager
def _db(settings: Settings) -> Iterator[sqlite3.Connection]:
    path = db_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
        with conn:  # one transaction: committed whole or not at all
            yield conn
    finally:
        conn.close()


def _info(row: tuple) -> SessionInfo:  # type: ignore[type-arg]
    return SessionInfo(id=row[0], kind=row[1], title=row[2], created=row[3], updated=row[4], messages=row[5])


_SELECT = ("SELECT s.id, s.kind, s.title, s.created, s.updated, "
           "(SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) FROM sessions s")


def create(title: str, settings: Settings, kind: Literal["chat", "draft"] = "chat", owner: str = "") -> SessionInfo:
    """A new, empty conversation titled from its first question."""
    now = time.time()
    sid = uuid.uuid4().hex[:12]
    with _db(settings) as conn:
        conn.execute("INSERT INTO sessions (id, kind, title, owner, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
                     (sid, kind, title_from(title) or "…", owner, now, now))
    return SessionInfo(id=sid, kind=kind, title=title_from(title) or "…", created=now, updated=now)


def list_sessions(settings: Settings, owner: str = "", kind: str | None = None) -> list[SessionInfo]:
    """Every saved conversation (or draft, by `kind`) of `owner`, the most recently used first."""
    if not db_path(settings).is_file():
        return []
    with _db(settings) as conn:
        rows = conn.execute(f"{_SELECT} WHERE s.owner = ? AND (? IS NULL OR s.kind = ?) ORDER BY s.updated DESC",
                            (owner, kind, kind)).fetchall()
    return [_info(r) for r in rows]


def load(session_id: str, settings: Settings, owner: str = "") -> Session:
    """A conversation with its messages, as they were shown."""
    with _db(settings) as conn:
        row = conn.execute(f"{_SELECT} WHERE s.id = ? AND s.owner = ?", (session_id, owner)).fetchone()
        if row is None:
            raise UserInputError(f"no saved conversation {session_id!r} (see `policy-assistant sessions list`)")
        msgs = conn.execute("SELECT role, content, answer, index_version, created FROM messages "
                            "WHERE session_id = ? ORDER BY position", (session_id,)).fetchall()
    return Session(info=_info(row), messages=[
        StoredMessage(role=r, content=c, answer=Answer.model_validate_json(a) if a else None, index_version=v,
                      created=t) for r, c, a, v, t in msgs])


def append(session_id: str, settings: Settings, role: Literal["user", "assistant"], content: str,
           answer: Answer | None = None, index_version: str = "", owner: str = "") -> None:
    """Add one message at the end, in its own transaction."""
    now = time.time()
    with _db(settings) as conn:
        if conn.execute("SELECT 1 FROM sessions WHERE id = ? AND owner = ?", (session_id, owner)).fetchone() is None:
            raise UserInputError(f"no saved conversation {session_id!r}")
        position = conn.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM messages WHERE session_id = ?",
                                (session_id,)).fetchone()[0]
        conn.execute("INSERT INTO messages (session_id, position, role, content, answer, index_version, created) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (session_id, position, role, content, answer.model_dump_json() if answer else None,
                      index_version, now))
        conn.execute("UPDATE sessions SET updated = ? WHERE id = ?", (now, session_id))


def truncate(session_id: str, settings: Settings, keep: int, owner: str = "") -> None:
    """Keep the first `keep` messages (an answer asked again replaces the old one)."""
    with _db(settings) as conn:
        conn.execute("DELETE FROM messages WHERE session_id = ? AND position >= ? AND session_id IN "
                     "(SELECT id FROM sessions WHERE owner = ?)", (session_id, keep, owner))


def rename(session_id: str, title: str, settings: Settings, owner: str = "") -> None:
    """Give a conversation a new title (one line; empty is refused)."""
    if not title_from(title):
        raise UserInputError("a conversation's title cannot be empty")
    with _db(settings) as conn:
        if conn.execute("UPDATE sessions SET title = ? WHERE id = ? AND owner = ?",
                        (title_from(title), session_id, owner)).rowcount == 0:
            raise UserInputError(f"no saved conversation {session_id!r}")


def delete(session_id: str, settings: Settings, owner: str = "") -> None:
    """Remove a conversation and its messages."""
    with _db(settings) as conn:
        conn.execute("DELETE FROM messages WHERE session_id IN (SELECT id FROM sessions WHERE id = ? AND owner = ?)",
                     (session_id, owner))
        if conn.execute("DELETE FROM sessions WHERE id = ? AND owner = ?", (session_id, owner)).rowcount == 0:
            raise UserInputError(f"no saved conversation {session_id!r}")


def index_version(settings: Settings) -> str:
    """A short fingerprint of the index's content (chunk count and documents' hashes)."""
    import hashlib

    from assistant.services import get_store

    count, hashes = get_store(settings).version()
    return f"{count}-{hashlib.sha256('|'.join(hashes).encode()).hexdigest()[:12]}"


CitationStatus = Literal["same", "changed", "gone"]


def citation_status(cit: Citation, settings: Settings) -> CitationStatus:
    """Whether a stored citation's source is still in the index with the same text."""
    from assistant.services import get_registry, get_store

    if cit.recommendation is not None:
        rec = get_registry(settings).get(cit.recommendation)
        if rec is None or rec.doc_id != cit.doc_id:
            return "gone"
        return "same" if same_text(rec.text, cit.text) else "changed"
    return status_among(cit, [h.chunk for h in get_store(settings).get(where={"doc_id": cit.doc_id})])


def status_among(cit: Citation, chunks: list[Chunk]) -> CitationStatus:
    """A passage citation's status among its document's stored chunks (none: the document is gone)."""
    if not chunks:
        return "gone"
    return "same" if any(same_text(c.text, cit.text) for c in chunks) else "changed"


def same_text(a: str, b: str) -> bool:
    """Equal once whitespace is ignored (what a stored citation quotes against what the index holds)."""
    return a.split() == b.split()


def to_markdown(session: Session) -> str:
    """The conversation as Markdown, each answer followed by its sources."""
    return markdown_of(session.messages, session.info.title)


def markdown_of(messages: list[StoredMessage], title: str = "") -> str:
    """Messages as Markdown (the chat's download and `sessions export`), each answer followed by its sources."""
    lines = [f"# {title}", ""] if title else []
    for msg in messages:
        if msg.role == "user" or msg.answer is None:
            lines += [f"**> {msg.content}**", ""]
            continue
        lines += [msg.answer.answer, ""]
        for c in msg.answer.citations:
            where = (f"lineamiento {c.guideline}, Panorama 2024 pág. {', '.join(map(str, c.panorama_pages))}"
                     if c.recommendation else f"{c.doc_id}, p. {c.page}")
            lines.append(f"- [{c.marker}] {where}: «{' '.join(c.text.split())}»")
        lines.append("")
    return "\n".join(lines)


def drafts(session: Session) -> list[Draft]:
    """Every version of the drafts in a session, oldest first (regenerating keeps the previous text)."""
    return [m.answer.draft for m in session.messages if m.answer is not None and m.answer.draft is not None]


def versions(session: Session) -> list[Draft | StrategyDocument]:
    """Every version of the sections and whole documents drafted in a session, oldest first."""
    return [m.answer.document or m.answer.draft for m in session.messages  # type: ignore[misc]
            if m.answer is not None and (m.answer.draft is not None or m.answer.document is not None)]


def to_json(session: Session) -> str:
    """The conversation as JSON (`Session`), for scripts."""
    return json.dumps(session.model_dump(mode="json"), ensure_ascii=False, indent=1)
