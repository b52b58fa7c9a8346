"""The document library facade: what is indexed, uploads, removal, rebuild.

Uploads are checked (type, size, extractable text) before they touch the index, and are written only
inside `<data_dir>/uploads/` under generated names; their original names live in that folder's
manifest.json, so a rebuild re-creates the same doc_ids.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path, PurePath

from assistant.errors import facade
from assistant.people import audit
from assistant.people.access import User, actor, require
from assistant.services import get_store
from assistant.settings import Settings
from ingestion.errors import IngestError
from ingestion.loaders import SUPPORTED_SUFFIXES, load_document, slugify, unsupported
from ingestion.sources import MANIFEST
from vectorstore.indexer import IngestReport, ingest
from vectorstore.models import DocumentRecord

_lock = threading.Lock()


def uploads_dir(settings: Settings) -> Path:
    """Where uploaded files are kept."""
    return settings.data_dir / "uploads"


@facade
def documents(settings: Settings | None = None) -> list[DocumentRecord]:
    """Every complete document in the index."""
    return get_store(settings or Settings()).documents()


def safe_name(original: str) -> tuple[str, str]:
    """(stem, suffix) of an uploaded file's name, with any path parts dropped."""
    name = PurePath(original.replace("\\", "/")).name
    name = name.lstrip(".") or "document"
    suffix = PurePath(name).suffix.lower()
    return PurePath(name).stem or "document", suffix


@facade
def add_upload(original_name: str, data: bytes, settings: Settings | None = None,
               user: User | None = None) -> DocumentRecord:
    """Validate, store and index one uploaded file; IngestError (one line) if it is rejected. Editors; audited."""
    require(user, "upload")
    settings = settings or Settings()
    stem, suffix = safe_name(original_name)
    if suffix not in SUPPORTED_SUFFIXES:
        raise unsupported(f"{stem}{suffix}", suffix)
    folder = uploads_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    sha256 = hashlib.sha256(data).hexdigest()
    digest = sha256[:16]
    doc_id = slugify(stem)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        staged = Path(tmp) / f"{digest}{suffix}"
        staged.write_bytes(data)
        doc = load_document(staged, doc_id=doc_id, title=f"{stem}{suffix}",
                            max_file_mb=settings.chunking.max_file_mb)  # raises before anything is kept
        from ingestion.chunking import chunk_document

        chunks = chunk_document(doc, settings.chunking)
        if not chunks:
            raise IngestError(f"{stem}{suffix}: no text to index")
        with _lock:
            final = folder / f"{digest}-{doc_id}{suffix}"
            os.replace(staged, final)
            _manifest_set(folder, final.name, doc_id, f"{stem}{suffix}")
            doc = doc.model_copy(update={"source": final.name})
            get_store(settings).write_document(doc, [c.model_copy(update={"source": final.name}) for c in chunks])
    record = get_store(settings).record(doc_id)
    assert record is not None
    audit.record(settings, "upload", actor=actor(user), doc_id=doc_id, sha256=sha256,
                 detail=f"{stem}{suffix}, {len(data)} bytes, {record.n_chunks} chunk{'s' if record.n_chunks != 1 else ''}")
    return record


@facade
def remove(doc_id: str, settings: Settings | None = None, user: User | None = None) -> bool:
    """Remove a document from the index (and its uploaded file, if it was an upload). Editors; audited."""
    require(user, "remove")
    settings = settings or Settings()
    before = get_store(settings).record(doc_id)
    removed = get_store(settings).delete_document(doc_id)
    if removed:
        audit.record(settings, "remove", actor=actor(user), doc_id=doc_id, sha256=before.sha256 if before else "",
                     detail=before.title if before else "")
    folder = uploads_dir(settings)
    with _lock:
        for name, entry in _manifest(folder).items():
            if entry["id"] == doc_id:
                (folder / name).unlink(missing_ok=True)
                _manifest_drop(folder, name)
    return removed


@facade
def rebuild(settings: Settings | None = None, on_file: Callable[[str], None] | None = None,
            user: User | None = None) -> IngestReport:
    """Drop the index and re-ingest the bundled corpus and every upload. Admins; audited."""
    require(user, "rebuild")
    settings = settings or Settings()
    audit.record(settings, "rebuild", actor=actor(user))
    store = get_store(settings)
    store.reset()
    paths = [settings.corpus_dir] + ([uploads_dir(settings)] if uploads_dir(settings).is_dir() else [])
    return ingest(paths, store, settings.chunking, on_file=(lambda s: on_file(s.path.name)) if on_file else None)


@facade
def ensure_corpus(settings: Settings | None = None) -> IngestReport | None:
    """Ingest the bundled corpus if the index does not hold it yet (first launch)."""
    settings = settings or Settings()
    store = get_store(settings)
    if any(r.kind == "recommendations" for r in store.documents()):
        store.repair()
        return None
    return ingest([settings.corpus_dir], store, settings.chunking)


def _manifest(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    return {d["file"]: d for d in json.loads(path.read_text(encoding="utf-8")).get("documents", [])}


def _write_manifest(folder: Path, entries: dict[str, dict[str, str]]) -> None:
    tmp = folder / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps({"documents": list(entries.values())}, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def _manifest_set(folder: Path, name: str, doc_id: str, title: str) -> None:
    entries = {n: e for n, e in _manifest(folder).items() if e["id"] != doc_id}
    for old in set(_manifest(folder)) - set(entries):
        if old != name:
            (folder / old).unlink(missing_ok=True)  # a new version replaces the old file
    entries[name] = {"id": doc_id, "file": name, "title": title}
    _write_manifest(folder, entries)


def _manifest_drop(folder: Path, name: str) -> None:
    entries = _manifest(folder)
    entries.pop(name, None)
    _write_manifest(folder, entries)
