"""Backup and restore of the data dir: one archive, consistent while the app runs or an ingest writes.

The index is copied through the store, not as Chroma's files: every complete document with its
chunks' ids, texts, metadata and vectors, read while holding the index's writer lock (so a document
being written is either finished first or not there). The same archive restores into an embedded
folder or a Chroma server, and the restored index answers with the same citations because the
vectors are the stored ones, never recomputed. Uploads and feedback are copied as files and the
SQLite caches through SQLite's backup API. The assembled model is not copied: it is rebuilt from
the installed packages.

Archive (`.tar.gz`): `backup.json` (format, collection, documents), `index.jsonl` (one document per
line), `uploads/`, `feedback.jsonl`, `audit.jsonl`, `cache/*.sqlite`, `sessions.sqlite`, `users.sqlite`,
`roles.toml`. It is written to a temporary name and renamed, so a killed backup never leaves a half-written archive under the name asked for.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tarfile
import tempfile
import time
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import UserInputError
from assistant.services import forget_stores, get_store, lock_path
from assistant.settings import Settings
from vectorstore.store import index_lock

FORMAT = 1
_CACHES = ("answers.sqlite", "generations.sqlite")
# saved conversations and drafts, and the local accounts (bcrypt hashes only) too
_SQLITE = (*(f"cache/{name}" for name in _CACHES), "sessions.sqlite", "users.sqlite")
_LOGS = ("feedback.jsonl", "audit.jsonl")  # appended line by line: archived up to the last whole line
_CONFIG = ("roles.toml",)  # the OIDC roles file, when it lives in the data dir
_DATA_FILES = (*_LOGS, *_CONFIG, *(n for n in _SQLITE if "/" not in n))  # kept at the top of the data dir


class BackupReport(BaseModel):
    """What a backup or a restore copied."""

    model_config = ConfigDict(extra="forbid")

    path: str
    documents: int = 0
    chunks: int = 0
    files: int = Field(0, description="Uploaded files.")
    feedback: bool = False
    caches: list[str] = Field(default_factory=list)
    collection: str = ""
    seconds: float = 0.0


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    import io

    tar.addfile(info, io.BytesIO(data))


def backup(target: Path, settings: Settings | None = None) -> BackupReport:
    """Write the data dir's index, uploads, feedback and caches to one archive at `target`."""
    settings = settings or Settings()
    start = time.perf_counter()
    target = Path(target)
    report = BackupReport(path=str(target))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with tempfile.TemporaryDirectory() as work, tarfile.open(tmp, "w:gz") as tar:
            index = Path(work) / "index.jsonl"
            records = []
            # The lock comes first: the store is opened and read while no process writes, so no document is
            # half-written inside and an embedded client sees every write finished before it.
            with index_lock(lock_path(settings)), index.open("w", encoding="utf-8") as fh:
                store = get_store(settings)
                report.collection = store.name
                for item in store.export_documents():
                    fh.write(json.dumps(item, ensure_ascii=False) + "\n")
                    records.append(item["record"])
                    report.chunks += len(item["ids"])
                uploads = settings.data_dir / "uploads"
                upload_files = sorted(p for p in uploads.iterdir() if p.is_file()) if uploads.is_dir() else []
                report.files = sum(p.name != "manifest.json" for p in upload_files)
                for path in upload_files:
                    tar.add(path, arcname=f"uploads/{path.name}")
            report.documents = len(records)
            tar.add(index, arcname="index.jsonl")
            for log in _LOGS:
                path = settings.data_dir / log
                if path.is_file():
                    data = path.read_bytes()
                    _add_bytes(tar, log, data[: data.rfind(b"\n") + 1])  # whole lines only
                    report.feedback |= log == "feedback.jsonl"
            for name in _CONFIG:
                if (settings.data_dir / name).is_file():
                    tar.add(settings.data_dir / name, arcname=name)
            for name in _SQLITE:
                source = settings.data_dir / name
                if source.is_file():
                    copy = Path(work) / PurePosixPath(name).name
                    with sqlite3.connect(source, timeout=30) as src, sqlite3.connect(copy) as dst:
                        src.backup(dst)  # a consistent copy while other processes write
                    tar.add(copy, arcname=name)
                    report.caches.append(PurePosixPath(name).name)
            report.seconds = round(time.perf_counter() - start, 2)
            meta = {"format": FORMAT, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "collection": report.collection,
                    "embedding": settings.embedding.model, "documents": records,
                    "report": report.model_dump(exclude={"path"})}
            _add_bytes(tar, "backup.json", json.dumps(meta, ensure_ascii=False, indent=1).encode())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return report


