"""A whole regional strategy document: diagnosis, objectives, goals, policy mix, lines of action,
local capacities, governance and monitoring, with one reference list.

Built from three kinds of source, each cited where it is used:
- the region's own documents (those whose text names the region, `region_evidence`): the diagnosis
  quotes them, its indicator table holds their cells as printed, and every line of action is set
  against the strategy objective (e.g. "OE 1.1.1") it serves, when one shares its words;
- the slide deck (objectives, strategic and management goals, the policy typology, the eight critical
  aspects of local capacities), quoted;
- the booklet, through the section drafter (`assistant.drafting.draft`), once per topic: goals, lines
  of action, governance and follow-up, written by the model under the support gate or quoted.
No sentence about the region comes from a model: the region's facts are its documents' own words and
cells, so every figure shown is in the passage its marker opens. Fixed words (headings, lead-ins)
come from `prompts/document_<lang>.json`.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from assistant.answering import translations
from assistant.answering.citations import citation_for, source_marker, verify
from assistant.answering.extractive import passage, quote, slide_points
from assistant.drafting.draft import draft, paragraphs_of
from assistant.drafting.draft_template import CHAPTER_KEYS, DocumentTemplate, load_document_template
from assistant.drafting.policy_mix import PolicyClassifier
from assistant.drafting.region_evidence import (
    evidence,
    key_indicators,
    matched,
    region_documents,
    region_name,
    strategy_axes,
)
from assistant.errors import facade
from assistant.language import detect_language
from assistant.models import (
    Chapter,
    Citation,
    DocumentRequest,
    Draft,
    DraftParagraph,
    DraftRequest,
    DraftSection,
    DraftTable,
    StrategyDocument,
)
from assistant.services import get_registry, get_retriever
from assistant.settings import Settings
from vectorstore.models import Hit
from vectorstore.terms import fold

if TYPE_CHECKING:  # a chat model is built only for a model backend: LangChain loads then (about 1 s)
    from langchain_core.language_models.chat_models import BaseChatModel

ChapterCallback = Callable[[int, int, str], None]
_LINE_LABEL = re.compile(r"^(?:L[íi]nea de acci[óo]n|Line of action)\s*\d+:\s*", re.IGNORECASE)
_MARKERS = re.compile(r"\s*\[[^\[\]]+\]")
_CELL_MARKER = re.compile(r"\[([^\[\]]+)\]")


class _Sources:
    """What the document cites: every marker verified against the hits it was composed from."""

    def __init__(self, existing: set[int]) -> None:
        self.existing = existing
        self.references: dict[str, Citation] = {}
        self.dropped: list[Any] = []

    def paragraphs(self, text: str, hits: Sequence[Hit]) -> list[DraftParagraph]:
        checked = verify(text, hits, self.existing, generated=False)
        self.dropped += checked.dropped
        for c in checked.citations:
            hit = next(h for h in hits if source_marker(h) == c.marker)
            self.references.setdefault(c.marker, citation_for(hit))
        return paragraphs_of(checked.text, [])

    def table(self, caption: str, header: list[str], rows: list[tuple[list[str], list[Hit]]]) -> DraftTable:
        markers = []
        for _, hits in rows:
            for hit in hits:
                marker = source_marker(hit)
                self.references.setdefault(marker, citation_for(hit))
                markers.append(marker)
        markers += [m for cells, _ in rows for cell in cells for m in _CELL_MARKER.findall(cell)]
        return DraftTable(caption=caption, header=header, rows=[cells for cells, _ in rows],
                          citations=list(dict.fromkeys(markers)))

    def adopt(self, section_draft: Draft) -> None:
        for c in section_draft.references:
            self.references.setdefault(c.marker, c)


@facade
def redo_chapter(document: StrategyDocument, key: str, *, settings: Settings | None = None,
                 llm: BaseChatModel | None = None, retriever: Any = None, backend: str | None = None,
                 on_token: Callable[[str], None] | None = None) -> StrategyDocument:
    """The same document with one chapter written again (the others kept as they are)."""
    if key not in CHAPTER_KEYS:
        from assistant.errors import UserInputError

        raise UserInputError(f"unknown chapter {key!r} (one of {', '.join(CHAPTER_KEYS)})")
    request = DocumentRequest(region=document.region, topics=document.topics, language=document.language,
                              docs=document.docs)
    return draft_document(request, settings=settings, llm=llm, retriever=retriever, backend=backend,
                          on_token=on_token, previous=document, only=(key,))


@facade
def draft_document(request: DocumentRequest, *, settings: Settings | None = None, llm: BaseChatModel | None = None,
                   retriever: Any = None, backend: str | None = None, on_chapter: ChapterCallback | None = None,
                   on_ready: Callable[[Chapter], None] | None = None,
                   on_token: Callable[[str], None] | None = None, previous: StrategyDocument | None = None,
                   only: Sequence[str] = ()) -> StrategyDocument:
    """Draft a whole strategy document for a region; chapters are reported as they start and finish.

    With `previous` and `only`, just those chapters are written again and the rest of `previous` is kept.
    """
    settings = settings or Settings()
    t0 = time.perf_counter()
    region = region_name(request.region) or request.region
    lang = request.language or (detect_language(" ".join(request.topics)) if request.topics else "es")
    tpl = load_document_template(lang)
    if request.docs:
        from assistant.answering.answer import doc_filter

        doc_filter(request.docs, settings)  # an unknown document is named before any work
    retriever = retriever or get_retriever(settings)
    store = retriever.store
    ids = region_documents(store, region, request.docs)
    topics = request.topics or strategy_axes(store, ids) or tpl.default_topics
    sources = _Sources(set(get_registry(settings).hits))
    slides = _slides(store, request.docs)
    ctx = _Context(region=region, lang=lang, tpl=tpl, ids=ids, topics=topics, slides=slides, sources=sources,
                   retriever=retriever)
    drafts: list[Draft] = []

    def topic_drafts() -> list[Draft]:
        if not drafts:
            for topic in topics:
                drafts.append(draft(DraftRequest(region=region, topic=topic, language=lang, docs=request.docs),
                                    settings=settings, llm=llm, retriever=retriever, backend=backend,
                                    on_token=on_token))
                sources.adopt(drafts[-1])
        return drafts

    builders: dict[str, Callable[[], list[DraftSection]]] = {
        "diagnosis": ctx.diagnosis,
        "objectives": ctx.objectives,
        "goals": lambda: ctx.goals(topic_drafts()),
        "policy_mix": lambda: ctx.policy_mix(topic_drafts(), PolicyClassifier(store.embedder)),
        "actions": lambda: ctx.actions(topic_drafts()),
        "capacities": ctx.capacities,
        "governance": lambda: ctx.governance(topic_drafts()),
    }
    kept = {c.key: c for c in previous.chapters} if previous is not None and only else {}
    if kept:
        for c in previous.references:  # type: ignore[union-attr]
            sources.references.setdefault(c.marker, c)
    chapters, timings = [], {}
    for index, key in enumerate(CHAPTER_KEYS):
        if on_chapter:
            on_chapter(index, len(CHAPTER_KEYS), tpl.chapters[key])
        start = time.perf_counter()
        if key in kept and key not in only:
            chapters.append(kept[key])
            continue
        chapter = Chapter(key=key, heading=tpl.chapters[key], sections=builders[key]())
        timings[key] = round((time.perf_counter() - start) * 1000, 1)
        chapters.append(chapter)
        if on_ready:
            on_ready(chapter)
    notices = list(dict.fromkeys(n for d in drafts for n in d.notices))
    backend_used = next((d.backend for d in drafts if d.backend != "extractive"), "extractive")
    timings["total"] = round((time.perf_counter() - t0) * 1000, 1)
    shown = "\n".join([p.text for ch in chapters for sec in ch.sections for p in sec.paragraphs]
                      + [" ".join(row) for ch in chapters for sec in ch.sections for tb in sec.tables for row in tb.rows])
    return StrategyDocument(
        title=tpl.title.format(region=region), subtitle=tpl.subtitle, region=region, topics=topics, language=lang,
        docs=request.docs, region_docs=ids, chapters=chapters,
        references=translations.mark(_ordered(_cited(chapters, sources.references)), shown, lang),
        references_heading=tpl.references_heading, contents_heading=tpl.contents_heading, flag_text=tpl.flag,
        backend=backend_used, notices=notices,
        dropped_citations=sources.dropped + [d for dr in drafts for d in dr.dropped_citations],
        checks=[c for d in drafts for c in d.checks], timings_ms=timings)


def _cited(chapters: Sequence[Chapter], references: dict[str, Citation]) -> dict[str, Citation]:
    """The references the chapters cite (a chapter written again may no longer cite what it did)."""
    shown = {m for c in chapters for s in c.sections for p in s.paragraphs for m in _CELL_MARKER.findall(p.text)}
    shown |= {m for c in chapters for s in c.sections for t in s.tables for m in t.citations}
    return {m: c for m, c in references.items() if m in shown}


def _ordered(references: dict[str, Citation]) -> list[Citation]:
    """Recommendations by number, then the documents' passages by document and place."""
    return sorted(references.values(), key=lambda c: (c.recommendation is None, c.recommendation or 0, c.marker))


