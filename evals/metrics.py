"""Per-item scores and their aggregation (definitions in the README's Evaluation section)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from assistant.models import Answer, Citation, SentenceCheck
from evals.dataset import EvalItem
from evals.language import LanguageCount, count
from evals.support import JudgedSentence, cited_text, judge, support
from vectorstore.registry import RecommendationRegistry

K = 5


class ItemScore(BaseModel):
    """What one item scored; None where a metric does not apply to it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    task: str
    lang: str
    split: str | None = None
    question: str
    expected: list[int]
    cited: list[int]
    cited_docs: list[str] = Field(default_factory=list)
    refused: bool
    recall_at_k: float | None = None
    mrr: float | None = None
    precision: float | None = None
    recall: float | None = None
    validity: float | None = None
    page_accuracy: float | None = None
    support: float | None = None
    abstained: bool | None = None
    wrongly_refused: bool | None = None
    seconds: float = 0.0
    first_token_s: float | None = Field(None, description="Time to the first streamed token (not for replays).")
    failure: str | None = None
    answer: str = Field("", description="The answer text, kept so a run can be audited and re-judged.")
    sources: dict[str, str] = Field(default_factory=dict, description="Marker -> the cited text.")
    citations: list[Citation] = Field(default_factory=list, description="The answer's citations as the store gave "
                                      "them, so a kept run can show its chips.")
    sentences: list[JudgedSentence] = Field(default_factory=list, description="Cited sentences, judged.")
    checks: list[SentenceCheck] = Field(default_factory=list, description="Generated sentences, as the gate judged them.")
    language: LanguageCount | None = Field(None, description="An answer to an English question: its shown sentences by language.")

    @property
    def passed(self) -> bool:
        """No failure and every citation valid (the report lists the others as failing)."""
        return self.failure is None and (self.validity is None or self.validity == 1)

    @property
    def cited_labels(self) -> list[str]:
        """What it cited, as chips show it: R80, or a document's id."""
        return [f"R{n}" for n in self.cited] + self.cited_docs



def score_item(item: EvalItem, ans: Answer, registry: RecommendationRegistry, seconds: float) -> ItemScore:
    """Score one answer against the item's gold and acceptable sets."""
    cited = [c.recommendation for c in ans.citations if c.recommendation is not None]
    docs = [c.doc_id for c in ans.citations if c.recommendation is None]
    ranked = [r.recommendation for r in ans.retrieved if r.recommendation is not None]
    retrieved_docs = {(r.doc_id, r.page) for r in ans.retrieved}
    s = ItemScore(id=item.id, task=item.task, lang=item.lang, split=item.split, question=item.question,
                  expected=item.gold,
                  cited=cited, cited_docs=docs, refused=ans.refused, seconds=round(seconds, 3),
                  answer=ans.answer, sources={c.marker: cited_text(c) for c in ans.citations}, checks=ans.checks,
                  citations=ans.citations)
    if item.lang == "en" and not ans.refused:  # asked in English: judged against English, whatever it was answered in
        s.language = count(ans.answer, "en")
    if "first_token" in ans.timings_ms and "retrieve" in ans.timings_ms:
        s.first_token_s = round((ans.timings_ms["retrieve"] + ans.timings_ms["first_token"]) / 1000, 3)
    if ans.citations:
        valid = [(c.recommendation in registry.hits and c.recommendation in ranked) if c.recommendation
                 else (c.doc_id, c.page) in retrieved_docs for c in ans.citations]
        s.validity = sum(valid) / len(valid)
        recs = [c for c in ans.citations if c.recommendation]
        if recs:
            s.page_accuracy = sum(tuple(c.panorama_pages) == registry.get(c.recommendation).panorama_pages  # type: ignore[union-attr]
                                  for c in recs) / len(recs)
        s.sentences = judge(ans)
        s.support = support(s.sentences)
    if item.task == "scope":
        s.abstained = ans.refused and not ans.citations
        s.failure = None if s.abstained else "answered an out-of-scope question"
        return s
    s.wrongly_refused = ans.refused
    gold = set(item.gold)
    allowed = gold | set(item.acceptable)
    if gold:
        s.recall_at_k = len(gold & set(ranked[:K])) / len(gold)
        s.mrr = next((1 / (i + 1) for i, n in enumerate(ranked) if n in gold), 0.0)
        s.recall = len(gold & set(cited)) / len(gold)
    if ans.citations:
        ok = [n in allowed for n in cited] + [d in item.gold_docs for d in docs]
        s.precision = sum(ok) / len(ok)
    if item.gold_docs:
        s.recall = 1.0 if set(item.gold_docs) & set(docs) else 0.0
    if ans.refused:
        s.failure = "refused an in-scope question"
    elif s.precision is not None and s.precision < 1:
        s.failure = "cited outside gold and acceptable"
    elif s.recall is not None and s.recall == 0:
        s.failure = "cited none of the gold"
    return s


