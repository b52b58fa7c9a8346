"""The drafting facade: a structured strategy section whose every paragraph cites verified sources.

Each section has its own retrieval plan (the topic; governance; evaluation), so a draft on clusters
also cites the governance and evaluation recommendations that apply. The region is never used to
retrieve: the corpus says nothing region-specific, so the region only places the action.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant import messages
from assistant.answer import context_units, in_scope, render_sources, resolve_backend
from assistant.citations import citation_for, source_marker, verify
from assistant.draft_template import DraftTemplate, SectionSpec, load_template
from assistant.extractive import quote
from assistant.language import detect_language
from assistant.llm.gate import ModelBusyError
from assistant.models import Answer, Draft, DraftParagraph, DraftRequest, DraftSection, Retrieved
from assistant.prompts import load_prompt
from assistant.services import get_registry, get_retriever
from assistant.settings import Settings
from vectorstore.models import Hit

GOVERNANCE_GUIDELINES = ["III", "V", "VII", "IX"]
EVALUATION_GUIDELINES = ["X"]
SectionCallback = Callable[[int, int, str], None]


def plan(request: DraftRequest, template: DraftTemplate, retriever: Any,
         settings: Settings) -> tuple[dict[str, list[Hit]], bool]:
    """Sources per section, and whether the corpus speaks to the topic specifically."""
    recs: dict[str, Any] = {"kind": "recommendation"}
    topic_where = ({"guideline": {"$in": request.guidelines}} | recs) if request.guidelines else recs
    fill = {"region": request.region, "topic": request.topic}
    spec = {s.key: s for s in template.sections}
    topic_hits, evidence = retriever.retrieve(spec["goals"].query.format(**fill), 8, where=topic_where)
    gov, _ = retriever.retrieve(spec["governance"].query.format(**fill), 3,
                                where={"guideline": {"$in": GOVERNANCE_GUIDELINES}, **recs})
    slide, _ = retriever.retrieve("metas de gestión: cómo hacerlo; coordinar, crear capacidades locales", 1,
                                  where={"kind": "slide"})
    mon, _ = retriever.retrieve(spec["monitoring"].query.format(**fill), 3,
                                where={"guideline": {"$in": EVALUATION_GUIDELINES}, **recs})
    goals, actions = topic_hits[:2], topic_hits[2:6] or topic_hits[:2]
    return {"context": topic_hits[:1], "goals": goals, "actions": actions, "governance": gov + slide,
            "monitoring": mon}, not in_scope(evidence, settings)


def draft(request: DraftRequest, *, settings: Settings | None = None, llm: BaseChatModel | None = None,
          retriever: Any = None, backend: str | None = None, on_section: SectionCallback | None = None,
          on_token: Callable[[str], None] | None = None) -> Draft:
    """Draft a strategy section for a region and topic on the configured backend."""
    settings = settings or Settings()
    t0 = time.perf_counter()
    lang = request.language or detect_language(request.topic)
    template = load_template(lang)
    plans, generic = plan(request, template, retriever or get_retriever(settings), settings)
    model, backend_name, notice = resolve_backend(llm, backend or settings.llm.backend, settings, lang)
    notices = [notice] if notice else []
    existing = set(get_registry(settings).hits)
    sections, dropped, cited_hits = [], [], {}
    for index, spec in enumerate(template.sections):
        if on_section:
            on_section(index, len(template.sections), spec.heading)
        hits = plans[spec.key]
        text = None
        if model is not None and hits:
            try:
                text = _write_section(model, lang, spec, request, hits, settings, on_token)
            except ModelBusyError:
                raise
            except Exception as exc:  # noqa: BLE001 - a model failure falls back, never crashes
                notices.append(messages.FALLBACK[lang].format(backend=backend_name, reason=type(exc).__name__))
                model = None
        checked = verify(text, hits, existing) if text else None
        if checked is None or not checked.citations:
            checked = verify(_compose_section(lang, spec, request, hits, generic), hits, existing, generated=False)
        dropped += checked.dropped
        for c in checked.citations:
            cited_hits.setdefault(c.marker, next(h for h in hits if source_marker(h) == c.marker))
        heading = (request.outline[index] if len(request.outline) == len(template.sections)
                   and request.outline[index].strip() else spec.heading)
        sections.append(DraftSection(key=spec.key, heading=heading.format(region=request.region,
                                                                         topic=request.topic),
                                     paragraphs=_paragraphs(checked.text)))
    references = [citation_for(h) for h in cited_hits.values()]
    return Draft(title=template.title.format(region=request.region, topic=request.topic), region=request.region,
                 topic=request.topic, language=lang, guidelines=request.guidelines, sections=sections,
                 references=references, references_heading=template.references_heading, flag_text=template.flag,
                 backend=backend_name if model is not None else "extractive", generic=generic, notices=notices,
                 dropped_citations=dropped, timings_ms={"total": round((time.perf_counter() - t0) * 1000, 1)})


def _paragraphs(text: str) -> list[DraftParagraph]:
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        block = block.strip()
        if block:
            markers = list(dict.fromkeys(re.findall(r"\[([^\[\]]+)\]", block)))
            out.append(DraftParagraph(text=block, citations=markers, flagged=not markers))
    return out


def _compose_section(lang: str, spec: SectionSpec, request: DraftRequest, hits: Sequence[Hit],
                     generic: bool) -> str:
    """The extractive section: the template's lead-in, then the sources, each cited."""
    fill = {"region": request.region, "topic": request.topic}
    intro = spec.intro.format(**fill)

    def cite(hit: Hit, limit: int = 260) -> str:
        return f"{quote(hit.chunk.text, limit)} [{source_marker(hit)}]."

    if spec.key == "context":
        lead = messages.DRAFT_GENERIC[lang].format(topic=request.topic) if generic else intro  # type: ignore[index]
        body = messages.CONTEXT_LEAD[lang] + " " + " ".join(  # type: ignore[index]
            f"«{quote(h.chunk.text, 260)}» [{source_marker(h)}]." for h in hits)
        return f"{lead} {body}".strip()
    if spec.key in ("goals", "actions"):
        label = messages.GOAL if spec.key == "goals" else messages.ACTION
        items = [f"{label[lang].format(n=i)}: {cite(h, 400)}" for i, h in enumerate(hits, 1)]  # type: ignore[index]
        return "\n\n".join(([intro] if intro else []) + items) if spec.key == "actions" else \
            f"{intro}\n" + "\n".join(f"- {i}" for i in items)
    lines = []
    for hit in hits:
        if hit.chunk.kind == "slide":
            text = quote("; ".join(slide_points(hit.chunk.text)), 400)
            lines.append(f"- {messages.SLIDE_LEAD[lang]}: {text} [{source_marker(hit)}].")  # type: ignore[index]
        else:
            lines.append(f"- {cite(hit)}")
    return f"{intro}\n" + "\n".join(lines)


