"""The measured tables in the README and docs/ are the committed result files' figures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evals import docs


def test_the_readme_and_docs_tables_are_up_to_date() -> None:
    assert docs.stale() == [], "run `python -m evals.docs` and commit the result"
    blocks = "".join(p.read_text(encoding="utf-8") for p in docs.documents())
    for name in docs.BLOCKS:
        assert f"<!-- results:{name} -->" in blocks


def test_a_changed_result_file_makes_the_check_fail(tmp_path: Path) -> None:
    results = tmp_path / "results"
    shutil.copytree(docs.RESULTS, results)
    run = json.loads((results / "extractive.json").read_text(encoding="utf-8"))
    before = docs.headline(results)
    run["metrics"]["overall"]["citation_precision"] = 0.5
    (results / "extractive.json").write_text(json.dumps(run), encoding="utf-8")
    assert "| 0.500 |" in docs.headline(results) and docs.headline(results) != before
    assert docs.stale(results=results)  # the committed documents no longer match these figures


def test_a_block_is_rewritten_in_place_and_an_unknown_one_refused(tmp_path: Path) -> None:
    text = "intro\n<!-- results:headline -->\nold table\n<!-- /results:headline -->\nrest\n"
    out = docs.render(text)
    assert out.startswith("intro\n<!-- results:headline -->\n\n| run |") and out.endswith("<!-- /results:headline -->\nrest\n")
    assert "old table" not in out and docs.render(out) == out
    with pytest.raises(ValueError, match="unknown results block"):
        docs.render("<!-- results:nope -->\n<!-- /results:nope -->")
