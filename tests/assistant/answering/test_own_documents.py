"""Questions that point at the user's own strategy: it answers first, alone, or beside the figure asked for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answering.answer import answer
from assistant.answering.own_documents import (
    points_at_own,
    strategy_kept,
    topic,
    unaddressed,
    with_own,
)
from assistant.services import forget_stores
from assistant.settings import Settings
from ingestion.models import Chunk
from vectorstore.models import Hit


def _hit(n: int, text: str, code: str | None = None, table: str | None = None, doc: str = "erd") -> Hit:
    return Hit(id=f"h{n}", chunk=Chunk(doc_id=doc, kind="text", text=text, source=f"{doc}.md", ordinal=n,
                                       section=code or "Sección", code=code, table=table), score=0.5)


@pytest.mark.parametrize(("question", "points"), [
    ("¿Qué dice la estrategia sobre el turismo rural?", True),
    ("¿Qué objetivo de la estrategia trata sobre las iniciativas clúster?", True),
    ("What does the strategy say about the dairy sector?", True),
    ("Which objective deals with digital connectivity?", True),
    ("¿Cómo fortalecer las iniciativas clúster en mi región?", False),
    ("¿Qué estrategias recomienda la CEPAL para atraer inversión?", False),
    ("How many firms were there in 2023?", False),
    ("¿Cómo debería nuestra estrategia abordar las iniciativas clúster?", False),  # advice: ECLAC's business
    ("¿Qué recomienda la CEPAL para la estrategia regional?", False),
    ("How should our strategy support cluster initiatives?", False),
])
def test_questions_that_point_at_the_strategy(question: str, points: bool) -> None:
    assert points_at_own(question) is points


def test_the_topic_is_the_sentence_that_points_without_the_pointer() -> None:
    assert topic("What does the strategy say about the dairy sector?") == "What does say about the dairy sector?"
    assert topic("La estrategia quiere diversificar la acuicultura. ¿Cuántas toneladas se cosecharon en 2023?") \
        == "quiere diversificar la acuicultura."


def test_what_a_question_asks_for_is_not_its_topic() -> None:
    """A goal and the communes are the answer's shape: every objective has a goal line, many name communes."""
    assert points_at_own("¿Qué meta fija la estrategia para el turismo rural?")
    assert points_at_own("What target does the plan set for drinking water?")
    assert "comuna" not in topic("¿Qué meta fija la estrategia para el turismo rural y en qué comunas?")
    assert "meta" not in topic("¿Qué meta fija la estrategia para el turismo rural y en qué comunas?")
    assert topic("What target does the strategy set for rural tourism, in which communes?").split() \
        == ["does", "set", "for", "rural", "tourism,", "?"]
    assert "comunas" in topic("¿Qué dice la estrategia sobre las comunas aisladas?")


def test_own_passages_come_first_and_a_coded_objective_joins_the_rows() -> None:
    booklet = Hit(id="r85", chunk=Chunk(doc_id="cepal", kind="recommendation", text="R85", source="b.pdf",
                                        ordinal=0, recommendation=85))
    table = _hit(1, "| Sexo | 2022 |", table="Tabla 9", doc="indicadores")
    chapter = _hit(2, "8. Sector silvoagropecuario", code="8", doc="indicadores")
    objective = _hit(3, "OE 3.2.1 Aumentar la participación laboral de las mujeres", code="OE 3.2.1")
    own = [table, chapter, objective]
    assert with_own([booklet, objective], own) == [table, chapter, objective, booklet]
    assert strategy_kept([table, booklet, chapter], own, 3) == [table, booklet, objective]
    assert strategy_kept([objective], own, 3) == [objective]
    assert strategy_kept([table], [table, chapter], 3) == [table]  # a report's chapter is not an objective


def test_a_topic_the_documents_do_not_address_is_named() -> None:
    own = [_hit(1, "OE 1.3.2 Diversificar la acuicultura de pequeña escala en Laguna Verde.", code="OE 1.3.2"),
           _hit(2, "OE 4.2.1 Aumentar la generación distribuida con energías renovables.", code="OE 4.2.1")]
    assert unaddressed("¿Qué dice la estrategia sobre el hidrógeno verde?", own) == ["hidrógeno"]
    assert unaddressed("¿Qué dice la estrategia sobre la acuicultura de pequeña escala?", own) == []
    assert unaddressed("¿Qué plantea la estrategia sobre las energías renovables?", own) == []
    assert unaddressed("What does the strategy say about green hydrogen?", own) == []  # not judged across languages


@pytest.fixture(name="region")
def fixture_region(region_dir: Path) -> Iterator[Settings]:
    settings = Settings(data_dir=region_dir)
    settings.llm.backend = "extractive"
    forget_stores()
    yield settings
    forget_stores()


def test_the_strategy_answers_a_question_about_it_not_the_booklet(region: Settings) -> None:
    ans = answer("¿Qué objetivo de la estrategia trata sobre la conectividad digital?", settings=region,
                 backend="extractive")
    assert ans.citations and all(c.doc_id == "erd-los-arrayanes" for c in ans.citations)
    assert "OE 2.3.3" in ans.answer
    # the same words without "the strategy" are ECLAC's business: the booklet answers as before
    plain = answer("¿Cómo fortalecer las iniciativas clúster en mi región?", settings=region, backend="extractive")
    assert any(c.recommendation for c in plain.citations)
    advice = answer("¿Cómo debería nuestra estrategia fortalecer las iniciativas clúster?", settings=region,
                    backend="extractive")
    assert any(c.recommendation for c in advice.citations)


def test_a_figure_question_that_names_the_strategy_aim_cites_both(region: Settings) -> None:
    ans = answer("La estrategia quiere reducir la estacionalidad del turismo. ¿Cuántas llegadas de turistas tuvo "
                 "Los Canelos en 2022?", settings=region, backend="extractive")
    assert "Los Canelos (2022: 27.412)" in ans.answer
    assert {"indicadores-los-arrayanes", "erd-los-arrayanes"} <= {c.doc_id for c in ans.citations}
    assert "OE 2.1.4" in ans.answer


def test_what_the_strategy_does_not_address_is_refused_in_one_line(region: Settings) -> None:
    ans = answer("¿Qué dice la estrategia sobre el hidrógeno verde?", settings=region, backend="extractive")
    assert ans.refused and "hidrógeno" in ans.answer and not ans.citations
    assert ans.suggestions  # the closest passages, to read on


def test_an_objective_is_asked_of_the_strategy_not_of_the_report_beside_it() -> None:
    from assistant.answering.own_documents import preferred

    prose = _hit(1, "La participación laboral de las mujeres alcanzó 48,8% en 2022.", code="4", doc="indicadores")
    objective = _hit(2, "OE 3.2.1 Aumentar la participación laboral de las mujeres", code="OE 3.2.1")
    axis = _hit(3, "Eje 3: Capital humano y empleo. La región enfrenta brechas de calificación.", code="Eje 3")
    assert preferred("Which objective addresses women's participation in the labour market?",
                     [prose, objective]) == [objective]
    assert preferred("What does the strategy say about employment?", [prose, axis, objective]) == [axis, objective]
    assert preferred("What does the strategy say about employment?", [prose]) == [prose]  # no strategy held
