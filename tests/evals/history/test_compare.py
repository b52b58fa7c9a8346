"""Comparing two runs: paired bootstrap intervals tell a real change from noise; changed items come
with both answers, newly failing first."""

from __future__ import annotations

import pytest

from assistant.errors import UserInputError
from evals.draft_scores import DraftingRun, DraftItem
from evals.draft_scores import breakdown as draft_breakdown
from evals.history.compare import compare
from tests.evals.history.helpers import item, run


def _delta(comparison, metric: str, group: str = "overall"):  # type: ignore[no-untyped-def]
    return next(d for d in comparison.metrics if d.metric == metric and d.group == group)


def test_the_same_run_twice_is_the_same_everywhere() -> None:
    a = run([True] * 30 + [False] * 10)
    c = compare(a, a)
    assert c.paired == 40 and c.same_dataset and not c.changed
    assert {d.verdict for d in c.metrics} == {"same"}


def test_a_run_that_breaks_many_items_is_worse_beyond_its_interval() -> None:
    a, b = run([True] * 40), run([True] * 32 + [False] * 8)
    c = compare(a, b, resamples=500)
    recall = _delta(c, "citation_recall")
    assert (recall.a, recall.b, recall.delta) == (1.0, 0.8, -0.2)
    assert recall.low <= -0.2 <= recall.high < 0 and recall.verdict == "worse"
    assert _delta(c, "citation_validity").verdict == "same"
    assert [ch.change for ch in c.changed] == ["newly failing"] * 8
    first = c.changed[0]
    assert first.id == "q033" and first.expected == ["R33"]
    assert first.a.passed and first.a.cited == ["R33"] and first.a.answer == "Respuesta [R33]."
    assert not first.b.passed and first.b.cited == ["R83"] and first.b.failure == "cited none of the gold"


def test_one_item_flipped_in_forty_is_noise() -> None:
    a, b = run([True] * 40), run([True] * 39 + [False])
    recall = _delta(compare(a, b, resamples=500), "citation_recall")
    assert recall.delta == -0.025 and recall.high == 0 and recall.verdict == "noise"


def test_newly_failing_come_first_then_newly_passing_then_other_citations() -> None:
    a = run([True, True, False, False, True])
    b = run([True, False, True, False, True])
    b.items[3] = item(4, False, "en", cited=99)  # still failing, but citing something else
    order = [(ch.change, ch.id) for ch in compare(a, b, resamples=50).changed]
    assert order == [("newly failing", "q002"), ("newly passing", "q003"), ("citations changed", "q004")]


def test_languages_get_their_own_intervals() -> None:
    a, b = run([True] * 20), run([True] * 10 + [True, False] * 5)  # the English half breaks
    c = compare(a, b, resamples=300)
    assert _delta(c, "citation_recall", "lang:en").verdict == "worse"
    assert _delta(c, "citation_recall", "lang:es").verdict == "same"


def test_items_pair_by_id_and_other_datasets_are_flagged() -> None:
    a, b = run([True] * 10), run([True] * 6, sha="other")
    c = compare(a, b, resamples=50)
    assert (c.paired, c.only_a, c.only_b, c.same_dataset) == (6, 4, 0, False)


def test_runs_of_different_kinds_or_without_common_items_are_refused() -> None:
    drafts = [DraftItem(id="mix-R1", task="policy_mix", lang="es", question="R1", expected=["selective"],
                        answer="selective", correct=True)]
    drafting = DraftingRun(dataset="d", backend="extractive", embedding="e5-small", date="2026-12-07", machine="m",
                           metrics=draft_breakdown(drafts), items=drafts)
    with pytest.raises(UserInputError, match="holds answers .* holds drafting"):
        compare(run([True]), drafting)
    other = run([True])
    other.items[0].id = "zz"
    with pytest.raises(UserInputError, match="no item in common"):
        compare(run([True]), other)
