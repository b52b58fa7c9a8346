"""Structure parser for the ECLAC recommendations booklet (Markdown extraction or PDF text).

The booklet is a run of guideline headings ("VIII. Crear y fortalecer ...") each followed by
numbered recommendations ("79. Desarrollar ... (pág. 232)."). A recommendation starts at the line
numbered with the next expected number and ends at its Panorama page reference; what lies between
units (sub-headings, footnote texts, page furniture) is not part of it. Working on the joined text
of all pages with their offsets makes it indifferent to page breaks and wrapped lines (PDF).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ingestion.models import Chunk, Page, SourceDocument
from ingestion.windows import split_text

ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
          "XV", "XVI", "XVII", "XVIII", "XIX", "XX")
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"

# (pág. 94) · (págs. 86 y 87) · ([pág. 146](#)) · (págs. 84-85) · (págs. 84, 85 y 86)
PAGE_REF = re.compile(
    r"\(\s*\[?\s*p[áa]gs?\.\s*(?P<nums>\d+(?:\s*(?:,|y|and|-|–)\s*\d+)*)\s*\]?(?:\([^)]*\))?\s*\)",
    re.IGNORECASE,
)
_REC_START = re.compile(r"^[ \t]*(\d{1,3})\.[ \t]+", re.MULTILINE)
_GUIDE_START = re.compile(r"^[ \t]*([IVXL]+)\.[ \t]+(\S.*)$", re.MULTILINE)
_FOOTNOTE = re.compile(rf"^[ \t]*([{SUPERSCRIPTS}]+)[ \t]*(\S.*)$", re.MULTILINE)
_SUBHEADING = re.compile(r"^(Recomendaciones|Otras recomendaciones)\b")
_TRAILER = re.compile(rf"[ \t]*\.?[{SUPERSCRIPTS}]*\.?")


def parse_page_refs(text: str) -> list[int]:
    """Every Panorama page a text cites, in order, ranges expanded ("86-88" -> 86, 87, 88)."""
    pages: list[int] = []
    for match in PAGE_REF.finditer(text):
        nums = match.group("nums")
        for part in re.split(r"\s*(?:,|y|and)\s*", nums):
            bounds = [int(n) for n in re.split(r"\s*[-–]\s*", part) if n]
            span = range(bounds[0], bounds[-1] + 1) if len(bounds) == 2 and bounds[1] > bounds[0] else bounds
            pages.extend(p for p in span if p not in pages)
    return pages


def looks_like_booklet(text: str) -> bool:
    """True when a text is made of numbered recommendations with Panorama page references."""
    return len(PAGE_REF.findall(text)) >= 10 and len(parse_units(text).recommendations) >= 10


@dataclass
class _Unit:
    kind: str
    start: int
    end: int
    text: str
    number: int | None = None
    guideline: str | None = None
    guideline_title: str | None = None
    footnotes: list[str] = field(default_factory=list)


@dataclass
class ParsedBooklet:
    """What the parser found, with character offsets into the joined text."""

    recommendations: list[_Unit]
    guidelines: list[_Unit]
    intro: str
    colophon: str
    footnotes: dict[str, str]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def parse_units(text: str) -> ParsedBooklet:
    """Find guideline headings, recommendations and footnotes in the booklet's text."""
    guidelines: list[_Unit] = []
    recs: list[_Unit] = []
    pos = 0
    next_rec, next_guide = 1, 0
    current: _Unit | None = None
    while True:
        g = _find_guideline(text, pos, next_guide)
        r = _find_rec(text, pos, next_rec)
        if g is None and r is None:
            break
        if g is not None and (r is None or g.start() < r.start()):
            title_end = _title_end(text, g.end())
            title = _clean(text[g.start(2):title_end])
            current = _Unit("guideline", g.start(), title_end, f"{ROMANS[next_guide]}. {title}",
                            guideline=ROMANS[next_guide], guideline_title=title)
            guidelines.append(current)
            next_guide += 1
            pos = title_end
            continue
        assert r is not None
        ref = PAGE_REF.search(text, r.end())
        following = _find_rec(text, r.end(), next_rec + 1)
        if ref is None or (following is not None and ref.start() > following.start()):
            end = following.start() if following else len(text)  # no page reference: stop early
        else:
            end = ref.end() + len(_TRAILER.match(text, ref.end()).group(0))
        recs.append(_Unit("recommendation", r.start(), end, _clean(text[r.end():end]), number=next_rec,
                          guideline=current.guideline if current else None,
                          guideline_title=current.guideline_title if current else None))
        next_rec += 1
        pos = end
    footnotes = {m.group(1): _clean(m.group(0)) for m in _FOOTNOTE.finditer(text)}
    for unit in recs + guidelines:
        unit.footnotes = [note for mark, note in footnotes.items() if mark in unit.text]
    first = guidelines[0].start if guidelines else (recs[0].start if recs else len(text))
    tail = recs[-1].end if recs else len(text)
    colophon = _FOOTNOTE.sub("", text[tail:])
    return ParsedBooklet(recs, guidelines, text[:first].strip(), colophon.strip(), footnotes)


def _find_rec(text: str, pos: int, number: int) -> re.Match[str] | None:
    for m in _REC_START.finditer(text, pos):
        if int(m.group(1)) == number:
            return m
    return None


def _find_guideline(text: str, pos: int, index: int) -> re.Match[str] | None:
    if index >= len(ROMANS):
        return None
    for m in _GUIDE_START.finditer(text, pos):
        if m.group(1) == ROMANS[index]:
            return m
    return None


def _title_end(text: str, pos: int) -> int:
    """A heading may wrap (PDF): it runs on until a blank line, a sub-heading or a numbered line."""
    end = pos
    for line in text[pos:].split("\n")[1:]:
        stripped = line.strip()
        if not stripped or _SUBHEADING.match(stripped) or _REC_START.match(line):
            break
        end += len(line) + 1
    return end


def booklet_chunks(doc: SourceDocument) -> list[Chunk]:
    """Cut a booklet into chunks: intro, one per guideline heading, one per recommendation."""
    offsets, parts = [], []
    total = 0
    for page in doc.pages:
        offsets.append(total)
        parts.append(page.text)
        total += len(page.text) + 1
    text = "\n".join(parts)
    parsed = parse_units(text)

    def page_at(offset: int) -> Page:
        return doc.pages[max(0, bisect.bisect_right(offsets, offset) - 1)]

    common = {"doc_id": doc.doc_id, "source": doc.source}
    chunks: list[Chunk] = []
    for piece in split_text(parsed.intro):
        chunks.append(Chunk(kind="intro", text=piece, ordinal=len(chunks),
                            page=doc.pages[0].label, page_index=0, **common))
    units = sorted(parsed.guidelines + parsed.recommendations, key=lambda u: u.start)
    for unit in units:
        page = page_at(unit.start)
        chunks.append(Chunk(
            kind="guideline" if unit.kind == "guideline" else "recommendation",
            text=unit.text, ordinal=len(chunks), page=page.label, page_index=page.index,
            recommendation=unit.number, guideline=unit.guideline, guideline_title=unit.guideline_title,
            panorama_pages=parse_page_refs(unit.text) if unit.kind == "recommendation" else [],
            footnotes=unit.footnotes, **common,
        ))
    last = doc.pages[-1]
    for piece in split_text(parsed.colophon):
        chunks.append(Chunk(kind="colophon", text=piece, ordinal=len(chunks),
                            page=last.label, page_index=last.index, **common))
    return chunks
