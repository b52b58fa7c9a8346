"""The audit trail: who changed the library, when, and which file (its sha256).

One JSON object per line in `<data_dir>/audit.jsonl`, appended with O_APPEND in a single write so
lines from several processes never interleave. Uploads, removals, rebuilds and command-line ingests
are recorded by the library facade and the CLI; sign-ins (and failed ones), sign-outs, account and
role changes by `assistant.people.accounts` and the app's sign-in. `policy-assistant audit` prints the log
or writes it as CSV; admins see it in the app. The actor is the signed-in user in the app, else the
operating system's user (the CLI, and the app with no sign-in configured).
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.people.access import User, require
from assistant.settings import Settings

Action = Literal["upload", "remove", "rebuild", "ingest", "restore", "eval", "sign-in", "sign-in-failed",
                 "sign-out", "user-add", "user-remove", "role-change", "password-change"]
FIELDS = ["at", "actor", "action", "doc_id", "sha256", "detail"]


class AuditEntry(BaseModel):
    """One change to the library."""

    model_config = ConfigDict(extra="forbid")

    at: str
    actor: str
    action: Action
    doc_id: str = ""
    sha256: str = ""
    detail: str = ""


def log_path(settings: Settings) -> Path:
    return settings.data_dir / "audit.jsonl"


def default_actor() -> str:
    """The operating system's user (the CLI's actor when nobody is signed in)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in a bare container
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def record(settings: Settings, action: Action, *, actor: str | None = None, doc_id: str = "", sha256: str = "",
           detail: str = "") -> AuditEntry:
    """Append one entry (one write, so concurrent processes never interleave a line)."""
    entry = AuditEntry(at=time.strftime("%Y-%m-%dT%H:%M:%S%z"), actor=actor or default_actor(), action=action,
                       doc_id=doc_id, sha256=sha256, detail=" ".join(detail.split())[:300])
    path = log_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(entry.model_dump(), ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return entry


def entries(settings: Settings, by: User | None = None) -> list[AuditEntry]:
    """Every entry, oldest first (a line cut short by a crash is skipped); admins only."""
    require(by, "audit")
    path = log_path(settings)
    if not path.is_file():
        return []
    found = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                found.append(AuditEntry.model_validate_json(line))
            except ValueError:
                continue
    return found


def to_csv(items: list[AuditEntry]) -> str:
    """The entries as CSV with a header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for item in items:
        writer.writerow(item.model_dump())
    return out.getvalue()
