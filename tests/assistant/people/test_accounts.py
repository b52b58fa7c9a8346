"""Local accounts: bcrypt hashes only, wrong passwords, slowed repeated failures, audited changes, the CLI."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.errors import UserInputError
from assistant.people import accounts, audit
from assistant.people.accounts import SignInError
from assistant.settings import Settings
from evals.bench.load import free_port

PASSWORD = "Clave-de-Ana-2026"


def _settings(tmp_path: Path, **auth: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", auth=auth)


def test_a_right_password_signs_in_and_a_wrong_one_does_not(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    accounts.add("Ana@Gore.cl", PASSWORD, "editor", settings)
    user = accounts.sign_in(" ana@gore.cl ", PASSWORD, settings, client="10.0.0.7")
    assert (user.name, user.role, user.via) == ("ana@gore.cl", "editor", "local")
    for name, password in (("ana@gore.cl", PASSWORD.lower()), ("ana@gore.cl", ""), ("nadie", PASSWORD)):
        with pytest.raises(SignInError) as info:
            accounts.sign_in(name, password, settings)
        assert info.value.reason == "wrong" and str(info.value) == "wrong user name or password"
    log = [(e.actor, e.action, e.detail) for e in audit.entries(settings)]
    assert log[0] == ("root" if os.getuid() == 0 else log[0][0], "user-add", "ana@gore.cl as editor")
    assert log[1] == ("ana@gore.cl", "sign-in", "local account, editor from 10.0.0.7")
    assert [a for _, a, _ in log[2:]] == ["sign-in-failed"] * 3
    assert log[-1][2] == "no such user (1 of 5)"


def test_repeated_failures_make_the_account_wait_even_for_the_right_password(tmp_path: Path) -> None:
    settings = _settings(tmp_path, max_failures=3, lockout_s=1.5)
    accounts.add("luis", PASSWORD, "reader", settings)
    for _ in range(3):
        with pytest.raises(SignInError, match="wrong"):
            accounts.sign_in("luis", "adivinanza", settings)
    with pytest.raises(SignInError) as info:
        accounts.sign_in("luis", PASSWORD, settings)  # refused without checking: the account waits
    assert info.value.reason == "locked" and 1 <= info.value.wait_s <= 2
    assert "refused: 3 failures" in audit.entries(settings)[-1].detail
    time.sleep(1.6)
    assert accounts.sign_in("luis", PASSWORD, settings).name == "luis"  # the window passed
    with pytest.raises(SignInError, match="wrong"):  # and a success clears the count
        accounts.sign_in("luis", "otra", settings)


def test_no_password_is_written_in_clear_anywhere_under_the_data_dir(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    accounts.add("ana", PASSWORD, "admin", settings)
    accounts.set_password("ana", "Segunda-Clave-99", settings)
    with pytest.raises(SignInError):
        accounts.sign_in("ana", "Tercera-Clave-Mal", settings)
    accounts.sign_in("ana", "Segunda-Clave-99", settings)
    files = [p for p in settings.data_dir.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"users.sqlite", "audit.jsonl"}
    for path in files:
        data = path.read_bytes()
        for secret in (PASSWORD, "Segunda-Clave-99", "Tercera-Clave-Mal"):
            assert secret.encode() not in data and secret.encode("utf-16-le") not in data, path
    assert b"$2b$12$" in (settings.data_dir / "users.sqlite").read_bytes()  # bcrypt, cost 12


def test_accounts_are_checked_and_their_changes_audited(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    assert not accounts.any_accounts(settings)
    accounts.add("ana", PASSWORD, "reader", settings)
    assert accounts.any_accounts(settings)
    for call, message in ((lambda: accounts.add("ana", PASSWORD, "reader", settings), "already exists"),
                          (lambda: accounts.add("ana maria", PASSWORD, "reader", settings), "use 1-64 letters"),
                          (lambda: accounts.add("luis", "corta", "reader", settings), "too short"),
                          (lambda: accounts.add("luis", "ñ" * 40, "reader", settings), "at most 72 bytes"),
                          (lambda: accounts.add("luis", PASSWORD, "owner", settings), "unknown role 'owner'"),
                          (lambda: accounts.set_role("nadie", "admin", settings), "no user nadie")):
        with pytest.raises(UserInputError, match=message):
            call()
    assert accounts.set_role("ana", "editor", settings) == ("reader", "editor")
    assert accounts.account("ana", settings).role == "editor"  # type: ignore[union-attr]
    accounts.remove("ana", settings)
    assert accounts.account("ana", settings) is None and not accounts.any_accounts(settings)
    assert [e.action for e in audit.entries(settings)] == ["user-add", "role-change", "user-remove"]
    assert audit.entries(settings)[1].detail == "ana: reader -> editor"


def test_the_users_command_reads_the_password_from_standard_input(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "ana", "--role", "editor"]) == 0
    assert main(["users", "set-role", "ana", "admin"]) == 0
    assert main(["users", "list"]) == 0
    out = capsys.readouterr().out
    assert "added ana as editor" in out and "ana: editor -> admin" in out and "ana" in out.splitlines()[-1]
    monkeypatch.setattr("sys.stdin", io.StringIO("Nueva-Clave-2027\n"))
    assert main(["users", "passwd", "ana"]) == 0
    assert accounts.sign_in("ana", "Nueva-Clave-2027", Settings()).role == "admin"
    assert main(["users", "remove", "ana"]) == 0 and "removed ana" in capsys.readouterr().out
    assert main(["users", "list"]) == 0 and "no local accounts" in capsys.readouterr().out


def test_ui_serves_the_network_once_sign_in_is_configured(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class Exec(BaseException):
        pass

    def fake_exec(_exe: str, argv: list[str]) -> None:
        raise Exec(argv)

    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(os, "execv", fake_exec)
    monkeypatch.setattr("assistant.workspace.library.ensure_corpus", lambda settings: None)
    port = str(free_port())
    assert main(["ui", "--host", "0.0.0.0", "--port", port]) == 2
    assert "refusing to serve 0.0.0.0 without sign-in" in capsys.readouterr().err
    accounts.add("admin", PASSWORD, "admin", Settings())
    with pytest.raises(Exec):
        main(["ui", "--host", "0.0.0.0", "--port", port])
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nredirect_uri = "http://x:8501/oauth2callback"\ncookie_secret = "c"\n'
                       'client_id = "pa"\nclient_secret = "s"\nserver_metadata_url = "http://kc/.well-known/x"\n')
    monkeypatch.setenv("POLICY_ASSISTANT_AUTH_SECRETS_FILE", str(secrets))
    accounts.remove("admin", Settings())
    with pytest.raises(Exec) as info:
        main(["ui", "--host", "0.0.0.0", "--port", port])
    argv = info.value.args[0]
    assert argv[argv.index("--secrets.files") + 1] == str(secrets)  # Streamlit reads the same file


def test_a_backup_carries_the_accounts_and_the_roles_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.services import forget_stores

    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    accounts.add("ana", PASSWORD, "editor", Settings())
    (tmp_path / "data" / "roles.toml").write_text('[groups]\nplanificacion = "editor"\n', encoding="utf-8")
    assert main(["backup", str(tmp_path / "b.tar.gz")]) == 0
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(tmp_path / "elsewhere"))
    forget_stores()
    assert main(["restore", str(tmp_path / "b.tar.gz")]) == 0
    assert accounts.sign_in("ana", PASSWORD, Settings()).role == "editor"
    assert (tmp_path / "elsewhere" / "roles.toml").read_text(encoding="utf-8").startswith("[groups]")
