"""#16 end to end in headless Chromium: OIDC sign-in against a real provider, roles, sign-out; local
accounts in two browser contexts, each seeing only their own saved conversations.

The identity provider is `oidc-provider-mock` (a real OpenID Connect server built on Authlib, the
library Streamlit's `st.login` uses on the other side), started by the test on 127.0.0.1. The app is
started with `policy-assistant ui --host 0.0.0.0`, which it allows only because sign-in is configured.
Screenshots go to test-artifacts/ (ignored by git).
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import UserInputError
from assistant.people import access, accounts, audit
from assistant.settings import Settings
from assistant.workspace import library
from evals.bench.load import free_port, start_app
from tests.ui.test_browser import ARTIFACTS, CHROMIUM, FLAGS

NOTE = "Plan regional de turismo de Ñuble. Propone rutas de enoturismo y capacitación de guías locales. " * 4


@pytest.fixture(name="provider")
def fixture_provider() -> Iterator[str]:
    """A real OIDC provider on 127.0.0.1 with two office users; yields its base URL."""
    import werkzeug.serving
    from oidc_provider_mock import User, app

    users = [User(sub="rosa", claims={"email": "rosa@gore-nuble.cl", "groups": ["lectores"]}),
             User(sub="ema", claims={"email": "ema@gore-nuble.cl", "groups": ["planificacion"]})]
    server = werkzeug.serving.make_server("127.0.0.1", 0, app(user_claims=users), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def _sign_in_with_provider(page, url: str, who: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(url)
    button = page.get_by_role("button", name=re.compile(r"^Iniciar sesión con "))
    expect(button).to_be_visible(timeout=120_000)
    button.click()
    page.get_by_role("button", name=who, exact=True).click()  # the provider's page: one button per user
    expect(page.get_by_placeholder("Escriba su pregunta…")).to_be_visible(timeout=60_000)


def test_oidc_reader_cannot_upload_editor_can_and_sign_out_asks_again(
        corpus_dir: Path, tmp_path: Path, provider: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    data, port = tmp_path / "data", free_port()
    shutil.copytree(corpus_dir, data, ignore=shutil.ignore_patterns("models"))  # the model file: 1.1 GB
    (data / "roles.toml").write_text('default = "reader"\n[groups]\nplanificacion = "editor"\n', encoding="utf-8")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'''[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-long-random-string-for-the-test-only"
client_id = "policy-assistant"
client_secret = "test-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
''', encoding="utf-8")
    note = tmp_path / "plan-turismo-nuble.txt"
    note.write_text(NOTE, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    env = {"POLICY_ASSISTANT_AUTH_SECRETS_FILE": str(secrets)}
    proc = start_app(data, "extractive", port, tmp_path / "streamlit.log", env=env, host="0.0.0.0", cli=True)
    url = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            _sign_in_with_provider(page, url, "rosa")
            expect(page.get_by_text("Sesión de rosa@gore-nuble.cl · lector")).to_be_visible()
            expect(page.get_by_role("link", name="Evaluación")).to_have_count(0)
            expect(page.get_by_role("link", name="Administración")).to_have_count(0)
            page.get_by_role("link", name="Biblioteca").click()
            expect(page.get_by_text(re.compile("^Puede consultar la biblioteca"))).to_be_visible(timeout=30_000)
            expect(page.locator("input[type=file]")).to_have_count(0)
            expect(page.get_by_role("button", name="Quitar documento")).to_have_count(0)
            page.screenshot(path=str(ARTIFACTS / "16-1-reader-library.png"))

            page.get_by_role("button", name="Cerrar sesión").click()
            page.get_by_role("button", name="End session").click()  # the provider ends its session too
            expect(page.get_by_role("button", name=re.compile(r"^Iniciar sesión con "))).to_be_visible(timeout=30_000)
            expect(page.get_by_placeholder("Escriba su pregunta…")).to_have_count(0)
            page.screenshot(path=str(ARTIFACTS / "16-2-signed-out.png"))

            _sign_in_with_provider(page, url, "ema")
            expect(page.get_by_text("Sesión de ema@gore-nuble.cl · editor")).to_be_visible()
            page.get_by_role("link", name="Biblioteca").click()
            page.locator("input[type=file]").first.set_input_files(str(note))
            page.get_by_role("button", name="Indexar").click()
            expect(page.get_by_text("plan-turismo-nuble.txt: indexado").first).to_be_visible(timeout=90_000)
            page.screenshot(path=str(ARTIFACTS / "16-3-editor-upload.png"))
            page.get_by_role("combobox", name=re.compile("Quitar documento")).click()
            page.get_by_role("option", name="plan-turismo-nuble").click()
            page.get_by_role("button", name="Quitar documento").click()
            expect(page.get_by_text("Documento quitado: plan-turismo-nuble")).to_be_visible(timeout=30_000)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    settings = Settings(data_dir=data)
    reader = access.oidc_user({"email": "rosa@gore-nuble.cl", "groups": ["lectores"]}, access.load_roles(settings))
    with pytest.raises(access.PermissionDeniedError, match="rosa@gore-nuble.cl \\(reader\\) may not upload"):
        library.add_upload("otro.txt", NOTE.encode(), settings, user=reader)  # the facade refuses, not just the page
    shutil.copy(data / "audit.jsonl", ARTIFACTS / "16-audit.jsonl")  # what an admin would read
    log = [(e.actor, e.action, e.doc_id) for e in audit.entries(settings)]
    assert ("rosa@gore-nuble.cl", "sign-in", "") in log and ("rosa@gore-nuble.cl", "sign-out", "") in log
    assert ("ema@gore-nuble.cl", "upload", "plan-turismo-nuble") in log
    assert ("ema@gore-nuble.cl", "remove", "plan-turismo-nuble") in log
    assert [r.doc_id for r in library.documents(settings)] == ["cepal-113-recomendaciones",
                                                               "cepal-fomento-regional-chile"]
    assert not any(e[0] == "rosa@gore-nuble.cl" and e[1] == "upload" for e in log)


def test_two_local_users_see_only_their_own_conversations(corpus_dir: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    data, port = tmp_path / "data", free_port()
    shutil.copytree(corpus_dir, data, ignore=shutil.ignore_patterns("models"))  # the model file: 1.1 GB
    settings = Settings(data_dir=data)
    accounts.add("ana", "contraseña-de-ana", "reader", settings)
    accounts.add("luis", "contraseña-de-luis", "reader", settings)
    proc = start_app(data, "extractive", port, tmp_path / "streamlit.log")
    url = f"http://127.0.0.1:{port}"
    questions = {"ana": "¿Qué dice la recomendación 41?", "luis": "¿Cómo fortalecer las iniciativas clúster?"}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            pages = {}
            page = browser.new_page()
            page.goto(f"{url}/admin")  # a page's address, before signing in: the sign-in page, nothing else
            expect(page.get_by_label("Usuario")).to_be_visible(timeout=120_000)
            expect(page.get_by_text("Registro de auditoría")).to_have_count(0)
            expect(page.get_by_role("navigation", name="App pages")).to_have_count(0)  # no page list either
            page.close()
            for name in questions:  # two people, two browser contexts (separate cookies and sessions)
                page = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
                page.goto(url)
                expect(page.get_by_label("Usuario")).to_be_visible(timeout=120_000)
                page.get_by_label("Usuario").fill(name)
                page.get_by_label("Contraseña").fill(f"contraseña-de-{name}")
                page.get_by_role("button", name="Iniciar sesión").click()
                chat = page.get_by_placeholder("Escriba su pregunta…")
                expect(chat).to_be_visible(timeout=60_000)
                chat.fill(questions[name])
                chat.press("Enter")
                expect(page.get_by_role("button", name=re.compile(r"^R\d+$")).first).to_be_visible(timeout=60_000)
                pages[name] = page
            for name, page in pages.items():
                page.reload()  # a reload drops the browser session: sign in again, then the saved list
                page.get_by_label("Usuario").fill(name)
                page.get_by_label("Contraseña").fill(f"contraseña-de-{name}")
                page.get_by_role("button", name="Iniciar sesión").click()
                other = next(q for n, q in questions.items() if n != name)
                mine = page.get_by_role("button", name=re.compile("^" + re.escape(questions[name]) + " ·"))
                expect(mine).to_be_visible(timeout=60_000)
                expect(page.get_by_role("button", name=re.compile("^" + re.escape(other) + " ·"))).to_have_count(0)
            pages["ana"].screenshot(path=str(ARTIFACTS / "16-4-own-sessions.png"))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    from assistant.workspace import sessions

    luis = sessions.list_sessions(settings, owner="luis")
    assert [i.title for i in luis] == [questions["luis"]]
    with pytest.raises(UserInputError, match="no saved conversation"):
        sessions.load(luis[0].id, settings, owner="ana")  # ana cannot open luis's session by its id
