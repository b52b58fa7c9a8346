"""The CLI as a user runs it: ingest, rec, search, and bad input (exit 2, one line, store unchanged)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.services import get_store
from assistant.settings import Settings
from tests.conftest import SLIDES
from tests.pdfs import write_pdf


def test_search_json_puts_guideline_viii_first(corpus_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "iniciativas clúster", "--json", "--k", "5"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["query"] == "iniciativas clúster"
    results = out["results"]
    assert set(results[0]) == {"doc_id", "recommendation", "guideline", "panorama_pages", "page", "score", "text"}
    guidelines = [r["guideline"] for r in results]
    assert guidelines[0] == "VIII" and guidelines.count("VIII") >= 3, guidelines
    assert results[0]["score"] >= results[-1]["score"]


def test_rec_prints_text_guideline_and_pages(corpus_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rec", "108"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("R108 · lineamiento XII") and "pág. 91, 92" in out
    assert main(["rec", "150"]) == 2
    assert capsys.readouterr().err.strip() == "policy-assistant: there is no recommendation 150 (1-113)"


def _bad_files(tmp: Path) -> list[Path]:
    corrupt = tmp / "roto.pdf"
    corrupt.write_bytes(b"%PDF-1.4 not really a pdf")
    empty = tmp / "vacio.txt"
    empty.write_text("")
    odd = tmp / "tabla.ods"
    odd.write_text("a,b\n1,2\n")
    return [corrupt, empty, odd, tmp / "falta.pdf"]


def test_bad_input_exits_2_with_one_line_and_leaves_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(SLIDES)]) == 0
    store = get_store(Settings())
    before = sorted(h.id for h in store.get())
    capsys.readouterr()
    for bad in _bad_files(tmp_path):
        assert main(["ingest", str(bad)]) == 2, bad
        err = capsys.readouterr().err.strip().splitlines()
        assert err[-1].startswith("policy-assistant: ") and bad.name in err[-1]
        assert "Traceback" not in "\n".join(err)
        assert sorted(h.id for h in store.get()) == before


def test_good_and_bad_files_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "plan.pdf", ["Plan regional de fomento productivo con foco en talento humano. " * 20])
    (folder / "roto.pdf").write_bytes(b"%PDF-1.4 broken")
    assert main(["ingest", str(folder)]) == 2
    captured = capsys.readouterr()
    assert "1 documents (1 written)" in captured.out and "roto.pdf" in captured.err
    assert [d.doc_id for d in get_store(Settings()).documents()] == ["plan"]


@pytest.mark.skipif(shutil.which("unshare") is None or sys.platform != "linux", reason="needs util-linux unshare")
def test_ingest_and_search_with_no_network(tmp_path: Path) -> None:
    """The whole path (models, tokenizer, Chroma) runs in a network namespace with no interfaces."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user namespaces are not permitted here")
    env = {**os.environ, "POLICY_ASSISTANT_DATA_DIR": str(tmp_path / "data"),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    exe = [sys.executable, "-m", "assistant.cli"]
    run = subprocess.run(["unshare", "-rn", *exe, "ingest"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "113 recommendations" in run.stdout
    run = subprocess.run(["unshare", "-rn", *exe, "search", "talento humano", "--json"],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["results"]


def test_no_code_references_a_download_url() -> None:
    root = Path(__file__).resolve().parents[3]
    for folder in ("assistant", "ingestion", "vectorstore", "ui", "evals", "prompts"):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "huggingface.co" not in text and "openaipublic" not in text, path


def test_reset_flag_rebuilds_from_scratch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = tmp_path / "nota.txt"
    note.write_text("Nota sobre talento humano en la región.", encoding="utf-8")
    assert main(["ingest", str(SLIDES), str(note)]) == 0
    assert get_store(Settings()).count() == 7
    assert main(["ingest", "--reset", str(SLIDES)]) == 0
    assert get_store(Settings()).count() == 6
    assert [d.doc_id for d in get_store(Settings()).documents()] == ["cepal-fomento-regional-chile"]
