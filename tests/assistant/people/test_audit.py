"""The audit trail of library changes, and `ui` refusing to serve the network without sign-in."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import socket
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.cli.serve import _loopback
from assistant.people import audit
from assistant.people.access import User
from assistant.services import forget_stores
from assistant.settings import Settings
from assistant.workspace.library import add_upload, remove

TEXT = ("Plan regional de innovación de Ñuble. Fondo de capital semilla para pymes agroalimentarias y "
        "un centro de extensión tecnológica con las universidades de la región.\n\n") * 4


def test_uploads_and_removals_are_logged_with_who_and_the_files_sha256(
        corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(corpus_dir, data)
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(data))
    forget_stores()
    settings = Settings()
    ana, luis = (User(name=n, role="editor", via="local") for n in ("ana", "luis"))
    record = add_upload("plan-nuble.txt", TEXT.encode(), settings, user=ana)
    assert remove(record.doc_id, settings, user=luis)
    upload, removal = list(audit.entries(settings))
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    assert (upload.actor, upload.action, upload.doc_id, upload.sha256) == ("ana", "upload", "plan-nuble", digest)
    assert (removal.actor, removal.action, removal.doc_id, removal.sha256) == ("luis", "remove", "plan-nuble", digest)
    assert main(["audit"]) == 0 and "ana" in capsys.readouterr().out
    out = tmp_path / "audit.csv"
    assert main(["audit", "--csv", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["action"] for r in rows] == ["upload", "remove"] and rows[0]["sha256"] == digest

    archive = tmp_path / "b.tar.gz"  # a backup carries the trail
    assert main(["backup", str(archive)]) == 0
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(tmp_path / "elsewhere"))
    forget_stores()
    assert main(["restore", str(archive)]) == 0
    assert [e.action for e in audit.entries(Settings())] == ["upload", "remove"]


def test_a_line_cut_short_by_a_crash_is_skipped(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    audit.record(settings, "rebuild", actor="admin")
    with audit.log_path(settings).open("a", encoding="utf-8") as fh:
        fh.write('{"at": "2026-11-22T10:00:00", "actor": "x", "act')
    assert [e.actor for e in audit.entries(settings)] == ["admin"]


def test_ui_refuses_the_network_without_sign_in(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ui", "--host", "0.0.0.0", "--port", "8599"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "refusing to serve 0.0.0.0 without sign-in" in err[0] and "--no-auth" in err[0]


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("localhost", True), ("127.0.0.2", True),
                                                ("0.0.0.0", False)])
def test_which_addresses_are_loopback(host: str, loopback: bool) -> None:
    assert _loopback(socket.getaddrinfo(host, 8501, type=socket.SOCK_STREAM)) is loopback
