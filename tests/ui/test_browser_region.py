"""A planner's own region in a real browser: a Word strategy and an Excel indicators workbook uploaded,
a figure answered with its row and column, its chip opening the table with that row highlighted, an
objective found by its code."""

from __future__ import annotations

import re

from evals.regional import PACK
from tests.ui.test_browser import ARTIFACTS, CHROMIUM, FLAGS, fixture_app_url  # noqa: F401 - the app fixture


def test_word_and_spreadsheet_uploads_answer_with_their_rows_and_codes(app_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(app_url)
        expect(page.get_by_placeholder("Escriba su pregunta…")).to_be_visible(timeout=120_000)
        page.get_by_role("link", name="Biblioteca").click()
        page.locator("input[type=file]").first.set_input_files(
            [str(PACK / "erd-los-arrayanes.docx"), str(PACK / "indicadores-los-arrayanes.xlsx")])
        page.get_by_role("button", name="Indexar").click()
        expect(page.get_by_text("erd-los-arrayanes.docx: indexado").first).to_be_visible(timeout=120_000)
        expect(page.get_by_text("indicadores-los-arrayanes.xlsx: indexado").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "10-region-upload.png"), full_page=True)

        page.get_by_role("link", name="Conversación").click()
        chat = page.get_by_placeholder("Escriba su pregunta…")
        chat.fill("¿Cuántos habitantes tenía Los Canelos en el censo 2024?")
        chat.press("Enter")
        expect(page.get_by_text(re.compile(r"Los Canelos \(2024: 41\.377")).first).to_be_visible(timeout=60_000)
        chip = page.get_by_role("button", name=re.compile(r"^indicadores-los-arraya.* · T1 Población"))
        expect(chip).to_be_visible()
        chip.click()
        expect(page.get_by_text("Tabla 1. Población por comuna").first).to_be_visible(timeout=10_000)
        cell = page.get_by_role("cell", name="41.377").first
        expect(cell).to_be_visible()
        expect(page.get_by_text("Resaltadas: las filas que cita la respuesta (1).")).to_be_visible()
        assert cell.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 243, 176)"  # the quoted row
        other = page.get_by_role("row").filter(has_text="Total regional").first
        assert other.locator("td").first.evaluate("e => getComputedStyle(e).backgroundColor") != "rgb(255, 243, 176)"
        page.screenshot(path=str(ARTIFACTS / "11-region-figure.png"))
        page.keyboard.press("Escape")

        chat.fill("¿Qué dice el objetivo OE 2.2.3?")
        chat.press("Enter")
        expect(page.get_by_text(re.compile(r"OE 2\.2\.3 en «erd-los-arrayanes»")).first).to_be_visible(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "12-region-objective.png"))
        browser.close()
