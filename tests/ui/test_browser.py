"""One end-to-end run in a real headless Chromium: ask, open a citation, draft, download Word.

Screenshots go to test-artifacts/ (ignored by git). Needs Debian's chromium and the playwright
package (both installed by `make test`); Playwright drives /usr/bin/chromium, it downloads nothing.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(data: Path, log: Path) -> Iterator[str]:
    """The app on the data dir `data` (extractive backend): its URL once it answers, stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "POLICY_ASSISTANT_DATA_DIR": str(data), "POLICY_ASSISTANT_LLM_BACKEND": "extractive"}
    out = log.open("w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "app.py"),
                             "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
                             "--client.toolbarMode", "viewer"],
                            env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("the app did not start: " + log.read_text())
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(name="app_url")
def fixture_app_url(corpus_dir: Path, tmp_path: Path) -> Iterator[str]:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(corpus_dir, data)  # uploads must not touch the session's shared index
    with serving(data, tmp_path / "streamlit.log") as url:
        yield url


def test_ask_open_citation_draft_and_download(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        started = time.perf_counter()
        page.goto(app_url)
        chat = page.get_by_placeholder("Escriba su pregunta…")
        expect(chat).to_be_visible(timeout=120_000)
        usable_s = time.perf_counter() - started
        page.screenshot(path=str(ARTIFACTS / "01-chat-empty.png"))

        chat.fill("¿Cómo fortalecer las iniciativas clúster en mi región?")
        chat.press("Enter")
        chip = page.get_by_role("button", name="R81")  # clusters as the engine of territorial policy
        expect(chip).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Según los documentos disponibles").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "02-chat-answer.png"))

        chip.click()
        expect(page.get_by_text("Lineamiento VIII").first).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Panorama 2024, pág. 232").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "03-citation-open.png"))
        page.keyboard.press("Escape")

        page.get_by_role("link", name="Redactar").click()
        page.get_by_label("Región").fill("Biobío")
        page.get_by_label("Tema").fill("iniciativas clúster")
        page.get_by_role("button", name="Generar borrador").click()
        download_button = page.get_by_role("button", name="Descargar Word (.docx)")
        expect(download_button).to_be_visible(timeout=90_000)
        expect(page.get_by_text("Líneas de acción").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "04-draft.png"), full_page=True)
        with page.expect_download() as info:
            download_button.click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)

        # A planner uploads a PDF of their own and asks about it.
        from tests.pdfs import write_pdf

        pdf = write_pdf(tmp_path / "plan-hidrogeno-magallanes.pdf", [
            "Plan regional de hidrógeno verde de Magallanes. " + "La región de Magallanes impulsará la producción de "
            "hidrógeno verde con energía eólica, formación de técnicos y puertos adaptados para exportar amoníaco. " * 6])
        page.get_by_role("link", name="Biblioteca").click()
        page.locator("input[type=file]").first.set_input_files(str(pdf))
        page.get_by_role("button", name="Indexar").click()
        expect(page.get_by_text("plan-hidrogeno-magallanes.pdf: indexado").first).to_be_visible(timeout=90_000)
        page.screenshot(path=str(ARTIFACTS / "05-library-upload.png"), full_page=True)
        page.get_by_role("link", name="Conversación").click()
        chat = page.get_by_placeholder("Escriba su pregunta…")
        chat.fill("¿Qué plantea el plan de hidrógeno verde de Magallanes?")
        chat.press("Enter")
        expect(page.get_by_text("plan-hidrogeno-magallanes p. i").first).to_be_visible(timeout=60_000)
        doc_chip = page.get_by_role("button", name=re.compile(r"^plan-hidrogeno-magal.* p\. i"))
        expect(doc_chip).to_be_visible()
        doc_chip.click()
        expect(page.get_by_text("Página i").first).to_be_visible(timeout=10_000)
        expect(page.get_by_text("Frases sin cita verificada")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "06-ask-own-document.png"))
        browser.close()

    from docx import Document

    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert target.suffix == ".docx" and "Biobío" in text and "[R80]" in text
    (ARTIFACTS / "timings.txt").write_text(f"launch to usable chat: {usable_s:.1f} s\n")
