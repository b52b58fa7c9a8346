"""The `extractive` backend: an answer composed from the retrieved sources themselves.

No model: a lead sentence in the question's language, then the most relevant sources quoted
(shortened to their first sentence, page references removed), each with its citation marker.
Instant, deterministic, and every sentence it writes carries a verified citation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answering.citations import source_marker
from assistant.answering.lookup import Lookup
from assistant.messages import (
    EXTRACTIVE_LEAD,
    LOOKUP_LEAD_GUIDELINE,
    LOOKUP_LEAD_PAGE,
    LOOKUP_LEAD_REC,
    Lang,
)
from ingestion.booklet import PAGE_REF
from vectorstore.models import Hit


def quote(text: str, limit: int = 320) -> str:
    """A source's text without page references, cut at a sentence or word boundary."""
    text = re.sub(r"\s+", " ", PAGE_REF.sub("", text)).strip().rstrip(".").strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    sentence_end = cut.rfind(". ")
    return (cut[: sentence_end] if sentence_end > limit // 2 else cut[: cut.rfind(" ")]) + "…"


def compose(lang: Lang, sources: Sequence[Hit], lookup: Lookup | None = None) -> str:
    """The answer text with one cited bullet per source, as chosen (`assistant.answering.selection.choose`)."""
    if lookup is not None and sources:
        return _compose_lookup(lang, sources, lookup)
    lines = [EXTRACTIVE_LEAD[lang]]
    for hit in sources:
        lines.append(f"- {quote(hit.chunk.text)} [{source_marker(hit)}].")
    return "\n".join(lines)


def _compose_lookup(lang: Lang, hits: Sequence[Hit], lookup: Lookup) -> str:
    first = hits[0].chunk
    recs = [h for h in hits if h.chunk.recommendation]
    if lookup.kind == "recommendation":
        lead = LOOKUP_LEAD_REC[lang].format(number=first.recommendation, guideline=first.guideline,
                                            title=first.guideline_title)
        return f"{lead} «{quote(first.text, 1200)}» [R{first.recommendation}]."
    if lookup.kind == "guideline":
        lead = LOOKUP_LEAD_GUIDELINE[lang].format(guideline=lookup.value, title=first.guideline_title,
                                                  count=len(recs))
    else:
        lead = LOOKUP_LEAD_PAGE[lang].format(page=lookup.value)
    return "\n".join([lead] + [f"- {quote(h.chunk.text, 200)} [R{h.chunk.recommendation}]." for h in recs])


def slide_points(text: str) -> list[str]:
    """A slide's bullet points, each joined across its wrapped lines (the whole text if none)."""
    points: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("•", "-", "\u2022")):
            points.append(re.sub(r"^[•\s-]+", "", stripped).strip())
        elif points and stripped and stripped[0].islower():
            points[-1] += " " + stripped
    return points or [" ".join(text.split())]
