"""Learned reranking: order the hybrid candidates by a linear model over retrieval features.

Reciprocal rank fusion weighs the dense and the BM25 lists alike for every question. Users'
paraphrases ("plata propia" for co-financing) often put the right recommendation second or third
in one list and nowhere in the other, and fusion cannot tell. The reranker looks at more evidence
for each candidate: its dense and BM25 scores and ranks, the fused score, how close the question is
to the recommendation's text and to its reviewed English rendering compared question to question
(the vectors `vectorstore.topics` already holds), how close it is to the recommendation's guideline
title, how close it is to the questions the recommendation answers (`ingestion.booklet_questions`:
a planner's words meet a planner's words, in either language), and the kind of passage. A softmax over the candidates of one question turns the weighted
sum into a distribution; the top candidate is cited, and others within `cite_within` of it.

The weights are data (`rerank.json`), fitted by `python -m evals.rerank fit` on the `dev` splits only
and reported on `test` by `python -m evals.rerank report`. Every feature is relative to the
question's best candidate, so the model does not depend on a question's absolute similarity level.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

WEIGHTS = Path(__file__).with_name("rerank.json")

FEATURES = ("fused", "dense", "rr_dense", "bm25", "rr_bm25", "sym", "sym_en", "rr_sym", "guideline",
            "is_heading", "is_slide", "is_text", "sym_q")


class RerankModel(BaseModel):
    """A fitted linear reranker: standardise the features, weigh them, cite within `cite_within`."""

    model_config = ConfigDict(extra="forbid")

    features: list[str]
    weights: list[float]
    mean: list[float]
    scale: list[float]
    cite_within: float = Field(description="Cite a further source whose score is this close to the top's (logits).")
    fitted_on: list[str] = Field(default_factory=list, description="The datasets and splits the fit saw.")
    note: str = ""

    def score(self, matrix: np.ndarray) -> np.ndarray:
        """One logit per candidate row (the matrix's columns are FEATURES, in that order)."""
        if len(self.features) != matrix.shape[1]:
            raise ValueError(f"reranker fitted on {len(self.features)} features, given {matrix.shape[1]}: "
                             "refit it (python -m evals.rerank fit)")
        return ((matrix - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.weights)


@functools.cache
def load(path: Path = WEIGHTS) -> RerankModel:
    """The shipped reranker (read once per process)."""
    return RerankModel.model_validate(json.loads(path.read_text(encoding="utf-8")))


class Candidate(BaseModel):
    """What retrieval knows of one candidate passage, before reranking."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    fused: float
    dense: float | None = None
    dense_rank: int | None = None
    bm25: float = 0.0
    bm25_rank: int | None = None
    sym_es: float | None = Field(None, description="Question-to-text similarity (booklet units only).")
    sym_en: float | None = Field(None, description="Question-to-English-rendering similarity, if it has one.")
    guideline: float | None = Field(None, description="Question-to-guideline-title similarity (recommendations).")
    sym_q: float | None = Field(None, description="Mean similarity to the two nearest of the questions a booklet "
                                "recommendation answers (ingestion.booklet_questions), if it has them.")


def _reciprocal(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / (rank + 1)


def features(cands: Sequence[Candidate]) -> np.ndarray:
    """The feature matrix (rows: candidates, columns: FEATURES), each relative to the question's best."""
    n = len(cands)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    seen = [c.dense for c in cands if c.dense is not None]
    floor = min(seen) if seen else 0.0
    dense = np.array([c.dense if c.dense is not None else floor for c in cands])
    dense_rel = dense - dense.max()
    bm25 = np.array([c.bm25 for c in cands])
    bm25_rel = bm25 / bm25.max() if bm25.max() > 0 else bm25
    # Question-to-text similarity of booklet units; other passages (slides, a user's text) fall back on dense.
    sym = np.array([max(c.sym_es, c.sym_en if c.sym_en is not None else c.sym_es)
                    if c.sym_es is not None else np.nan for c in cands])
    sym_en = np.array([(c.sym_en if c.sym_en is not None else c.sym_es) if c.sym_es is not None else np.nan
                       for c in cands])
    booklet = ~np.isnan(sym)
    sym_rel = np.where(booklet, sym - (np.nanmax(sym) if booklet.any() else 0.0), dense_rel)
    sym_en_rel = np.where(booklet, sym_en - (np.nanmax(sym_en) if booklet.any() else 0.0), dense_rel)
    order = sorted(range(n), key=lambda i: -sym_rel[i])
    rr_sym = np.zeros(n)
    rr_sym[order] = 1.0 / (np.arange(n) + 1)
    guideline = np.array([c.guideline if c.guideline is not None else np.nan for c in cands])
    has_guideline = ~np.isnan(guideline)
    guideline_rel = np.where(has_guideline, guideline - (np.nanmax(guideline) if has_guideline.any() else 0.0), 0.0)
    asked = np.array([c.sym_q if c.sym_q is not None else np.nan for c in cands])
    has_asked = ~np.isnan(asked)
    sym_q_rel = np.where(has_asked, asked - (np.nanmax(asked) if has_asked.any() else 0.0), dense_rel)
    kinds = [c.kind for c in cands]
    columns = {
        "fused": np.array([c.fused for c in cands]),
        "dense": dense_rel,
        "rr_dense": np.array([_reciprocal(c.dense_rank) for c in cands]),
        "bm25": bm25_rel,
        "rr_bm25": np.array([_reciprocal(c.bm25_rank) for c in cands]),
        "sym": sym_rel,
        "sym_en": sym_en_rel,
        "rr_sym": rr_sym,
        "guideline": guideline_rel,
        "is_heading": np.array([k not in ("recommendation", "slide", "text") for k in kinds], dtype=float),
        "is_slide": np.array([k == "slide" for k in kinds], dtype=float),
        "is_text": np.array([k == "text" for k in kinds], dtype=float),
        "sym_q": sym_q_rel,
    }
    return np.stack([columns[f] for f in FEATURES], axis=1)


def relative_scores(logits: np.ndarray) -> np.ndarray:
    """exp(logit - best): the best candidate scores 1.0, and `cite_within` maps to exp(-cite_within)."""
    if not len(logits):
        return logits
    return np.exp(logits - logits.max())
