"""The learned reranker (`vectorstore/rerank.py`) fitted on `dev` items and reported on `test`.

    python -m evals.rerank fit       (weights and cite margin from the dev items only; writes rerank.json)
    python -m evals.rerank report    (fused order vs the shipped reranker, per set, split and language)

Each answerable question (`qa` and `slides` items) is retrieved once, as `ask` would, and every fused
candidate described (`HybridRetriever.candidates_for`). A candidate is right when it is a gold
recommendation, or, for `slides` items, a passage of the gold document.

`fit` trains a softmax over each question's candidates (L2-regularised logistic weights, features
standardised) on every dev item, then picks the cite margin: each dev item is scored by a model
fitted without its fold (5 folds, three draws of the folds), and the margin with the best mean citation F1 on those held-out scores
is kept. The test split is never read by `fit`.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from assistant.answering.selection import QUOTABLE, choose
from assistant.settings import Settings
from evals.dataset import DATASETS, DEFAULT_DATASET, load_dataset
from ingestion.models import Chunk
from vectorstore.models import Hit
from vectorstore.rerank import FEATURES, WEIGHTS, RerankModel, features

SETS = [DEFAULT_DATASET, DATASETS / "eval_users_dev.jsonl", DATASETS / "eval_users_v1.jsonl"]
MARGINS = [0.25 * i for i in range(0, 17)]
L2 = 0.01
FOLDS = 5
SHUFFLES = 3


class Question(BaseModel):
    """One question's candidates: features, what is right, what is acceptable."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    id: str
    dataset: str
    split: str
    lang: str
    matrix: np.ndarray
    kinds: list[str]
    right: list[bool]
    allowed: list[bool]
    gold: int


def questions(paths: Sequence[Path], settings: Settings) -> list[Question]:
    """Describe every answerable qa/slides question's candidates (follow-ups and lookups skipped)."""
    from assistant.answering.lookup import find_lookup
    from assistant.services import get_retriever

    retriever = get_retriever(settings.model_copy(update={  # candidates only: the shipped weights are not read
        "retrieval": settings.retrieval.model_copy(update={"rerank": False})}))
    out = []
    for path in paths:
        for item in load_dataset(path):
            if item.task not in ("qa", "slides") or item.history or find_lookup(item.question) is not None:
                continue
            if not item.gold and not item.gold_docs:
                continue
            hits, cands, _ = retriever.candidates_for(item.question)
            if not hits:
                continue
            gold, ok = set(item.gold), set(item.gold) | set(item.acceptable)
            right = [(h.chunk.recommendation in gold) if h.chunk.recommendation is not None
                     else h.chunk.doc_id in item.gold_docs and not item.gold for h in hits]
            allowed = [(h.chunk.recommendation in ok) if h.chunk.recommendation is not None
                       else h.chunk.doc_id in item.gold_docs for h in hits]
            out.append(Question(id=item.id, dataset=path.name, split=item.split or "test", lang=item.lang,
                                matrix=features(cands), kinds=[h.chunk.kind for h in hits], right=right,
                                allowed=allowed, gold=max(len(item.gold), 1)))
    return out


