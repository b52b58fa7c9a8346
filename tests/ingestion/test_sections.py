"""Sections become chunks with their heading path; tables are cut by rows, caption and header repeated."""

from __future__ import annotations

from pathlib import Path

from ingestion.chunking import chunk_document
from ingestion.config import ChunkingConfig
from ingestion.loaders import load_document
from ingestion.sections import read_table_text

FRONT = """# Estrategia Regional de Desarrollo de Los Arrayanes 2025-2035

Gobierno Regional de Los Arrayanes

Diciembre de 2024

## Siglas

- ERD: Estrategia Regional de Desarrollo
- LE: Lineamiento Estratégico
- OE: Objetivo Estratégico
- AE: Acción Estratégica

## Eje 2: Turismo, cultura y territorio

### LE 2.2 Turismo de naturaleza

#### OE 2.2.1 Consolidar destinos de turismo de naturaleza en la costa y la precordillera

- AE 2.2.1.1 Red de senderos señalizados en Laguna Verde y Quebrada Honda.
- AE 2.2.1.2 Fondo concursable para pymes de turismo rural.

Meta al 2030: 120 emprendimientos de turismo rural formalizados.
"""


def _rows(n: int) -> str:
    lines = ["Tabla 1. Población por comuna, censos 2017 y 2024 (habitantes)", "",
             "| Comuna | 2017 | 2024 |", "|---|---|---|"]
    lines += [f"| Comuna {i} | {10_000 + i} | {11_000 + i} |" for i in range(n)]
    return "\n".join(["# Indicadores", "", "## 1. Población", "", *lines, "", "Fuente: INE, censos 2017 y 2024.", ""])


def _chunks(tmp_path: Path, name: str, text: str, tokens: int = 350):  # type: ignore[no-untyped-def]
    (tmp_path / name).write_text(text, encoding="utf-8")
    return chunk_document(load_document(tmp_path / name), ChunkingConfig(chunk_tokens=tokens))


def test_heading_path_code_and_the_front_matter_kept_apart(tmp_path: Path) -> None:
    chunks = _chunks(tmp_path, "erd.md", FRONT)
    front = [c for c in chunks if c.kind == "front"]
    assert [c.text.splitlines()[0] for c in front] == ["Estrategia Regional de Desarrollo de Los Arrayanes 2025-2035",
                                                        "Siglas"]
    objective = next(c for c in chunks if c.code == "OE 2.2.1")
    assert objective.kind == "text" and objective.section is not None
    assert objective.section.split(" › ")[0] == "Eje 2: Turismo, cultura y territorio"  # the title is not in every path
    assert objective.section.endswith("LE 2.2 Turismo de naturaleza › OE 2.2.1 Consolidar destinos de turismo de naturaleza en la…")
    assert "- AE 2.2.1.2 Fondo concursable para pymes de turismo rural." in objective.text
    assert "Meta al 2030: 120 emprendimientos" in objective.text
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    # a heading with nothing under it before the next heading is no passage of its own: it is in the path
    assert not any(c.text.strip() in ("Eje 2: Turismo, cultura y territorio", "LE 2.2 Turismo de naturaleza")
                   for c in chunks)


def test_a_long_table_is_cut_by_rows_each_part_with_caption_header_and_source(tmp_path: Path) -> None:
    chunks = [c for c in _chunks(tmp_path, "indicadores.md", _rows(30), tokens=200) if c.table]
    assert len(chunks) >= 3
    rows_seen = []
    for chunk in chunks:
        lines = chunk.text.splitlines()
        assert lines[0].startswith("Tabla 1.") and lines[1] == "| Comuna | 2017 | 2024 |"
        assert lines[-1] == "Fuente: INE, censos 2017 y 2024."
        assert chunk.table == lines[0] and chunk.section == "1. Población"
        rows_seen += [ln for ln in lines[3:-1]]
    assert rows_seen == [f"| Comuna {i} | {10_000 + i} | {11_000 + i} |" for i in range(30)]  # each row once, in order
    table = read_table_text(chunks[0].text)  # what the quote and the source viewer read back
    assert table is not None and table.caption == chunks[0].table and table.header == ["Comuna", "2017", "2024"]
    assert table.rows[0] == ["Comuna 0", "10000", "11000"] and table.note == "Fuente: INE, censos 2017 y 2024."
    assert read_table_text("Una línea sin tabla.") is None


def test_text_without_structure_keeps_its_token_windows(tmp_path: Path) -> None:
    chunks = _chunks(tmp_path, "nota.txt", "Una nota de la oficina de planificación sobre el turismo. " * 5)
    assert [(c.kind, c.section, c.page) for c in chunks] == [("text", None, None)]


def test_a_title_block_with_a_long_issuing_body_is_front_matter_and_a_first_paragraph_is_not(tmp_path: Path) -> None:
    report = ("# Reporte de indicadores regionales, Región de Los Arrayanes\n\n"
              "Gobierno Regional de Los Arrayanes, División de Planificación y Desarrollo Regional\n\n"
              "Diciembre de 2024\n\n## Presentación\n\nEste reporte reúne los principales indicadores de la región.\n")
    chunks = _chunks(tmp_path, "indicadores.md", report)
    assert [c.kind for c in chunks if "Diciembre de 2024" in c.text] == ["front"]
    assert [c.kind for c in chunks if "reúne" in c.text] == ["text"]
    plain = _chunks(tmp_path, "nota.md", "La región exporta salmón y turismo desde hace dos décadas.\n\nOtra idea más.\n")
    assert "front" not in {c.kind for c in plain}  # a document that opens with a sentence has no title block
