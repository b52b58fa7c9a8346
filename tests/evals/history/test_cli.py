"""`eval` keeps every run; `eval runs` lists them and `eval compare A B` diffs them; `--baseline` gates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from evals.dataset import DATASETS


@pytest.fixture(name="data")
def fixture_data(corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    shutil.copytree(corpus_dir, data)  # the runs go to this data dir, not the session's shared index
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(data))
    return data


@pytest.fixture(name="mini")
def fixture_mini(tmp_path: Path) -> Path:
    lines = [line for line in (DATASETS / "eval_users_dev.jsonl").read_text(encoding="utf-8").splitlines() if line]
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    return path


def _eval(mini: Path, *extra: str) -> int:
    return main(["eval", "--llm", "extractive", "--dataset", str(mini), *extra])


def test_runs_are_kept_listed_compared_and_gated(data: Path, mini: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    base = tmp_path / "base.json"
    assert _eval(mini, "--note", "defaults", "--json", str(base)) == 0
    assert "kept as run 1" in capsys.readouterr().out
    assert _eval(mini, "--baseline", str(base)) == 0  # the same settings: passes
    assert "baseline gate passed" in capsys.readouterr().out
    monkeypatch.setenv("POLICY_ASSISTANT_RETRIEVAL_K", "2")
    monkeypatch.setenv("POLICY_ASSISTANT_RETRIEVAL_RERANK", "false")
    assert _eval(mini, "--note", "k=2, no rerank", "--baseline", str(base)) == 1
    assert "baseline gate failed" in capsys.readouterr().err
    monkeypatch.delenv("POLICY_ASSISTANT_RETRIEVAL_K")

    assert main(["eval", "runs", "--json"]) == 0
    runs = json.loads(capsys.readouterr().out)["runs"]
    assert [(r["id"], r["note"], r["dataset"]) for r in runs] == [(1, "defaults", "mini.jsonl"), (2, "", "mini.jsonl"),
                                                                  (3, "k=2, no rerank", "mini.jsonl")]
    assert runs[2]["settings"]["retrieval"]["k"] == 2 and runs[0]["settings"]["retrieval"]["k"] == 6
    assert len(runs[0]["dataset_sha256"]) == 64 and runs[0]["started"]

    assert main(["eval", "compare", "1", "last", "--json"]) == 0
    c = json.loads(capsys.readouterr().out)
    r5 = next(d for d in c["metrics"] if d["group"] == "overall" and d["metric"] == "recall_at_5")
    assert r5["b"] < r5["a"] and r5["low"] <= r5["delta"] <= r5["high"]
    failing = [ch for ch in c["changed"] if ch["change"] == "newly failing"]
    assert failing and c["changed"][: len(failing)] == failing  # newly failing first
    assert failing[0]["a"]["answer"] and failing[0]["b"]["answer"] and failing[0]["a"]["passed"]

    assert main(["eval", "compare", "1", "3"]) == 0
    text = capsys.readouterr().out
    assert "recall_at_5" in text and "newly failing:" in text and "  A: [" in text and "  B: [" in text
    assert main(["eval", "runs"]) == 0
    assert "k=2, no rerank" in capsys.readouterr().out


def test_naming_a_missing_run_is_a_one_line_error(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "runs"]) == 0
    assert "no eval run is kept yet" in capsys.readouterr().out
    assert main(["eval", "compare", "1", "2"]) == 2
    assert capsys.readouterr().err.strip() == ("policy-assistant: there is no eval run 1 "
                                               "(`policy-assistant eval runs` lists them)")


def test_building_the_command_line_does_not_load_the_history() -> None:
    """`rec 42` or `search` must not pay for the runner and LangChain because `eval` has subcommands."""
    import subprocess
    import sys

    code = ("import sys; from assistant.cli.main import build_parser; build_parser(); "
            "print(sorted(m for m in ('evals.runner', 'evals.history.store', 'langchain_core') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
