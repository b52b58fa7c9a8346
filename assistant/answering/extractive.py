"""The `extractive` backend: an answer composed from the retrieved sources themselves.

No model: a lead sentence in the question's language, then the most relevant sources quoted
(shortened to their first sentence, page references removed), each with its citation marker.
Instant, deterministic, and every sentence it writes carries a verified citation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answering import translations
from assistant.answering.citations import source_marker
from assistant.answering.lookup import Lookup
from assistant.messages import (
    EXTRACTIVE_LEAD,
    LOOKUP_LEAD_CODE,
    LOOKUP_LEAD_GUIDELINE,
    LOOKUP_LEAD_PAGE,
    LOOKUP_LEAD_REC,
    Lang,
)
from ingestion.booklet import PAGE_REF
from ingestion.models import Table
from ingestion.sections import read_table_text
from vectorstore.glossary import expand_indicators
from vectorstore.models import Hit
from vectorstore.terms import meets, tokenize


def quote(text: str, limit: int = 320) -> str:
    """A source's text without page references, cut at a sentence or word boundary."""
    text = re.sub(r"\s+", " ", PAGE_REF.sub("", text)).strip().rstrip(".").strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    sentence_end = cut.rfind(". ")
    return (cut[: sentence_end] if sentence_end > limit // 2 else cut[: cut.rfind(" ")]) + "…"


def compose(lang: Lang, sources: Sequence[Hit], lookup: Lookup | None = None, question: str = "") -> str:
    """The answer text with one cited bullet per source, as chosen (`assistant.answering.selection.choose`)."""
    if lookup is not None and sources:
        return _compose_lookup(lang, sources, lookup)
    lines = [EXTRACTIVE_LEAD[lang]]
    for hit in sources:
        lines.append(f"- {shown_passage(hit, question, lang)} [{source_marker(hit)}].")
    return "\n".join(lines)


def shown_passage(hit: Hit, question: str, lang: str, limit: int = 320) -> str:
    """`passage` as an answer in `lang` shows it: a recommendation's English rendering marked as a
    translation in English, any other source's own words in guillemets (`assistant.answering.translations`)."""
    return translations.or_original(hit, lang, translations.shown(passage(hit, question, limit), lang))


# A question for a goal, and a section's line that states one ("Meta al 2030: 90 emprendimientos…").
_GOAL_ASKED = re.compile(r"\b(?:metas?|targets?|goals?)\b", re.IGNORECASE)
_GOAL_LINE = re.compile(r"^(?:metas?|targets?|goals?)\b", re.IGNORECASE)


def passage(hit: Hit, question: str, limit: int = 320) -> str:
    """The part of a source that answers `question`: a table's matching rows with their column labels,
    a section's matching lines (list items with their codes, its goal for a question that asks for one)
    after its heading, else its opening words. Every figure is the source's own."""
    chunk = hit.chunk
    if chunk.table:
        return table_rows(chunk.text, question)
    lines = [line.strip() for line in chunk.text.splitlines() if line.strip()]
    units = [line[2:] if line.startswith("- ") else line for line in lines[1:]]
    items = sum(line.startswith("- ") for line in lines)
    if chunk.section is not None and (items > 2 or len(units) > 1 and len(" ".join(lines)) > limit):
        goals = [u for u in units if _GOAL_LINE.match(u)] if _GOAL_ASKED.search(question) else []
        picked = set(_best([u for u in units if u not in goals], question, 3 - min(len(goals), 1))) | set(goals)
        head = lines[0]
        lead = "" if head.startswith("- ") else quote(head, 160) + ": "
        return lead + "; ".join(quote(u, 200) for u in units if u in picked)
    return quote(chunk.text, limit)


def _terms(text: str) -> set[str]:
    return set(tokenize(text)) | set(re.findall(r"\b(?:19|20)\d{2}\b", text))


def _wanted(question: str) -> set[str]:
    """A question's terms, with the Spanish words of indicator tables for English ones."""
    terms = _terms(question)
    return terms | set(expand_indicators(sorted(terms)))


def _shared(wanted: set[str], terms: set[str]) -> int:
    """Terms in common, a word meeting its inflection too (`vectorstore.terms.meets`)."""
    return sum(1 for w in wanted if meets(w, terms))


def _best(units: list[str], question: str, most: int) -> list[str]:
    """The units that share most terms with the question, in document order (the first ones if none does)."""
    wanted = _wanted(question)
    scored = [(_shared(wanted, _terms(u)), i) for i, u in enumerate(units)]
    top = max((s for s, _ in scored), default=0)
    if top == 0:
        return units[:most]
    keep = sorted(i for s, i in sorted(scored, reverse=True)[:most] if s == top or s >= max(1, top - 1))
    return [units[i] for i in keep]


def table_rows(text: str, question: str, most: int = 3) -> str:
    """A table chunk's rows that match the question, each cell with its column label, after the caption.

    Columns the question names (a year, a header word) are kept with the row label; with none named,
    every column is.
    """
    table = read_table_text(text)
    if table is None:
        return quote(text)
    lead = f"{table.caption.rstrip('.:')}: " if table.caption else ""
    return lead + "; ".join(_rows_shown(table, question, most))


def matching_rows(text: str, question: str, most: int = 3) -> list[str]:
    """The rows of a table chunk that match the question, each as "Row (Column: value; …)" with the
    columns the question names (a year, a header word), or every column when it names none."""
    table = read_table_text(text)
    return _rows_shown(table, question, most) if table is not None else []


def _rows_shown(table: Table, question: str, most: int) -> list[str]:
    header, rows = table.header, table.rows
    wanted = _wanted(question)
    named = [j for j, h in enumerate(header) if j and _shared(wanted, _terms(h))]
    columns = [0] + (named or list(range(1, len(header))))
    picked = _best([" ".join(r) for r in rows], question, most)
    shown = []
    for row in (r for r in rows if " ".join(r) in picked):
        values = "; ".join(f"{header[j]}: {row[j]}" for j in columns[1:] if j < len(row) and row[j])
        shown.append(f"{row[0]} ({values})" if values else row[0])
    return shown


def _compose_lookup(lang: Lang, hits: Sequence[Hit], lookup: Lookup) -> str:
    first = hits[0].chunk
    if lookup.kind == "code":
        parent = first.section.rpartition(" › ")[0] if first.section else ""
        lead = LOOKUP_LEAD_CODE[lang].format(code=lookup.value, doc=first.doc_id,
                                             section=f" ({parent})" if parent else "")
        return "\n".join([lead] + [f"- {translations.shown(quote(h.chunk.text, 900), lang)} [{source_marker(h)}]."
                                    for h in hits])
    recs = [h for h in hits if h.chunk.recommendation]
    if lookup.kind == "recommendation":
        lead = LOOKUP_LEAD_REC[lang].format(number=first.recommendation, guideline=first.guideline,
                                            title=translations.title(first.guideline, first.guideline_title, lang))
        text = translations.or_original(hits[0], lang, f"«{quote(first.text, 1200)}»")
        return f"{lead} {text} [R{first.recommendation}]."
    if lookup.kind == "guideline":
        lead = LOOKUP_LEAD_GUIDELINE[lang].format(guideline=lookup.value,
                                                  title=translations.title(first.guideline, first.guideline_title, lang),
                                                  count=len(recs))
    else:
        lead = LOOKUP_LEAD_PAGE[lang].format(page=lookup.value)
    return "\n".join([lead] + [f"- {translations.or_original(h, lang, quote(h.chunk.text, 200))} "
                                f"[R{h.chunk.recommendation}]." for h in recs])


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
