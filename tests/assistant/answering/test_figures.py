"""Figure questions: tables before prose, and a refusal when no passage holds the year or place named."""

from __future__ import annotations

import pytest

from assistant.answering.figures import asks_figure, named, tables_first, unheld
from ingestion.models import Chunk
from vectorstore.models import Hit

DESOCUPACION = """Tabla 8. Tasa de desocupación regional por sexo, 2021-2024 (% de la fuerza de trabajo)
| Sexo | 2021 | 2022 | 2023 | 2024 |
| --- | --- | --- | --- | --- |
| Mujeres | 9,1% | 8,4% | 8,0% | 7,9% |"""
TURISMO = """Tabla 11. Llegadas de turistas por comuna, 2019, 2022 y 2023
| Comuna | 2019 | 2022 | 2023 |
| --- | --- | --- | --- |
| Santa Inés | 8.120 | 6.904 | 9.311 |"""
PROSE = "La desocupación regional bajó en 2024; Santa Inés sigue con pocos empleos formales."


def _hit(text: str, n: int, table: bool = True) -> Hit:
    chunk = Chunk(doc_id="indicadores-los-arrayanes", kind="text", text=text, source="i.md", ordinal=n,
                  section="4. Empleo", table=text.splitlines()[0] if table else None)
    return Hit(id=f"c{n}", chunk=chunk, score=0.5)


@pytest.mark.parametrize(("question", "figure"), [
    ("¿Cuántos habitantes tenía Los Canelos en 2024?", True),
    ("¿Qué porcentaje de la población es rural?", True),
    ("What was the unemployment rate in 2021?", True),
    ("How many firms were there?", True),
    ("What is the average annual rainfall in Laguna Verde?", True),
    ("¿Cuál es la precipitación media anual en Laguna Verde?", True),
    ("¿Cuál fue el ingreso promedio de los hogares en 2022?", True),
    ("¿Cómo fortalecer las iniciativas clúster en mi región?", False),
    ("What does the strategy say about tourism?", False),
])
def test_figure_questions(question: str, figure: bool) -> None:
    assert asks_figure(question) is figure


def test_names_are_the_years_and_places_not_the_question_words() -> None:
    assert named("¿Cuál fue la tasa de desocupación de Santa Inés en 2023?") == ["2023", "Santa Inés"]
    assert named("What was the population of Puerto Arrayán in the 2017 census?") == ["2017", "Puerto Arrayán"]


def test_tables_come_first_only_for_a_figure_question() -> None:
    prose, table = _hit(PROSE, 0, table=False), _hit(TURISMO, 1)
    assert tables_first([prose, table], "¿Cuántas llegadas tuvo Santa Inés en 2023?") == [table, prose]
    assert tables_first([prose, table], "¿Qué dice el informe sobre Santa Inés?") == [prose, table]


def test_a_figure_no_passage_holds_is_named_and_one_that_is_held_is_not() -> None:
    hits = [_hit(DESOCUPACION, 0), _hit(TURISMO, 1), _hit(PROSE, 2, table=False)]
    # the unemployment table has 2023 but not Santa Inés; the tourism table has both but measures arrivals
    assert unheld(hits, "¿Cuál fue la tasa de desocupación de Santa Inés en 2023?") == ["Santa Inés"]
    assert unheld(hits, "¿Cuántas llegadas de turistas tuvo Santa Inés en 2023?") == []
    assert unheld(hits, "¿Cuál fue la tasa de desocupación de las mujeres en 2021?") == []
    assert unheld(hits, "¿Qué dice el informe sobre Santa Inés en 2030?") == []  # no figure asked
    # a region's prose counts as well as its tables: it speaks of jobs in Santa Inés, but of no 1990
    assert unheld([_hit(PROSE, 2, table=False)], "¿Cuántos empleos tenía Santa Inés en 1990?") == ["1990"]
    booklet = Hit(id="b", chunk=Chunk(doc_id="cepal-2025", kind="recommendation", text=PROSE, source="b.md",
                                      ordinal=0, recommendation=12), score=0.5)
    assert unheld([booklet], "¿Cuántos empleos tenía Santa Inés en 1990?") == []  # the booklet alone: no check


def test_a_measure_no_passage_speaks_of_is_named_in_either_language() -> None:
    hits = [_hit(DESOCUPACION, 0), _hit(PROSE, 2, table=False)]
    assert unheld(hits, "¿Cuál fue el PIB de la región en 2022?") == ["PIB"]
    # the place is not the measure, however it is stemmed; nothing retrieved speaks of beds
    assert unheld(hits, "How many hospital beds are there in Santa Inés?") == ["hospital", "beds"]
    assert unheld(hits, "What was the unemployment rate of women in 2021?") == []  # the glossary's Spanish forms
    # a statistic's frame is not what it measures
    assert unheld(hits, "What is the average annual rainfall in Santa Inés?") == ["rainfall"]


def test_the_booklet_speaking_of_a_measure_does_not_hold_a_regions_figure() -> None:
    """ECLAC's recommendations speak of budgets in general; the region's documents hold no budget."""
    booklet = Hit(id="b", chunk=Chunk(doc_id="cepal-2025", kind="recommendation", source="b.md", ordinal=0,
                                      text="Asignar presupuesto plurianual a las estrategias regionales.",
                                      recommendation=40), score=0.9)
    hits = [booklet, _hit(DESOCUPACION, 0), _hit(PROSE, 2, table=False)]
    assert unheld(hits, "¿Cuál es el presupuesto total de la estrategia para el período 2021-2024?") == ["presupuesto"]
