"""Find the files to ingest under the paths a user gives, with manifest metadata when present."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ingestion.errors import IngestError
from ingestion.loaders import SUPPORTED_SUFFIXES
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
    specs = {}
    for e in entries:
        kind = e.get("kind") if e.get("kind") in ("recommendations", "slides") else None
        specs[e["file"]] = SourceSpec(path=folder / e["file"], doc_id=e.get("id"),
                                      title=e.get("title"), kind=kind)
    return specs


def iter_sources(paths: list[Path]) -> Iterator[SourceSpec]:
    """Yield one spec per file: named files as given, folders walked for PDF/TXT/MD files."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        else:
            yield read_manifest(path.parent).get(path.name, SourceSpec(path=path))


def _walk(folder: Path) -> Iterator[SourceSpec]:
    manifest = read_manifest(folder)
    for entry in sorted(folder.iterdir()):
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.suffix.lower() in SUPPORTED_SUFFIXES:
            yield manifest.get(entry.name, SourceSpec(path=entry))