def _mean(values: Sequence[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def aggregate(scores: Sequence[ItemScore]) -> dict[str, float | int | None]:
    """The metrics of a group of items."""
    p, r = _mean([s.precision for s in scores]), _mean([s.recall for s in scores])
    checks = [c for s in scores for c in s.checks]
    secs = sorted(s.seconds for s in scores)
    firsts = [s.first_token_s for s in scores if s.first_token_s is not None]
    return {
        "items": len(scores),
        "recall_at_5": _mean([s.recall_at_k for s in scores]),
        "mrr": _mean([s.mrr for s in scores]),
        "citation_precision": p,
        "citation_recall": r,
        "citation_f1": round(2 * p * r / (p + r), 4) if p and r else None,
        "citation_validity": _mean([s.validity for s in scores]),
        "page_accuracy": _mean([s.page_accuracy for s in scores]),
        "support": _mean([s.support for s in scores]),
        # The support gate on the model's own sentences (pooled): passed, and removed as invented or repeated.
        "generated": len(checks),
        "gate_pass": round(sum(c.ok for c in checks) / len(checks), 4) if checks else None,
        "invented": round(sum(c.reason == "novel" for c in checks) / len(checks), 4) if checks else None,
        "repeated": round(sum(c.reason == "repeated" for c in checks) / len(checks), 4) if checks else None,
        "abstention": _mean([float(s.abstained) for s in scores if s.abstained is not None]),
        "wrong_refusal": _mean([float(s.wrongly_refused) for s in scores if s.wrongly_refused is not None]),
        "latency_p50_s": round(statistics.median(secs), 3) if secs else None,
        "latency_p95_s": round(secs[min(len(secs) - 1, int(0.95 * len(secs)))], 3) if secs else None,
        "first_token_p50_s": round(statistics.median(firsts), 3) if firsts else None,
        # Answers to English questions (evals.language): shown sentences in English, and marked translations.
        "in_language": _share([s.language for s in scores], "in_language"),
        "translated": _share([s.language for s in scores], "translated"),
    }


def _share(counts: Sequence[LanguageCount | None], field: str) -> float | None:
    judged = [c for c in counts if c is not None]
    total = sum(c.sentences for c in judged)
    return round(sum(getattr(c, field) for c in judged) / total, 4) if total else None


def breakdown(scores: Sequence[ItemScore]) -> dict[str, dict[str, float | int | None]]:
    """Overall, per task and per language."""
    groups: dict[str, list[ItemScore]] = {"overall": list(scores)}
    for s in scores:
        groups.setdefault(f"task:{s.task}", []).append(s)
        groups.setdefault(f"lang:{s.lang}", []).append(s)
        if s.split:
            groups.setdefault(f"split:{s.split}", []).append(s)
    order = {"overall": 0, "split": 1, "lang": 2, "task": 3}
    names = sorted(groups, key=lambda n: (order[n.split(":")[0]], n))
    return {name: aggregate(groups[name]) for name in names}
