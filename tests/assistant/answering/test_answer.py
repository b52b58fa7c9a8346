"""The answering facade on the real corpus and embeddings: lookups, scope, language, follow-ups."""

from __future__ import annotations

import pytest

from assistant.answering.answer import answer
from assistant.answering.selection import MAX_SOURCES, MAX_SOURCES_SPLIT
from assistant.errors import UserInputError
from assistant.messages import REFUSAL
from assistant.settings import Settings


@pytest.mark.parametrize(("question", "cited"), [
    ("¿Qué dice la recomendación 42?", ["R42"]),
    ("R7", ["R7"]),
    ("What does recommendation 108 say?", ["R108"]),
    ("lineamiento X", [f"R{n}" for n in range(93, 100)]),
    ("guideline 12", ["R105", "R106", "R107", "R108"]),
    ("¿Qué recomendaciones remiten a la página 96?", ["R42"]),
])
def test_lookups_answer_from_metadata(corpus_settings: Settings, question: str, cited: list[str]) -> None:
    ans = answer(question, settings=corpus_settings, backend="extractive")
    assert [c.marker for c in ans.citations] == cited
    assert not ans.refused and ans.lookup is not None
    assert [r.recommendation for r in ans.retrieved] == [int(c[1:]) for c in cited]


def test_lookup_metadata_comes_from_the_store(corpus_settings: Settings) -> None:
    cit = answer("R108", settings=corpus_settings, backend="extractive").citations[0]
    assert (cit.guideline, cit.panorama_pages, cit.doc_id, cit.page) == ("XII", [91, 92], "cepal-113-recomendaciones", None)


@pytest.mark.parametrize("question", ["recomendación 150", "What does recommendation 0 say?", "lineamiento XIX",
                                      "¿Qué recomendaciones remiten a la página 999?"])
def test_nonexistent_targets_cite_nothing(corpus_settings: Settings, question: str) -> None:
    ans = answer(question, settings=corpus_settings, backend="extractive")
    assert ans.refused and ans.citations == [] and ans.retrieved == []


@pytest.mark.parametrize("question", ["Dame una receta de pan de masa madre", "What was Chile's GDP in 2023?",
                                      "¿Quién ganó el mundial de 2022?", "How do I install Python on Windows?"])
def test_out_of_scope_is_refused(corpus_settings: Settings, question: str) -> None:
    ans = answer(question, settings=corpus_settings, backend="extractive")
    assert ans.refused and ans.citations == []
    assert ans.answer == REFUSAL[ans.language]


def test_a_refusal_offers_the_closest_sources_without_citing_them(corpus_settings: Settings) -> None:
    from assistant.services import get_registry

    ans = answer("What was Chile's GDP in 2023?", settings=corpus_settings, backend="extractive")
    assert ans.refused and ans.citations == [] and 1 <= len(ans.suggestions) <= 3
    registry = get_registry(corpus_settings)
    for s in ans.suggestions:  # every field from the store, none from a model
        if s.recommendation:
            hit = registry.hits[s.recommendation]
            assert s.text == hit.chunk.text and s.guideline == hit.chunk.guideline
            assert s.panorama_pages == hit.chunk.panorama_pages


@pytest.mark.parametrize(("question", "lang", "expected"), [
    ("How can development banks help?", "en", {7, 6, 21}),
    ("¿Cómo fortalecer las iniciativas clúster en mi región?", "es", set(range(79, 90)) | {3, 44}),
    ("How should evaluation of productive policies be improved?", "en", set(range(93, 100)) | {57, 92}),
])
def test_open_questions_cite_relevant_recommendations(corpus_settings: Settings, question: str, lang: str,
                                                      expected: set[int]) -> None:
    ans = answer(question, settings=corpus_settings, backend="extractive")
    assert ans.language == lang and not ans.refused
    cited = {c.recommendation for c in ans.citations}
    assert cited and cited <= expected, cited
    assert ans.uncited_sentences == [], "the extractive backend never writes an uncited claim"
    assert (ans.answer.startswith("According to") if lang == "en" else ans.answer.startswith("Según"))


def test_followup_is_rewritten_before_retrieval(corpus_settings: Settings) -> None:
    history = [{"role": "user", "content": "¿Cómo fortalecer las iniciativas clúster?"},
               {"role": "assistant", "content": "Las iniciativas clúster ... [R79]."}]
    ans = answer("¿y cómo se financian?", history, settings=corpus_settings, backend="extractive")
    assert ans.standalone_question == "¿Cómo fortalecer las iniciativas clúster? ¿y cómo se financian?"
    assert not ans.refused and {c.guideline for c in ans.citations} == {"VIII"}


class _SplitSpy:
    """The real retriever, recording whether each question was split into its parts."""

    def __init__(self, settings: Settings) -> None:
        from assistant.services import get_retriever

        self.inner = get_retriever(settings)
        self.split: list[bool] = []

    def retrieve(self, query: str, k: int, where: object = None, split: bool = False) -> object:
        self.split.append(split)
        return self.inner.retrieve(query, k, where=where, split=split)


