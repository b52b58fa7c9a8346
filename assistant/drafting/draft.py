"""The drafting facade: a structured strategy section whose every paragraph cites verified sources.

Each section has its own retrieval plan (the topic; governance; evaluation), so a draft on clusters
also cites the governance and evaluation recommendations that apply. The region is never used to
retrieve from the corpus, which says nothing region-specific; when the user's documents name the
region, the context quotes what they say on the topic, cited to their own pages
(`assistant.drafting.region_evidence`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from assistant import messages
from assistant.answering import grounded, translations
from assistant.answering.answer import in_scope, resolve_backend
from assistant.answering.citations import citation_for, source_marker, verify
from assistant.answering.extractive import quote, slide_points
from assistant.answering.support import get_gate
from assistant.drafting.draft_template import DraftTemplate, SectionSpec, load_template
from assistant.drafting.region_evidence import evidence, evidence_items, region_name
from assistant.errors import UserInputError, facade
from assistant.language import detect_language
from assistant.llm.errors import ModelStoppedError
from assistant.llm.gate import ModelBusyError
from assistant.models import (
    Draft,
    DraftParagraph,
    DraftRequest,
    DraftSection,
    SentenceCheck,
)
from assistant.services import get_registry, get_retriever
from assistant.settings import Settings
from vectorstore.models import Hit

if TYPE_CHECKING:  # a chat model is built only for a model backend: LangChain loads then (about 1 s)
    from langchain_core.language_models.chat_models import BaseChatModel

GOVERNANCE_GUIDELINES = ["III", "V", "VII", "IX"]
EVALUATION_GUIDELINES = ["X"]
SectionCallback = Callable[[int, int, str], None]


def plan(request: DraftRequest, template: DraftTemplate, retriever: Any,
         settings: Settings) -> tuple[dict[str, list[Hit]], bool]:
    """Sources per section (no source twice), and whether the corpus speaks to the topic specifically."""
    docs = {"doc_id": {"$in": request.docs}} if request.docs else {}
    kinds = {r.doc_id: r.kind for r in retriever.store.documents()} if request.docs else {}
    booklet = not request.docs or any(kinds.get(d) == "recommendations" for d in request.docs)
    slides = not request.docs or any(kinds.get(d) == "slides" for d in request.docs)
    # Limited to the user's own documents, every section draws on them; the guideline plans need the booklet.
    recs: dict[str, Any] = ({"kind": "recommendation"} if booklet else {}) | docs
    topic_where = ({"guideline": {"$in": request.guidelines}} | recs) if request.guidelines and booklet else recs
    fill = {"region": request.region, "topic": request.topic}
    spec = {s.key: s for s in template.sections}
    topic_hits, evidence = retriever.retrieve(spec["goals"].query.format(**fill), 8, where=topic_where or None)
    # The best source frames the section; the next two are its goals, the next three its lines of action.
    context, goals, actions = topic_hits[:1], topic_hits[1:3] or topic_hits[:1], topic_hits[3:6]
    used = {h.id for h in context + goals + actions}
    # governance and monitoring keep three each that those sections did not use: a draft on evaluation
    # itself took every evaluation source first and left its monitoring empty
    gov, _ = retriever.retrieve(spec["governance"].query.format(**fill), 3 + len(used),
                                where=({"guideline": {"$in": GOVERNANCE_GUIDELINES}} if booklet else {}) | recs or None)
    slide, _ = (retriever.retrieve("metas de gestión: cómo hacerlo; coordinar, crear capacidades locales", 1,
                                   where={"kind": "slide"} | docs) if slides else ([], None))
    mon, _ = retriever.retrieve(spec["monitoring"].query.format(**fill), 3 + len(used),
                                where=({"guideline": {"$in": EVALUATION_GUIDELINES}} if booklet else {}) | recs or None)
    return {"context": context, "goals": goals, "actions": actions,
            "governance": [h for h in gov if h.id not in used][:3] + slide,
            "monitoring": [h for h in mon if h.id not in used][:3]}, not in_scope(evidence, settings)


@facade
def draft(request: DraftRequest, *, settings: Settings | None = None, llm: BaseChatModel | None = None,
          retriever: Any = None, backend: str | None = None, on_section: SectionCallback | None = None,
          on_token: Callable[[str], None] | None = None) -> Draft:
    """Draft a strategy section for a region and topic on the configured backend.

    Every goal, line of action, governance point and follow-up item comes from one source: with a
    model, it restates that source as an action for the region and the support gate checks it;
    without one, the source is quoted. Headings and lead-ins come from the template, never the model.
    """
    settings = settings or Settings()
    t0 = time.perf_counter()
    lang = request.language or detect_language(request.topic)
    template = load_template(lang)
    request, cut = _bounded_outline(request, len(template.sections), settings)
    if request.docs:
        from assistant.answering.answer import doc_filter

        doc_filter(request.docs, settings)  # an unknown document is named before any work
    retriever = retriever or get_retriever(settings)
    plans, generic = plan(request, template, retriever, settings)
    regional = evidence(retriever, retriever.store, request.region, request.topic, request.docs)
    model, backend_name, notice = resolve_backend(llm, backend or settings.llm.backend, settings, lang)
    notices = [notice] if notice else []
    if cut:
        notices.append(messages.OUTLINE_CUT[lang].format(chars=settings.limits.outline_chars))
    existing = set(get_registry(settings).hits)
    gate = get_gate(settings)
    sections, dropped, cited_hits, checks, written = [], [], {}, [], []
    for index, spec in enumerate(template.sections):
        if on_section:
            on_section(index, len(template.sections), spec.heading)
        hits = plans[spec.key]
        items, section_checks = [], []
        for hit in hits:
            item = None
            if model is not None:
                try:
                    item, judged = grounded.draft_item(model, gate, lang, hit, region=request.region,
                                                       topic=request.topic, settings=settings, written=written,
                                                       on_token=on_token)
                    section_checks += judged
                except ModelBusyError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a model failure falls back, never crashes
                    reason = messages.MODEL_STOPPED[lang] if isinstance(exc, ModelStoppedError) else type(exc).__name__
                    notices.append(messages.FALLBACK[lang].format(backend=backend_name, reason=reason))
                    model = None
            items.append(item or _quoted_item(lang, spec.key, hit))
        shown = regional if spec.key == "context" else []
        text = _layout(lang, spec, request, generic, items, evidence_items(shown, request.topic, source_marker, lang))
        hits = [*hits, *shown]
        checked = verify(text, hits, existing, generated=False)
        dropped += checked.dropped
        for c in checked.citations:
            cited_hits.setdefault(c.marker, next(h for h in hits if source_marker(h) == c.marker))
        heading = (request.outline[index] if len(request.outline) == len(template.sections)
                   and request.outline[index].strip() else spec.heading)
        checks += section_checks
        sections.append(DraftSection(key=spec.key, heading=heading.format(region=request.region,
                                                                         topic=request.topic),
                                     paragraphs=paragraphs_of(checked.text, section_checks)))
    shown_text = "\n".join(p.text for sec in sections for p in sec.paragraphs)
    references = translations.mark([citation_for(h) for h in cited_hits.values()], shown_text, lang)
    return Draft(title=template.title.format(region=request.region, topic=request.topic), region=request.region,
                 topic=request.topic, language=lang, guidelines=request.guidelines, docs=request.docs, sections=sections,
                 references=references, references_heading=template.references_heading, flag_text=template.flag,
                 backend=backend_name if model is not None else "extractive", generic=generic, notices=notices,
                 dropped_citations=dropped, checks=checks,
                 timings_ms={"total": round((time.perf_counter() - t0) * 1000, 1)})


def _bounded_outline(request: DraftRequest, sections: int, settings: Settings) -> tuple[DraftRequest, bool]:
    """The request with its edited headings checked: one per section, each within the heading limit."""
    if not request.outline:
        return request, False
    if len(request.outline) != sections:
        raise UserInputError(f"the outline has {len(request.outline)} headings; the draft has {sections} sections")
    limit = settings.limits.outline_chars
    cut = any(len(h) > limit for h in request.outline)
    return request.model_copy(update={"outline": [h[:limit] for h in request.outline]}), cut


def paragraphs_of(text: str, checks: Sequence[SentenceCheck]) -> list[DraftParagraph]:
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        block = block.strip()
        if block:
            markers = list(dict.fromkeys(re.findall(r"\[([^\[\]]+)\]", block)))
            unsupported = [c.unsupported() for c in checks if not c.ok and c.marker in markers]
            out.append(DraftParagraph(text=block, citations=markers, flagged=not markers, unsupported=unsupported))
    return out


def _quoted_item(lang: str, key: str, hit: Hit) -> str:
    """A source quoted as a draft item (the extractive backend, or a model that failed); in English, a
    recommendation's English rendering marked as a translation, other sources' Spanish in guillemets."""
    marker = source_marker(hit)
    if english := translations.rendering(hit, lang):
        return f"{translations.translated(english, lang)} [{marker}]."
    if hit.chunk.kind == "slide":
        text = quote("; ".join(slide_points(hit.chunk.text)), 400)
        return f"{messages.SLIDE_LEAD[lang]}: {translations.shown(text, lang)} [{marker}]."  # type: ignore[index]
    if key == "context":
        return f"«{quote(hit.chunk.text, 260)}» [{marker}]."
    text = quote(hit.chunk.text, 400 if key in ('goals', 'actions') else 260)
    return f"{translations.shown(text, lang)} [{marker}]."


def _layout(lang: str, spec: SectionSpec, request: DraftRequest, generic: bool, items: Sequence[str],
            regional: Sequence[str] = ()) -> str:
    """A section's text: the template's lead-in, then one item per source; the context also quotes what
    the region's own documents say (`assistant.drafting.region_evidence`)."""
    fill = {"region": request.region, "topic": request.topic}
    intro = spec.intro.format(**fill)
    if spec.key == "context":
        body = " ".join(_after_colon(i) for i in items)
        if regional:
            lead = (messages.DRAFT_GENERIC[lang].format(topic=request.topic) if generic  # type: ignore[index]
                    else messages.REGION_CONTEXT[lang].format(**fill))  # type: ignore[index]
            evidence_lead = messages.REGION_EVIDENCE_LEAD[lang].format(**fill)  # type: ignore[index]
            return (f"{lead} {evidence_lead}\n" + "\n".join(regional)
                    + f"\n\n{messages.ECLAC_RECOMMENDS[lang]} {body}").strip()  # type: ignore[index]
        lead = messages.DRAFT_GENERIC[lang].format(topic=request.topic) if generic else intro  # type: ignore[index]
        return f"{lead} {messages.CONTEXT_LEAD[lang]} {body}".strip()  # type: ignore[index]
    if spec.key in ("goals", "actions"):
        label = messages.GOAL if spec.key == "goals" else messages.ACTION
        numbered = [f"{label[lang].format(n=i)}: {item}" for i, item in enumerate(items, 1)]  # type: ignore[index]
        if spec.key == "actions":
            return "\n\n".join(([intro] if intro else []) + numbered)
        return f"{intro}\n" + "\n".join(f"- {i}" for i in numbered)
    return f"{intro}\n" + "\n".join(f"- {i}" for i in items)


