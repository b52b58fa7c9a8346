"""Attribute first: which retrieved sources an answer will cite."""

from __future__ import annotations

from assistant.answering.selection import choose
from ingestion.models import Chunk
from vectorstore.models import Hit


def _hit(n: int, score: float, dense: float | None, kind: str = "recommendation") -> Hit:
    return Hit(id=str(n), score=score, dense=dense,
               chunk=Chunk(doc_id="b", kind=kind, text=f"t{n}", source="b.md", ordinal=n,
                           recommendation=n if kind == "recommendation" else None))


def test_the_best_citable_source_is_always_chosen() -> None:
    heading = _hit(0, 1.0, 0.95, kind="guideline")
    assert [h.id for h in choose([heading, _hit(7, 0.9, None)])] == ["7"]
    assert choose([heading]) == []


def test_a_second_source_needs_both_fused_and_dense_closeness() -> None:
    top = _hit(1, 1.0, 0.880)
    assert [h.id for h in choose([top, _hit(2, 0.97, 0.875)])] == ["1", "2"]   # close on both
    assert [h.id for h in choose([top, _hit(2, 0.99, 0.850)])] == ["1"]        # same words, other point
    assert [h.id for h in choose([top, _hit(2, 0.90, 0.879)])] == ["1"]        # far in rank
    assert [h.id for h in choose([top, _hit(2, 0.99, None)])] == ["1"]         # dense never saw it


def test_at_most_three_sources() -> None:
    hits = [_hit(n, 1.0 - n / 1000, 0.9 - n / 10000) for n in range(1, 7)]
    assert [h.id for h in choose(hits)] == ["1", "2", "3"]
    assert len(choose(hits, max_sources=1)) == 1


def _ranked(n: int, logit: float, kind: str = "recommendation") -> Hit:
    return _hit(n, 1.0, 0.8, kind).model_copy(update={"rerank": logit})


def test_reranked_hits_are_cited_within_the_fitted_margin_of_the_best_citable() -> None:
    heading = _ranked(0, 5.0, kind="guideline")  # ranked first, but a heading is never cited
    hits = [heading, _ranked(1, 3.0), _ranked(2, 2.1), _ranked(3, 0.9), _ranked(4, 0.5)]
    assert [h.id for h in choose(hits, cite_within=1.0)] == ["1", "2"]
    assert [h.id for h in choose(hits, cite_within=2.1)] == ["1", "2", "3"]
    assert [h.id for h in choose(hits, cite_within=0.0)] == ["1"]
    assert [h.id for h in choose(hits, cite_within=9.0)] == ["1", "2", "3"], "never more than three"
    # the shipped margin applies by default
    from vectorstore.rerank import load

    within = load().cite_within
    assert [h.id for h in choose(hits)] == [h.id for h in hits[1:] if 3.0 - h.rerank <= within][:3]  # type: ignore[operator]