def _slides(store: Any, docs: Sequence[str]) -> dict[str, Hit]:
    """The deck's slides this document quotes, found by their titles: objectives, typology, goals, capacities."""
    where: dict[str, Any] = {"kind": "slide"}
    if docs:
        where = {"$and": [where, {"doc_id": {"$in": list(docs)}}]}
    found: dict[str, Hit] = {}
    anchors = {"objectives": "objetivos de la politica de desarrollo productivo", "typology": "politicas selectivas",
               "strategic": "metas estrategicas", "management": "metas de gestion",
               "capacities": "aspectos criticos"}
    for hit in sorted(store.get(where=where), key=lambda h: (h.chunk.doc_id, h.chunk.ordinal)):
        text = fold(hit.chunk.text)
        for key, anchor in anchors.items():
            if anchor in text and (key != "strategic" or "que hacer" in text) \
                    and (key != "management" or "como hacerlo" in text):
                found.setdefault(key, hit)
                if key == "capacities":
                    found[f"capacities-{hit.chunk.ordinal}"] = hit
    return found


def _quoted(hit: Hit, question: str, limit: int, lang: str = "es") -> str:
    """A passage quoted under its own heading: "Eje 1: Diversificación…: «La economía de…»" rather than
    the heading run into its text (the heading quoted too outside Spanish); a table's rows and a coded
    part's items as `passage` gives them."""
    chunk = hit.chunk
    lines = [line for line in chunk.text.splitlines() if line.strip()]
    head = chunk.section.rpartition(" › ")[2].strip() if chunk.section else ""
    listed = any(line.startswith("- ") for line in lines)
    if head and len(lines) > 1 and lines[0].strip() == head and not chunk.table and not listed:
        return f"{translations.shown(head, lang)}: «{quote(' '.join(lines[1:]), limit)}»"
    return f"«{passage(hit, question, limit)}»"


