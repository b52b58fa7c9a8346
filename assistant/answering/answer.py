"""The answering facade: question -> condense -> lookup or hybrid retrieval -> generate -> verify -> Answer."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from assistant import messages
from assistant.answering import extractive, grounded, translations, writer
from assistant.answering.answer_cache import answer_cache, cache_key
from assistant.answering.citations import citation_for, verify
from assistant.answering.condense import condense
from assistant.answering.figures import asks_figure, tables_first, unheld
from assistant.answering.lookup import Lookup, find_lookup
from assistant.answering.own_documents import (
    own_filter,
    own_query,
    points_at_own,
    preferred,
    strategy_kept,
    unaddressed,
    with_own,
)
from assistant.answering.relevance import rejudge
from assistant.answering.selection import MAX_SOURCES, choose, most_sources
from assistant.answering.support import get_gate
from assistant.errors import UserInputError, facade
from assistant.language import asked_language, detect_language, has_words
from assistant.llm.errors import BackendUnavailable, ModelStoppedError
from assistant.llm.gate import ModelBusyError
from assistant.llm.queue import Ticket, model_queue
from assistant.models import Answer, Citation, Retrieved, Turn, Waiting
from assistant.services import get_registry, get_retriever, get_store
from assistant.settings import Settings
from vectorstore.compound import split_question
from vectorstore.hybrid import Evidence
from vectorstore.models import Hit
from vectorstore.registry import RecommendationRegistry

if TYPE_CHECKING:  # a chat model is built only for a model backend: LangChain loads then (about 1 s)
    from langchain_core.language_models.chat_models import BaseChatModel


@facade
def answer(question: str, history: Sequence[Turn | dict[str, str]] = (), *, settings: Settings | None = None,
           llm: BaseChatModel | None = None, retriever: Any = None, backend: str | None = None,
           use_cache: bool = True, docs: Sequence[str] = ()) -> Answer:
    """Answer a question with verified citations (see `answer_stream` for the streaming form)."""
    result = None
    for item in answer_stream(question, history, settings=settings, llm=llm, retriever=retriever, backend=backend,
                              use_cache=use_cache, docs=docs):
        if isinstance(item, Answer):
            result = item
    assert result is not None
    return result


@facade
def answer_stream(question: str, history: Sequence[Turn | dict[str, str]] = (), *,
                  settings: Settings | None = None, llm: BaseChatModel | None = None,
                  retriever: Any = None, backend: str | None = None,
                  use_cache: bool = True, docs: Sequence[str] = (), user: str | None = None,
                  quick: bool = False) -> Iterator[str | Waiting | Answer]:
    """Yield text tokens as the model writes them, then the verified Answer (whose text is final).

    Given a `user` (the app's account or browser session), a question for the local model takes its
    turn in the process's queue (`assistant.llm.queue`): while others come first it yields `Waiting`
    (how many, about how long) every half second, the first one carrying the sources' own words at
    once when `quick` is asked for. A second question of the same user while one waits, or one over
    the user's rate, raises ModelBusyError at once.

    `docs` limits retrieval (and the scope check) to those documents; empty means every document.

    A model answer is stored (`assistant.answering.answer_cache`) and returned at once, marked `cached`, for
    the same standalone question, index, backend and settings; `use_cache=False` writes it again.
    """
    settings = settings or Settings()
    t0 = time.perf_counter()
    question, notices = _check_question(question, settings)
    turns, cut = bounded_history(history, settings)
    if cut:
        notices.append(messages.HISTORY_CUT[detect_language(question)].format(
            turns=len(turns), chars=sum(len(t.content) for t in turns)))
    lang = detect_language(question)
    if (asked := asked_language(question)) not in ("es", "en"):  # answered in Spanish, and said so first
        lang = "es"
        notices.append(messages.ASKED_IN.get(asked, messages.ASKED_IN["other"]))
    registry = get_registry(settings)
    base = {"question": question, "language": lang, "notices": notices}
    if len(registry) == 0 and get_store(settings).count() == 0:
        yield Answer(**base, answer=messages.EMPTY_INDEX[lang], refused=True, backend="none")
        return
    where = doc_filter(docs, settings)
    most = MAX_SOURCES  # sources an answer may cite (`assistant.answering.selection.most_sources`)
    lookup = find_lookup(question, turns)
    if lookup is not None and where and not {h.chunk.doc_id for h in registry.hits.values()} & set(docs):
        lookup = None  # "R42" asked of the user's own documents only: search them, not the booklet
    standalone = None
    own: list[Hit] = []
    hits = _lookup_hits(lookup, registry, get_store(settings), docs) if lookup is not None else []
    if lookup is not None and lookup.kind == "code" and not hits:
        lookup = None  # a code no document files: an ordinary question
    if lookup is not None:
        if not hits:
            yield Answer(**base, answer=_no_such(lookup, lang, registry), refused=True, backend="none",
                         lookup=lookup.label(), timings_ms=_ms(t0=t0))
            return
    else:
        standalone = condense(question, turns)
        # A follow-up is condensed into "previous question + follow-up": two clauses, one point. Only a
        # question as the user wrote it is split (vectorstore.compound), and only when the reranker
        # orders the hits: without it retrieval ignores the parts, so the answer keeps three sources.
        split = settings.retrieval.split_compound and settings.retrieval.rerank and standalone == question
        hits, evidence = (retriever or get_retriever(settings)).retrieve(
            standalone, settings.retrieval.k, where=where, split=split)
        most = most_sources(split and bool(split_question(standalone)))
        refusal = None
        if not hits or not in_scope(evidence, settings):
            refusal, near = messages.REFUSAL[lang], hits
        else:
            own = _own_hits(standalone, settings, retriever, where)
            hits = with_own(hits, own)
            if not asks_figure(standalone) and (missing := unaddressed(standalone, own)):
                refusal, near = messages.NOT_ADDRESSED[lang].format(missing="«" + " ".join(missing) + "»"), own
            elif missing := unheld(hits, standalone):  # a figure for a year or place no document holds
                refusal, near = messages.NO_FIGURE[lang].format(missing=", ".join(missing)), hits
        if refusal is not None:
            yield Answer(**base, answer=refusal, refused=True, backend="none",
                         standalone_question=standalone if standalone != question else None,
                         suggestions=_suggestions(near), timings_ms=_ms(t0=t0))
            return
    wanted = backend or settings.llm.backend
    key = None
    if llm is None and settings.llm.answer_cache and wanted != "extractive":
        key = cache_key(standalone or question, wanted, settings, get_store(settings).version(), docs)
        stored = answer_cache(settings).get(key) if use_cache else None
        if stored is not None:
            yield stored.model_copy(update={"question": question, "timings_ms": _ms(t0=t0),
                                            "notices": notices + [n for n in stored.notices if n not in notices]})
            return
    ticket, queued = None, user is not None and llm is None and wanted != "extractive"
    if queued and (lookup is None or lookup.kind == "recommendation"):
        ticket = model_queue(settings).join(user or "")  # refused at once when it may not wait
    t_queued = time.perf_counter()
    try:
        if ticket is not None:
            offer = (lambda: _quick(question, history, settings, retriever, docs)) if quick else None
            yield from _wait_turn(ticket, offer)
        t_retrieved = time.perf_counter()
        model, backend_name, notice = resolve_backend(llm, wanted, settings, lang)
        if notice:
            notices.append(notice)
        if lookup is not None and lookup.kind != "recommendation":
            model, backend_name = None, "extractive"  # a list of a guideline's or a page's recommendations
        if lookup is None:  # the local model's second opinion on close candidates (assistant.answering.relevance)
            hits = rejudge(standalone or question, hits, model or _judge_only(settings, lang), settings)
        if lookup is not None:
            chosen = hits
        elif own and not asks_figure(standalone or question):  # what the user's strategy says: it alone answers
            chosen = choose(preferred(standalone or question, own), max_sources=most)
        else:
            chosen = strategy_kept(choose(tables_first(hits, standalone or question), max_sources=most), own, most)
        text, first_token, checks = "", None, []
        if model is not None and chosen:
            asked = question if lookup else (standalone or question)
            lead = _lookup_lead(lookup, chosen, lang) if lookup else ""
            try:
                for item in grounded.answer_stream(model, get_gate(settings), lang, asked, chosen, settings, lead):
                    if isinstance(item, grounded.Grounded):
                        text, checks = item.text, item.checks
                    else:
                        if not (lead and item == lead + " "):  # the lead is metadata, not the model's first token
                            first_token = first_token or time.perf_counter()
                        yield item
            except ModelBusyError:
                raise
            except Exception as exc:  # noqa: BLE001 - a model or server failure must not reach the user
                reason = messages.MODEL_STOPPED[lang] if isinstance(exc, ModelStoppedError) else type(exc).__name__
                notices.append(messages.FALLBACK[lang].format(backend=backend_name, reason=reason))
                model, backend_name, text, checks = None, "extractive", "", []
        if model is None:
            text = extractive.compose(lang, chosen, lookup, standalone or question)
            backend_name = "extractive"
        checked = verify(text, hits, set(registry.hits), generated=model is not None)
        if model is not None and not checked.citations:  # nothing verifiable was left: the sources speak instead
            notices.append(messages.FALLBACK[lang].format(backend=backend_name, reason="sin citas válidas"
                                                          if lang == "es" else "no valid citations"))
            checked = verify(extractive.compose(lang, chosen, lookup, standalone or question), hits, set(registry.hits),
                             generated=False)
            backend_name = "extractive"
        t_end = time.perf_counter()
        timings = _ms(retrieve=t_queued - t0, generate=t_end - t_retrieved, total=t_end - t0)
        if ticket is not None:
            timings["queued"] = round((t_retrieved - t_queued) * 1000, 1)
        if first_token:
            timings["first_token"] = round((first_token - t_retrieved) * 1000, 1)
        final = Answer(**base, answer=checked.text, refused=False, backend=backend_name,
                       citations=translations.mark(checked.citations, checked.text, lang),
                     retrieved=[Retrieved(doc_id=h.chunk.doc_id, recommendation=h.chunk.recommendation,
                                          page=h.chunk.page, score=h.score) for h in hits],
                     timings_ms=timings, dropped_citations=checked.dropped,
                     uncited_sentences=checked.uncited,
                     unsupported_sentences=[c.unsupported() for c in checks if not c.ok],
                     checks=checks,
                     standalone_question=standalone if standalone and standalone != question else None,
                     lookup=lookup.label() if lookup else None)
        if key is not None and backend_name != "extractive":
            answer_cache(settings).put(key, final)
        yield final
    finally:
        if ticket is not None:
            ticket.leave()


def _wait_turn(ticket: Ticket, quick: Callable[[], Answer] | None) -> Iterator[Waiting]:
    """A Waiting every half second until the ticket's turn comes, the first with the quick answer.

    Yielding often lets the app see a page left or a question changed (Streamlit stops a run only
    when it writes), so a question given up leaves the queue at once.
    """
    while (ahead := ticket.ahead) > 0:
        seconds = round(ticket.queue.estimate_s(ahead), 1)
        offered, quick = (quick() if quick is not None else None), None
        yield Waiting(ahead=ahead, seconds=seconds, quick=offered)
        ticket.wait(0.5)


def _quick(question: str, history: Sequence[Turn | dict[str, str]], settings: Settings, retriever: Any,
           docs: Sequence[str]) -> Answer:
    """The sources' own words for a question waiting for the model (no model call: the judge is off)."""
    plain = settings.model_copy(update={"retrieval": settings.retrieval.model_copy(update={"judge": "off"})})
    return answer(question, history, settings=plain, retriever=retriever, backend="extractive", docs=docs)


def _own_hits(question: str, settings: Settings, retriever: Any, where: dict[str, Any] | None) -> list[Hit]:
    """The user's own documents searched alone, for a question that points at them (else none)."""
    if not points_at_own(question) or (mine := own_filter(get_store(settings), where)) is None:
        return []
    own, _ = (retriever or get_retriever(settings)).retrieve(own_query(question), settings.retrieval.k, where=mine,
                                                            split=False)
    return list(own)


def _suggestions(hits: Sequence[Hit], n: int = 3) -> list[Citation]:
    """A refusal's way on: the closest recommendations (or passages), from the store's metadata."""
    ranked = sorted(hits, key=lambda h: -(h.dense if h.dense is not None else 0.0))
    return [citation_for(h) for h in ranked if h.chunk.kind in ("recommendation", "text", "slide")][:n]


def doc_filter(docs: Sequence[str], settings: Settings) -> dict[str, Any] | None:
    """A retrieval filter for the chosen documents; UserInputError names one the index does not hold."""
    if not docs:
        return None
    known = {r.doc_id for r in get_store(settings).documents()}
    unknown = [d for d in dict.fromkeys(docs) if d not in known]
    if unknown:
        raise UserInputError(f"no document {unknown[0]!r} in the index (indexed: {', '.join(sorted(known))})")
    return {"doc_id": {"$in": list(dict.fromkeys(docs))}}


def in_scope(evidence: Evidence, settings: Settings) -> bool:
    """Whether retrieval found enough evidence to answer (thresholds in RetrievalConfig)."""
    r = settings.retrieval
    if evidence.off_topic >= r.scope_off_topic:
        return False  # nearer health, monetary policy, pensions... than anything the index covers
    if evidence.off_topic <= r.scope_on_topic:
        return True  # clearly nearer what the index covers: a paraphrase that shares few words with it
    if evidence.asked_top >= r.scope_asked:
        return True  # asked as a planner asks what a recommendation answers, in whatever words
    if evidence.dense_top >= r.scope_accept:
        return True
    return evidence.dense_top >= r.scope_floor and (
        evidence.dense_margin >= r.scope_margin or evidence.bm25_top >= r.scope_bm25)


_resolved: dict[str, tuple[BaseChatModel | None, str, str | None]] = {}


def _judge_only(settings: Settings, lang: str) -> BaseChatModel | None:
    """The local model, for judging an extractive answer's candidates (judge = "always"), if it loads."""
    if settings.retrieval.judge != "always":
        return None
    return resolve_backend(None, "llamacpp", settings, lang)[0]


def resolve_backend(llm: BaseChatModel | None, backend: str, settings: Settings,
             lang: str) -> tuple[BaseChatModel | None, str, str | None]:
    """(model, name, notice): the backend's model, or extractive with a one-time notice if unavailable."""
    if llm is not None:
        return llm, getattr(llm, "_llm_type", "custom"), None
    if backend == "extractive":  # no model: nothing to load (LangChain's models stay unimported, ~0.7 s)
        return None, "extractive", None
    from assistant.llm.backends import load_chat_model

    key = f"{backend}|{settings.data_dir}|{settings.llm.model_dump_json()}"
    if key not in _resolved:
        try:
            _resolved[key] = (load_chat_model(backend, settings), backend, None)
        except BackendUnavailable as exc:
            _resolved[key] = (None, "extractive", messages.FALLBACK[lang].format(backend=backend, reason=exc))
    model, name, notice = _resolved[key]
    if backend == "llamacpp" and model is not None:
        from assistant.llm.backends import model_file_intact

        broken = model_file_intact(settings)  # the file may change under a running app
        if broken:
            _resolved.pop(key, None)  # the next question tries again (a restored file is loaded anew)
            return None, "extractive", messages.FALLBACK[lang].format(backend=backend, reason=broken)
    return model, name, notice


def prepare_backend(backend: str, settings: Settings | None = None, lang: str = "es") -> tuple[str, str | None]:
    """Load a backend ahead of the first question (the UI warms the embedded model at start).

    Returns the backend that will answer and, if it fell back to extractive, why.
    """
    from assistant.prompts import validate_all

    validate_all()  # a broken prompt file fails here, at start, not in the middle of an answer
    model, name, notice = resolve_backend(None, backend, settings or Settings(), lang)
    if model is not None and hasattr(model, "read"):
        for lg in ("es", "en"):  # the writer's instructions, read once and kept (on disk after the first time)
            model.read(writer.messages_for("write_answer", lg, "", 60, question=""))
    return name, notice


def bounded_history(history: Sequence[Turn | dict[str, str]], settings: Settings) -> tuple[list[Turn], bool]:
    """The last turns of a conversation within the limits (turns, characters); True if anything was cut.

    Each turn is cut to the question limit and the oldest turns go first, so a 10 MB turn costs no
    more than a long question.
    """
    limits = settings.limits
    recent = list(history)[-limits.history_turns:] if limits.history_turns else []
    cut = len(recent) < len(history)
    kept: list[Turn] = []
    budget = limits.history_chars
    for item in reversed(recent):
        turn = item if isinstance(item, Turn) else Turn(**item)
        text = turn.content[: min(settings.max_question_chars, budget)]
        if not text.strip():
            cut = cut or bool(turn.content.strip())
            break
        cut = cut or len(text) < len(turn.content)
        kept.append(turn.model_copy(update={"content": text}))
        budget -= len(text)
    cut = cut or len(kept) < len(recent)
    return list(reversed(kept)), cut


def _check_question(question: str, settings: Settings) -> tuple[str, list[str]]:
    question = (question or "").strip()
    if not question:
        raise UserInputError("the question is empty")
    if not has_words(question):
        raise UserInputError("the question has no words: ask a question")
    notices = []
    if len(question) > settings.max_question_chars:
        question = question[: settings.max_question_chars]
        notices.append(messages.TRUNCATED[detect_language(question)].format(chars=settings.max_question_chars))
    return question, notices


def _lookup_hits(lookup: Lookup, registry: RecommendationRegistry, store: Any, docs: Sequence[str] = ()) -> list[Hit]:
    if lookup.kind == "code":  # the passages a region's document files under that outline code
        found = [h for h in store.get(where={"code": str(lookup.value)})
                 if h.chunk.kind == "text" and not h.chunk.table and (not docs or h.chunk.doc_id in docs)]
        return [h.model_copy(update={"score": 1.0}) for h in found[:2]]
    if lookup.kind == "recommendation":
        hit = registry.hits.get(int(lookup.value))
        return [hit.model_copy(update={"score": 1.0})] if hit else []
    if lookup.kind == "guideline":
        numbers = [r.number for r in registry.by_guideline(str(lookup.value))]
    else:
        numbers = [r.number for r in registry.by_panorama_page(int(lookup.value))]
    return [registry.hits[n].model_copy(update={"score": 1.0}) for n in numbers]


def _lookup_lead(lookup: Lookup, hits: Sequence[Hit], lang: str) -> str:
    first = hits[0].chunk
    return messages.LOOKUP_LEAD_REC[lang].format(number=first.recommendation, guideline=first.guideline,  # type: ignore[index]
                                                 title=translations.title(first.guideline, first.guideline_title, lang))


def _no_such(lookup: Lookup, lang: str, registry: RecommendationRegistry) -> str:
    if lookup.kind == "recommendation":
        return messages.NO_SUCH_RECOMMENDATION[lang].format(number=lookup.value, total=len(registry))  # type: ignore[index]
    if lookup.kind == "guideline":
        return messages.NO_SUCH_GUIDELINE[lang].format(guideline=lookup.value)  # type: ignore[index]
    return messages.NO_SUCH_PAGE[lang].format(page=lookup.value)  # type: ignore[index]


def _ms(t0: float | None = None, **spans: float) -> dict[str, float]:
    if t0 is not None:
        return {"total": round((time.perf_counter() - t0) * 1000, 1)}
    return {k: round(v * 1000, 1) for k, v in spans.items()}
