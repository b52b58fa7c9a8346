"""Dataset loading: any file in the contract's shape; malformed lines name their line number."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import UserInputError
from evals.dataset import load_dataset


def test_malformed_line_reports_its_number(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"id": "a", "question": "q", "lang": "es", "task": "qa", "gold": [1]}\n\n{"id": "b", oops}\n')
    with pytest.raises(UserInputError, match=r"set.jsonl line 3: not valid JSON"):
        load_dataset(path)


def test_wrong_field_reports_its_name(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"id": "a", "question": "q", "lang": "fr", "task": "qa"}\n')
    with pytest.raises(UserInputError, match=r"line 1: lang"):
        load_dataset(path)


def test_someone_elses_dataset_runs(corpus_settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "theirs.jsonl"
    path.write_text('{"id": "x1", "question": "¿Qué dice la recomendación 42?", "lang": "es", "task": "lookup", "gold": [42]}\n'
                    '{"id": "x2", "question": "Tell me a joke", "lang": "en", "task": "scope", "gold": []}\n')
    report = tmp_path / "report.md"
    assert main(["eval", "--dataset", str(path), "--llm", "extractive", "--report", str(report),
                 "--json", str(tmp_path / "r.json"), "--no-record"]) == 0  # the shared index's data dir keeps no run
    out = capsys.readouterr().out
    assert "theirs.jsonl" in out and "task:lookup" in out and "kept as run" not in out
    assert "Failing items (0)" in report.read_text(encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    assert main(["eval", "--dataset", str(bad)]) == 2
    assert "bad.jsonl line 1" in capsys.readouterr().err
