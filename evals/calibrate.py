"""Hand labels for the support gate: draw sentences to label, fit the gate's thresholds on `dev`, report `test`.

    python -m evals.calibrate sample RUN.json --n 170 > new_labels.jsonl   (a person fills "label")
    python -m evals.calibrate fit evals/datasets/support_labels.jsonl      (thresholds from dev only)
    python -m evals.calibrate report evals/datasets/support_labels.jsonl   (the gate as configured)

A labelled sentence belongs to the split of the eval item it came from, so calibration never sees
a `test` item. The gate's measures are recomputed from the sentence, its source and its item (the
question, or the draft's region and topic), so labels stay valid when the gate changes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assistant.answering.citations import BRACKET
from assistant.answering.support import SupportGate
from assistant.settings import Settings, SupportConfig
from evals.dataset import DEFAULT_DATASET, EvalItem, load_dataset
from evals.judge import LabelledSentence, load_labels
from evals.runner import EvalRun
from evals.support import lexical_supported

GRID = {"lexical": [0.5, 0.6, 0.7, 0.8, 0.9, 1.0], "lexical_floor": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
        "similarity": [0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93, 0.94]}
TARGET_PRECISION = 0.95


def source_of(marker: str, text: str) -> str:
    """A cited text as the gate sees it (a slide's lines joined)."""
    from assistant.answering.support import source_text
    from ingestion.models import Chunk
    from vectorstore.models import Hit

    kind = "recommendation" if marker.startswith("R") else "slide" if "p. " in marker and "•" in text else "text"
    return source_text(Hit(id=marker, chunk=Chunk(doc_id="d", kind=kind, text=text, source="s", ordinal=0)))


def sample(run: EvalRun, n: int, origin: str, seed: int = 11) -> list[LabelledSentence]:
    """Up to `n` generated sentences to label: drafts and English answers first, failed and passed alike.

    Strata (of n): 45% drafts, 40% English answers, 15% Spanish answers; within each, half the
    sentences the gate replaced (as far as there are) and at most 6 (drafts) or 2 (answers) per item.
    """
    rng = random.Random(seed)
    pools: dict[str, dict[bool, list[LabelledSentence]]] = {}
    for item in run.items:
        stratum = "draft" if item.task == "draft" else f"answer-{item.lang}"
        for k, check in enumerate(item.checks):
            source = source_of(check.marker, item.sources.get(check.marker, ""))
            if not source:
                continue
            row = LabelledSentence(id=f"{item.id}#{k}", lang=item.lang, task=item.task, text=check.text,  # type: ignore[arg-type]
                                   markers=[check.marker], sources=f"[{check.marker}] {source}",
                                   lexical=lexical_supported(check.text, source), origin=origin, gate=check.ok,
                                   reason=check.reason)
            pools.setdefault(stratum, {True: [], False: []})[check.ok].append(row)
    quota = {"draft": round(0.45 * n), "answer-en": round(0.40 * n), "answer-es": n - round(0.45 * n) - round(0.40 * n)}
    chosen: list[LabelledSentence] = []
    for stratum, want in quota.items():
        taken: dict[str, int] = {}
        cap = 6 if stratum == "draft" else 2
        picked: list[LabelledSentence] = []
        for ok in (False, True):
            group = pools.get(stratum, {}).get(ok, [])
            rng.shuffle(group)
            limit = want // 2 if not ok else want
            for row in group:
                item = row.id.split("#")[0]
                if len(picked) < limit and taken.get(item, 0) < cap:
                    taken[item] = taken.get(item, 0) + 1
                    picked.append(row)
        chosen += picked
    return sorted(chosen, key=lambda r: r.id)


class Measured(BaseModel):
    """A labelled sentence with the gate's measures recomputed."""

    model_config = ConfigDict(extra="forbid")

    row: LabelledSentence
    split: str
    novel: bool
    lexical: float
    similarity: float


def measure(rows: Sequence[LabelledSentence], settings: Settings, dataset: Path = DEFAULT_DATASET) -> list[Measured]:
    """Novelty, word share and similarity of every labelled sentence, as the gate computes them."""
    from assistant.answering.novelty import novel_terms, states_region_fact
    from assistant.answering.support import get_gate, lexical_share
    from assistant.drafting.draft import parse_request

    items: dict[str, EvalItem] = {i.id: i for i in load_dataset(dataset)}
    gate: SupportGate = get_gate(settings)
    texts, sources, contexts = [], [], []
    for row in rows:
        item = items[row.id.split("#")[0]]
        texts.append(BRACKET.sub("", row.text).strip())
        sources.append(BRACKET.sub("", row.sources).strip())
        if item.task == "draft":
            request = parse_request(item.question)
            contexts.append((f"{request.region} {request.topic}", request.region))
        else:
            contexts.append((item.question, ""))
    sims = gate.similarities(texts, sources)
    out = []
    for row, text, source, (context, region), sim in zip(rows, texts, sources, contexts, sims, strict=True):
        item = items[row.id.split("#")[0]]
        novel = bool(novel_terms(text, source, context)) or states_region_fact(text, region, row.lang)
        out.append(Measured(row=row, split=item.split or "dev", novel=novel,
                            lexical=lexical_share(text, source, region), similarity=sim))
    return out


def judged(m: Measured) -> bool:
    """A model's sentence (the gate judges those; an extractive quote is never judged)."""
    return not m.row.origin.startswith("extractive")


def keeps(m: Measured, c: SupportConfig) -> bool:
    """The gate's verdict (repetition aside, which depends on the rest of the answer)."""
    return not m.novel and (m.lexical >= c.lexical or (m.lexical >= c.lexical_floor and m.similarity >= c.similarity))


def scores(measured: Sequence[Measured], c: SupportConfig) -> dict[str, float | int | None]:
    """Gate precision and recall against the hand labels, and the share of shown sentences supported."""
    n = len(measured)
    kept = [m for m in measured if keeps(m, c)]
    good = [m for m in measured if m.row.label]
    kept_good = [m for m in kept if m.row.label]
    return {"n": n, "hand_supported": round(len(good) / n, 3) if n else None,
            "gate_precision": round(len(kept_good) / len(kept), 3) if kept else None,
            "gate_recall": round(len(kept_good) / len(good), 3) if good else None,
            "kept": round(len(kept) / n, 3) if n else None,
            # what the user sees: kept sentences as written, the others replaced by the source's words
            "shown_supported": round(1 - (len(kept) - len(kept_good)) / n, 3) if n else None}


def fit(measured: Sequence[Measured]) -> SupportConfig:
    """The thresholds with the best recall at gate precision >= TARGET_PRECISION on dev (ties: more precise)."""
    dev = [m for m in measured if m.split == "dev" and judged(m)]
    best, best_key = SupportConfig(), (-1.0, -1.0)
    for lex, floor, sim in itertools.product(GRID["lexical"], GRID["lexical_floor"], GRID["similarity"]):
        config = SupportConfig(lexical=lex, lexical_floor=floor, similarity=sim)
        s = scores(dev, config)
        precision, recall = s["gate_precision"] or 0.0, s["gate_recall"] or 0.0
        key = (recall if precision >= TARGET_PRECISION else -1 + precision, precision)
        if key > best_key:  # type: ignore[operator]
            best, best_key = config, key  # type: ignore[assignment]
    return best


def table(measured: Sequence[Measured], config: SupportConfig) -> str:
    """Markdown: the gate's scores per split, and per origin and task on test."""
    lines = ["| part | n | hand: supported | gate precision | gate recall | kept | shown supported |",
             "|---|---|---|---|---|---|---|"]
    groups: list[tuple[str, list[Measured]]] = [(s, [m for m in measured if m.split == s and judged(m)])
                                                 for s in ("dev", "test")]
    for key in ("origin", "task", "lang"):
        values = sorted({str(getattr(m.row, key) or "") for m in measured})
        for v in values:
            part = [m for m in measured if m.split == "test" and str(getattr(m.row, key) or "") == v
                    and (judged(m) or key == "origin")]
            if key == "task":
                part = [m for m in part if (m.row.task == "draft") == (v == "draft")]
            groups.append((f"test · {key} {v}", part))
    for name, part in groups:
        if not part:
            continue
        s = scores(part, config)
        lines.append(f"| {name} | " + " | ".join("–" if v is None else str(v) for v in s.values()) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m evals.calibrate sample|fit|report`."""
    from assistant.errors import UserInputError

    parser = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sample")
    p.add_argument("run", type=Path)
    p.add_argument("--n", type=int, default=170)
    p.add_argument("--origin", default="llamacpp-v2")
    for name in ("fit", "report"):
        p = sub.add_parser(name)
        p.add_argument("labels", type=Path)
        p.add_argument("--json", type=Path, help="also write the scores as JSON")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "sample":
            run = EvalRun.model_validate_json(args.run.read_text(encoding="utf-8"))
            for row in sample(run, args.n, args.origin):
                print(row.model_dump_json(exclude={"model"}))
            return 0
        settings = Settings()
        measured = measure(load_labels(args.labels), settings)
        config = fit(measured) if args.cmd == "fit" else settings.support
        print(f"thresholds: lexical {config.lexical}, lexical_floor {config.lexical_floor}, "
              f"similarity {config.similarity}" + (" (fitted on dev)" if args.cmd == "fit" else " (configured)"))
        print(table(measured, config))
        if args.json:
            args.json.write_text(json.dumps({"config": config.model_dump(),
                                             "dev": scores([m for m in measured if m.split == "dev"], config),
                                             "test": scores([m for m in measured if m.split == "test"], config)},
                                            indent=1), encoding="utf-8")
        return 0
    except (OSError, UserInputError, ValueError) as exc:
        print(f"error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
