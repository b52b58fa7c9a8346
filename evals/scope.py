"""The out-of-scope gate fitted on `dev` items and reported on `test`.

    python -m evals.scope fit [DATASET ...]      (thresholds from the dev items only)
    python -m evals.scope report [DATASET ...]   (the gate as configured, per split and language)

Each question is retrieved once (as `ask` would: follow-ups condensed, lookups skipped) and the
evidence kept (dense top, dense margin, BM25 top); the gate itself, `assistant.answer.in_scope`,
is then run on that evidence over a grid of thresholds. Fitting minimises wrong refusals plus missed
out-of-scope questions on dev, counting a missed out-of-scope question three times, and takes the
setting nearest the middle of the best ones so that no threshold sits on the edge of the dev data.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assistant.answer import in_scope
from assistant.settings import RetrievalConfig, Settings
from evals.dataset import DATASETS, DEFAULT_DATASET, load_dataset
from vectorstore.hybrid import Evidence

DEFAULT_SETS = [DEFAULT_DATASET, DATASETS / "scope_dev.jsonl", DATASETS / "eval_users_v1.jsonl"]
GRID = {"scope_accept": [round(0.82 + 0.005 * i, 3) for i in range(11)],
        "scope_floor": [round(0.78 + 0.005 * i, 3) for i in range(11)],
        "scope_margin": [round(0.01 + 0.005 * i, 3) for i in range(11)],
        "scope_bm25": [round(1.0 + 0.4 * i, 1) for i in range(12)]}
MISSED_WEIGHT = 3


class Probe(BaseModel):
    """One question's retrieval evidence and whether it should be answered."""

    model_config = ConfigDict(extra="forbid")

    id: str
    split: str
    lang: str
    answerable: bool
    dense_top: float
    dense_margin: float
    bm25_top: float


def probes(paths: Sequence[Path], settings: Settings) -> list[Probe]:
    """Retrieve every non-lookup, non-draft question of the datasets once."""
    from assistant.condense import condense
    from assistant.lookup import find_lookup
    from assistant.services import get_retriever

    retriever = get_retriever(settings)
    out = []
    for path in paths:
        for item in load_dataset(path):
            if item.task in ("lookup", "draft") or find_lookup(item.question, item.history) is not None:
                continue
            _, ev = retriever.retrieve(condense(item.question, item.history), settings.retrieval.k)
            out.append(Probe(id=item.id, split=item.split or "test", lang=item.lang,
                             answerable=item.task != "scope", dense_top=ev.dense_top,
                             dense_margin=ev.dense_margin, bm25_top=ev.bm25_top))
    return out


def _with(t: dict[str, float]) -> Settings:
    """Settings with these scope thresholds (only `retrieval` is read by the gate)."""
    return Settings.model_construct(retrieval=RetrievalConfig(**t))


def accepted(p: Probe, t: dict[str, float], settings: Settings | None = None) -> bool:
    """The product's own gate (assistant.answer.in_scope) with thresholds `t`."""
    evidence = Evidence(dense_top=p.dense_top, dense_margin=p.dense_margin, bm25_top=p.bm25_top)
    return in_scope(evidence, settings or _with(t))


def errors(ps: Sequence[Probe], t: dict[str, float]) -> tuple[int, int]:
    """(wrong refusals, out-of-scope questions let through)."""
    settings = _with(t)
    wrong = sum(p.answerable and not accepted(p, t, settings) for p in ps)
    missed = sum(not p.answerable and accepted(p, t, settings) for p in ps)
    return wrong, missed


def fit(ps: Sequence[Probe]) -> dict[str, float]:
    """The grid setting with the fewest weighted errors on `ps`, nearest the middle of the best ones."""
    keys = list(GRID)
    scored = []
    for values in itertools.product(*GRID.values()):
        t = dict(zip(keys, values, strict=True))
        if t["scope_floor"] > t["scope_accept"]:
            continue
        wrong, missed = errors(ps, t)
        scored.append((wrong + MISSED_WEIGHT * missed, t))
    best = min(s for s, _ in scored)
    tied = [t for s, t in scored if s == best]
    centre = {k: sorted(t[k] for t in tied)[len(tied) // 2] for k in keys}
    span = {k: (max(GRID[k]) - min(GRID[k])) or 1.0 for k in keys}
    return min(tied, key=lambda t: sum(((t[k] - centre[k]) / span[k]) ** 2 for k in keys))


def table(ps: Sequence[Probe], t: dict[str, float]) -> str:
    """Wrong refusals and abstention per split and language."""
    lines = ["| group | answerable | wrongly refused | out of scope | refused |", "|---|---|---|---|---|"]
    groups = [(s, lg) for s in ("dev", "test") for lg in ("all", "es", "en")]
    for split, lang in groups:
        sel = [p for p in ps if p.split == split and (lang == "all" or p.lang == lang)]
        if not sel:
            continue
        pos = [p for p in sel if p.answerable]
        neg = [p for p in sel if not p.answerable]
        wrong, missed = errors(sel, t)
        lines.append(f"| {split} · {lang} | {len(pos)} | {wrong} ({wrong / max(len(pos), 1):.3f}) | {len(neg)} | "
                     f"{len(neg) - missed} ({(len(neg) - missed) / max(len(neg), 1):.3f}) |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.scope")
    parser.add_argument("command", choices=["fit", "report"])
    parser.add_argument("datasets", nargs="*", type=Path, default=DEFAULT_SETS)
    args = parser.parse_args(argv)
    settings = Settings()
    ps = probes(args.datasets, settings)
    current = settings.retrieval.model_dump(include=set(GRID))
    if args.command == "fit":
        fitted = fit([p for p in ps if p.split == "dev"])
        print("fitted on dev:", fitted)
        print(table(ps, fitted))
        print("configured:", current)
    print(table(ps, current))
    return 0


if __name__ == "__main__":
    sys.exit(main())
