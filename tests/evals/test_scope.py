"""The scope fit replays the product's own rule and finds thresholds that separate the probes."""

from __future__ import annotations

import random

from assistant.answering.answer import in_scope
from assistant.settings import Settings
from evals.scope import GRID, Probe, accepted, errors, fit, fit_off_topic, fit_on_topic
from vectorstore.hybrid import Evidence


def _probe(i: int, answerable: bool, top: float, margin: float, bm25: float, off: float = 0.0,
           asked: float = 0.0) -> Probe:
    return Probe(id=str(i), split="dev", lang="en", answerable=answerable, dense_top=top, dense_margin=margin,
                 bm25_top=bm25, off_topic=off, asked_top=asked)


def test_the_replayed_rule_is_the_products_rule() -> None:
    rng = random.Random(3)
    settings = Settings()
    t = settings.retrieval.model_dump(include={*GRID, "scope_off_topic"})
    for i in range(500):
        p = _probe(i, True, rng.uniform(0.75, 0.9), rng.uniform(0, 0.08), rng.uniform(0, 6), rng.uniform(-0.05, 0.05),
                   rng.uniform(0.8, 0.95))
        ev = Evidence(dense_top=p.dense_top, dense_margin=p.dense_margin, bm25_top=p.bm25_top, off_topic=p.off_topic,
                      asked_top=p.asked_top)
        assert accepted(p, t) == in_scope(ev, settings)


def test_fit_separates_what_can_be_separated() -> None:
    rng = random.Random(5)
    ps = [_probe(i, True, rng.uniform(0.845, 0.9), rng.uniform(0, 0.05), rng.uniform(0, 5)) for i in range(40)]
    ps += [_probe(100 + i, False, rng.uniform(0.78, 0.835), rng.uniform(0, 0.012), rng.uniform(0, 0.9))
           for i in range(20)]
    t = fit(ps)
    assert errors(ps, t) == (0, 0)
    wrong, missed = errors(ps, {"scope_accept": 0.9, "scope_floor": 0.9, "scope_margin": 1.0, "scope_bm25": 99})
    assert wrong == 40 and missed == 0, "a gate that refuses everything is counted as such"


def test_off_topic_fit_is_the_strictest_within_the_wrong_refusal_budget() -> None:
    base = Settings().retrieval.model_dump(include=set(GRID))
    # 100 answerable questions, strongly in scope by similarity, with off-topic contrasts spread out;
    # 20 out-of-scope ones that pass the similarity gate and differ only by their contrast.
    ps = [_probe(i, True, 0.86, 0.05, 4.0, -0.03 + 0.0004 * i) for i in range(100)]  # up to +0.0096
    ps += [_probe(200 + i, False, 0.86, 0.05, 4.0, 0.0 + 0.001 * i) for i in range(20)]
    t = fit_off_topic(ps, base)
    wrong, missed = errors(ps, t)
    assert wrong <= 2, "within the 0.02 budget"
    stricter = {**t, "scope_off_topic": t["scope_off_topic"] - 0.0025}
    assert errors(ps, stricter)[0] > 2 or errors(ps, stricter)[1] >= missed


def test_on_topic_fit_answers_clear_paraphrases_below_the_floor_without_letting_more_through() -> None:
    base = Settings().retrieval.model_dump(include={*GRID, "scope_off_topic"})
    # answerable questions under the similarity floor, clearly nearer the corpus than any uncovered domain
    ps = [_probe(i, True, 0.79, 0.01, 0.5, round(-0.06 + 0.005 * i, 4)) for i in range(5)]  # -0.06 .. -0.04
    ps += [_probe(10 + i, False, 0.79, 0.01, 0.5, round(-0.03 + 0.005 * i, 4)) for i in range(5)]  # out of scope
    ps += [_probe(20 + i, True, 0.86, 0.05, 4.0, 0.0) for i in range(20)]
    t = fit_on_topic(ps, base)
    assert errors(ps, t) == (0, 0)
    assert t["scope_on_topic"] == -0.04, "the strictest value that answers all five"
    ev = Evidence(dense_top=0.79, dense_margin=0.0, bm25_top=0.0, off_topic=-0.05)
    assert in_scope(ev, Settings.model_construct(retrieval=Settings().retrieval.model_copy(update=t)))
    assert not in_scope(ev.model_copy(update={"off_topic": -0.02}), Settings())


def test_a_question_asked_as_a_recommendation_answers_is_in_scope_unless_off_topic() -> None:
    settings = Settings()
    below_floor = Evidence(dense_top=0.79, dense_margin=0.0, bm25_top=0.0, off_topic=0.0)
    assert not in_scope(below_floor, settings)
    near = below_floor.model_copy(update={"asked_top": settings.retrieval.scope_asked})
    assert in_scope(near, settings)
    assert not in_scope(near.model_copy(update={"off_topic": settings.retrieval.scope_off_topic}), settings)
