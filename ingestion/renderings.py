"""English renderings of the bundled ECLAC booklet and slide deck: for retrieval, and shown as marked
translations.

English questions must find Spanish recommendations as well as Spanish questions do. The e5
embeddings are multilingual, but an English question still sits closer to English text, and BM25
matches words. `renderings_en.json` holds an English rendering of every recommendation and guideline
title, written for the project from the Spanish text and reviewable as data. BM25 matches it next to
the Spanish text (the dense vectors stay Spanish-only: English text in them raised the similarity of
out-of-scope English questions). An English answer may show it where it would otherwise quote the
Spanish, always marked as a translation (`assistant.answering.translations`); it is never presented
as ECLAC's words, and a citation's stored text, guideline and pages stay the original's. It is looked
up when the BM25 index is built, so an existing index needs no re-ingest.
A rendering is used only when the Spanish recommendation starts with the words it was written for,
so another booklet's recommendation 12 never gets this one's English. The deck's six slides have
renderings too, for display only (BM25 matches the booklet's alone, as it was tuned).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from ingestion.models import Chunk

RENDERINGS = Path(__file__).with_name("renderings_en.json")


@functools.cache
def _table() -> dict[str, Any]:
    return json.loads(RENDERINGS.read_text(encoding="utf-8"))


def _words(text: str) -> list[str]:
    return text.split()


def recommendation_en(number: int, text: str) -> str | None:
    """The English rendering of recommendation `number`, if `text` is the Spanish it renders."""
    entry = _table()["recommendations"].get(str(number))
    if entry is None:
        return None
    start = _words(entry["es_start"])
    return entry["en"] if _words(text)[: len(start)] == start else None


def guideline_en(roman: str | None, title: str | None) -> str | None:
    """The English title of guideline `roman`, if `title` is the Spanish title it renders."""
    entry = _table()["guidelines"].get(roman or "")
    if entry is None or title is None or _words(entry["es"]) != _words(title):
        return None
    return str(entry["en"])


def slide_en(doc_id: str, page: str | None, text: str) -> str | None:
    """The English rendering of a bundled deck's slide, if `text` is the Spanish slide it renders."""
    entry = _table().get("slides", {}).get(doc_id, {}).get(str(page))
    if entry is None:
        return None
    start = _words(entry["es_start"])
    return str(entry["en"]) if _words(text)[: len(start)] == start else None


def english_text(chunk: Chunk) -> str | None:
    """A recommendation's or a bundled slide's English rendering alone (no number, no guideline), if it
    has one: what an English answer shows, marked, in place of the Spanish."""
    if chunk.kind == "slide":
        return slide_en(chunk.doc_id, chunk.page, chunk.text)
    if chunk.kind != "recommendation" or chunk.recommendation is None:
        return None
    return recommendation_en(chunk.recommendation, chunk.text)


def english_rendering(chunk: Chunk) -> str | None:
    """The English text BM25 may match for a booklet unit (a recommendation or a guideline heading)."""
    title = guideline_en(chunk.guideline, chunk.guideline_title)
    if chunk.kind == "guideline":
        return f"{chunk.guideline}. {title}" if title else None
    if chunk.kind != "recommendation" or chunk.recommendation is None:  # the deck's slides: shown, not matched
        return None
    text = recommendation_en(chunk.recommendation, chunk.text)
    if text is None:
        return None
    return f"Recommendation {chunk.recommendation}. {text}" + (f" ({title})" if title else "")