def _numbered(text: str) -> list[str]:
    """A slide's numbered points ("1. Estabilidad …"), each joined across its wrapped lines."""
    parts = re.split(r"(?m)^\s*\d+\.\s+", text)
    return [" ".join(p.split()) for p in parts[1:] if p.strip()]


def _after_title(text: str) -> str:
    """A slide's text after its upper-case title line ("METAS ESTRATÉGICAS – QUÉ HACER")."""
    lines = text.splitlines()
    last = max((i for i, line in enumerate(lines) if len(line.strip()) > 8 and line.strip().upper() == line.strip()
                and any(ch.isalpha() for ch in line)), default=-1)
    return " ".join(" ".join(lines[last + 1:]).split())


class _Context:
    """The chapters' builders, sharing the region, the template and the sources."""

    def __init__(self, *, region: str, lang: str, tpl: DocumentTemplate, ids: list[str], topics: list[str],
                 slides: dict[str, Hit], sources: _Sources, retriever: Any) -> None:
        self.region, self.lang, self.tpl, self.ids, self.topics = region, lang, tpl, ids, topics
        self.slides, self.sources, self.retriever = slides, sources, retriever

    @functools.cached_property
    def indicators(self) -> list[tuple[list[str], Hit]]:
        """The region's key indicators, read once for the diagnosis table and the monitoring baseline."""
        return key_indicators(self.retriever.store, self.ids, self.region)

    def _section(self, key: str, heading: str, text: str, hits: Sequence[Hit],
                 tables: Sequence[DraftTable] = ()) -> DraftSection:
        return DraftSection(key=key, heading=heading, paragraphs=self.sources.paragraphs(text, hits),
                            tables=list(tables))

    # 1. Diagnosis: the region's own words and figures, never a model's.
    def diagnosis(self) -> list[DraftSection]:
        tpl, region = self.tpl, self.region
        if not self.ids:
            return [self._section("structure", tpl.sections["structure"],
                                  tpl.say("no_region_docs", region=region), [])]
        store = self.retriever.store
        structure, _ = self.retriever.retrieve(f"diagnóstico estructura productiva brechas {region}", 6,
                                               where={"doc_id": {"$in": self.ids}})
        narrative = [h for h in structure if not h.chunk.table and h.chunk.kind == "text" and h.chunk.section][:3]
        lines = [tpl.say("structure_lead", region=region)]
        lines += [f"- {_quoted(h, 'estructura productiva brechas', 420, self.lang)} [{source_marker(h)}]." for h in narrative]
        hits, silent = list(narrative), []
        for topic in self.topics:
            quoted = {h.id for h in hits}  # a passage already quoted (for the structure, another topic) is not again
            found = [h for h in evidence(self.retriever, store, region, topic, self.ids) if h.id not in quoted]
            if not found:
                silent.append(topic)
                continue
            lines.append("")
            lines.append(tpl.say("topic_lead", topic=topic))
            lines += [f"- {_quoted(h, topic, 400, self.lang)} [{source_marker(h)}]." for h in found[:2]]
            hits += found[:2]
        if silent:
            lines += ["", tpl.say("nothing_on", topics="; ".join(silent))]
        indicators = self.indicators
        sections = [self._section("structure", tpl.sections["structure"], "\n".join(lines), hits)]
        if indicators:
            rows = [([*cells, f"[{source_marker(h)}]"], [h]) for cells, h in indicators]
            table = self.sources.table(tpl.say("indicators_caption", region=region),
                                       list(tpl.text["indicators_header"]), rows)  # type: ignore[arg-type]
            sections.append(DraftSection(key="indicators", heading=tpl.sections["indicators"], tables=[table]))
        else:
            sections.append(self._section("indicators", tpl.sections["indicators"], tpl.say("no_indicators"), []))
        return sections

    # 2. Objectives: the deck's three, each set against the region's own coded objectives.
    def objectives(self) -> list[DraftSection]:
        slide = self.slides.get("objectives")
        if slide is None:
            return [self._section("objectives", "", self.tpl.say("no_slides"), [])]
        marker = source_marker(slide)
        points = slide_points(slide.chunk.text)
        lines = [self.tpl.say("objectives_lead")] + [f"- «{quote(p, 240)}» [{marker}]." for p in points]
        hits, served = [slide], []
        for point in points:
            hit = matched(self.retriever, self.ids, point, coded_only=True)
            if hit is not None and hit.id not in {h.id for h in served}:
                served.append(hit)
        if served:
            lines += ["", self.tpl.say("objectives_region", region=self.region)]
            lines += [f"- «{quote(h.chunk.text.splitlines()[0], 260)}» [{source_marker(h)}]." for h in served]
            hits += served
        return [self._section("objectives", "", "\n".join(lines), hits)]

    # 3. Goals: the deck's what-to-do and how-to-do-it, then each topic's goals from the booklet.
    def goals(self, drafts: Sequence[Draft]) -> list[DraftSection]:
        tpl = self.tpl
        strategic, management = self.slides.get("strategic"), self.slides.get("management")
        out = []
        lines, hits = [], []
        if strategic is not None:
            lines.append(f"{tpl.say('strategic_lead')} «{quote(_after_title(strategic.chunk.text), 500)}» "
                         f"[{source_marker(strategic)}].")
            hits.append(strategic)
        section = self._section("strategic", tpl.sections["strategic"], "\n".join(lines), hits)
        for d in drafts:
            goals = next((s for s in d.sections if s.key == "goals"), None)
            if goals is not None:
                section.paragraphs.append(DraftParagraph(text=tpl.say("strategic_topic", topic=d.topic)))
                section.paragraphs += goals.paragraphs
        out.append(section)
        if management is not None:
            steps = slide_points(management.chunk.text)
            text = "\n".join([tpl.say("management_lead")]
                             + [f"- «{quote(s, 200)}» [{source_marker(management)}]." for s in steps])
            out.append(self._section("management", tpl.sections["management"], text, [management]))
        return out

    # 4. Policy mix: every line of action, classed by the deck's typology, with the objective it serves.
    def policy_mix(self, drafts: Sequence[Draft], classifier: PolicyClassifier) -> list[DraftSection]:
        tpl = self.tpl
        classes = tpl.text["classes"]
        assert isinstance(classes, dict)
        cited = {c.marker: c for d in drafts for c in d.references}
        registry_text = {m: c.text for m, c in cited.items()}
        rows: list[tuple[list[str], list[Hit]]] = []
        for d in drafts:
            for line, markers in _lines_of_action(d):
                # The table names each line in its recommendation's words (a model's restatement may add a
                # purpose its source does not give), and classes and places it by them.
                source = " ".join(registry_text[m] for m in markers if m in registry_text) or line
                kind = classifier.classify(source)
                code_hit = matched(self.retriever, self.ids, source, coded_only=True) if self.ids else None
                code = (f"{code_hit.chunk.code} [{source_marker(code_hit)}]" if code_hit is not None
                        else tpl.say("no_code"))
                english = " ".join(e for m in markers if m in cited and (e := translations.english_of(cited[m])))
                shown = (translations.translated(quote(english, 180), self.lang) if english and self.lang == "en"
                         else translations.shown(quote(source, 180), self.lang))
                markers_cell = ", ".join(f"[{m}]" for m in markers)
                rows.append(([d.topic, shown, classes[kind], markers_cell, code],
                             [code_hit] if code_hit is not None else []))
        for d in drafts:  # the recommendations cited in the table are already the drafts' references
            self.sources.adopt(d)
        typology = self.slides.get("typology")
        lead = tpl.say("mix_lead").rstrip(".") + (f" [{source_marker(typology)}]." if typology is not None else ".")
        table = self.sources.table(tpl.say("mix_caption"), list(tpl.text["mix_header"]), rows)  # type: ignore[arg-type]
        section = self._section("policy_mix", "", lead, [typology] if typology is not None else [], [table])
        return [section]

    # 5. Lines of action per topic: the section drafter's context (with the region's evidence) and actions.
    def actions(self, drafts: Sequence[Draft]) -> list[DraftSection]:
        out = []
        for d in drafts:
            parts = [s for s in d.sections if s.key in ("context", "actions")]
            out.append(DraftSection(key="topic", heading=d.topic[:1].upper() + d.topic[1:],
                                    paragraphs=[p for s in parts for p in s.paragraphs]))
        return out

    # 6. Local capacities: the deck's eight critical aspects, each with what the region's documents say.
    def capacities(self) -> list[DraftSection]:
        tpl = self.tpl
        slides = [h for k, h in sorted(self.slides.items()) if k.startswith("capacities-")]
        if not slides:
            return [self._section("capacities", "", tpl.say("no_slides"), [])]
        lines, hits = [tpl.say("capacities_lead", region=self.region)], list(slides)
        for slide in sorted(slides, key=lambda h: h.chunk.ordinal):
            marker = source_marker(slide)
            for point in _numbered(slide.chunk.text):
                hit = matched(self.retriever, self.ids, point) if self.ids else None
                aspect = quote(point, 200)
                if hit is None:
                    lines.append(f"- ☐ «{aspect}» [{marker}]: {tpl.say('capacity_none')}.")
                    continue
                lines.append(f"- ☑ «{aspect}» [{marker}]: «{passage(hit, point, 300)}» [{source_marker(hit)}].")
                hits.append(hit)
        return [self._section("capacities", "", "\n".join(lines), hits)]

    # 7. Governance and monitoring: the booklet's (per topic, once each) and what the region already has.
    def governance(self, drafts: Sequence[Draft]) -> list[DraftSection]:
        tpl = self.tpl
        out = []
        for key in ("governance", "monitoring"):
            section = DraftSection(key=key, heading=tpl.sections[key])
            seen = {source_marker(h) for h in self.slides.values()}  # chapter 3 quotes the deck's goals already
            kept, cited, unsupported = [], [], []
            for d in drafts:  # each topic's cited points, once each, under the document's own lead
                part = next((s for s in d.sections if s.key == key), None)
                for p in part.paragraphs if part else []:
                    lines = [line for line in p.text.splitlines() if "[" in line and _new_line(line, seen)]
                    kept += lines
                    cited += [m for m in p.citations if any(f"[{m}]" in line for line in lines)]
                    unsupported += [u for u in p.unsupported if any(u.text in line for line in lines)]
            if kept:
                lead = tpl.say(f"{key}_lead", region=self.region)
                section.paragraphs.append(DraftParagraph(text="\n".join([lead, *kept]), citations=list(dict.fromkeys(cited)),
                                                         unsupported=unsupported))
            if key == "governance" and self.ids:
                found = [h for h in evidence(self.retriever, self.retriever.store, self.region,
                                             "gobernanza articulación público-privada coordinación", self.ids)
                         if not h.chunk.table]
                if found:
                    text = "\n".join([tpl.say("governance_region", region=self.region)]
                                     + [f"- «{passage(h, 'gobernanza', 300)}» [{source_marker(h)}]." for h in found])
                    section.paragraphs += self.sources.paragraphs(text, found)
            if key == "monitoring" and self.ids:
                indicators = self.indicators
                if indicators:
                    text = "\n".join([tpl.say("measured_lead", region=self.region)]
                                     + [f"- {translations.shown(cells[0], self.lang)} ({cells[3]}) [{source_marker(h)}]."
                                        for cells, h in indicators])
                    section.paragraphs += self.sources.paragraphs(text, [h for _, h in indicators])
            out.append(section)
        return out


def _new_line(line: str, seen: set[str]) -> bool:
    """Whether a line adds to what the chapter already holds: an intro once, a cited point once."""
    markers = tuple(_CELL_MARKER.findall(line))
    key = "|".join(markers) if markers else line.strip()
    if key in seen:
        return False
    seen.add(key)
    return True


def _lines_of_action(d: Draft) -> list[tuple[str, list[str]]]:
    """A section draft's lines of action: (text without its label and markers, the markers it cites)."""
    part = next((s for s in d.sections if s.key == "actions"), None)
    out = []
    for p in part.paragraphs if part else []:
        if not p.citations or not _LINE_LABEL.match(p.text):
            continue
        out.append((_MARKERS.sub("", _LINE_LABEL.sub("", p.text)).strip().rstrip("."), list(p.citations)))
    return out
