"""The administration page (audit log, local accounts) and the library's role-dependent controls."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.people import accounts, audit
from assistant.people.access import User
from assistant.settings import PROJECT_ROOT, Settings

PAGES = PROJECT_ROOT / "ui" / "views"
ADMIN = User(name="jefa@gore.cl", role="admin", via="local")


def _page(name: str, user: User) -> AppTest:
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=120)
    at.session_state["signed_in"] = user
    return at.run()


@pytest.fixture(name="own_copy")
def fixture_own_copy(corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """A copy of the indexed corpus: accounts written here must not reach the session's shared data dir.

    The app caches its Settings per process (st.cache_resource), so the cache is emptied on both sides.
    """
    from ui.state import _settings

    shutil.copytree(corpus_dir, tmp_path / "copy", ignore=shutil.ignore_patterns("models"))  # the model: 1.1 GB
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(tmp_path / "copy"))
    _settings.clear()
    yield Settings()
    _settings.clear()


def test_an_admin_reads_the_audit_log_and_manages_accounts(own_copy: Settings) -> None:
    corpus_settings = own_copy
    audit.record(corpus_settings, "upload", actor="ema@gore.cl", doc_id="plan-turismo", sha256="ab" * 32)
    at = _page("admin", ADMIN)
    assert not at.exception, at.exception
    assert at.dataframe[0].value["Quién"].tolist() == ["ema@gore.cl"]
    assert "No hay cuentas locales." in [c.value for c in at.caption]
    at.text_input(key="new-name").set_value("luis")
    at.text_input(key="new-password").set_value("Clave-de-Luis-1")
    at.selectbox(key="new-role").set_value("editor")
    next(b for b in at.button if b.label == "Agregar cuenta").click().run()  # the form's submit button
    assert not at.exception, at.exception
    assert accounts.sign_in("luis", "Clave-de-Luis-1", corpus_settings).role == "editor"
    at.selectbox(key="admin-role").set_value("reader")
    next(b for b in at.button if b.label == "Cambiar rol").click().run()
    assert accounts.account("luis", corpus_settings).role == "reader"  # type: ignore[union-attr]
    actions = [(e.actor, e.action) for e in audit.entries(corpus_settings)]
    assert ("jefa@gore.cl", "user-add") in actions and ("jefa@gore.cl", "role-change") in actions


def test_the_admin_page_run_by_a_reader_is_refused_by_the_facade(corpus_settings: Settings) -> None:
    at = _page("admin", User(name="rosa", role="reader", via="local"))  # the page is not listed for a reader
    assert at.exception and "rosa (reader) may not read the audit log" in at.exception[0].message


def test_the_library_shows_each_role_only_its_own_controls(corpus_settings: Settings) -> None:
    def labels(at: AppTest) -> set[str]:
        return {b.label for b in at.button}

    reader = _page("library", User(name="rosa", role="reader", via="local"))
    assert not reader.exception and not reader.get("file_uploader")
    assert not {"Quitar documento", "Reconstruir el índice"} & labels(reader)
    editor = _page("library", User(name="ema", role="editor", via="local"))
    assert editor.get("file_uploader") and "Quitar documento" in labels(editor)
    assert "Reconstruir el índice" not in labels(editor)
    admin = _page("library", ADMIN)
    assert "Reconstruir el índice" in labels(admin)


def test_a_broken_secrets_file_is_one_error_and_nothing_else(own_copy: Settings, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.state import _settings

    broken = tmp_path / "secrets.toml"
    broken.write_text("[auth\nredirect_uri = ")
    monkeypatch.setenv("POLICY_ASSISTANT_AUTH_SECRETS_FILE", str(broken))
    _settings.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "ui" / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] and "not a valid TOML file" in at.error[0].value
    assert not at.chat_input, "no page is served behind the error"
