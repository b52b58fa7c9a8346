"""The metrics table (terminal and Markdown) and the report of failing items."""

from __future__ import annotations

from pathlib import Path

from evals.runner import EvalRun

COLUMNS = [("items", "n"), ("recall_at_5", "R@5"), ("mrr", "MRR"), ("citation_precision", "prec"),
           ("citation_recall", "rec"), ("citation_f1", "F1"), ("citation_validity", "valid"),
           ("page_accuracy", "pages"), ("support", "support"), ("gate_pass", "gate pass"), ("invented", "invented"),
           ("repeated", "repeated"), ("abstention", "abstain"),
           ("wrong_refusal", "wrong-ref"), ("latency_p50_s", "p50 s"), ("latency_p95_s", "p95 s"),
           ("first_token_p50_s", "1st tok s"), ("in_language", "in lang"), ("translated", "transl")]


def cell(value: object) -> str:
    """A metric as a table shows it: three decimals, one above 10, a dash for none."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


def metrics_table(run: EvalRun, markdown: bool = False) -> str:
    """One row per group (overall, each task, each language)."""
    head = ["group"] + [label for _, label in COLUMNS]
    rows = [[name] + [cell(m.get(key)) for key, _ in COLUMNS] for name, m in run.metrics.items()]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    line = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    title = f"{run.dataset} · backend {run.backend} · embeddings {run.embedding} · {run.date} · {run.machine}"
    return "\n".join([title, line.format(*head)] + [line.format(*r) for r in rows])


def write_report(run: EvalRun, path: Path) -> Path:
    """Markdown: the table, then every failing item with question, expected and cited numbers."""
    failing = [s for s in run.items if not s.passed]
    lines = [f"# Eval report: {run.dataset}", "", f"Backend `{run.backend}`, embeddings `{run.embedding}`, {run.date}, measured on {run.machine}.",
             "", metrics_table(run, markdown=True), "", f"## Failing items ({len(failing)})", "",
             "| id | task | lang | question | expected | cited | why |", "|---|---|---|---|---|---|---|"]
    for s in failing:
        cited = ", ".join(s.cited_labels) or ("(refused)" if s.refused else "–")
        expected = ", ".join(f"R{n}" for n in s.expected) or "(refuse)"
        question = s.question.replace("|", "/")
        lines.append(f"| {s.id} | {s.task} | {s.lang} | {question} | {expected} | {cited} | {s.failure or 'invalid citation'} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def comparison(runs: list[EvalRun], groups: tuple[str, ...] = ("overall",)) -> str:
    """Markdown: one row per run and group, for putting backends side by side."""
    head = ["backend · set", "group"] + [label for key, label in COLUMNS if key != "items"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for run in runs:
        for group in groups:
            m = run.metrics.get(group)
            if m is None:
                continue
            cells = [f"{run.backend} · {run.dataset} ({m['items']})", group]
            cells += [cell(m.get(key)) for key, _ in COLUMNS if key != "items"]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m evals.report RESULTS.json... [--groups overall,lang:es]`: runs side by side."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m evals.report", description=main.__doc__)
    parser.add_argument("results", nargs="+", type=Path)
    parser.add_argument("--groups", default="overall", help="comma-separated: overall, task:qa, lang:en…")
    args = parser.parse_args(argv)
    try:
        runs = [EvalRun.model_validate_json(p.read_text(encoding="utf-8")) for p in args.results]
    except (OSError, ValueError) as exc:
        print(f"error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    print(comparison(runs, tuple(args.groups.split(","))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