def _after_colon(item: str) -> str:
    """'Utilizar las…' -> 'utilizar las…' after 'la CEPAL recomienda:' (not an acronym or a quote)."""
    return item[0].lower() + item[1:] if len(item) > 1 and item[0].isupper() and item[1].islower() else item


_REQUEST = re.compile(r"\b(?:sobre|on|about)\s+(?P<topic>.+?)\s+(?:para|for)\s+(?P<region>.+?)\s*[.?]?$",
                      re.IGNORECASE)
_REQUEST_REV = re.compile(r"\b(?:para|for)\s+(?:la estrategia de\s+)?(?P<region>.+?)\s+(?:sobre|on|about)\s+"
                          r"(?P<topic>.+?)\s*[.?]?$", re.IGNORECASE)


ANY_REGION = {"es": "la región", "en": "the region"}  # what a request that names no region drafts for


def parse_request(question: str) -> DraftRequest:
    """A draft request from free text ("Redacta una sección sobre talento para Antofagasta").

    The region follows "para/for", or is a known place at the end of the topic ("…de las empresas de
    Coquimbo", "…of Los Lagos"); a request that names none is for "la región" (`ANY_REGION`).
    """
    lang = detect_language(question)
    m = _REQUEST.search(question) or _REQUEST_REV.search(question)
    if not m:
        about = re.search(r"\b(?:sobre|on|about)\s+(?P<topic>.+?)\s*[.?]?$", question, re.IGNORECASE)
        topic = about.group("topic") if about else question[:300]
        if place := _trailing_place(topic):
            return DraftRequest(region=topic[place[0]:].strip(), topic=topic[: place[1]].strip(" ,"), language=lang)
        return DraftRequest(region=ANY_REGION[lang], topic=topic[:300], language=lang)
    topic = re.sub(r"^(?:la|el|los|las|the)\s+", "", m.group("topic"), flags=re.IGNORECASE).strip()
    region = region_name(m.group("region"))
    if inner := re.match(r"(?P<who>.+?)\s+(?:in|en)\s+(?P<place>.+)$", region):  # "for firms in Biobío"
        connector = "para" if lang == "es" else "for"
        topic, region = f"{topic} {connector} {inner.group('who')}", inner.group("place")
    return DraftRequest(region=region, topic=topic, language=lang)


def _trailing_place(text: str) -> tuple[int, int] | None:
    """(start of a known place ending `text`, start of the connector before it), if there is one."""
    from assistant.answering.novelty import PLACES
    from vectorstore.terms import fold

    folded = fold(text)
    for place in sorted(PLACES, key=len, reverse=True):
        if m := re.search(rf"\s+(?:de|del|de la|of|in|en)\s+(?:la región de\s+|the\s+)?({re.escape(place)})\s*$", folded):
            return m.start(1), m.start()
    return None

