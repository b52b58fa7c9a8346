"""The scope fit replays the product's own rule and finds thresholds that separate the probes."""

from __future__ import annotations

import random

from assistant.answer import in_scope
from assistant.settings import Settings
from evals.scope import GRID, Probe, accepted, errors, fit
from vectorstore.hybrid import Evidence


def _probe(i: int, answerable: bool, top: float, margin: float, bm25: float) -> Probe:
    return Probe(id=str(i), split="dev", lang="en", answerable=answerable, dense_top=top, dense_margin=margin,
                 bm25_top=bm25)


def test_the_replayed_rule_is_the_products_rule() -> None:
    rng = random.Random(3)
    settings = Settings()
    t = settings.retrieval.model_dump(include=set(GRID))
    for i in range(500):
        p = _probe(i, True, rng.uniform(0.75, 0.9), rng.uniform(0, 0.08), rng.uniform(0, 6))
        ev = Evidence(dense_top=p.dense_top, dense_margin=p.dense_margin, bm25_top=p.bm25_top)
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
