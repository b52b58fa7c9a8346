"""The measured tables of the README and docs/, generated from the committed result files.

`python -m evals.docs` rewrites every block between `<!-- results:NAME -->` and
`<!-- /results:NAME -->` from `evals/results/`; `--check` only says which files differ (exit 1), so
a test keeps the figures a reader sees equal to the figures measured.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

from evals.report import cell, comparison
from evals.runner import EvalRun

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "evals" / "results"
# (result file, what a reader calls it), in the order the tables list them
RUNS = [("llamacpp", "embedded model · project set (eval_v1)"),
        ("extractive", "extractive · project set (eval_v1)"),
        ("llamacpp-users", "embedded model · users' phrasings, test split"),
        ("extractive-users", "extractive · users' phrasings, test split"),
        ("extractive-users-dev", "extractive · users' phrasings, dev split")]
HEADLINE = [("citation_precision", "precision"), ("citation_recall", "recall"),
            ("citation_validity", "valid"), ("page_accuracy", "pages"), ("abstention", "out of scope refused"),
            ("wrong_refusal", "wrongly refused"), ("gate_pass", "gate pass"), ("latency_p50_s", "p50 s"),
            ("first_token_p50_s", "first token s")]
BLOCK = re.compile(r"(<!-- results:(?P<name>[\w-]+) -->\n).*?(<!-- /results:(?P=name) -->)", re.S)


def _runs(results: Path) -> list[tuple[str, EvalRun]]:
    return [(label, EvalRun.model_validate_json((results / f"{name}.json").read_text(encoding="utf-8")))
            for name, label in RUNS if (results / f"{name}.json").exists()]


def headline(results: Path) -> str:
    """One row per committed eval run: the figures a newcomer asks about first."""
    lines = ["| run | items | date | " + " | ".join(label for _, label in HEADLINE) + " |",
             "|" + "---|" * (len(HEADLINE) + 3)]
    for label, run in _runs(results):
        m = run.metrics["overall"]
        lines.append(f"| {label} | {m['items']} | {run.date} | "
                     + " | ".join(cell(m.get(key)) for key, _ in HEADLINE) + " |")
    return "\n".join(lines)


def evals(results: Path) -> str:
    """Every committed eval run, overall and by split and language, with every metric."""
    parts = []
    for label, run in _runs(results):
        groups = tuple(g for g in run.metrics if g == "overall" or g.startswith(("split:", "lang:")))
        parts.append(f"**{label}** (`{run.dataset}`, {run.date}, {run.machine})\n\n{comparison([run], groups)}")
    gate = results / "support-gate.json"
    if gate.exists():
        data = json.loads(gate.read_text(encoding="utf-8"))
        keys = [k for k in data.get("test", {}) if k != "n"]
        rows = ["| split | n | " + " | ".join(keys) + " |", "|" + "---|" * (len(keys) + 2)]
        rows += [f"| {split} | {data[split]['n']} | " + " | ".join(cell(data[split][k]) for k in keys) + " |"
                 for split in ("dev", "test") if split in data]
        parts.append("**The support gate against the hand labels** (`support-gate.json`)\n\n" + "\n".join(rows))
    return "\n\n".join(parts)


def bench(results: Path) -> str:
    """The last `make bench`: embedding, ingest, retrieval and answer speeds."""
    path = results / "bench.json"
    if not path.exists():
        return "(no bench.json committed)"
    b = json.loads(path.read_text(encoding="utf-8"))
    out = [f"`bench.json`, {b['date']}, {b['machine']}", "",
           "| embedding model | passages/s | query ms |", "|---|---|---|"]
    out += [f"| {e['model']} | {cell(e['passages_per_s'])} | {cell(e['query_ms'])} |" for e in b["embedding"]]
    out += ["", "| ingest: pages | model | chunks | s | pages/s |", "|---|---|---|---|---|"]
    out += [f"| {i['pages']} | {i['model']} | {i['chunks']} | {cell(i['seconds'])} | {cell(i['pages_per_s'])} |"
            for i in b["ingest"]]
    out += ["", "| retrieval: chunks | hybrid p50 ms | p95 ms | plain LangChain p50 ms |", "|---|---|---|---|"]
    out += [f"| {r['chunks']} | {cell(r['hybrid']['p50_ms'])} | {cell(r['hybrid']['p95_ms'])} | "
            f"{cell(r['langchain_baseline']['p50_ms'])} |" for r in b["retrieval"]]
    model = b.get("model", {}).get("after")
    if model:
        keys = ["load_s", "first_token_p50_s", "first_token_p95_s", "answer_p50_s", "answer_p95_s",
                "decode_tokens_per_s", "draft_p50_s", "peak_mb"]
        out += ["", "| embedded model: " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
        out.append("| " + " | ".join(cell(model.get(k)) for k in keys) + " |")
    return "\n".join(out)


def regional(results: Path) -> str:
    """The region pack's test split in each upload format (`make eval-regional`)."""
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(results.glob("regional-*.json"))]
    if not runs:
        return "(no regional-*.json committed)"
    keys = ["items", "right_doc", "figure_shown", "row_quoted", "code_cited", "wrongly_refused",
            "out_of_scope_refused", "front_quoted", "p50_s"]
    lines = ["| format · backend · split | " + " | ".join(keys) + " |", "|" + "---|" * (len(keys) + 1)]
    for run in runs:
        m = run["metrics"]["overall"]
        lines.append(f"| {run['format']} · {run['backend']} · {run['split'] or 'all'} | "
                     + " | ".join(cell(m.get(k)) for k in keys) + " |")
    return "\n".join(lines)


BLOCKS: dict[str, Callable[[Path], str]] = {"headline": headline, "evals": evals, "bench": bench,
                                            "regional": regional}


def render(text: str, results: Path = RESULTS) -> str:
    """The text with every results block regenerated (an unknown block name is an error)."""

    def fill(m: re.Match[str]) -> str:
        if m["name"] not in BLOCKS:
            raise ValueError(f"unknown results block {m['name']!r} (known: {', '.join(BLOCKS)})")
        return f"{m.group(1)}\n{BLOCKS[m['name']](results)}\n\n{m.group(3)}"

    return BLOCK.sub(fill, text)


def documents(root: Path = ROOT) -> list[Path]:
    """The README and every Markdown file under docs/."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def stale(root: Path = ROOT, results: Path = RESULTS) -> list[Path]:
    """The documents whose generated blocks differ from what the result files say."""
    return [p for p in documents(root) if render(p.read_text(encoding="utf-8"), results) != p.read_text(encoding="utf-8")]


def main(argv: list[str] | None = None) -> int:
    """`python -m evals.docs [--check]`: regenerate the measured tables (or only check them)."""
    args = sys.argv[1:] if argv is None else argv
    if args not in ([], ["--check"]):
        print("usage: python -m evals.docs [--check]", file=sys.stderr)
        return 2
    behind = stale()
    if args == ["--check"]:
        for path in behind:
            print(f"{path.relative_to(ROOT)}: tables differ from evals/results (run python -m evals.docs)")
        return 1 if behind else 0
    for path in behind:
        path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
