"""The reranker's fit: it learns what separates right candidates, replays the product's choice, and
never reads the test split."""

from __future__ import annotations

import random

import numpy as np

from assistant.answering.selection import choose
from evals.rerank import Question, cited, fit, scores, train
from ingestion.models import Chunk
from vectorstore.models import Hit
from vectorstore.rerank import FEATURES


def _question(i: int, rng: random.Random, split: str = "dev", flip: bool = False) -> Question:
    """Ten candidates; the right one is the one with the highest 'sym' (or the lowest, when flipped)."""
    matrix = np.array([[rng.uniform(-1, 1) for _ in FEATURES] for _ in range(10)])
    sym = matrix[:, FEATURES.index("sym")]
    right = int(np.argmin(sym) if flip else np.argmax(sym))
    return Question(id=str(i), dataset="d.jsonl", split=split, lang="es", matrix=matrix,
                    kinds=["recommendation"] * 10, right=[j == right for j in range(10)],
                    allowed=[j == right for j in range(10)], gold=1)


def test_training_learns_the_feature_that_separates_right_candidates() -> None:
    rng = random.Random(1)
    qs = [_question(i, rng) for i in range(60)]
    w, mean, scale = train(qs, iters=400)
    assert int(np.argmax(w)) == FEATURES.index("sym")
    held = [_question(100 + i, rng) for i in range(30)]
    result = scores(held, [((q.matrix - mean) / scale) @ w for q in held], 0.0)
    assert result["top1"] >= 0.8  # chance is 0.1


def test_fit_reads_only_dev_questions() -> None:
    rng = random.Random(2)
    dev = [_question(i, rng) for i in range(40)]
    test = [_question(100 + i, rng, split="test", flip=True) for i in range(40)]  # the opposite signal
    alone, _ = fit(dev)
    mixed, _ = fit(dev + test)
    assert alone.weights == mixed.weights and alone.cite_within == mixed.cite_within
    assert alone.fitted_on == ["d.jsonl (dev)"]


def test_the_replayed_choice_is_the_products_choice() -> None:
    rng = random.Random(3)
    kinds = ["recommendation", "recommendation", "guideline", "slide", "recommendation", "text"]
    for trial in range(200):
        logits = sorted((rng.uniform(-3, 3) for _ in kinds), reverse=True)
        order = rng.sample(kinds, len(kinds))
        hits = [Hit(id=str(j), rerank=lg, chunk=Chunk(doc_id="b", kind=k, text="t", source="b", ordinal=j,
                                                       recommendation=j if k == "recommendation" else None))
                for j, (k, lg) in enumerate(zip(order, logits, strict=True))]
        q = Question(id=str(trial), dataset="d", split="dev", lang="es", matrix=np.zeros((len(hits), len(FEATURES))),
                     kinds=order, right=[False] * len(hits), allowed=[False] * len(hits), gold=1)
        within = rng.choice([0.0, 0.5, 2.0, 9.0])
        assert [int(h.id) for h in choose(hits, cite_within=within)] == cited(q, logits, within)
