"""Citation verification: what the model wrote is a claim; the store's metadata is the truth.

Every `[...]` marker and every prose mention of a recommendation is parsed. A citation survives only
if it names a source that exists and was given to this answer; the rest are removed and reported.
Page numbers the model writes are removed too: pages come from stored metadata only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from assistant.models import Citation, DroppedCitation
from ingestion.booklet import PAGE_REF
from vectorstore.models import Hit

BRACKET = re.compile(r"\[([^\[\]\n]{1,160})\]")
_REC_ITEM = re.compile(r"^(?:R|Rec\.?|recomendaci[oó]n|recommendation)\s*(\d{1,5})$", re.IGNORECASE)
_DOC_ITEM = re.compile(r"^(.+?)[\s,]*(?:(?:p|p[áa]g|page)\.?\s*[\w-]+\s+)?(p|p[áa]g|page|slide|diapositiva|§)\.?\s*([\w-]+)$",
                       re.IGNORECASE)
_PROSE_REC = re.compile(r"\b(?:recomendaci[oó]n|recommendation)\s+(?:n[º°o]\.?\s*)?(\d{1,5})\b|\bR(\d{1,5})\b",
                        re.IGNORECASE)
# A page claim in prose ("en la pág. 999", "pages 500 and 501"): model output never states pages.
_BARE_PAGES = re.compile(r"\s*,?\s*\b(?:en\s+(?:la|las)\s+|on\s+)?(?:p[áa]gs?\.|p[áa]ginas?|pages?|pp?\.)\s*\d+"
                         r"(?:\s*(?:,|y|and|-|–)\s*\d+)*(?:\s+del?\s+Panorama(?:\s+2024)?)?", re.IGNORECASE)
_GUIDELINE_TAG = re.compile(r"^(?:lineamiento|guideline)\s+[IVXL]{1,5}$", re.IGNORECASE)
# A sentence ends at . ! ? or » and a space, unless a marker follows (it belongs to the sentence
# before), the space is inside a marker ("[doc p. 4]") or a quote's mark follows it ("«…» (translated
# from the Spanish) [R7].").
SENTENCE_BREAK = re.compile(r"(?<=[.!?»])(?!(?<=»)\s+\()\s+(?!\[)(?![^\[\]\n]*\])|\n+")
_QUOTED = re.compile(r"«[^«»]*»")
_MARKER_RUN = re.compile(BRACKET.pattern + r"(?:[ \t]*" + BRACKET.pattern + r")+")


class Verified(BaseModel):
    """The verified text and what verification found."""

    model_config = ConfigDict(extra="forbid")

    text: str
    citations: list[Citation] = Field(default_factory=list)
    dropped: list[DroppedCitation] = Field(default_factory=list)
    uncited: list[str] = Field(default_factory=list)


def locator(hit: Hit) -> str | None:
    """Where in its document a passage is: its page label, or `§ N` (the N-th part) of a document
    read by its sections, or both (`p. 3 § 12`) for a PDF read by its layout, whose pages hold
    several parts; None for a whole-document passage."""
    part = f"§ {hit.chunk.ordinal + 1}" if hit.chunk.section is not None or hit.chunk.table else None
    if hit.chunk.page:
        return f"p. {hit.chunk.page} {part}" if part else f"p. {hit.chunk.page}"
    return part


def doc_marker(hit: Hit) -> str:
    """The marker of a non-recommendation source: `[doc_id p. N]`, `[doc_id § N]` or `[doc_id]`."""
    where = locator(hit)
    return f"{hit.chunk.doc_id} {where}" if where else hit.chunk.doc_id


def source_marker(hit: Hit) -> str:
    """The marker a source is shown under in prompts and answers (without brackets)."""
    return f"R{hit.chunk.recommendation}" if hit.chunk.recommendation else doc_marker(hit)


def citation_for(hit: Hit) -> Citation:
    """A Citation whose every field comes from the stored chunk."""
    c = hit.chunk
    return Citation(marker=source_marker(hit), doc_id=c.doc_id, recommendation=c.recommendation,
                    guideline=c.guideline, guideline_title=c.guideline_title,
                    panorama_pages=list(c.panorama_pages), page=c.page, section=c.section, table=c.table,
                    text=c.text)


class _Checker:
    def __init__(self, given: Sequence[Hit], existing: set[int]) -> None:
        self.recs = {h.chunk.recommendation: h for h in given if h.chunk.recommendation}
        self.docs = [h for h in given if not h.chunk.recommendation]
        self.existing = existing
        self.cited: dict[str, Hit] = {}
        self.dropped: list[DroppedCitation] = []

    def _drop(self, marker: str, reason: str) -> None:
        if all(d.marker != marker for d in self.dropped):
            self.dropped.append(DroppedCitation(marker=marker, reason=reason))  # type: ignore[arg-type]

    def rec(self, number: int, written: str) -> str | None:
        hit = self.recs.get(number)
        if hit is None:
            self._drop(f"R{number}", "not_retrieved" if number in self.existing else "nonexistent")
            return None
        self.cited.setdefault(f"R{number}", hit)
        return f"R{number}"

    def whole_doc(self, name: str) -> str | None:
        """A document given without a page (a booklet's intro or heading): cited by its doc_id."""
        for hit in self.docs:
            if locator(hit) is None and hit.chunk.doc_id.lower() == name.strip().lower():
                marker = doc_marker(hit)
                self.cited.setdefault(marker, hit)
                return marker
        return None

    def doc(self, name: str, where: str, written: str) -> str | None:
        """`where` is a page or slide label ('3'), or '§3' for the third part of a sectioned document
        (a part names one passage; a page names the first passage given from it)."""
        wanted = f"§ {where[1:]}" if where.startswith("§") else f"p. {where}"
        name_l = name.strip().lower()
        for hit in self.docs:
            doc_id = hit.chunk.doc_id.lower()
            at = locator(hit) or ""
            here = at.endswith(wanted) if wanted.startswith("§") else at == wanted or at.startswith(f"{wanted} §")
            if (name_l == doc_id or doc_id.endswith(name_l) or name_l in doc_id) and here:
                marker = doc_marker(hit)
                self.cited.setdefault(marker, hit)
                return marker
        self._drop(written, "unknown_source")
        return None

    def bracket(self, match: re.Match[str]) -> str:
        content = match.group(1)
        items = [i.strip() for i in re.split(r"[;,]\s*(?=R\d|[A-Za-z])|\]\s*\[", content) if i.strip()]
        # A citation names a number (R42, p. 3) or a page label, which may be roman (p. iv).
        if marker := self.whole_doc(content):
            return f"[{marker}]"
        if _GUIDELINE_TAG.match(content.strip()):  # "[Lineamiento IV]" looks like a citation; it is not one
            self._drop(content.strip(), "unknown_source")
            return ""
        looks_like_citation = bool(re.search(r"\d", content) or _DOC_ITEM.match(content.strip()))
        if not looks_like_citation:
            return match.group(0)
        kept = []
        for item in items:
            item = PAGE_REF.sub("", item).strip(" ,;")
            if m := _REC_ITEM.match(item):
                marker = self.rec(int(m.group(1)), item)
            elif m := _DOC_ITEM.match(item):
                marker = self.doc(m.group(1), ("§" if m.group(2) == "§" else "") + m.group(3), item)
            else:
                self._drop(item, "unknown_source")
                marker = None
            if marker:
                kept.append(f"[{marker}]")
        return "".join(kept)


def verify(text: str, given: Sequence[Hit], existing: set[int], *, generated: bool = True) -> Verified:
    """Keep only citations of sources that exist and were given; report the rest.

    `generated` text (a model's) also loses every page claim; text composed from metadata keeps its own.
    """
    checker = _Checker(given, existing)
    text = PAGE_REF.sub("", text)
    if generated:  # outside [markers]: a doc marker's own "p. 3" is checked, not stripped
        text = "".join(part if part.startswith("[") else _BARE_PAGES.sub("", part)
                       for part in re.split(r"(\[[^\[\]\n]*\])", text))
    text = BRACKET.sub(checker.bracket, text)
    # Prose mentions ("la recomendación 999", "R999") of sources that do not verify: drop the sentence.
    # A valid one without a marker gets its canonical marker at the end of the sentence.
    kept_sentences = []
    for sentence in _split_keep(text):
        claimed = _QUOTED.sub("", sentence)  # a «quotation» is a source's own words, not a claim about sources
        numbers = [int(a or b) for a, b in _PROSE_REC.findall(claimed)]
        markers = [checker.rec(n, f"R{n}") for n in numbers]
        if None in markers:
            continue
        missing = "".join(f"[{m}]" for m in dict.fromkeys(markers) if f"[{m}]" not in sentence)
        if missing:
            body = sentence.rstrip()
            end = len(body.rstrip(".!?"))
            sentence = f"{body[:end]} {missing}{body[end:]}{sentence[len(body):]}"
        kept_sentences.append(sentence)
    text = _tidy("".join(_drop_fragment(kept_sentences)))
    cited_order = sorted(checker.cited, key=lambda m: _first_pos(text, m))
    citations = [citation_for(checker.cited[m]) for m in cited_order if _first_pos(text, m) < len(text)]
    return Verified(text=text, citations=citations, dropped=checker.dropped, uncited=uncited_sentences(text))


def _split_keep(text: str) -> list[str]:
    parts, last = [], 0
    for m in SENTENCE_BREAK.finditer(text):
        parts.append(text[last : m.end()])
        last = m.end()
    parts.append(text[last:])
    return [p for p in parts if p]


def _drop_fragment(sentences: list[str]) -> list[str]:
    """Drop a last sentence cut off mid-way (the model hit its token limit)."""
    if len(sentences) > 1 and not re.search(r"[.!?»)\]:]\s*$", sentences[-1]):
        return sentences[:-1]
    return sentences


def _first_pos(text: str, marker: str) -> int:
    for needle in (f"[{marker}]", marker):
        pos = text.find(needle)
        if pos >= 0:
            return pos
    return len(text)


def _tidy(text: str) -> str:
    # A small model stuck in a loop writes "[R99] [R98] [R99] [R98] … [R9": each marker once, no stub.
    text = _MARKER_RUN.sub(lambda m: "".join(dict.fromkeys(b.group(0) for b in BRACKET.finditer(m.group(0)))), text)
    text = re.sub("(" + BRACKET.pattern + r")\]+", r"\1", text)
    text = re.sub(r"[ \t]*\[[^\[\]\n]*$", "", text)
    text = re.sub(r"[ \t]+([.,;:])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    return text.strip()


def uncited_sentences(text: str) -> list[str]:
    """Sentences that make a claim (6+ words, not a lead-in ending in ':') with no citation marker.

    A bullet or a «quotation» line is one unit: the citation at its end covers the whole passage.
    """
    out = []
    units: list[str] = []
    for line in text.splitlines():
        quoted = line.lstrip().startswith(("- ", "* ", "• ", "«"))
        units += [line] if quoted else SENTENCE_BREAK.split(line)
    for sentence in units:
        s = sentence.strip().lstrip("-*• ").strip()
        if len(s.split()) >= 6 and not s.endswith(":") and not BRACKET.search(s) and not _PROSE_REC.search(s):
            out.append(s)
    return out
