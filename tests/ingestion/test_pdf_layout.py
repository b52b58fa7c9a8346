"""A user's PDF read by its layout: the fixture pack's two-column strategy and its indicators report."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion import pdf_layout
from ingestion.chunking import chunk_document
from ingestion.loaders import load_document
from ingestion.models import Block

PACK = Path(__file__).resolve().parents[1] / "data" / "region"


@pytest.fixture(scope="module")
def strategy() -> list[Block]:
    return load_document(PACK / "erd-los-arrayanes.pdf").blocks


@pytest.fixture(scope="module")
def indicators() -> list[Block]:
    return load_document(PACK / "indicadores-los-arrayanes.pdf").blocks


def _index(blocks: list[Block], start: str) -> int:
    return next(i for i, b in enumerate(blocks) if b.text.startswith(start))


def test_two_columns_are_read_left_column_first(strategy: list[Block]) -> None:
    # OE 1.1.3 ends at the foot of page 2's left column; its goal opens the right column.
    at = _index(strategy, "OE 1.1.3")
    following = [b.text[:30] for b in strategy[at + 1 : at + 6]]
    assert following[:3] == [t[:30] for t in (
        "AE 1.1.3.1 Implementar con SERCOTEC el programa de asesoría",
        "AE 1.1.3.2 Subsidiar la incorporación de sistemas de trazabilidad",
        "AE 1.1.3.3 Habilitar una plataforma regional de comercio electrónico para productos con sello de origen.")]
    assert strategy[at + 3].text.endswith("con sello de origen.")  # the item's last line, across the columns
    assert following[3].startswith("Meta al 2030: 1.500")
    assert following[4].startswith("OE 1.1.4")


def test_headings_take_their_level_from_the_type_size(strategy: list[Block]) -> None:
    level = {b.text.split(" ")[0]: b.level for b in strategy if b.kind == "heading" and b.text[:2] in ("Ej", "LE", "OE")}
    assert level["Eje"] < level["LE"] < level["OE"]
    assert sum(1 for b in strategy if b.kind == "heading" and b.text.startswith("OE ")) >= 40
    assert all(b.kind == "item" for b in strategy if b.text.startswith("AE "))


def test_running_heads_and_page_numbers_are_dropped(strategy: list[Block], indicators: list[Block]) -> None:
    texts = [b.text for b in strategy + indicators]
    assert not any(t.startswith("Página ") or t in ("ERD Los Arrayanes 2025-2035",) for t in texts)
    assert strategy[0].text.startswith("Estrategia Regional de Desarrollo")  # the title, once, on page 1


def test_a_paragraph_cut_by_a_page_break_is_one_paragraph(strategy: list[Block]) -> None:
    goal = next(b for b in strategy if b.text.startswith("Meta al 2030: 1.200 estudiantes"))
    assert goal.text.endswith("CFT estatal.")
    assert goal.page == "4"


def test_ruled_tables_keep_caption_header_rows_and_source(indicators: list[Block]) -> None:
    tables = [b for b in indicators if b.kind == "table"]
    assert len(tables) >= 15
    assert all(t.table and t.table.caption.startswith("Tabla ") and t.table.note.startswith("Fuente") for t in tables)
    wrapped = next(t.table for t in tables if t.table and t.table.caption.startswith("Tabla 11."))
    assert wrapped.caption.endswith("2023 (número)")  # a caption on two lines stays whole
    population = next(t for t in tables if t.table and t.table.caption.startswith("Tabla 1."))
    assert population.page == "1" and population.table is not None
    assert population.table.header[:3] == ["Comuna", "2017", "2024"]
    assert ["Puerto Arrayán", "98.415"] == population.table.rows[0][:2]
    assert not any("98.415" in b.text for b in indicators if b.kind != "table")  # cells never leak into prose


def test_chunks_cite_the_page_and_carry_the_heading_path() -> None:
    doc = load_document(PACK / "erd-los-arrayanes.pdf")
    chunks = chunk_document(doc)
    objective = next(c for c in chunks if c.code == "OE 2.2.1")
    assert objective.page == "4" and objective.page_index == 3
    assert objective.section is not None and "Eje 2" in objective.section and "LE 2.2" in objective.section
    assert all(c.page for c in chunks)


def test_a_pdf_without_headings_or_tables_is_cut_by_windows(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Plain running text about regional productive policy. " * 30)
    path = tmp_path / "plain.pdf"
    pdf.output(str(path))
    doc = load_document(path)
    assert doc.blocks == [] and doc.pages[0].text.strip()


def test_a_layout_failure_falls_back_to_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: bytes, labels: list[str | None]) -> list[Block]:
        raise ValueError("bad layout")

    monkeypatch.setattr(pdf_layout, "_read", broken)
    doc = load_document(PACK / "indicadores-los-arrayanes.pdf")
    assert doc.blocks == [] and len(doc.pages) == 8
