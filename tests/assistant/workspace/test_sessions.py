"""Saved conversations in SQLite: answers kept as shown, citations that say when their source changed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.errors import UserInputError
from assistant.models import Answer, Citation
from assistant.settings import PROJECT_ROOT, Settings
from assistant.workspace import sessions


def _answer(text: str = "Según R79…", cit_text: str = "Desarrollar iniciativas clúster.") -> Answer:
    return Answer(question="¿Clústeres?", language="es", answer=text, backend="extractive",
                  citations=[Citation(marker="R79", doc_id="cepal-113-recomendaciones", recommendation=79,
                                      guideline="VIII", guideline_title="Iniciativas clúster", panorama_pages=[232],
                                      text=cit_text)],
                  notices=["aviso"])


def test_a_conversation_is_kept_whole_and_listed_by_date(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = sessions.create("  ¿Cómo fortalecer\nlas iniciativas clúster en mi región?  ", settings)
    sessions.append(first.id, settings, "user", "¿Cómo fortalecer las iniciativas clúster?")
    sessions.append(first.id, settings, "assistant", "Según R79…", answer=_answer(), index_version="v1")
    time.sleep(0.01)
    second = sessions.create("x" * 500, settings)
    listed = sessions.list_sessions(settings)
    assert [i.id for i in listed] == [second.id, first.id]
    assert listed[1].title == "¿Cómo fortalecer las iniciativas clúster en mi región?" and listed[1].messages == 2
    assert len(listed[0].title) == sessions.TITLE_CHARS and listed[0].title.endswith("…")
    loaded = sessions.load(first.id, settings)
    assert loaded.messages[1].answer == _answer() and loaded.messages[1].index_version == "v1"
    sessions.append(first.id, settings, "user", "¿y la siguiente?")
    assert sessions.list_sessions(settings)[0].id == first.id, "the last used comes first"


def test_rename_delete_and_truncate(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    sid = sessions.create("pregunta", settings).id
    for i in range(4):
        sessions.append(sid, settings, "user" if i % 2 == 0 else "assistant", f"m{i}")
    sessions.truncate(sid, settings, 2)
    assert [m.content for m in sessions.load(sid, settings).messages] == ["m0", "m1"]
    sessions.rename(sid, "Clústeres en Biobío", settings)
    assert sessions.list_sessions(settings)[0].title == "Clústeres en Biobío"
    with pytest.raises(UserInputError):
        sessions.rename(sid, "   ", settings)
    sessions.delete(sid, settings)
    assert sessions.list_sessions(settings) == []
    with pytest.raises(UserInputError, match="no saved conversation"):
        sessions.load(sid, settings)
    with sqlite3.connect(sessions.db_path(settings)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 0


def test_another_owner_cannot_open_or_change_a_conversation(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    sid = sessions.create("mía", settings, owner="ana").id
    assert sessions.list_sessions(settings, owner="luis") == []
    for call in (lambda: sessions.load(sid, settings, owner="luis"),
                 lambda: sessions.rename(sid, "otra", settings, owner="luis"),
                 lambda: sessions.delete(sid, settings, owner="luis"),
                 lambda: sessions.append(sid, settings, "user", "hola", owner="luis")):
        with pytest.raises(UserInputError):
            call()
    assert sessions.list_sessions(settings, owner="ana")[0].id == sid


def test_citation_status_follows_the_index(corpus_settings: Settings) -> None:
    from assistant.services import get_registry

    rec = get_registry(corpus_settings).get(79)
    assert rec is not None
    same = _answer(cit_text=rec.text).citations[0]
    assert sessions.citation_status(same, corpus_settings) == "same"
    assert sessions.citation_status(same.model_copy(update={"text": "otro texto"}), corpus_settings) == "changed"
    gone = same.model_copy(update={"recommendation": 999, "marker": "R999"})
    assert sessions.citation_status(gone, corpus_settings) == "gone"
    deck = Citation(marker="x", doc_id="no-such-doc", page="3", text="t")
    assert sessions.citation_status(deck, corpus_settings) == "gone"


_WRITER = """
import sys, time
from assistant.workspace import sessions
from assistant.models import Answer
from assistant.settings import Settings
settings = Settings(data_dir=sys.argv[1])
sid = sessions.create("q", settings).id
print(sid, flush=True)
i = 0
while True:
    ans = Answer(question=f"q{i}", language="es", answer="a" * 20000, backend="extractive")
    sessions.append(sid, settings, "assistant", f"m{i}", answer=ans)
    print(i, flush=True)
    i += 1
"""


def test_a_killed_process_loses_no_answer_it_had_written(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                            cwd=PROJECT_ROOT, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert proc.stdout is not None
    sid = proc.stdout.readline().strip()
    written = -1
    while written < 20:
        written = int(proc.stdout.readline())
    proc.send_signal(signal.SIGKILL)  # mid-write, with no chance to clean up
    proc.wait(timeout=30)
    settings = Settings(data_dir=tmp_path)
    with sqlite3.connect(sessions.db_path(settings)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    kept = sessions.load(sid, settings).messages
    assert len(kept) >= written + 1, "every message reported written is there"
    assert [m.content for m in kept] == [f"m{i}" for i in range(len(kept))]
    assert all(m.answer is not None and len(m.answer.answer) == 20000 for m in kept)


def test_cli_lists_and_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert main(["sessions", "list"]) == 0 and "no saved conversations" in capsys.readouterr().out
    sid = sessions.create("¿Clústeres?", settings).id
    sessions.append(sid, settings, "user", "¿Clústeres?")
    sessions.append(sid, settings, "assistant", "Según R79…", answer=_answer())
    assert main(["sessions", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == sid
    out = tmp_path / "c.md"
    assert main(["sessions", "export", sid, "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"{out}: 2 messages"
    text = out.read_text(encoding="utf-8")
    assert "# ¿Clústeres?" in text and "- [R79] lineamiento VIII, Panorama 2024 pág. 232" in text
    assert main(["sessions", "export", sid, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["messages"][1]["answer"]["citations"][0]["marker"] == "R79"
    capsys.readouterr()
    assert main(["sessions", "export", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no saved conversation 'nope'" in err
