"""Two runs side by side: metric deltas with paired bootstrap intervals, and the items that changed.

Items are paired by id. The interval resamples the paired items (with replacement) and recomputes
every metric on both runs from the same resample, so a reader can tell a real change from noise:
an interval that holds zero is noise at that confidence.
"""

from __future__ import annotations

import random
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import UserInputError
from evals.history.store import Run
from evals.provenance import RunMeta

# +1: higher is better; -1: lower is better. Metrics not named here are shown without a verdict.
DIRECTION = {"recall_at_5": 1, "mrr": 1, "citation_precision": 1, "citation_recall": 1, "citation_f1": 1,
             "citation_validity": 1, "page_accuracy": 1, "support": 1, "gate_pass": 1, "abstention": 1,
             "in_language": 1, "invented": -1, "repeated": -1, "wrong_refusal": -1, "latency_p50_s": -1,
             "latency_p95_s": -1, "first_token_p50_s": -1,
             "supported": 1, "policy_mix_accuracy": 1, "uncited_share": -1, "uncited": -1}
COUNTS = {"items", "generated", "requests", "region_facts"}
Verdict = Literal["better", "worse", "noise", "same"]


class MetricDelta(BaseModel):
    """One metric of one group in both runs, their difference (b - a) and its interval."""

    model_config = ConfigDict(extra="forbid")

    group: str
    metric: str
    a: float
    b: float
    delta: float
    low: float
    high: float
    verdict: Verdict = Field(description="better/worse: the interval is all on one side of zero; noise: it holds zero.")


class ItemSide(BaseModel):
    """An item as one run answered it."""

    model_config = ConfigDict(extra="forbid")

    passed: bool
    cited: list[str]
    failure: str | None
    answer: str
    seconds: float


class ItemChange(BaseModel):
    """An item whose verdict or citations differ between the runs, with both answers."""

    model_config = ConfigDict(extra="forbid")

    id: str
    task: str
    lang: str
    question: str
    expected: list[str]
    change: Literal["newly failing", "newly passing", "citations changed"]
    a: ItemSide
    b: ItemSide


class Comparison(BaseModel):
    """Run b against run a."""

    model_config = ConfigDict(extra="forbid")

    a: RunMeta
    b: RunMeta
    same_dataset: bool
    paired: int
    only_a: int
    only_b: int
    resamples: int
    confidence: float
    metrics: list[MetricDelta]
    changed: list[ItemChange]


def _meta(run: Run) -> RunMeta:
    return RunMeta.model_validate(run.model_dump(include=set(RunMeta.model_fields)))


def _side(item: Any) -> ItemSide:
    return ItemSide(passed=item.passed, cited=item.cited_labels, failure=item.failure, answer=item.answer,
                    seconds=item.seconds)


def _expected(item: Any) -> list[str]:
    return [f"R{n}" if isinstance(n, int) else str(n) for n in item.expected]


def changed_items(pairs: list[tuple[Any, Any]]) -> list[ItemChange]:
    """Items whose pass/fail or citations differ: newly failing first, then newly passing, then the rest."""
    out = []
    for x, y in pairs:
        if x.passed and not y.passed:
            change = "newly failing"
        elif y.passed and not x.passed:
            change = "newly passing"
        elif sorted(x.cited_labels) != sorted(y.cited_labels):
            change = "citations changed"
        else:
            continue
        out.append(ItemChange(id=x.id, task=x.task, lang=x.lang, question=x.question, expected=_expected(x),
                              change=change, a=_side(x), b=_side(y)))
    order = {"newly failing": 0, "newly passing": 1, "citations changed": 2}
    return sorted(out, key=lambda c: order[c.change])


def _verdict(delta: float, low: float, high: float, direction: int) -> Verdict:
    if delta == 0 and low == 0 and high == 0:
        return "same"
    if direction and low > 0:
        return "better" if direction > 0 else "worse"
    if direction and high < 0:
        return "worse" if direction > 0 else "better"
    return "noise"


def bootstrap(pairs: list[tuple[Any, Any]], aggregate: Any, group: str, resamples: int, confidence: float,
              rng: random.Random) -> list[MetricDelta]:
    """Deltas of every metric over `pairs`, with percentile intervals from paired resamples."""
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    full_a, full_b = aggregate(xs), aggregate(ys)
    names = [m for m in full_a if m not in COUNTS and full_a[m] is not None and full_b.get(m) is not None]
    diffs: dict[str, list[float]] = {m: [] for m in names}
    n = len(pairs)
    for _ in range(resamples):
        idx = [rng.randrange(n) for _ in range(n)]
        ma, mb = aggregate([xs[i] for i in idx]), aggregate([ys[i] for i in idx])
        for m in names:
            if ma[m] is not None and mb[m] is not None:
                diffs[m].append(mb[m] - ma[m])
    out = []
    tail = (1 - confidence) / 2
    for m in names:
        d = sorted(diffs[m]) or [0.0]
        low, high = d[int(tail * len(d))], d[max(0, int((1 - tail) * len(d)) - 1)]
        delta = round(full_b[m] - full_a[m], 4)  # type: ignore[operator]
        out.append(MetricDelta(group=group, metric=m, a=full_a[m], b=full_b[m], delta=delta, low=round(low, 4),  # type: ignore[arg-type]
                               high=round(high, 4), verdict=_verdict(delta, low, high, DIRECTION.get(m, 0))))
    return out


def compare(a: Run, b: Run, *, resamples: int = 1000, confidence: float = 0.95, seed: int = 2026,
            groups: bool = True) -> Comparison:
    """Run b against run a, item by item; `groups` adds one block of metrics per language."""
    if a.kind != b.kind:
        raise UserInputError(f"run {a.id or 'A'} holds {a.kind} and run {b.id or 'B'} holds {b.kind}: "
                             "compare runs of one kind")
    by_id = {i.id: i for i in b.items}
    pairs = [(x, by_id[x.id]) for x in a.items if x.id in by_id]
    if not pairs:
        raise UserInputError("the two runs have no item in common (compare runs of one dataset)")
    rng = random.Random(seed)
    deltas = bootstrap(pairs, a.aggregate, "overall", resamples, confidence, rng)
    if groups:
        for lang in sorted({x.lang for x, _ in pairs}):
            chosen = [p for p in pairs if p[0].lang == lang and p[0].task != "policy_mix"]
            if chosen and len(chosen) < len(pairs):
                deltas += bootstrap(chosen, a.aggregate, f"lang:{lang}", resamples, confidence, rng)
    ids_a = {x.id for x in a.items}
    return Comparison(a=_meta(a), b=_meta(b), same_dataset=a.dataset_sha256 == b.dataset_sha256, paired=len(pairs),
                      only_a=len(ids_a - set(by_id)), only_b=len(set(by_id) - ids_a), resamples=resamples,
                      confidence=confidence, metrics=deltas, changed=changed_items(pairs))
