"""The optional support judge: the local model says yes/no per cited sentence, checked against hand labels.

Two steps, both offline:

    python -m evals.judge sample evals/results/llamacpp.json --n 60 > labels.jsonl
    (a person fills "label": true/false in every line, reading the sentence and its source)
    python -m evals.judge agree labels.jsonl --llm llamacpp --json out.json --report out.md

`agree` asks the model for its verdict on each labelled sentence and reports how often the lexical
judge, the model judge and the person agree (share of equal verdicts and Cohen's kappa).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.answering.citations import BRACKET
from assistant.messages import Lang
from assistant.prompts import load_prompt
from evals.runner import EvalRun

YES = ("yes", "sí", "si", "sì")
NO = ("no",)


class LabelledSentence(BaseModel):
    """A cited sentence from an eval run, its source text and the verdicts on it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    lang: Lang
    task: str
    text: str
    markers: list[str]
    sources: str
    lexical: bool
    label: bool | None = None
    model: bool | None = None
    origin: str = Field("llamacpp-v1", description="Which backend and pipeline wrote it (v1: before the gate).")
    gate: bool | None = Field(None, description="The support gate's verdict when it was drawn.")
    reason: str | None = None
    note: str = Field("", description="The labeller's reason, for sentences labelled unsupported.")


def sample(run: EvalRun, n: int, seed: int = 7, per_item: int = 1) -> list[LabelledSentence]:
    """Up to `n` cited sentences for a person to label, seeded.

    Half are sentences the lexical judge calls supported and half not (as far as there are), with at
    most `per_item` from one item, so that drafts (many sentences each) do not fill the sample.
    """
    pool: dict[bool, list[LabelledSentence]] = {True: [], False: []}
    for item in run.items:
        for k, s in enumerate(item.sentences):
            sources = "\n\n".join(f"[{m}] {item.sources.get(m, '')}" for m in s.markers)
            pool[s.lexical].append(LabelledSentence(id=f"{item.id}#{k}", lang=item.lang, task=item.task,  # type: ignore[arg-type]
                                                    text=s.text, markers=s.markers, sources=sources,
                                                    lexical=s.lexical))
    rng = random.Random(seed)
    chosen: list[LabelledSentence] = []
    taken: dict[str, int] = {}
    for verdict in (False, True):
        group = pool[verdict]
        rng.shuffle(group)
        limit = n // 2 if verdict is False else n  # half for the unsupported, the rest for the others
        for s in group:
            item = s.id.split("#")[0]
            if taken.get(item, 0) < per_item and len(chosen) < limit:
                taken[item] = taken.get(item, 0) + 1
                chosen.append(s)
    return sorted(chosen, key=lambda s: s.id)


def rejudge(run: EvalRun) -> EvalRun:
    """The run with the lexical judge applied again to its stored answers (after the judge changes)."""
    from evals.metrics import breakdown
    from evals.support import judge_text, support

    items = []
    for item in run.items:
        if item.answer and item.sources:
            judged = judge_text(item.answer, item.sources)
            item = item.model_copy(update={"sentences": judged, "support": support(judged)})
        items.append(item)
    return run.model_copy(update={"items": items, "metrics": breakdown(items)})


def parse_verdict(reply: str) -> bool | None:
    """YES/SÍ -> True, NO -> False, anything else -> None (counted as no verdict)."""
    word = reply.strip().strip("*.:!¡¿\"'").split()[:1]
    token = word[0].lower().strip(".,:!") if word else ""
    return True if token in YES else False if token in NO else None


def model_verdict(model: BaseChatModel, s: LabelledSentence) -> bool | None:
    """Ask the chat model whether the source supports the sentence (markers removed)."""
    system, user = load_prompt("judge_support", s.lang).render(sources=s.sources,
                                                              sentence=BRACKET.sub("", s.text).strip())
    reply = model.invoke([SystemMessage(system), HumanMessage(user)], max_tokens=3)
    return parse_verdict(str(reply.content))


def agreement(a: Sequence[bool | None], b: Sequence[bool | None]) -> dict[str, float | int | None]:
    """Share of equal verdicts and Cohen's kappa over the pairs where both gave one."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if not pairs:
        return {"n": 0, "agreement": None, "kappa": None}
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    pa, pb = sum(x for x, _ in pairs) / n, sum(y for _, y in pairs) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return {"n": n, "agreement": round(observed, 3), "kappa": round(kappa, 3)}


def load_labels(path: Path) -> list[LabelledSentence]:
    """The labelled sentences; every line must carry a hand label."""
    from assistant.errors import UserInputError

    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            s = LabelledSentence(**json.loads(line))
        except (json.JSONDecodeError, TypeError, ValidationError) as exc:
            raise UserInputError(f"{path.name} line {n}: not a labelled sentence ({type(exc).__name__})") from None
        if s.label is None:
            raise UserInputError(f"{path.name} line {n}: no hand label (set \"label\": true or false)")
        out.append(s)
    return out


def judge_all(sentences: list[LabelledSentence], model: BaseChatModel,
              on_each: Callable[[int], None] | None = None) -> list[LabelledSentence]:
    """The sentences with the model's verdict filled in."""
    out = []
    for i, s in enumerate(sentences, 1):
        out.append(s.model_copy(update={"model": model_verdict(model, s)}))
        if on_each:
            on_each(i)
    return out