def train(qs: Sequence[Question], l2: float = L2, iters: int = 1500, lr: float = 0.1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(weights, mean, scale) of a softmax over each question's candidates, by gradient descent."""
    used = [q for q in qs if any(q.right)]
    stacked = np.concatenate([q.matrix for q in used])
    mean, std = stacked.mean(0), stacked.std(0)
    scale = np.where(std > 1e-6, std, 1.0)  # a feature constant on dev (no user text there) keeps weight 0
    xs = [(q.matrix - mean) / scale for q in used]
    ys = [np.asarray(q.right, dtype=float) / sum(q.right) for q in used]
    w = np.zeros(stacked.shape[1])
    for _ in range(iters):
        grad = l2 * w
        for x, y in zip(xs, ys, strict=True):
            s = x @ w
            p = np.exp(s - s.max())
            grad += x.T @ (p / p.sum() - y) / len(xs)
        w -= lr * grad
    return w, mean, scale


Logits = Sequence[float] | np.ndarray


def cited(q: Question, logits: Logits | None, within: float) -> list[int]:
    """The candidates an answer cites: `assistant.answering.selection.choose` itself, on the reranked candidates."""
    if logits is None:  # fused order: the top only (the older rule also needs dense closeness)
        return [i for i, kind in enumerate(q.kinds) if kind in QUOTABLE][:1]
    order = sorted(range(len(q.kinds)), key=lambda i: -logits[i])
    hits = [Hit(id=str(i), rerank=float(logits[i]),
                chunk=Chunk(doc_id=q.dataset, kind=q.kinds[i], text="-", source=q.dataset, ordinal=i))  # type: ignore[arg-type]
            for i in order]
    return [int(h.id) for h in choose(hits, cite_within=within)]


def scores(qs: Sequence[Question], logits: Sequence[Logits | None], within: float) -> dict[str, float]:
    """Top-1 accuracy, citation precision and recall of a set of questions."""
    r1, prec, rec = [], [], []
    for q, lg in zip(qs, logits, strict=True):
        chosen = cited(q, lg, within)
        first = chosen[0] if chosen else None
        r1.append(float(first is not None and q.right[first]))
        prec.append(sum(q.allowed[i] for i in chosen) / len(chosen) if chosen else 0.0)
        rec.append(min(1.0, sum(q.right[i] for i in chosen) / q.gold))
    n = max(len(qs), 1)
    p, r = sum(prec) / n, sum(rec) / n
    return {"n": len(qs), "top1": round(sum(r1) / n, 3), "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def _logits(model: tuple[np.ndarray, np.ndarray, np.ndarray], q: Question) -> np.ndarray:
    w, mean, scale = model
    return ((q.matrix - mean) / scale) @ w


def held_out(dev: Sequence[Question], shuffle: int) -> list[Logits | None]:
    """Each dev question's logits from a model fitted without its fold (folds drawn by `shuffle`)."""
    order = list(range(len(dev)))
    random.Random(shuffle).shuffle(order)
    held: list[Logits | None] = [None] * len(dev)
    for fold in range(FOLDS):
        model = train([dev[i] for k, i in enumerate(order) if k % FOLDS != fold])
        for k, i in enumerate(order):
            if k % FOLDS == fold:
                held[i] = _logits(model, dev[i])
    return held


def fit(qs: Sequence[Question]) -> tuple[RerankModel, list[dict[str, float]]]:
    """Weights from every dev question; the cite margin from 5-fold held-out scores on them, averaged
    over SHUFFLES draws of the folds (one draw's best margin moves with the draw)."""
    dev = [q for q in qs if q.split == "dev"]
    draws = [held_out(dev, s) for s in range(SHUFFLES)]
    table = []
    for m in MARGINS:
        rows = [scores(dev, held, m) for held in draws]
        p, r = (sum(row[k] for row in rows) / len(rows) for k in ("precision", "recall"))
        table.append({"margin": m, "n": len(dev), "top1": round(sum(row["top1"] for row in rows) / len(rows), 3),
                      "precision": round(p, 3), "recall": round(r, 3),
                      "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0})
    best = max(table, key=lambda row: (row["f1"], -row["margin"]))
    w, mean, scale = train(dev)
    sets = sorted({q.dataset for q in dev})
    return RerankModel(features=list(FEATURES), weights=[round(float(x), 5) for x in w],
                       mean=[round(float(x), 5) for x in mean], scale=[round(float(x), 5) for x in scale],
                       cite_within=best["margin"], fitted_on=[f"{s} (dev)" for s in sets],
                       note=f"{len(dev)} dev questions; cite margin by 5-fold held-out citation F1, "
                       f"mean of {SHUFFLES} fold draws"), table


def report(qs: Sequence[Question], model: RerankModel) -> list[str]:
    """Rows: fused order vs reranker, per dataset, split and language."""
    lines = ["| set · split · language | n | top-1 fused → reranked | precision (reranked) | recall (reranked) |",
             "|---|---|---|---|---|"]
    groups: dict[tuple[str, str, str], list[Question]] = {}
    for q in qs:
        for lang in (q.lang, "all"):
            groups.setdefault((q.dataset, q.split, lang), []).append(q)
    for (dataset, split, lang), group in sorted(groups.items()):
        before = scores(group, [None] * len(group), 0.0)
        after = scores(group, [model.score(q.matrix) for q in group], model.cite_within)
        lines.append(f"| {dataset} · {split} · {lang} | {len(group)} | {before['top1']:.3f} → {after['top1']:.3f} "
                     f"| {after['precision']:.3f} | {after['recall']:.3f} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.rerank", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["fit", "report"])
    parser.add_argument("datasets", nargs="*", type=Path, default=SETS)
    parser.add_argument("--out", type=Path, default=WEIGHTS, help="where fit writes the model (default: the shipped one)")
    args = parser.parse_args(argv)
    settings = Settings()
    qs = questions(args.datasets, settings)
    if args.action == "fit":
        model, table = fit(qs)
        print("| cite margin | n | top-1 | precision | recall | F1 |\n|---|---|---|---|---|---|")
        for row in table:
            print(f"| {row['margin']:.2f} | {row['n']} | {row['top1']:.3f} | {row['precision']:.3f} "
                  f"| {row['recall']:.3f} | {row['f1']:.3f} |")
        args.out.write_text(model.model_dump_json(indent=1) + "\n", encoding="utf-8")
        print(f"cite margin {model.cite_within}; wrote {args.out}")
        return 0
    from vectorstore.rerank import load

    print("\n".join(report(qs, load(args.out))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