def slide_points(text: str) -> list[str]:
    """A slide's bullet points, each joined across its wrapped lines (the whole text if none)."""
    points: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("•", "-", "\u2022")):
            points.append(stripped.lstrip("•-\u2022 ").strip())
        elif points and stripped and stripped[0].islower():
            points[-1] += " " + stripped
    return points or [" ".join(text.split())]


def _write_section(model: BaseChatModel, lang: str, spec: SectionSpec, request: DraftRequest, hits: Sequence[Hit],
                   settings: Settings, on_token: Callable[[str], None] | None) -> str:
    given = context_units(list(hits), settings.llm.context_tokens)
    prompt = load_prompt("draft_section", lang)  # type: ignore[arg-type]
    system, user = prompt.render(sources=render_sources(given, settings.llm.context_tokens),
                                 heading=spec.heading.format(region=request.region, topic=request.topic),
                                 region=request.region, topic=request.topic)
    text = ""
    for chunk in model.stream([SystemMessage(system), HumanMessage(user)]):
        token = str(chunk.content)
        text += token
        if on_token:
            on_token(token)
    return text


_REQUEST = re.compile(r"\b(?:sobre|on|about)\s+(?P<topic>.+?)\s+(?:para|for)\s+(?:la estrategia de\s+|the\s+)?"
                      r"(?P<region>.+?)(?:\s+strategy)?\s*[.?]?$", re.IGNORECASE)
_REQUEST_REV = re.compile(r"\b(?:para|for)\s+(?:la estrategia de\s+)?(?P<region>.+?)\s+(?:sobre|on|about)\s+"
                          r"(?P<topic>.+?)\s*[.?]?$", re.IGNORECASE)


def parse_request(question: str) -> DraftRequest:
    """A draft request from free text ("Redacta una sección sobre talento para Antofagasta")."""
    m = _REQUEST.search(question) or _REQUEST_REV.search(question)
    if not m:
        return DraftRequest(region="la región" if detect_language(question) == "es" else "the region",
                            topic=question[:300])
    topic = re.sub(r"^(?:la|el|los|las|the)\s+", "", m.group("topic"), flags=re.IGNORECASE).strip()
    region = m.group("region").strip()
    if inner := re.match(r"(?P<who>.+?)\s+(?:in|en)\s+(?P<place>.+)$", region):  # "for firms in Biobío"
        connector = "para" if detect_language(question) == "es" else "for"
        topic, region = f"{topic} {connector} {inner.group('who')}", inner.group("place")
    return DraftRequest(region=region, topic=topic, language=detect_language(question))


def draft_as_answer(question: str, *, settings: Settings | None = None) -> Answer:
    """A draft seen as an Answer (for evals): its Markdown, references as citations."""
    from assistant.export import to_markdown

    settings = settings or Settings()
    request = parse_request(question)
    result = draft(request, settings=settings)
    cited = {c.marker for c in result.references}
    retrieved = [Retrieved(doc_id=c.doc_id, recommendation=c.recommendation, page=c.page, score=1.0)
                 for c in result.references]
    return Answer(question=question, language=result.language, answer=to_markdown(result), backend=result.backend,
                  citations=result.references, retrieved=retrieved, timings_ms=result.timings_ms,
                  dropped_citations=result.dropped_citations, notices=result.notices,
                  lookup=f"draft:{len(cited)}")
