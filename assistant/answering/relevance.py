"""A second opinion on close candidates: the local model judges whether each one answers the question.

The learned reranker (`vectorstore.rerank`) orders candidates by retrieval features. On users'
paraphrases it often puts the right recommendation a logit or two under a neighbour that shares the
question's words: R47 (digital goods made by technology firms) over R5 (digital technology
extension) for "most small businesses barely use digital tools". When the answer is written by the
local model, that model is loaded anyway; before the sources are chosen it is asked, for each
citable candidate within `judge_window` logits of the best, "does this recommendation directly
answer the question? Yes or no" (`prompts/judge_relevance_*.md`, in the passage's language). The
candidate's logit moves by `judge_weight` times log P(yes) - log P(no) of the reply's first token,
clipped to +-CLIP, and the sources are then chosen as always (`assistant.answering.selection.choose`).

Only candidates that could be cited or displaced are judged (window 2.5: 1.6 judgements a question
on average, about 1 s each on 2 cores; a question whose best stands alone is not judged at all).
The judge reorders what retrieval found; it never adds a candidate, and citations are verified
against the retrieved hits afterwards as for every answer. A passage that tells the judge to say
yes moves its own logit by at most `judge_weight * CLIP`.

Chosen on the users' dev split (161 answerable questions, the shipped reranker's logits, the
1.5B model; weight 0.3-0.5 gave the same, 0.4 kept):

| weight | precision | recall |
|---|---|---|
| 0 (reranker only) | 0.864 | 0.863 |
| 0.3 | 0.877 | 0.873 |
| **0.4** | **0.879** | **0.873** |
| 0.5 | 0.879 | 0.873 |
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from assistant.answering.selection import QUOTABLE
from assistant.language import detect_language
from assistant.prompts import load_prompt
from assistant.settings import Settings
from vectorstore.models import Hit

CLIP = 3.0
JUDGED = 5  # at most this many citable candidates are judged (the measurement's setting)
PASSAGE_CHARS = 450  # a recommendation fits; a long passage is judged on its start


def prompts(question: str, hits: Sequence[Hit]) -> list[tuple[str, str]]:
    """One (system, user) prompt per passage, in the passage's language, the question first so that
    the prompts share their start."""
    out = []
    for hit in hits:
        passage = hit.chunk.text[:PASSAGE_CHARS]
        prompt = load_prompt("judge_relevance", detect_language(passage))
        out.append(prompt.render(question=question, passage=passage))
    return out


def rejudge(question: str, hits: Sequence[Hit], model: Any, settings: Settings) -> list[Hit]:
    """The hits reordered by the reranker's logit plus the model's verdict on the close ones.

    Unchanged when judging is off, the hits were not reranked, the model cannot judge, or fewer than
    two citable candidates are close enough to the best to change places."""
    cfg = settings.retrieval
    judge = getattr(model, "relevance", None)
    if cfg.judge == "off" or judge is None or not hits or any(h.rerank is None for h in hits):
        return list(hits)
    # Fitted and measured on the corpus's recommendations and slides; a user's document read by its
    # structure (tables by rows, coded sections) is ordered by retrieval alone: judging its tables
    # cost about 3 s before the first word, and the region pack's answers score 1.0 without it.
    citable = [h for h in hits if h.chunk.kind in QUOTABLE and h.chunk.section is None and not h.chunk.table]
    citable = citable[:JUDGED]
    if not citable:
        return list(hits)
    best = max(h.rerank for h in citable)  # type: ignore[type-var]
    close = [h for h in citable if best - h.rerank <= cfg.judge_window]  # type: ignore[operator]
    if len(close) < 2:
        return list(hits)
    try:
        verdicts = judge(prompts(question, close))
    except Exception:  # noqa: BLE001 - a judge failure leaves the reranker's order; the answer goes on
        return list(hits)
    moved = {h.id: cfg.judge_weight * max(-CLIP, min(CLIP, v)) for h, v in zip(close, verdicts, strict=True)}
    logits = {h.id: float(h.rerank) + moved.get(h.id, 0.0) for h in hits}  # type: ignore[arg-type]
    top = max(logits.values())
    ranked = sorted(hits, key=lambda h: -logits[h.id])
    return [h.model_copy(update={"rerank": round(logits[h.id] - top, 4),
                                 "score": round(math.exp(logits[h.id] - top), 4)}) for h in ranked]
