"""Dataset loading: any file in the contract's shape; malformed lines name their line number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import UserInputError
from assistant.settings import PROJECT_ROOT
from evals.dataset import DATASETS, load_dataset
from vectorstore.terms import tokenize


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


def test_the_question_sets_load() -> None:
    """Every question set in evals/datasets loads (label files such as support_labels.jsonl have their own shape)."""
    for path in sorted(DATASETS.glob("*.jsonl")):
        if not path.stem.endswith("_labels"):
            items = load_dataset(path)
            assert items and len({i.id for i in items}) == len(items), path.name


def test_the_paraphrase_dev_set_words_its_questions_away_from_the_renderings() -> None:
    """eval_users_dev_paraphrase.jsonl (#32): dev questions in users' own words, sharing at most two content-word
    stems with the English rendering of the recommendation they aim at, over all fourteen guidelines."""
    items = load_dataset(DATASETS / "eval_users_dev_paraphrase.jsonl")
    renderings = json.loads((PROJECT_ROOT / "ingestion" / "renderings_en.json").read_text(encoding="utf-8"))
    assert {i.split for i in items} == {"dev"} and {i.task for i in items} == {"qa"}
    assert sum(i.lang == "en" for i in items) >= 50 and sum(i.lang == "es" for i in items) >= 20
    ends = [22, 33, 48, 53, 57, 61, 78, 89, 92, 99, 104, 108, 111, 113]  # each guideline's last recommendation
    assert {next(g for g, end in enumerate(ends) if i.gold[0] <= end) for i in items} == set(range(14))
    for i in items:
        assert len(i.gold) == 1 and i.gold[0] not in i.acceptable, i.id
        shared = set(tokenize(i.question, i.lang)) & set(tokenize(renderings["recommendations"][str(i.gold[0])]["en"], "en"))
        assert len(shared) <= 2, (i.id, shared)