def test_only_a_question_as_written_is_split_into_its_points(corpus_settings: Settings) -> None:
    two_points = "¿Cómo financiamos proyectos estratégicos grandes y cómo damos garantías a las pymes?"
    spy = _SplitSpy(corpus_settings)
    ans = answer(two_points, settings=corpus_settings, backend="extractive", retriever=spy)
    assert spy.split == [True] and not ans.refused
    # a follow-up is retrieved as "previous question + follow-up": two clauses, but one point asked
    history = [{"role": "user", "content": "¿Cómo fortalecer las iniciativas clúster?"},
               {"role": "assistant", "content": "Las iniciativas clúster ... [R79]."}]
    answer("¿y cómo se financian?", history, settings=corpus_settings, backend="extractive", retriever=spy)
    assert spy.split == [True, False]


class _Flat(_SplitSpy):
    """The real retriever's hits, every one as close to the question as the best (all within the cite margin)."""

    def retrieve(self, query: str, k: int, where: object = None, split: bool = False) -> object:
        hits, evidence = self.inner.retrieve(query, k, where=where, split=split)  # type: ignore[misc]
        self.split.append(split)
        return [h.model_copy(update={"rerank": 0.0}) for h in hits], evidence


def test_a_question_that_asks_two_things_may_cite_one_more_source(corpus_settings: Settings) -> None:
    flat = _Flat(corpus_settings)
    two_points = answer("¿Cómo financiamos proyectos estratégicos grandes y cómo damos garantías a las pymes?",
                        settings=corpus_settings, backend="extractive", retriever=flat)
    one_point = answer("¿Cómo financiamos proyectos estratégicos grandes?", settings=corpus_settings,
                       backend="extractive", retriever=flat)
    assert flat.split == [True, True]
    assert len(two_points.citations) == MAX_SOURCES_SPLIT == MAX_SOURCES + 1
    assert len(one_point.citations) == MAX_SOURCES, "a question with one point is split into nothing"


class _FlatFused(_SplitSpy):
    """The real fused hits (no reranker), every one as close to the question as the best by both measures."""

    def retrieve(self, query: str, k: int, where: object = None, split: bool = False) -> object:
        hits, evidence = self.inner.retrieve(query, k, where=where, split=split)  # type: ignore[misc]
        self.split.append(split)
        return [h.model_copy(update={"score": 1.0, "dense": 0.9, "rerank": None}) for h in hits], evidence


def test_without_the_reranker_nothing_is_split_and_three_sources_is_the_most(corpus_settings: Settings) -> None:
    fused = corpus_settings.model_copy(update={"retrieval": corpus_settings.retrieval.model_copy(update={"rerank": False})})
    flat = _FlatFused(fused)
    ans = answer("¿Cómo financiamos proyectos estratégicos grandes y cómo damos garantías a las pymes?",
                 settings=fused, backend="extractive", retriever=flat)
    assert flat.split == [False], "splitting needs the reranker (retrieval.split_compound)"
    assert len(ans.citations) == MAX_SOURCES


def test_question_checks(corpus_settings: Settings) -> None:
    with pytest.raises(UserInputError, match="empty"):
        answer("   ", settings=corpus_settings, backend="extractive")
    ans = answer("iniciativas clúster " * 5000, settings=corpus_settings, backend="extractive")
    assert len(ans.question) == corpus_settings.max_question_chars and ans.notices


def test_contract_json_shape(corpus_settings: Settings) -> None:
    data = answer("¿Qué dice la recomendación 42?", settings=corpus_settings, backend="extractive").contract_json()
    assert list(data)[:8] == ["question", "language", "answer", "refused", "citations", "retrieved", "backend",
                              "timings_ms"]
    assert {"marker", "doc_id", "recommendation", "guideline", "panorama_pages", "page", "text"} <= set(data["citations"][0])
    assert set(data["retrieved"][0]) == {"doc_id", "recommendation", "page", "score"}
    assert {"retrieve", "generate", "total"} <= set(data["timings_ms"])


def test_empty_index_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ans = answer("¿Qué dice la recomendación 42?", settings=Settings(), backend="extractive")
    assert ans.refused and "ingest" in ans.answer


@pytest.mark.parametrize("question", ["¿Cómo reformar el sistema de salud pública?", "¿Cómo deberían financiarse las pensiones?",
                                      "¿Qué régimen cambiario recomienda la CEPAL?"])
def test_near_miss_policy_questions_are_refused(corpus_settings: Settings, question: str) -> None:
    """Policy questions outside productive development (they passed the similarity gate before #14)."""
    ans = answer(question, settings=corpus_settings, backend="extractive")
    assert ans.refused and ans.citations == []
