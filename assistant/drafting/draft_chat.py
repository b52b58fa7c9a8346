"""Drafting from the conversation: a message that asks for a section runs the draft facade.

"Redacta una sección sobre iniciativas clúster para Biobío" or "Draft a section on talent for
Antofagasta" becomes a `DraftRequest` (`assistant.drafting.draft.parse_request`). A follow-up to a draft
changes that draft rather than starting over:
- "hazla más breve", "shorter": the same verified text, with the first points of each part kept
  (no new generation, so nothing new to check);
- "en inglés", "in Spanish", "tradúcela": the same request in the other language;
- "agrega la parte de gobernanza", "add the governance part": the same request, its topic widened.
"Redacta una estrategia de fomento productivo para Los Arrayanes" asks for a whole document
(`assistant.drafting.document`). A request that names no region is asked which one; a request for another kind of writing ("Escribe
una carta al ministro…") gets one line saying what can be drafted. Anything else is an ordinary question. The result is an `Answer` whose `draft` holds the section, so
the chat, saved sessions and `ask` show the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from assistant import messages
from assistant.drafting.draft import ANY_REGION, SectionCallback, draft, parse_request
from assistant.drafting.region_evidence import region_name
from assistant.errors import facade
from assistant.language import detect_language
from assistant.models import (
    Answer,
    DocumentRequest,
    Draft,
    DraftParagraph,
    DraftRequest,
    DraftSection,
    Retrieved,
    StrategyDocument,
)
from assistant.settings import Settings

if TYPE_CHECKING:  # a chat model is built only for a model backend: LangChain loads then (about 1 s)
    from langchain_core.language_models.chat_models import BaseChatModel

_ASK = re.compile(r"^\W*(?:por favor,?\s*|please,?\s*|¿?(?:puedes|podrías|podria|can you|could you)\s+)?"
                  r"(?:redact[ae]r?|escrib[ae]r?|elabor[ae]r?|prepar[ae]r?|draft|write|prepare)\b"
                  r".{0,80}?\b(?:secci[oó]n|apartado|cap[ií]tulo|section|chapter)\b", re.IGNORECASE)
_SHORTER = re.compile(r"\b(?:m[aá]s\s+(?:breve|corta|corto|concis[ao]|resumid[ao])|ac[oó]rta(?:la|lo)|res[uú]me(?:la|lo)"
                      r"|shorter|more\s+concise|shorten|make\s+it\s+brief|briefer)\b", re.IGNORECASE)
_TO_EN = re.compile(r"\b(?:en|in|into|to)\s+(?:ingl[eé]s|english)\b", re.IGNORECASE)
_TO_ES = re.compile(r"\b(?:en|in|into|to)\s+(?:espa[nñ]ol|castellano|spanish)\b", re.IGNORECASE)
_TRANSLATE = re.compile(r"^\W*(?:trad[uú]c[ea](?:la|lo)?|translate(?:\s+it)?)\W*$", re.IGNORECASE)
_ADD = re.compile(r"^\W*(?:agrega|añade|agregue|añada|incluye|incluya|suma|add|include)\s+"
                  r"(?:(?:la|el|una|un|the|a|an|some)\s+)?(?:(?:parte|secci[oó]n|apartado|part|section|bit)\s+)?"
                  r"(?:(?:de|del|sobre|on|about|of)\s+)?(?:la\s+|el\s+|the\s+)?(?P<what>.+?)"
                  r"(?:\s+(?:part|section|bit|parte))?\W*$", re.IGNORECASE)
_OTHER = re.compile(r"^\W*(?:por favor,?\s*|please,?\s*|¿?(?:puedes|podrías|podria|can you|could you)\s+)?"
                    r"(?:redact[ae]r?|escrib[ae]r?|elabor[ae]r?|prepar[ae]r?|draft|write|prepare|compose)(?:me)?\s+"
                    r"(?:(?:una?|el|la|an?|the|me\s+una?|me\s+an?)\s+)?(?P<what>carta|correo(?: electr[óo]nico)?|e-?mail|"
                    r"mensaje|oficio|memor[áa]ndum|memo|poema|discurso|nota de prensa|comunicado|tweet|tuit|"
                    r"letter|message|poem|speech|press release|post)\b", re.IGNORECASE)
_DOCUMENT = re.compile(r"^\W*(?:por favor,?\s*|please,?\s*|¿?(?:puedes|podrías|podria|can you|could you)\s+)?"
                       r"(?:redact[ae]r?|escrib[ae]r?|elabor[ae]r?|prepar[ae]r?|draft|write|prepare)(?:me)?\s+"
                       r"(?:(?:una?|el|la|an?|the|a\s+whole|a\s+full|una\s+nueva)\s+)?(?:documento\s+(?:completo\s+)?de\s+)?"
                       r"(?:(?!secci|section|apartado|cap[ií]tul|chapter|carta|letter)[\w-]+\s+){0,3}?"
                       r"(?:estrategia|strategy|documento\s+completo|whole\s+strategy|full\s+strategy)\b"
                       r"(?P<rest>.*)$", re.IGNORECASE)
_FOR = re.compile(r"\b(?:para|for)\s+(?P<region>.+?)(?:\s+(?:sobre|on|about|con\s+los\s+temas|with\s+topics)\s+"
                  r"(?P<topics>.+?))?\s*[.?!]?$", re.IGNORECASE)
SHORT_POINTS = 1

Revision = tuple[Literal["shorter", "language", "extend"], str]


def is_draft_request(question: str) -> bool:
    """Whether a message asks for a strategy section to be drafted."""
    return bool(_ASK.search(question))


def document_request(message: str) -> DocumentRequest | None:
    """A whole strategy document a message asks for ("Redacta una estrategia de fomento productivo para
    Los Arrayanes [sobre turismo y acuicultura]"), else None; the region is "" when it names none."""
    m = _DOCUMENT.search(" ".join(message.split()))
    if not m:
        return None
    where = _FOR.search(m.group("rest"))
    lang = detect_language(message.replace(where.group("region"), " ") if where else message)  # "Los Lagos" is no Spanish
    if where is None:
        return DocumentRequest.model_construct(region="", topics=[], language=lang, docs=[])
    topics = re.split(r",\s*|\s+(?:y|and|e)\s+", where.group("topics") or "")
    return DocumentRequest(region=region_name(where.group("region"))[:120] or where.group("region")[:120],
                           topics=[t for t in topics if t.strip()][:6], language=lang)


def document_answer(question: str, result: StrategyDocument) -> Answer:
    """A whole document seen as an Answer: its Markdown, its references as citations."""
    from assistant.drafting.export import document_markdown

    return _answer(question, result, document_markdown(result), f"document:{len(result.references)}",
                   document=result)


def other_writing(message: str) -> str | None:
    """What a message asks to be written when it is not strategy text ("una carta"), else None."""
    m = _OTHER.search(message)
    return m.group("what").lower() if m else None


def revision_of(message: str) -> Revision | None:
    """How a follow-up changes the previous draft, or None for an ordinary question."""
    text = " ".join(message.split())
    if len(text) > 160:
        return None
    if _SHORTER.search(text):
        return "shorter", ""
    if _TO_EN.search(text):
        return "language", "en"
    if _TO_ES.search(text):
        return "language", "es"
    if _TRANSLATE.match(text):
        return "language", ""
    if m := _ADD.match(text):
        return "extend", m.group("what").strip()
    return None


def request_of(result: Draft) -> DraftRequest:
    """The request a draft answered (its headings kept as the outline)."""
    return DraftRequest(region=result.region, topic=result.topic, guidelines=result.guidelines,
                        language=result.language, docs=result.docs)


def shorten(result: Draft) -> Draft:
    """The same verified draft with the first points of each part: references follow the text that stays."""
    sections = []
    for section in result.sections:
        paragraphs = []
        for p in section.paragraphs[: 1 + SHORT_POINTS]:
            lines = p.text.split("\n")
            bullets = [i for i, line in enumerate(lines) if line.lstrip().startswith("- ")]
            if len(bullets) > SHORT_POINTS:
                lines = lines[: bullets[SHORT_POINTS]]
            text = "\n".join(lines)
            markers = [m for m in p.citations if f"[{m}]" in text]
            paragraphs.append(DraftParagraph(text=text, citations=markers, flagged=p.flagged,
                                             unsupported=[u for u in p.unsupported if u.text in text]))
        sections.append(DraftSection(key=section.key, heading=section.heading, paragraphs=paragraphs))
    kept = {m for s in sections for p in s.paragraphs for m in p.citations}
    return result.model_copy(update={"sections": sections,
                                     "references": [c for c in result.references if c.marker in kept]})


def as_answer(question: str, result: Draft) -> Answer:
    """A draft seen as an Answer: its Markdown, its references as citations."""
    from assistant.drafting.export import to_markdown

    return _answer(question, result, to_markdown(result), f"draft:{len({c.marker for c in result.references})}",
                   draft=result)


def _answer(question: str, result: Draft | StrategyDocument, text: str, lookup: str, **carried: object) -> Answer:
    """What a section and a whole document have in common as an Answer: text, citations, checks."""
    retrieved = [Retrieved(doc_id=c.doc_id, recommendation=c.recommendation, page=c.page, score=1.0)
                 for c in result.references]
    return Answer(question=question, language=result.language, answer=text, backend=result.backend,
                  citations=result.references, retrieved=retrieved, timings_ms=result.timings_ms,
                  dropped_citations=result.dropped_citations, notices=result.notices, checks=result.checks,
                  unsupported_sentences=[c.unsupported() for c in result.checks if not c.ok], lookup=lookup,
                  **carried)  # type: ignore[arg-type]


@facade
def chat_draft(message: str, previous: Draft | None = None, *, settings: Settings | None = None,
               llm: BaseChatModel | None = None, backend: str | None = None, docs: list[str] | None = None,
               on_section: SectionCallback | None = None,
               on_token: Callable[[str], None] | None = None) -> Answer | None:
    """The draft a message asks for, or the previous draft changed by it; None for an ordinary question."""
    settings = settings or Settings()
    change = revision_of(message) if previous is not None else None
    if change is None and (what := other_writing(message)):
        lang = detect_language(message)
        return Answer(question=message, language=lang, answer=messages.NOT_DRAFTABLE[lang].format(what=what),
                      refused=True, backend="none")
    if change is None and (wanted := document_request(message)) is not None:
        lang = wanted.language or "es"
        if not wanted.region:
            return Answer(question=message, language=lang, refused=True, backend="none",
                          answer=messages.NEED_REGION_DOCUMENT[lang])
        if docs:
            wanted = wanted.model_copy(update={"docs": list(docs)})
        from assistant.drafting.document import draft_document

        return document_answer(message, draft_document(wanted, settings=settings, llm=llm, backend=backend,
                                                       on_chapter=on_section, on_token=on_token))
    if change is None and not is_draft_request(message):
        return None
    run = {"settings": settings, "llm": llm, "backend": backend, "on_section": on_section, "on_token": on_token}
    if change is None:
        request = parse_request(message)
        if request.region == ANY_REGION[request.language or "es"]:  # a strategy is for a region: ask which
            lang = request.language or "es"
            return Answer(question=message, language=lang, refused=True, backend="none",
                          answer=messages.NEED_REGION[lang].format(topic=request.topic))
        if docs:
            request = request.model_copy(update={"docs": list(docs)})
        return as_answer(message, draft(request, **run))
    assert previous is not None
    kind, value = change
    if kind == "shorter":
        return as_answer(message, shorten(previous).model_copy(update={"timings_ms": {"total": 0.0}}))
    request = request_of(previous)
    if kind == "language":
        target = value or ("en" if previous.language == "es" else "es")
        request = request.model_copy(update={"language": target})
    else:
        joiner = " y " if previous.language == "es" else " and "
        request = request.model_copy(update={"topic": (request.topic + joiner + value)[:300]})
    return as_answer(message, draft(request, **run))


@facade
def draft_as_answer(question: str, *, settings: Settings | None = None, llm: BaseChatModel | None = None,
                    backend: str | None = None) -> Answer:
    """A draft asked for in one message, seen as an Answer (`ask`, evals): its Markdown, references as citations."""
    return as_answer(question, draft(parse_request(question), settings=settings or Settings(), llm=llm,
                                     backend=backend))
