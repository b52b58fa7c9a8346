"""Small hand-made runs for the history's tests (the real eval runs are in test_gate and test_cli)."""

from __future__ import annotations

from evals.metrics import ItemScore, breakdown
from evals.runner import EvalRun


def item(n: int, good: bool, lang: str = "es", cited: int | None = None) -> ItemScore:
    """Item n, gold R{n}: right (cites its gold) or wrong (cites R{n+50})."""
    got = n if good else (cited or n + 50)
    return ItemScore(id=f"q{n:03}", task="qa", lang=lang, question=f"¿Pregunta {n}?", expected=[n], cited=[got],
                     refused=False, recall_at_k=1.0 if good else 0.0, precision=1.0 if good else 0.0,
                     recall=1.0 if good else 0.0, validity=1.0, page_accuracy=1.0, wrongly_refused=False,
                     seconds=0.05, failure=None if good else "cited none of the gold", answer=f"Respuesta [R{got}].")


def run(goods: list[bool], dataset: str = "mini.jsonl", sha: str = "abc") -> EvalRun:
    """A run whose item i is right when goods[i]; half English."""
    items = [item(i + 1, g, "en" if i % 2 else "es") for i, g in enumerate(goods)]
    return EvalRun(dataset=dataset, backend="extractive", embedding="e5-small", date="2026-12-07", machine="test",
                   started="2026-12-07T10:00:00+00:00", dataset_sha256=sha, metrics=breakdown(items), items=items)
