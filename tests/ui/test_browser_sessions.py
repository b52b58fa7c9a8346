"""#15 end to end in headless Chromium: conversations survive an app restart, a PDF citation opens on
its highlighted page, and a draft asked for in the chat downloads as Word.

Screenshots go to test-artifacts/ (ignored by git), as in test_browser.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from evals.bench.load import free_port, start_app
from tests.ui.test_browser import ARTIFACTS, CHROMIUM, FLAGS

PASSAGE = ("El plan de hidrógeno verde de Zorzalandia propone tres corredores logísticos y un fondo de garantías "
           "para pymes proveedoras del puerto de Bahía Azul.")


def test_sessions_survive_a_restart_pdf_citations_show_their_page_and_the_chat_drafts(
        corpus_dir: Path, tmp_path: Path) -> None:
    from docx import Document
    from playwright.sync_api import expect, sync_playwright

    from tests.pdfs import write_pdf

    data, port = tmp_path / "data", free_port()
    shutil.copytree(corpus_dir, data)
    ARTIFACTS.mkdir(exist_ok=True)
    proc = start_app(data, "extractive", port, tmp_path / "streamlit-1.log")
    url = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.goto(url)
            chat = page.get_by_placeholder("Escriba su pregunta…")
            expect(chat).to_be_visible(timeout=120_000)
            for question, marker in (("¿Qué dice la recomendación 41?", "R41"),
                                     ("¿Cómo fortalecer las iniciativas clúster en mi región?", "R81")):
                chat.fill(question)
                chat.press("Enter")
                expect(page.get_by_role("button", name=marker, exact=True).first).to_be_visible(timeout=60_000)
            page.get_by_role("button", name="R81", exact=True).first.click()
            before = page.get_by_text(re.compile(r"^Utilizar las iniciativas clúster")).first.inner_text()
            page.keyboard.press("Escape")

            proc.terminate()  # the app closes mid-afternoon...
            proc.wait(timeout=30)
            proc = start_app(data, "extractive", port, tmp_path / "streamlit-2.log")  # ...and comes back
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.goto(url)
            saved = page.get_by_role("button", name=re.compile(r"^¿Qué dice la recomendación 41\? ·"))
            expect(saved).to_be_visible(timeout=120_000)
            saved.click()
            chip = page.get_by_role("button", name="R81", exact=True).first
            expect(chip).to_be_visible(timeout=30_000)
            chip.click()
            after = page.get_by_text(re.compile(r"^Utilizar las iniciativas clúster")).first
            expect(after).to_be_visible(timeout=10_000)
            assert after.inner_text() == before, "the same recommendation text after the restart"
            expect(page.get_by_text("Recomendaciones vecinas").first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "15-1-reopened-after-restart.png"))
            page.keyboard.press("Escape")

            # A PDF of one's own: the citation opens on its page, with the passage highlighted.
            pdf = write_pdf(tmp_path / "plan-zorzalandia.pdf", ["Informe de turismo regional. " * 40, PASSAGE * 2,
                                                                "Otra parte del informe. " * 30])
            page.get_by_role("link", name="Biblioteca").click()
            page.locator("input[type=file]").first.set_input_files(str(pdf))
            page.get_by_role("button", name="Indexar").click()
            expect(page.get_by_text("plan-zorzalandia.pdf: indexado").first).to_be_visible(timeout=90_000)
            page.get_by_role("link", name="Conversación").click()
            page.get_by_role("button", name="Nueva conversación").click()
            chat = page.get_by_placeholder("Escriba su pregunta…")
            chat.fill("¿Qué propone el plan de hidrógeno verde de Zorzalandia?")
            chat.press("Enter")
            doc_chip = page.get_by_role("button", name=re.compile(r"^plan-zorzalandia p\. "))
            expect(doc_chip.first).to_be_visible(timeout=60_000)
            doc_chip.first.click()
            expect(page.get_by_text(re.compile(r"el pasaje citado, resaltado")).first).to_be_visible(timeout=20_000)
            image = page.locator("img[src^='data:image/png;base64,']").first  # inline: no URL on the media endpoint
            expect(image).to_be_visible()
            assert page.locator("img[src*='/media/']").count() == 0
            image.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "15-2-pdf-page-highlight.png"))
            page.keyboard.press("Escape")

            # A draft asked for in the chat.
            page.get_by_role("button", name="Nueva conversación").click()
            chat = page.get_by_placeholder("Escriba su pregunta…")
            chat.fill("Redacta una sección sobre iniciativas clúster para Biobío")
            chat.press("Enter")
            download = page.get_by_role("button", name="Descargar Word (.docx)")
            expect(download.first).to_be_visible(timeout=120_000)
            for heading in ("Diagnóstico y contexto", "Metas estratégicas (qué hacer)", "Líneas de acción",
                            "Gobernanza y metas de gestión (cómo hacerlo)", "Seguimiento y evaluación"):
                expect(page.get_by_text(heading, exact=True).first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "15-3-draft-in-chat.png"), full_page=True)
            with page.expect_download() as info:
                download.first.click()
            target = tmp_path / info.value.suggested_filename
            info.value.save_as(target)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert target.suffix == ".docx" and "Biobío" in text and "[R80]" in text
