"""The quote that answers: a table's matching rows with their labels, a section's matching items."""

from __future__ import annotations

from assistant.answering.citations import source_marker, verify
from assistant.answering.extractive import compose, passage
from ingestion.models import Chunk
from vectorstore.models import Hit

TABLE = """Tabla 1. Población por comuna, censos 2017 y 2024 (habitantes)
| Comuna | 2017 | 2024 | Variación (%) |
| --- | --- | --- | --- |
| Puerto Arrayán | 98.412 | 104.220 | 5,9 |
| Los Canelos | 21.300 | 22.018 | 3,4 |
| Río Claro | 15.870 | 15.102 | -4,8 |
Fuente: INE, Censo de Población y Vivienda 2017 y 2024."""

OBJECTIVE = """OE 2.2.1 Consolidar destinos de turismo de naturaleza en la costa y la precordillera
- AE 2.2.1.1 Red de senderos señalizados en Laguna Verde y Quebrada Honda.
- AE 2.2.1.2 Fondo concursable para pymes de turismo rural.
- AE 2.2.1.3 Certificación de guías de turismo aventura.
Meta al 2030: 120 emprendimientos de turismo rural formalizados."""


def _hit(text: str, ordinal: int, **fields: object) -> Hit:
    chunk = Chunk(doc_id="indicadores-los-arrayanes", kind="text", text=text, source="indicadores.md",
                  ordinal=ordinal, section="1. Población", **fields)  # type: ignore[arg-type]
    return Hit(id=f"c{ordinal}", chunk=chunk, score=0.8)


def test_a_figure_is_quoted_with_its_row_and_the_column_asked_for() -> None:
    hit = _hit(TABLE, 4, table="Tabla 1. Población por comuna, censos 2017 y 2024 (habitantes)")
    quoted = passage(hit, "¿Cuántos habitantes tenía Los Canelos en el censo 2024?")
    assert quoted == "Tabla 1. Población por comuna, censos 2017 y 2024 (habitantes): Los Canelos (2024: 22.018)"
    every_column = passage(hit, "¿Cómo cambió la población de Río Claro?")
    assert every_column.endswith("Río Claro (2017: 15.870; 2024: 15.102; Variación (%): -4,8)")


def test_the_items_that_answer_are_quoted_with_their_codes() -> None:
    hit = _hit(OBJECTIVE, 7, code="OE 2.2.1")
    quoted = passage(hit, "¿Qué apoyo da la estrategia a las pymes de turismo rural?")
    assert quoted.startswith("OE 2.2.1 Consolidar destinos de turismo de naturaleza")
    assert "AE 2.2.1.2 Fondo concursable para pymes de turismo rural" in quoted
    assert "Certificación de guías" not in quoted


def test_a_question_for_a_goal_quotes_the_objectives_goal_line() -> None:
    short = _hit("OE 2.2.1 Desarrollar el turismo rural y el agroturismo en Los Canelos, Santa Inés y San Fermín.\n"
                 "- AE 2.2.1.1 Crear una ruta agroturística de lecherías, huertos de berries y cocinerías rurales.\n"
                 "- AE 2.2.1.2 Capacitar a familias campesinas en hospitalidad e inocuidad alimentaria.\n"
                 "Meta al 2030: 90 emprendimientos de turismo rural apoyados por INDAP y SERCOTEC.", 7, code="OE 2.2.1")
    quoted = passage(short, "¿Cuál es la meta de la estrategia para los emprendimientos de turismo rural?")
    assert quoted.startswith("OE 2.2.1 Desarrollar el turismo rural") and "Meta al 2030: 90 emprendimientos" in quoted
    english = passage(_hit(OBJECTIVE, 7, code="OE 2.2.1"), "What target does the strategy set for this objective?")
    assert "Meta al 2030: 120 emprendimientos de turismo rural formalizados" in english
    assert "Meta al 2030" not in passage(_hit(OBJECTIVE, 7, code="OE 2.2.1"), "¿Qué guías certifica la estrategia?")


def test_a_sectioned_passage_is_cited_by_its_part_and_verified_against_it() -> None:
    table, objective = _hit(TABLE, 4, table="Tabla 1."), _hit(OBJECTIVE, 7, code="OE 2.2.1")
    assert source_marker(table) == "indicadores-los-arrayanes § 5"
    text = compose("es", [table, objective], question="población de Los Canelos en 2024")
    checked = verify(text, [table, objective], set(), generated=False)
    assert [c.marker for c in checked.citations] == ["indicadores-los-arrayanes § 5", "indicadores-los-arrayanes § 8"]
    assert checked.citations[0].section == "1. Población" and checked.citations[0].table == "Tabla 1."
    model = verify("La comuna tenía 22.018 habitantes [indicadores-los-arrayanes § 5]. Otra [indicadores-los-arrayanes § 9].",
                   [table, objective], set())
    assert [c.marker for c in model.citations] == ["indicadores-los-arrayanes § 5"]
    assert [d.marker for d in model.dropped] == ["indicadores-los-arrayanes § 9"]
