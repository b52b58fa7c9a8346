"""Generated text that holds to its sources, end to end with a fake model, the real index and embeddings.

The fake model writes what a small model has been seen writing: invented places, actors and
figures, facts about the region, the same action again and again, headings as paragraphs. Each
must be removed or replaced by the cited source's own words, and the answer must stay cited.
"""

from __future__ import annotations

import re

from assistant.answering.answer import answer
from assistant.drafting.draft import draft
from assistant.drafting.export import to_markdown
from assistant.llm.fake import FakeChatModel
from assistant.models import DraftRequest
from assistant.settings import Settings


def _source(prompt: str) -> str:
    """The source of a writer prompt (a faithful answer); a translation prompt's own text."""
    found = re.search(r"^(?:Fuente|Source):\n(.+?)\n\n", prompt, re.DOTALL | re.MULTILINE)
    return found.group(1) if found else prompt


def test_invented_facts_in_an_answer_are_replaced_by_the_source(corpus_settings: Settings) -> None:
    fake = FakeChatModel(reply_with=lambda p: "La Agencia Nacional de Clústeres de Chile financia 40 iniciativas.")
    ans = answer("¿Cómo fortalecer las iniciativas clúster en mi región?", settings=corpus_settings, llm=fake)
    assert ans.citations and not ans.uncited_sentences
    assert "Agencia" not in ans.answer and "40" not in ans.answer
    assert [u.reason for u in ans.unsupported_sentences] == ["novel"] * len(ans.citations)
    assert "Chile" in ans.unsupported_sentences[0].detail
    for c in ans.citations:  # each source speaks in its own words, with its marker
        assert f"[{c.marker}]" in ans.answer
    assert "«" in ans.answer and "En palabras de la fuente" in ans.answer


def test_a_faithful_model_is_kept_as_written(corpus_settings: Settings) -> None:
    fake = FakeChatModel(reply_with=_source)  # restates its source
    ans = answer("¿Cómo fortalecer las iniciativas clúster en mi región?", settings=corpus_settings, llm=fake)
    assert ans.checks and all(c.ok for c in ans.checks) and not ans.unsupported_sentences
    assert "«" not in ans.answer


def _by_item(replies: dict[int, str]) -> FakeChatModel:
    """A fake that answers the n-th draft item (0: context, 1-2: goals, 3-5: actions, 6-8: governance) as told."""
    seen = [0]

    def reply(prompt: str) -> str:
        if not prompt.startswith(("Source:", "Fuente:")):  # a translation: the sentence back
            return prompt
        n = seen[0]
        seen[0] += 1
        return replies.get(n, _source(prompt))

    return FakeChatModel(reply_with=reply)


def test_a_draft_keeps_no_invented_fact_repeat_or_heading(corpus_settings: Settings) -> None:
    action = "**Lines of action**\n\nAction 1: Implement the full cycle of design, implementation, evaluation, adjustment and iteration."
    llm = _by_item({0: "Arica, a country located in the northern part of South America, is known for its rich "
                       "agricultural resources.", 3: action, 4: action, 5: action,
                    6: "The government of Arica has already implemented experimentalist governance boards."})

    result = draft(DraftRequest(region="Arica", topic="experimentalist governance of productive policy",
                                language="en"), settings=corpus_settings, llm=llm)
    text = to_markdown(result)
    for invented in ("South America", "agricultural", "a country", "has already implemented", "Lines of action**",
                     "Action 1:"):
        assert invented not in text, invented
    reasons = [c.reason for c in result.checks if not c.ok]
    assert "novel" in reasons and "repeated" in reasons
    assert text.count("Implement the full cycle of design") <= 1, "an action is stated once"
    paragraphs = [p for s in result.sections for p in s.paragraphs]
    assert paragraphs and not any(p.flagged for p in paragraphs), "every paragraph stays cited"
    assert {r.marker for r in result.references} == {m for p in paragraphs for m in p.citations}
    assert any(p.unsupported for p in paragraphs), "the replaced sentences are reported per paragraph"


