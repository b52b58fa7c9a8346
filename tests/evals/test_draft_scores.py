"""Drafting results as history items: why an item fails, the metrics, and a comparison of two drafting runs."""

from __future__ import annotations

from evals.draft_scores import DraftingRun, DraftItem, aggregate, breakdown, failure_of
from evals.history.compare import compare


def _request(n: int, facts: int, supported: int, uncited: int, lang: str = "es") -> DraftItem:
    item = DraftItem(id=f"section:R{n}", task="section", lang=lang, question=f"section {n}", answer="## Turismo",
                     cited=["erd-los-arrayanes p. 4"], facts=facts, supported=supported, uncited=uncited, seconds=1.0)
    item.failure = failure_of(item)
    return item


def _mix(n: int, guess: str, label: str = "selective") -> DraftItem:
    item = DraftItem(id=f"mix-R{n}", task="policy_mix", lang="es", question=f"R{n}", expected=[label], answer=guess,
                     correct=guess == label)
    item.failure = failure_of(item)
    return item


def _run(items: list[DraftItem]) -> DraftingRun:
    return DraftingRun(dataset="drafting", backend="extractive", embedding="e5-small", date="2026-12-07",
                       machine="m", metrics=breakdown(items), items=items)


def test_an_item_fails_on_an_uncited_or_unheld_figure_or_a_wrong_class() -> None:
    assert _request(1, 4, 4, 0).passed
    assert failure_of(_request(2, 4, 3, 1)) == "1 region facts cite no regional passage"
    assert failure_of(_request(3, 4, 3, 0)) == "a cited regional passage does not hold a figure"
    assert _mix(4, "selective").passed and _mix(5, "frontier").failure == "classed as frontier"


def test_metrics_pool_facts_over_requests_and_score_the_policy_mix() -> None:
    m = aggregate([_request(1, 6, 6, 0), _request(2, 4, 2, 2), _mix(3, "selective"), _mix(4, "transversal")])
    assert (m["region_facts"], m["supported"], m["uncited"], m["uncited_share"], m["policy_mix_accuracy"]) == \
        (10, 0.8, 2, 0.2, 0.5)


def test_two_drafting_runs_compare_like_answer_runs() -> None:
    before = _run([_request(i, 5, 5, 0) for i in range(10)] + [_mix(i, "selective") for i in range(20)])
    after = _run([_request(i, 5, 5, 0) for i in range(10)] + [_mix(i, "selective" if i < 10 else "frontier")
                                                              for i in range(20)])
    c = compare(before, after, resamples=300)
    mix = next(d for d in c.metrics if d.metric == "policy_mix_accuracy" and d.group == "overall")
    assert (mix.a, mix.b, mix.verdict) == (1.0, 0.5, "worse")
    assert len(c.changed) == 10 and c.changed[0].change == "newly failing" and c.changed[0].b.answer == "frontier"