def _safe_members(tar: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    members = {}
    for m in tar.getmembers():
        parts = PurePosixPath(m.name).parts
        allowed = (m.name in ("backup.json", "index.jsonl", *_DATA_FILES)
                   or (len(parts) == 2 and parts[0] == "uploads" and not parts[1].startswith("."))
                   or (len(parts) == 2 and parts[0] == "cache" and parts[1] in _CACHES))
        if not m.isfile() or not allowed:
            raise UserInputError(f"not a policy-assistant backup: unexpected entry {m.name!r}")
        members[m.name] = m
    if "backup.json" not in members or "index.jsonl" not in members:
        raise UserInputError("not a policy-assistant backup: backup.json or index.jsonl is missing")
    return members


def restore(source: Path, settings: Settings | None = None, *, force: bool = False) -> BackupReport:
    """Bring a backup back into the configured data dir (embedded or server index).

    Refuses, changing nothing, when the archive is not a backup, was made with another embedding
    model or chunking, or when the data dir already holds documents or files (unless `force`, which
    replaces them).
    """
    settings = settings or Settings()
    start = time.perf_counter()
    if Path(source).is_dir():
        raise UserInputError(f"{source}: is a folder, expected a backup archive")
    try:
        tar = tarfile.open(source, "r:gz")
    except FileNotFoundError:
        raise UserInputError(f"{source}: no such file") from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise UserInputError(f"{source}: not a policy-assistant backup ({type(exc).__name__})") from None
    with tar:
        try:
            members = _safe_members(tar)
            meta = json.loads(tar.extractfile(members["backup.json"]).read())  # type: ignore[union-attr]
        except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError) as exc:
            raise UserInputError(f"{source}: damaged backup ({type(exc).__name__})") from None
        if meta.get("format") != FORMAT:
            raise UserInputError(f"{source}: backup format {meta.get('format')!r}, this version reads {FORMAT}")
        store = get_store(settings)
        if meta.get("collection") != store.name:
            raise UserInputError(
                f"{source}: made with index {meta.get('collection')!r}, this installation uses {store.name!r} "
                f"(set POLICY_ASSISTANT_EMBEDDING_MODEL={meta.get('embedding')} and the same chunking)")
        uploads = settings.data_dir / "uploads"
        occupied = store.documents() or (uploads.is_dir() and any(uploads.iterdir()))
        if occupied and not force:
            raise UserInputError(f"{settings.data_dir} already holds documents; restore --force replaces them")
        report = BackupReport(path=str(source), collection=store.name)
        if uploads.is_dir():
            for old in uploads.iterdir():
                if old.is_file():
                    old.unlink()
        store.reset()
        uploads.mkdir(parents=True, exist_ok=True)
        for name, member in members.items():
            if name.startswith(("uploads/", "cache/")) or name in _DATA_FILES:
                dest = settings.data_dir / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                part = dest.with_name(f".{dest.name}.part")
                with tar.extractfile(member) as src, part.open("wb") as dst:  # type: ignore[union-attr]
                    dst.write(src.read())
                os.replace(part, dest)
                report.files += name.startswith("uploads/") and not name.endswith("/manifest.json")
                report.feedback |= name == "feedback.jsonl"
                if name in _SQLITE:
                    report.caches.append(PurePosixPath(name).name)
        with tar.extractfile(members["index.jsonl"]) as fh:  # type: ignore[union-attr]
            for line in fh:
                item = json.loads(line)
                try:
                    report.chunks += store.import_document(item)
                except (ValueError, KeyError, TypeError) as exc:
                    raise UserInputError(f"{source}: damaged backup ({exc})") from None
                report.documents += 1
    forget_stores()  # derived caches (BM25, registry) are rebuilt from the restored index
    report.seconds = round(time.perf_counter() - start, 2)
    return report
