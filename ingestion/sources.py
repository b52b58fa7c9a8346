"""Find the files to ingest under the paths a user gives, with manifest metadata when present."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ingestion.errors import IngestError
from ingestion.loaders import FORMATS, SUPPORTED_SUFFIXES
from ingestion.models import DocKind

MANIFEST = "manifest.json"


class SourceSpec(BaseModel):
    """A file to ingest and what its folder's manifest says about it."""

    model_config = ConfigDict(extra="forbid")

    path: Path
    doc_id: str | None = None
    title: str | None = None
    kind: DocKind | None = None


def read_manifest(folder: Path) -> dict[str, SourceSpec]:
    """Map file name -> spec from `folder/manifest.json` (ids, titles, kinds); {} if none."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8")).get("documents", [])
    except (json.JSONDecodeError, AttributeError, UnicodeDecodeError) as exc:
        raise IngestError(f"{path}: not a valid manifest ({exc})") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("file"), str) for e in entries):
        raise IngestError(f"{path}: not a valid manifest (each document needs a \"file\" name)")
    specs = {}
    for e in entries:
        kind = e.get("kind") if e.get("kind") in ("recommendations", "slides") else None
        specs[e["file"]] = SourceSpec(path=folder / e["file"], doc_id=e.get("id"),
                                      title=e.get("title"), kind=kind)
    return specs


def iter_sources(paths: list[Path], on_skip: Callable[[str], None] | None = None) -> Iterator[SourceSpec]:
    """Yield one spec per file: named files as given, folders walked for the readable formats.

    Each real file is yielded once, however many links or names lead to it, and a link that loops
    back into a folder being walked is skipped with one line to `on_skip`.
    """
    seen: set[Path] = set()
    skip = on_skip or (lambda _line: None)
    for path in paths:
        if path.is_dir():
            yield from _walk(path, seen, set(), skip)
        elif _first_visit(path, seen):
            yield read_manifest(path.parent).get(path.name, SourceSpec(path=path))


def _first_visit(path: Path, seen: set[Path]) -> bool:
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop on a file name
        return True  # the loader reports it as unreadable, once
    if real in seen:
        return False
    seen.add(real)
    return True


def _walk(folder: Path, seen: set[Path], ancestors: set[Path], skip: Callable[[str], None]) -> Iterator[SourceSpec]:
    try:
        real = folder.resolve()
    except (OSError, RuntimeError):
        skip(f"{folder}: a link that loops, skipped")
        return
    if real in ancestors:
        skip(f"{folder}: a link back to {real}, skipped (a loop)")
        return
    if real in seen:
        return  # the same folder reached through another link: its files were already visited
    seen.add(real)
    manifest = read_manifest(folder)
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        skip(f"{folder}: cannot be read ({exc.strerror or type(exc).__name__}), skipped")
        return
    for entry in entries:
        if entry.is_dir():
            yield from _walk(entry, seen, ancestors | {real}, skip)
        elif entry.suffix.lower() in SUPPORTED_SUFFIXES:
            if _first_visit(entry, seen):
                yield manifest.get(entry.name, SourceSpec(path=entry))
        elif entry.name != MANIFEST and not entry.name.startswith((".", "~$")):
            skip(f"{entry}: {FORMATS} only, skipped")  # a lock file or a hidden one is not worth a line
