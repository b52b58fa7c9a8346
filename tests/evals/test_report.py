"""Side-by-side comparison of results files (what the README's eval table is made from)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.metrics import ItemScore, breakdown
from evals.report import main
from evals.runner import EvalRun


def _run(backend: str, precision: float) -> EvalRun:
    items = [ItemScore(id=f"q{i}", task="qa", lang=lang, question="q", expected=[1], cited=[1], refused=False,
                       precision=precision, recall=1.0, validity=1.0, seconds=0.5)
             for i, lang in enumerate(["es", "en", "en"])]
    return EvalRun(dataset="set.jsonl", backend=backend, embedding="e5-small", date="2026-11-21", machine="m",
                   metrics=breakdown(items), items=items)


def test_results_side_by_side(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = []
    for backend, p in (("extractive", 1.0), ("llamacpp", 0.5)):
        paths.append(tmp_path / f"{backend}.json")
        paths[-1].write_text(_run(backend, p).model_dump_json())
    assert main([str(p) for p in paths] + ["--groups", "overall,lang:en,task:nope"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ") and ".jsonl" in line]
    assert [r.split(" | ")[:2] for r in rows] == [["| extractive · set.jsonl (3)", "overall"],
                                                  ["| extractive · set.jsonl (2)", "lang:en"],
                                                  ["| llamacpp · set.jsonl (3)", "overall"],
                                                  ["| llamacpp · set.jsonl (2)", "lang:en"]]
    assert rows[2].split(" | ")[4] == "0.500"  # llamacpp precision


def test_unreadable_results_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main([str(bad)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
