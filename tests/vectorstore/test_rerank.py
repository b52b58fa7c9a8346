"""The learned reranker: relative features, the shipped weights, and reranked retrieval on the real corpus."""

from __future__ import annotations

import numpy as np
import pytest

from vectorstore.hybrid import HybridRetriever
from vectorstore.rerank import FEATURES, Candidate, features, load, relative_scores
from vectorstore.store import ChunkStore


def _col(matrix: np.ndarray, name: str) -> list[float]:
    return [round(float(x), 4) for x in matrix[:, FEATURES.index(name)]]


def test_features_are_relative_to_the_questions_best_candidate() -> None:
    cands = [Candidate(kind="recommendation", fused=1.0, dense=0.88, dense_rank=0, bm25=4.0, bm25_rank=1,
                       sym_es=0.80, sym_en=0.86, guideline=0.82, sym_q=0.90),
             Candidate(kind="recommendation", fused=0.9, dense=0.85, dense_rank=1, bm25=8.0, bm25_rank=0,
                       sym_es=0.84, sym_en=None, guideline=0.79, sym_q=0.93),
             Candidate(kind="slide", fused=0.5, dense=None, bm25=2.0, bm25_rank=2),
             Candidate(kind="guideline", fused=0.4, dense=0.80, dense_rank=2, sym_es=0.83)]
    m = features(cands)
    assert m.shape == (4, len(FEATURES))
    assert _col(m, "dense") == [0.0, -0.03, -0.08, -0.08]  # a candidate dense never saw gets the lowest seen
    assert _col(m, "bm25") == [0.5, 1.0, 0.25, 0.0]
    assert _col(m, "rr_dense") == [1.0, 0.5, 0.0, round(1 / 3, 4)]
    # question-to-text: the better of Spanish and English; a recommendation without English uses its Spanish
    assert _col(m, "sym") == [0.0, -0.02, -0.08, -0.03]  # the slide falls back on its dense value
    assert _col(m, "sym_en") == [0.0, -0.02, -0.08, -0.03]
    assert _col(m, "guideline") == [0.0, -0.03, 0.0, 0.0]
    assert _col(m, "is_heading") == [0.0, 0.0, 0.0, 1.0] and _col(m, "is_slide") == [0.0, 0.0, 1.0, 0.0]
    # the questions a recommendation answers: relative to the nearest; the rest fall back on dense
    assert _col(m, "sym_q") == [-0.03, 0.0, -0.08, -0.08]
    assert features([]).shape == (0, len(FEATURES))


def test_a_model_fitted_on_other_features_is_refused_in_one_line() -> None:
    model = load()
    with pytest.raises(ValueError, match="refit"):
        model.score(np.zeros((2, len(FEATURES) - 1)))


def test_a_users_text_without_booklet_similarities_is_ranked_on_its_retrieval_scores() -> None:
    cands = [Candidate(kind="text", fused=1.0, dense=0.86, dense_rank=0, bm25=3.0, bm25_rank=0),
             Candidate(kind="text", fused=0.5, dense=0.82, dense_rank=1)]
    m = features(cands)
    assert not np.isnan(m).any()
    logits = load().score(m)
    assert logits[0] > logits[1]
    assert list(relative_scores(logits))[0] == pytest.approx(1.0)


def test_the_shipped_model_is_complete_and_fitted_on_dev_only() -> None:
    model = load()
    assert model.features == list(FEATURES)
    assert len(model.weights) == len(model.mean) == len(model.scale) == len(FEATURES)
    assert all(s > 0 for s in model.scale)
    assert 0 <= model.cite_within <= 4
    assert model.fitted_on and all(s.endswith("(dev)") for s in model.fitted_on)
    w = dict(zip(model.features, model.weights, strict=True))
    assert w["is_heading"] < 0, "guideline headings are context, not answers"
    assert w["sym"] > 0 and w["bm25"] > 0
    # the dense list counts through its rank (its score is near-collinear with sym_q's fallback on it)
    assert w["dense"] + w["rr_dense"] > 0
    assert w["sym_q"] > 0, "a question near those a recommendation answers counts for it"


def test_reranked_retrieval_orders_by_the_models_logit(corpus_store: ChunkStore) -> None:
    fused = HybridRetriever(corpus_store)
    reranked = HybridRetriever(corpus_store, reranker=load())
    question = "¿Sirve que la región ponga recursos propios junto al financiamiento nacional de los programas?"
    plain, _ = fused.retrieve(question, 6)
    hits, evidence = reranked.retrieve(question, 6)
    assert all(h.rerank is None for h in plain)
    logits = [h.rerank for h in hits]
    assert None not in logits and logits == sorted(logits, reverse=True)  # type: ignore[type-var]
    assert hits[0].score == 1.0 and all(0 < h.score <= 1 for h in hits)
    assert evidence == fused.retrieve(question, 6)[1], "the scope evidence does not depend on the order"
    # co-financing with national programmes (R2): first after reranking
    assert hits[0].chunk.recommendation == 2


def test_a_planners_words_meet_the_questions_a_recommendation_answers(corpus_store: ChunkStore) -> None:
    from assistant.settings import Settings

    retriever = HybridRetriever(corpus_store, reranker=load())
    floor = Settings().retrieval.scope_asked
    hits, evidence = retriever.retrieve("Our region buys nearly all its apps and software abroad. Should we back "
                                        "local tech firms to make them?", 5)
    assert hits[0].chunk.recommendation == 47 and evidence.asked_top >= floor  # digital goods and services
    _, elsewhere = retriever.retrieve("¿Qué vacunas necesita un niño de dos años?", 5)
    assert elsewhere.asked_top < floor
    deck = "cepal-fomento-regional-chile"
    slides, limited = retriever.retrieve("Our region buys nearly all its apps and software abroad.", 5,
                                         where={"doc_id": deck})
    assert slides and {h.chunk.doc_id for h in slides} == {deck}
    assert limited.asked_top == 0.0, "the booklet's questions count only when the booklet is searched"