def summary(sentences: list[LabelledSentence]) -> dict[str, dict[str, float | int | None]]:
    """Agreement of each pair of judges, and how often each calls a sentence supported."""
    hand = [s.label for s in sentences]
    lex = [s.lexical for s in sentences]
    mod = [s.model for s in sentences]
    rows = {"lexical vs hand": agreement(lex, hand), "model vs hand": agreement(mod, hand),
            "lexical vs model": agreement(lex, mod)}
    for name, verdicts in (("hand", hand), ("lexical", lex), ("model", mod)):
        given = [v for v in verdicts if v is not None]
        rows[f"{name}: supported"] = {"n": len(given), "agreement": round(sum(given) / len(given), 3) if given else None,
                                      "kappa": None}
    return rows


def report(sentences: list[LabelledSentence], backend: str, seconds: float) -> str:
    """Markdown: the agreement table and every sentence where a judge disagrees with the person."""
    rows = summary(sentences)
    lines = [f"# Support judges against hand labels ({len(sentences)} sentences)", "",
             f"Model judge: `{backend}`, {time.strftime('%Y-%m-%d')}, {seconds:.0f} s in all. "
             "For the `supported` rows the middle column is the share judged supported.", "",
             "| comparison | n | agreement | Cohen's kappa |", "|---|---|---|---|"]
    for name, r in rows.items():
        fmt = [("–" if v is None else str(v)) for v in (r["n"], r["agreement"], r["kappa"])]
        lines.append(f"| {name} | " + " | ".join(fmt) + " |")
    lines += ["", "## Disagreements with the hand label", "", "| id | hand | lexical | model | sentence |",
              "|---|---|---|---|---|"]
    for s in sentences:
        if s.lexical != s.label or s.model != s.label:
            text = s.text.replace("|", "/").replace("\n", " ")
            lines.append(f"| {s.id} | {_yn(s.label)} | {_yn(s.lexical)} | {_yn(s.model)} | {text} |")
    return "\n".join(lines) + "\n"


def _yn(v: bool | None) -> str:
    return "–" if v is None else "yes" if v else "no"


def main(argv: list[str] | None = None) -> int:
    """`python -m evals.judge sample|rejudge RUN.json` or `python -m evals.judge agree LABELS.jsonl`."""
    from assistant.errors import UserInputError

    parser = argparse.ArgumentParser(prog="python -m evals.judge", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_sample = sub.add_parser("sample", help="cited sentences of a results JSON, to label by hand")
    p_sample.add_argument("run", type=Path)
    p_sample.add_argument("--n", type=int, default=60)
    p_sample.add_argument("--seed", type=int, default=7)
    p_sample.add_argument("--per-item", type=int, default=1)
    p_rejudge = sub.add_parser("rejudge", help="apply the lexical judge again to a results JSON's stored answers")
    p_rejudge.add_argument("run", type=Path)
    p_rejudge.add_argument("--report", type=Path, help="also rewrite its Markdown report")
    p_agree = sub.add_parser("agree", help="model verdicts and agreement on a hand-labelled file")
    p_agree.add_argument("labels", type=Path)
    p_agree.add_argument("--llm", default="llamacpp")
    p_agree.add_argument("--json", type=Path)
    p_agree.add_argument("--report", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.cmd == "sample":
            run = EvalRun.model_validate_json(args.run.read_text(encoding="utf-8"))
            for s in sample(run, args.n, args.seed, args.per_item):
                print(s.model_dump_json(exclude={"model"}))
            return 0
        if args.cmd == "rejudge":
            from evals.report import write_report

            run = rejudge(EvalRun.model_validate_json(args.run.read_text(encoding="utf-8")))
            args.run.write_text(json.dumps(run.model_dump(), ensure_ascii=False, indent=1), encoding="utf-8")
            if args.report:
                write_report(run, args.report)
            print(f"{args.run}: support {run.metrics['overall']['support']}")
            return 0
        return _agree(args)
    except (OSError, UserInputError, ValidationError) as exc:
        print(f"error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2


def _agree(args: argparse.Namespace) -> int:
    from assistant.llm.backends import load_chat_model
    from assistant.llm.errors import BackendUnavailable
    from assistant.settings import Settings

    sentences = load_labels(args.labels)
    try:
        model = load_chat_model(args.llm, Settings())
    except BackendUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if model is None:
        print("error: the model judge needs a chat model backend (llamacpp, ollama, openai)", file=sys.stderr)
        return 2
    start = time.perf_counter()
    judged = judge_all(sentences, model,
                       lambda i: print(f"judge {i}/{len(sentences)}", file=sys.stderr, flush=True) if i % 10 == 0 else None)
    seconds = time.perf_counter() - start
    text = report(judged, args.llm, seconds)
    print(text.split("\n## ")[0])
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"backend": args.llm, "date": time.strftime("%Y-%m-%d"),
                                         "seconds": round(seconds, 1), "summary": summary(judged),
                                         "sentences": [s.model_dump() for s in judged]},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
