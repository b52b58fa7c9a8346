"""`policy-assistant eval`: the eval suite's own subcommand, contributed to the assistant's CLI.

Registered through the `policy_assistant.commands` entry point (pyproject.toml), so that the assistant
never imports `evals`: the evals sit above it and reach down.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli.args import BACKENDS, settings_for
from assistant.cli.output import writable_file, write_output
from assistant.errors import UserInputError
from assistant.settings import Settings

if TYPE_CHECKING:
    from evals.runner import EvalRun


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `eval` subcommand."""
    s = sub.add_parser("eval", help="run an eval set and print the metrics table")
    s.add_argument("--dataset", help="JSONL file (default: evals/datasets/eval_v1.jsonl)")
    s.add_argument("--llm", choices=BACKENDS)
    s.add_argument("--json", dest="json_out", help="write the full results as JSON")
    s.add_argument("--report", help="write a Markdown report with every failing item")
    s.add_argument("--split", choices=["dev", "test"], help="only the items of one split")
    s.add_argument("--gen-cache", help="generation cache for model backends (default: <data_dir>/cache/generations.sqlite)")
    s.add_argument("--no-gen-cache", action="store_true", help="generate every answer again (for timings)")
    s.add_argument("--baseline", help="a run's JSON file (evals/results/baseline/): exit 1 when a metric falls by "
                                      "more than its interval below it")
    s.add_argument("--note", default="", help="a few words kept with the run (what was changed)")
    s.add_argument("--no-record", action="store_true", help="do not keep this run in the history")
    s.set_defaults(handler=cmd_eval)
    from evals.history.cli import register as register_history

    register_history(s.add_subparsers(dest="eval_command", metavar="{runs,compare}"))


def cmd_eval(args: argparse.Namespace) -> int:
    """Run an eval set with a progress bar; print the metrics table."""
    import json

    from tqdm import tqdm

    from evals.dataset import DEFAULT_DATASET, load_dataset
    from evals.history.store import keep, read_run_file
    from evals.report import metrics_table, write_report
    from evals.runner import run_eval

    dataset = Path(args.dataset) if args.dataset else DEFAULT_DATASET
    json_out = writable_file(args.json_out, "--json") if args.json_out else None
    report_out = writable_file(args.report, "--report") if args.report else None
    items = load_dataset(dataset, max_mb=Settings().limits.eval_file_mb)  # validates every line first
    total = len([i for i in items if args.split is None or i.split == args.split])
    if total == 0:
        raise UserInputError(f"dataset {dataset.name} has no items in split {args.split}")
    settings = settings_for(args)
    baseline = read_run_file(Path(args.baseline)) if args.baseline else None  # a bad file fails before the run
    cache = None if args.no_gen_cache else (writable_file(args.gen_cache, "--gen-cache") if args.gen_cache
                                            else settings.data_dir / "cache" / "generations.sqlite")
    tty = sys.stderr.isatty()
    bar = tqdm(total=total, desc=f"eval {settings.llm.backend}", unit="item", disable=not tty)
    done = [0]

    def progress(item, score) -> None:  # type: ignore[no-untyped-def]
        bar.update()
        done[0] += 1
        if not tty and (done[0] % 10 == 0 or done[0] == total):  # a log line when no progress bar shows
            print(f"eval {settings.llm.backend}: {done[0]}/{total}", file=sys.stderr, flush=True)

    result = run_eval(dataset, settings, on_item=progress, gen_cache=cache, split=args.split)
    bar.close()
    print(metrics_table(result))
    if result.model_stats:
        s = result.model_stats
        print(f"generation cache: {result.reused_items} of {total} items replayed, "
              f"{s.get('cache_hits', 0):.0f} calls replayed, {s.get('cache_misses', 0):.0f} generated")
    if json_out is not None:
        write_output(json_out, "--json", lambda p: p.write_text(json.dumps(result.model_dump(), ensure_ascii=False,
                                                                           indent=1), encoding="utf-8"))
    if report_out is not None:
        write_output(report_out, "--report", lambda p: write_report(result, p))
    if not args.no_record:
        result.note = args.note
        number = keep(result, settings.data_dir)
        print(kept_line(number, result.dataset, settings))
    return 0 if baseline is None else check_baseline(result, baseline, args.baseline)


def kept_line(number: int, dataset: str, settings: Settings) -> str:
    """Where the run was kept, and the command that compares it with the previous run of its dataset."""
    from evals.history.store import RunStore, path_in

    before = [r.id for r in RunStore(path_in(settings.data_dir)).runs("answers") if r.dataset == dataset and r.id != number]
    if not before:
        return f"kept as run {number} (the first of {dataset}; `policy-assistant eval runs` lists the runs)"
    return f"kept as run {number}; against the previous run of {dataset}: `policy-assistant eval compare {before[-1]} {number}`"


def check_baseline(run: EvalRun, baseline: EvalRun, name: str) -> int:
    """Print the gated metrics against the baseline; 1 when one fell by more than its interval."""
    from evals.history.gate import gate

    result = gate(run, baseline)
    for d in result.checked:
        print(f"baseline {d.metric:20} {d.a:.3f} -> {d.b:.3f} ({d.delta:+.3f}, [{d.low:+.3f}, {d.high:+.3f}]) {d.verdict}")
    if result.passed:
        print(f"baseline gate passed: no gated metric fell below {name} by more than its interval")
        return 0
    fell = "; ".join(f"{d.metric} {d.delta:+.3f} [{d.low:+.3f}, {d.high:+.3f}]" for d in result.regressions)
    print(f"baseline gate failed against {name}: {fell}", file=sys.stderr)
    return 1
