"""Roles: what each may do, the facades refusing the rest, OIDC users' roles from the roles file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.errors import UserInputError
from assistant.people import access, accounts, audit
from assistant.people.access import PermissionDeniedError, User
from assistant.services import forget_stores, get_store
from assistant.settings import Settings
from assistant.workspace import library
from evals.dataset import DEFAULT_DATASET
from evals.runner import run_eval

READER, EDITOR, ADMIN = (User(name=f"{r}@gore.cl", role=r, via="local") for r in access.ROLES)
TEXT = "Plan regional de innovación de Ñuble: un fondo de capital semilla para pymes agroalimentarias. " * 5


def test_each_role_may_do_what_the_issue_lists_and_no_more() -> None:
    allowed = {u.role: {a for a in access.LEAST_ROLE if access.can(u, a)} for u in (READER, EDITOR, ADMIN)}
    assert allowed == {"reader": {"ask"}, "editor": {"ask", "upload", "remove"},
                       "admin": {"ask", "upload", "remove", "rebuild", "eval", "users", "audit"}}
    assert all(access.can(None, a) for a in access.LEAST_ROLE)  # the operator at the machine (CLI, laptop app)


def test_the_facades_refuse_a_role_that_may_not_and_change_nothing(corpus_dir: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(corpus_dir, data, ignore=shutil.ignore_patterns("models"))  # the model file: 1.1 GB
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(data))
    forget_stores()
    settings = Settings()
    before = [r.doc_id for r in library.documents(settings)]
    with pytest.raises(PermissionDeniedError, match=r"^reader@gore.cl \(reader\) may not upload documents: that "
                                                    r"needs the editor role or admin; ask an admin$"):
        library.add_upload("plan.txt", TEXT.encode(), settings, user=READER)
    with pytest.raises(PermissionDeniedError, match="may not remove documents"):
        library.remove("cepal-113-recomendaciones", settings, user=READER)
    with pytest.raises(PermissionDeniedError, match=r"editor@gore.cl \(editor\) may not rebuild the index: "
                                                    "that needs the admin role"):
        library.rebuild(settings, user=EDITOR)
    with pytest.raises(PermissionDeniedError, match="may not run evaluations"):
        run_eval(DEFAULT_DATASET, settings, user=EDITOR)
    with pytest.raises(PermissionDeniedError, match="may not manage users"):
        accounts.add("nuevo", "una-clave-larga", "admin", settings, by=EDITOR)
    with pytest.raises(PermissionDeniedError, match="may not read the audit log"):
        audit.entries(settings, by=EDITOR)
    assert [r.doc_id for r in library.documents(settings)] == before
    assert not (data / "uploads").exists() and not (data / "users.sqlite").exists()

    record = library.add_upload("plan.txt", TEXT.encode(), settings, user=EDITOR)  # an editor may
    assert get_store(settings).record(record.doc_id) is not None
    assert library.remove(record.doc_id, settings, user=EDITOR)
    log = audit.entries(settings, by=ADMIN)
    assert [(e.actor, e.action) for e in log] == [("editor@gore.cl", "upload"), ("editor@gore.cl", "remove")]


def test_an_oidc_user_gets_the_highest_role_the_roles_file_gives_them(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert access.load_roles(settings) == access.RolesFile()  # no file: every signed-in user is a reader
    access.roles_path(settings).write_text('default = "none"\ngroups_claim = "roles"\n'
                                           '[users]\n"Ana@Gore.cl" = "admin"\n'
                                           '[groups]\nplanificacion = "editor"\n', encoding="utf-8")
    roles = access.load_roles(settings)
    ana = access.oidc_user({"email": "ANA@gore.cl", "roles": ["planificacion"]}, roles)
    assert ana == User(name="ana@gore.cl", role="admin", via="oidc", detail="listed in the roles file")
    luis = access.oidc_user({"email": "luis@gore.cl", "roles": "planificacion"}, roles)
    assert (luis.role, luis.detail) == ("editor", "group planificacion")  # type: ignore[union-attr]
    assert access.oidc_user({"email": "visita@gmail.com", "roles": ["otros"]}, roles) is None  # default none
    assert access.oidc_user({"sub": "", "email": ""}, roles) is None
    nameless = access.oidc_user({"sub": "f81d4fae"}, access.RolesFile())
    assert nameless == User(name="f81d4fae", role="reader", via="oidc", detail="the default role")


@pytest.mark.parametrize(("text", "message"), [
    ('default = "superuser"', "default: Input should be 'reader', 'editor', 'admin' or 'none'"),
    ('[users]\n"a@b.cl" = "owner"', "users.a@b.cl: Input should be 'reader', 'editor' or 'admin'"),
    ("[groups\n", "not a valid TOML file"),
    ('colour = "red"', "colour: Extra inputs are not permitted"),
])
def test_a_malformed_roles_file_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    settings = Settings(data_dir=tmp_path)
    access.roles_path(settings).write_text(text, encoding="utf-8")
    with pytest.raises(UserInputError, match="roles.toml") as info:
        access.load_roles(settings)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_oidc_providers_are_read_as_streamlit_reads_them(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    settings = Settings(data_dir=tmp_path, auth={"secrets_file": str(secrets)})
    assert access.oidc_providers(settings) == []  # no file
    shared = 'redirect_uri = "http://127.0.0.1:8501/oauth2callback"\ncookie_secret = "xyz"\n'
    secrets.write_text("[auth]\n" + shared + 'client_id = "pa"\nclient_secret = "s"\n'
                       'server_metadata_url = "https://sso.gore.cl/.well-known/openid-configuration"\n')
    assert access.oidc_providers(settings) == [
        access.OidcProvider(name=None, metadata_url="https://sso.gore.cl/.well-known/openid-configuration")]
    secrets.write_text("[auth]\n" + shared + '[auth.keycloak]\nclient_id = "pa"\nclient_secret = "s"\n'
                       'server_metadata_url = "https://kc/realms/gore/.well-known/openid-configuration"\n')
    assert [p.name for p in access.oidc_providers(settings)] == ["keycloak"]
    secrets.write_text('[server]\nport = 1\n')  # secrets without an [auth] section: no sign-in
    assert access.oidc_providers(settings) == []
    secrets.write_text("[auth]\n" + shared)
    with pytest.raises(UserInputError, match="names no provider"):
        access.oidc_providers(settings)
