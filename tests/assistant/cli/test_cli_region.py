"""The command line on a region's own documents: a section is named where a PDF would give a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli import main
from assistant.services import forget_stores


@pytest.fixture(autouse=True)
def _region(region_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(region_dir))
    forget_stores()


def test_search_labels_a_sections_passage_with_its_marker(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "turismo rural y agroturismo", "--k", "3"]) == 0
    out = capsys.readouterr().out
    assert "p. None" not in out
    assert "erd-los-arrayanes § " in out.splitlines()[0]


def test_ask_names_the_cited_sections_heading_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "¿Qué objetivo de la estrategia trata sobre el turismo rural?", "--llm", "extractive"]) == 0
    out = capsys.readouterr().out
    assert "p. None" not in out
    sources = [line for line in out.splitlines() if line.startswith("  [erd-los-arrayanes § ")]
    assert sources and all("OE " in line for line in sources), out