def test_a_spanish_draft_states_no_fact_about_the_region(corpus_settings: Settings) -> None:
    llm = _by_item({6: "El gobierno regional de Biobío ya implementó iniciativas clúster a nivel local."})
    result = draft(DraftRequest(region="Biobío", topic="iniciativas clúster"), settings=corpus_settings, llm=llm)
    text = to_markdown(result)
    assert "ya implementó" not in text
    assert any(c.reason == "novel" and "Biobío" in c.detail for c in result.checks)
    assert result.references and all(f"[{r.marker}]" in text for r in result.references)


def test_a_table_is_given_to_the_model_and_the_gate_as_the_rows_that_answer() -> None:
    from assistant.answering.grounded import answer_source
    from ingestion.models import Chunk
    from vectorstore.models import Hit

    text = ("Tabla 12. Pernoctaciones por comuna, 2023\n| Comuna | Pernoctaciones | Plazas |\n| --- | --- | --- |\n"
            "| Puerto Arrayán | 301.455 | 4.120 |\n| Villa Alerce | 67.233 | 1.020 |\n| Río Claro | 20.118 | 310 |\n"
            "Fuente: INE.")
    table = Hit(id="t", chunk=Chunk(doc_id="indicadores", kind="text", text=text, source="i.md", ordinal=1,
                                    section="6. Turismo", table="Tabla 12. Pernoctaciones por comuna, 2023"))
    source = answer_source(table, "¿Cuántas pernoctaciones registró Villa Alerce?")
    assert "Villa Alerce (Pernoctaciones: 67.233)" in source and "301.455" not in source and "|" not in source
    prose = Hit(id="p", chunk=Chunk(doc_id="b", kind="recommendation", text="Fortalecer los clústeres (pág. 12).",
                                    source="b.md", ordinal=2, recommendation=4))
    assert answer_source(prose, "¿Qué hacer?") == "Fortalecer los clústeres."


def test_a_figure_the_model_states_without_its_row_and_column_is_followed_by_the_row() -> None:
    from assistant.answering.grounded import with_row
    from ingestion.models import Chunk
    from vectorstore.models import Hit

    text = ("Tabla 5. Número de empresas por tamaño según ventas, 2019-2023\n| Tamaño de empresa | 2022 | 2023 |\n"
            "| --- | --- | --- |\n| Micro | 14.001 | 14.390 |\n| Mediana | 440 | 452 |\n| Total regional | 19.522 | 19.944 |")
    table = Hit(id="t", chunk=Chunk(doc_id="i", kind="text", text=text, source="i.md", ordinal=1, section="3",
                                    table="Tabla 5"))
    asked = "¿Cuántas empresas medianas había en la región en 2023?"
    assert with_row(table, "452 empresas medianas.", asked) == "452 empresas medianas («Mediana (2023: 452)»)."
    named = "En 2023 había 452 empresas de tamaño Mediana."
    assert with_row(table, named, asked) == named  # row and column named: nothing to add
    assert with_row(table, "Las empresas crecieron.", asked) == "Las empresas crecieron."  # no figure


def test_a_goal_the_model_states_without_its_objective_is_led_by_the_stored_code() -> None:
    from assistant.answering.grounded import with_code
    from ingestion.models import Chunk
    from vectorstore.models import Hit

    objective = Hit(id="o", chunk=Chunk(doc_id="erd", kind="text", source="erd.md", ordinal=26, code="OE 2.3.1",
                                        section="Eje 2 › LE 2.3 › OE 2.3.1", text="OE 2.3.1 Mejorar la conectividad vial.\n"
                                        "Meta al 2030: 180 kilómetros de caminos rurales con carpeta mejorada."))
    assert with_code(objective, "180 kilómetros de caminos rurales.") == "OE 2.3.1: 180 kilómetros de caminos rurales."
    named = "El OE 2.3.1 busca mejorar 180 kilómetros de caminos rurales."
    assert with_code(objective, named) == named
    chapter = Hit(id="c", chunk=objective.chunk.model_copy(update={"code": "3"}))  # a report's chapter number
    assert with_code(chapter, "180 kilómetros.") == "180 kilómetros."
    booklet = Hit(id="r", chunk=Chunk(doc_id="b", kind="recommendation", text="Fortalecer los clústeres.",
                                      source="b.md", ordinal=2, recommendation=4))
    assert with_code(booklet, "Fortalecer los clústeres.") == "Fortalecer los clústeres."
