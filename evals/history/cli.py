"""`eval runs` and `eval compare A B`: the run history on the command line."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING

from assistant.cli.output import print_json
from assistant.settings import Settings
from evals.provenance import HEADLINE

if TYPE_CHECKING:  # the history loads the runner (LangChain): only when a subcommand runs, not to build the parser
    from evals.history.compare import Comparison, ItemChange
    from evals.history.store import RunStore
    from evals.provenance import RunMeta



def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `runs` and `compare` under `eval`."""
    s = sub.add_parser("runs", help="list the kept eval runs")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_runs)
    s = sub.add_parser("compare", help="compare two runs: metric deltas with intervals, the items that changed")
    s.add_argument("a", metavar="A", help="run number, last, last~N, or a run's JSON file (e.g. a baseline)")
    s.add_argument("b", metavar="B", help="the run compared with A")
    s.add_argument("--items", type=int, default=20, help="changed items printed (all are in --json)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_compare)


def _store() -> RunStore:
    from evals.history.store import RunStore, path_in

    return RunStore(path_in(Settings().data_dir))


def run_line(run: RunMeta) -> str:
    """A run in one line: number, time, backend, dataset, commit."""
    commit = f" · {run.commit}" if run.commit else ""
    return f"run {run.id or '(file)'} · {run.when} · {run.backend} · {run.dataset}{commit}"


def cmd_runs(args: argparse.Namespace) -> int:
    """List the kept runs, oldest first."""
    runs = _store().runs()
    if args.json:
        print_json({"runs": [r.model_dump(mode="json") for r in runs]})
        return 0
    if not runs:
        print("no eval run is kept yet: run `policy-assistant eval`")
        return 0
    for r in runs:
        overall = r.metrics.get("overall", {})
        cells = "  ".join(f"{label} {_num(overall.get(key))}" for key, label in HEADLINE[r.kind])
        note = f"  ({r.note})" if r.note else ""
        print(f"{r.id:>4}  {r.when:16}  {r.kind:8}  {r.backend:10}  "
              f"{r.dataset[:34]:34}  {r.commit or '–':18}  {cells}{note}")
    return 0


def _num(value: object) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare run B with run A."""
    from evals.history.compare import compare
    from evals.history.store import resolve

    store = _store()
    result = compare(resolve(args.a, store), resolve(args.b, store))
    if args.json:
        print_json(result.model_dump(mode="json"))
        return 0
    print(comparison_text(result, max(0, args.items)))
    return 0


def comparison_text(c: Comparison, items: int = 20) -> str:
    """The comparison as a terminal reads it."""
    lines = [f"A: {run_line(c.a)}", f"B: {run_line(c.b)}",
             f"{c.paired} items paired ({c.only_a} only in A, {c.only_b} only in B); intervals: "
             f"{c.confidence:.0%} from {c.resamples} paired resamples"]
    if not c.same_dataset:
        lines.append("note: the runs were made on different versions of the dataset (paired by item id)")
    lines.append(f"\n{'group':10} {'metric':20} {'A':>7} {'B':>7} {'B-A':>8}  {'interval':18} verdict")
    for d in c.metrics:
        if d.group != "overall" and d.verdict == "same":
            continue
        lines.append(f"{d.group:10} {d.metric:20} {d.a:7.3f} {d.b:7.3f} {d.delta:+8.3f}  "
                     f"[{d.low:+.3f}, {d.high:+.3f}]  {d.verdict}")
    counts = {k: sum(ch.change == k for ch in c.changed) for k in ("newly failing", "newly passing", "citations changed")}
    lines.append(f"\nchanged items ({len(c.changed)}): " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    for ch in c.changed[:items]:
        lines += item_text(ch)
    if len(c.changed) > items:
        lines.append(f"\n... {len(c.changed) - items} more (--items N, or --json)")
    return "\n".join(lines)


def item_text(ch: ItemChange) -> list[str]:
    """A changed item with both answers, shortened."""
    out = [f"\n{ch.change}: {ch.id} ({ch.lang}, {ch.task}) {ch.question}",
           f"  expected: {', '.join(ch.expected) or '(refuse)'}"]
    for name, side in (("A", ch.a), ("B", ch.b)):
        verdict = "passed" if side.passed else side.failure or "failed"
        out.append(f"  {name}: [{', '.join(side.cited) or '–'}] {verdict}")
        out.append(textwrap.indent(textwrap.shorten(side.answer.replace("\n", " "), 300) or "(no answer)", "     "))
    return out
