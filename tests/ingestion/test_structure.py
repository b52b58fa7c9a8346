"""A region's documents read by their structure: headings, items with outline codes, tables with captions."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from ingestion.loaders import load_document
from ingestion.structure import csv_blocks, markdown_blocks, outline_code, text_blocks

ERD_MD = """# Estrategia Regional de Desarrollo de Los Arrayanes 2025-2035

## Eje 2: Turismo, cultura y territorio

### LE 2.2 Turismo de naturaleza

#### OE 2.2.1 Consolidar destinos de turismo de naturaleza en la costa

- AE 2.2.1.1 Red de senderos señalizados en Laguna Verde.
- AE 2.2.1.2 Fondo para pymes de turismo rural.

Tabla 3. Población por comuna, censos 2017 y 2024 (habitantes)

| Comuna | 2017 | 2024 |
|---|---|---|
| Puerto Arrayán | 98.412 | 104.220 |

Fuente: INE, Censo de Población y Vivienda 2017 y 2024.
"""


@pytest.mark.parametrize(("text", "code"), [
    ("OE 2.2.1 Consolidar destinos", "OE 2.2.1"),
    ("Objetivo Estratégico 3.1.2: Formación técnica", "OE 3.1.2"),
    ("Lineamiento 2.2 Turismo", "LE 2.2"),
    ("Eje 4: Gobernanza", "Eje 4"),
    ("AE 2.2.1.3 Fondo concursable", "AE 2.2.1.3"),
    ("2.2.1 Consolidar destinos", "2.2.1"),
    ("2024 fue un año de crecimiento", None),   # a year is not a code
    ("12,3% de los hogares", None),
])
def test_outline_codes(text: str, code: str | None) -> None:
    assert outline_code(text) == code


def test_markdown_headings_items_and_a_table_with_caption_and_source() -> None:
    blocks = markdown_blocks(ERD_MD)
    assert [(b.kind, b.level) for b in blocks if b.kind == "heading"] == [
        ("heading", 1), ("heading", 2), ("heading", 3), ("heading", 4)]
    assert [b.text for b in blocks if b.kind == "item"][0] == "AE 2.2.1.1 Red de senderos señalizados en Laguna Verde."
    table = next(b.table for b in blocks if b.table is not None)
    assert table.caption.startswith("Tabla 3.") and table.header == ["Comuna", "2017", "2024"]
    assert table.rows == [["Puerto Arrayán", "98.412", "104.220"]] and table.note.startswith("Fuente: INE")
    assert not any(b.kind == "paragraph" and b.text.startswith(("Tabla 3", "Fuente")) for b in blocks)


def test_plain_markdown_without_headings_keeps_the_token_windows() -> None:
    assert markdown_blocks("Una nota breve.\n\nOtra línea sin títulos.") == []


def test_outlined_text_is_cut_at_its_codes() -> None:
    text = "Eje 1 Diversificación productiva\n\nOE 1.1.1 Aumentar la innovación en pymes\nAE 1.1.1.1 Vouchers de innovación\n"
    blocks = text_blocks(text)
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Eje 1 Diversificación productiva"), ("heading", "OE 1.1.1 Aumentar la innovación en pymes"),
        ("item", "AE 1.1.1.1 Vouchers de innovación")]
    assert text_blocks("Solo un párrafo. Sin códigos.") == []


def test_word_headings_lists_and_real_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Estrategia Regional de Desarrollo", level=0)
    document.add_heading("OE 2.2.1 Consolidar destinos de turismo de naturaleza", level=2)
    document.add_paragraph("AE 2.2.1.1 Red de senderos.", style="List Bullet")
    document.add_paragraph("Tabla 5. Empresas por tamaño, 2019-2023")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ["Tamaño", "2019", "2023", "Mediana", "412", "455"],
                          strict=True):
        cell.text = text
    document.add_paragraph("Fuente: SII, estadísticas de empresas.")
    path = tmp_path / "erd.docx"
    document.save(path)
    doc = load_document(path)
    kinds = [(b.kind, b.level) for b in doc.blocks]
    assert kinds[:3] == [("heading", 1), ("heading", 2), ("item", 0)]
    table_block = next(b.table for b in doc.blocks if b.table is not None)
    assert table_block.caption.startswith("Tabla 5.") and table_block.rows == [["Mediana", "412", "455"]]
    assert table_block.note.startswith("Fuente: SII") and "Mediana\t412\t455" in doc.pages[0].text


def test_a_workbook_is_one_table_per_sheet_with_caption_header_and_note(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "T9 Participación"
    sheet.append(["Tabla 9. Tasa de participación laboral femenina por comuna, 2022"])
    sheet.append(["Comuna", "2022"])
    sheet.append(["Villa Alerce", 0.4375])
    sheet["B3"].number_format = "0.0%"
    sheet.append(["Empresas", 1204.0])
    sheet.append([])
    sheet.append(["Fuente: INE, Encuesta Nacional de Empleo."])
    path = tmp_path / "indicadores.xlsx"
    book.save(path)
    doc = load_document(path)
    assert [b.kind for b in doc.blocks] == ["heading", "table"]
    table = doc.blocks[1].table
    assert table is not None and table.caption.startswith("Tabla 9.") and table.header == ["Comuna", "2022"]
    assert table.rows == [["Villa Alerce", "43,8%"], ["Empresas", "1.204"]]  # as a Spanish-language Excel shows them
    assert table.note == "Fuente: INE, Encuesta Nacional de Empleo."


def test_a_csv_is_one_table_whatever_its_delimiter() -> None:
    blocks = csv_blocks("Comuna;2017;2024\nLos Canelos;21.300;22.018\n", "poblacion")
    assert blocks[0].table is not None and blocks[0].table.rows == [["Los Canelos", "21.300", "22.018"]]
    assert blocks[0].table.caption == "poblacion"
