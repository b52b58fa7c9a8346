"""Every page's logic through streamlit.testing (extractive backend, the real corpus index)."""

from __future__ import annotations

import collections
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.settings import PROJECT_ROOT, Settings

PAGES = PROJECT_ROOT / "ui" / "views"


def _page(name: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_chat_examples_answer_chips_and_memory(corpus_settings: Settings) -> None:
    at = _page("chat")
    assert [b.label for b in at.button][:4][1] == "¿Qué dice la recomendación 42?"
    at.chat_input[0].set_value("¿Qué dice la recomendación 41?").run()
    assert not at.exception
    at.chat_input[0].set_value("¿y la siguiente?").run()
    answers = [m for m in at.chat_message if m.name == "assistant"]
    assert len(answers) == 2
    assert "La recomendación 42" in answers[1].markdown[0].value
    assert "Responde: extractivo" in at.caption[1].value
    downloads = at.get("download_button")
    assert downloads and "R42" in json.dumps(at.session_state["messages"][-1]["answer"])
    new = next(b for b in at.button if b.label == "Nueva conversación")
    new.click().run()
    assert at.session_state["messages"] == []


def test_saved_conversations_reopen_rename_delete(corpus_settings: Settings) -> None:
    """A fresh AppTest is a new browser session (as after a restart): the conversation is listed and reopens."""
    from assistant.workspace import sessions

    sessions.db_path(corpus_settings).unlink(missing_ok=True)
    at = _page("chat")
    assert "Sus conversaciones se guardan aquí" in " ".join(c.value for c in at.sidebar.caption)
    at.chat_input[0].set_value("¿Qué dice la recomendación 41?").run()
    at.chat_input[0].set_value("¿Cómo fortalecer las iniciativas clúster en mi región?").run()
    shown = [m["answer"] for m in at.session_state["messages"] if m["role"] == "assistant"]
    [info] = sessions.list_sessions(corpus_settings)
    assert info.title == "¿Qué dice la recomendación 41?" and info.messages == 4

    later = _page("chat")  # another session: nothing open
    assert later.session_state["messages"] == []
    later.button(key=f"open-{info.id}").click().run()
    assert not later.exception
    reopened = [m["answer"] for m in later.session_state["messages"] if m["role"] == "assistant"]
    assert reopened == shown, "the same answers and citations, as they were shown"
    assert not any("la fuente" in c.value for c in later.caption), "nothing changed in the index"
    exported = sessions.to_markdown(sessions.load(info.id, corpus_settings))  # the page's download writes the same
    assert "¿Qué dice la recomendación 41?" in exported and "[R41] lineamiento" in exported
    assert any(b.label == "Descargar conversación (.md)" and not b.proto.disabled for b in later.get("download_button"))
    later.text_input(key=f"title-{info.id}").set_value("Clústeres en mi región")
    later.button(key="rename-chat").click().run()
    assert sessions.list_sessions(corpus_settings)[0].title == "Clústeres en mi región"
    later.button(key="delete-chat").click().run()
    assert sessions.list_sessions(corpus_settings) == [] and later.session_state["messages"] == []


def test_chat_escapes_document_and_model_text(corpus_settings: Settings) -> None:
    from ui.common import safe

    assert safe("<script>alert(1)</script> [x](javascript:1) **b**") == \
        "\\<script\\>alert\\(1\\)\\</script\\> \\[x\\]\\(javascript:1\\) \\*\\*b\\*\\*"


def test_chips_of_two_parts_of_one_pdf_page_say_which_is_the_table() -> None:
    from assistant.models import Citation
    from ui.common import chip_label

    table = Citation(marker="indicadores p. 3 § 12", doc_id="indicadores", page="3", text="| a |",
                     table="Tabla 5. Número de empresas por tamaño según ventas, 2019-2023")
    prose = Citation(marker="indicadores p. 3 § 11", doc_id="indicadores", page="3", text="El número de empresas…")
    assert [chip_label(table), chip_label(prose)] == ["indicadores p. 3 · Tabla 5", "indicadores p. 3"]


def test_a_source_shown_in_translation_says_so_on_its_chip() -> None:
    from assistant.models import Citation
    from ui.common import chip_label

    rec = Citation(marker="R80", doc_id="cepal", recommendation=80, text="Utilizar las iniciativas clúster…",
                   translation="Use cluster initiatives as a key institutional technology…")
    assert chip_label(rec) == "R80 · traducción"
    assert chip_label(rec.model_copy(update={"translation": None})) == "R80"


def test_an_english_answer_chip_opens_the_translation_and_the_spanish_original(corpus_settings: Settings) -> None:
    at = _page("chat")
    at.chat_input[0].set_value("What does recommendation 80 say?").run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "translated from the Spanish" in shown
    assert any(e.label == "Original en español" for e in at.expander)  # the chip's Spanish, one click away
    assert "Utilizar las iniciativas clúster" in " ".join(m.value for e in at.expander for m in e.markdown)


def test_a_question_without_words_asks_for_one() -> None:
    at = _page("chat")
    at.chat_input[0].set_value("🙂🙂🙂").run()
    assert not at.exception and any("Escriba una pregunta con palabras" in i.value for i in at.info)


def test_feedback_goes_to_jsonl(corpus_settings: Settings) -> None:
    at = _page("chat")
    at.chat_input[0].set_value("¿Qué dice la recomendación 42?").run()
    at.multiselect(key="wrong-1").select("R42").run()
    at.button(key="send-wrong-1").click().run()
    lines = (corpus_settings.data_dir / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[-1])
    assert record["wrong_citations"] == ["R42"] and record["question"] == "¿Qué dice la recomendación 42?"
    from evals.feedback import feedback_items

    items = feedback_items(corpus_settings.data_dir / "feedback.jsonl")
    assert items[-1].gold == [] and 42 not in items[-1].acceptable


def test_english_interface_switch(corpus_settings: Settings) -> None:
    at = _page("chat")
    at.session_state["ui_lang"] = "en"
    at.run()
    assert at.title[0].value == "Ask about ECLAC's recommendations"


def test_draft_page_generates_with_downloads(corpus_settings: Settings) -> None:
    at = _page("draft")
    at.text_input[0].set_value("Biobío")
    at.text_input[1].set_value("iniciativas clúster")
    at.text_input(key="outline-es-2").set_value("Líneas de acción para Biobío")
    at.button[0].click().run()
    assert not at.exception
    assert "Líneas de acción para Biobío" in [s.value for s in at.subheader]
    assert [d.label for d in at.get("download_button")] == ["Descargar Word (.docx)", "Descargar Markdown (.md)"]


def test_draft_page_requires_region_and_topic(corpus_settings: Settings) -> None:
    at = _page("draft")
    at.button[0].click().run()
    assert at.error[0].value == "Indique la región y el tema."


def test_recommendations_filters(corpus_settings: Settings) -> None:
    at = _page("recommendations")
    assert len(at.expander) == 113
    at.multiselect(key="rec-guidelines").select("X").run()
    assert len(at.expander) == 7
    at.multiselect(key="rec-guidelines").unselect("X").run()
    at.number_input(key="rec-page").set_value(231).run()
    assert len(at.expander) == 9
    at.number_input(key="rec-page").set_value(0).run()
    at.text_input(key="rec-text").set_value("cluster").run()
    assert 10 <= len(at.expander) <= 20


def test_recommendations_ask_about_this(corpus_settings: Settings) -> None:
    at = _page("recommendations")
    at.button(key="ask-79").click().run()
    assert at.session_state["pending_question"].startswith("¿Qué plantea la recomendación 79")


def test_library_upload_rejects_bad_files_and_indexes_good_ones(corpus_settings: Settings, tmp_path: Path) -> None:
    from assistant.workspace import library

    settings = Settings()
    before = {d.doc_id for d in library.documents(settings)}
    with pytest.raises(Exception, match="no text"):
        library.add_upload("vacío.md", b"  \n ", settings)
    with pytest.raises(Exception, match="unsupported"):
        library.add_upload("../../etc/passwd", b"root:x", settings)
    assert {d.doc_id for d in library.documents(settings)} == before
    record = library.add_upload("../../Plan Ñuble 2030.txt", "Plan de talento humano para Ñuble.".encode(), settings)
    assert record.doc_id == "plan-nuble-2030" and record.title == "Plan Ñuble 2030.txt"
    stored = list(library.uploads_dir(settings).glob("*.txt"))
    assert len(stored) == 1 and stored[0].parent == library.uploads_dir(settings)
    at = _page("library")
    assert "plan-nuble-2030" in str(at.dataframe[0].value)
    assert library.remove("plan-nuble-2030", settings) and not list(library.uploads_dir(settings).glob("*.txt"))


def test_evaluation_page_runs_an_uploaded_set(corpus_settings: Settings) -> None:
    at = _page("evaluation")
    at.radio[0].set_value("bundled").run()
    assert at.button[0].label == "Ejecutar la evaluación"


@pytest.fixture(name="eval_data")
def fixture_eval_data(corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the indexed corpus that keeps no eval run yet, as the pages' data dir."""
    import shutil

    import streamlit as st

    data = tmp_path / "data"
    shutil.copytree(corpus_dir, data, ignore=shutil.ignore_patterns("models", "eval_runs.sqlite*"))
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(data))
    st.cache_resource.clear()  # the pages' settings are read once per process
    try:
        yield data
    finally:
        st.cache_resource.clear()


def test_evaluation_history_says_how_to_keep_a_run_then_lists_it(eval_data: Path) -> None:
    from evals.history.store import keep
    from evals.runner import EvalRun

    at = _page("evaluation")
    assert [h.value for h in at.header] == ["Historial de ejecuciones"]
    [empty] = at.info
    assert "Aún no hay ejecuciones guardadas" in empty.value and "`policy-assistant eval`" in empty.value
    assert len(at.dataframe) == 0

    overall = {"citation_f1": 0.8125, "citation_recall": 0.9, "citation_precision": 0.75, "recall_at_5": 0.95,
               "abstention": 1.0, "items": 40}
    run = EvalRun(dataset="eval_v1.jsonl", backend="llamacpp", embedding="intfloat/multilingual-e5-small",
                  date="2026-05-04", machine="test", started="2026-05-04T10:30:00+00:00", commit="0123abcd4567",
                  note="línea base", metrics={"overall": overall, "lang:es": {"citation_f1": 0.8}}, items=[])
    assert keep(run, eval_data) == 1  # as `policy-assistant eval` keeps it
    at.run()
    assert not at.exception and not any("Aún no hay" in i.value for i in at.info)
    table = at.dataframe[0].value
    assert table["Ejecución"].tolist() == [1] and table["Nota"].tolist() == ["línea base"]
    assert table.iloc[0]["Inicio (UTC)"] == "2026-05-04 10:30" and table.iloc[0]["Motor"] == "llamacpp"
    assert table.iloc[0]["citation_f1"] == 0.8125 and "items" not in table.columns
    assert at.selectbox(key="hist-metric-answers").value == "citation_f1"
    [trend] = at.get("vega_lite_chart")
    assert '"title": "citation_f1"' in trend.proto.spec, "the trend of citation_f1"
    assert any("Se necesitan dos ejecuciones" in i.value for i in at.info), "one run: nothing to compare yet"


def test_a_stored_answer_is_marked_and_can_be_written_again(corpus_settings: Settings, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import streamlit as st

    data = tmp_path / "data"
    shutil.copytree(corpus_settings.data_dir, data)
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(data))
    monkeypatch.setenv("POLICY_ASSISTANT_LLM_BACKEND", "fake")  # a model backend with no model file
    st.cache_resource.clear()
    try:
        at = _page("chat")
        question = "¿Cómo fortalecer las iniciativas clúster en mi región?"
        at.chat_input[0].set_value(question).run()
        assert not at.session_state["messages"][-1]["answer"]["cached"]
        at.chat_input[0].set_value(question).run()
        assert at.session_state["messages"][-1]["answer"]["cached"]
        assert any("Respuesta guardada" in c.value for c in at.caption)
        at.button(key="regen-3").click().run()
        assert not at.exception
        messages = at.session_state["messages"]
        assert len(messages) == 4 and not messages[-1]["answer"]["cached"], "written again, in place"
    finally:
        st.cache_resource.clear()


def test_a_planner_over_the_model_rate_or_with_a_question_waiting_is_told_in_one_line(
        corpus_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import time

    import streamlit as st

    from assistant.llm.queue import QUEUE

    data = tmp_path / "data"
    shutil.copytree(corpus_settings.data_dir, data)
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(data))
    monkeypatch.setenv("POLICY_ASSISTANT_LLM_BACKEND", "fake")  # a model backend: questions queue for it
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(PAGES / "chat.py"), default_timeout=120)
        at.session_state["queue_id"] = "session:rate-test"
        at.run()
        QUEUE._asked["session:rate-test"] = collections.deque([time.monotonic()] * 6)  # six this minute
        question = "¿Cómo fortalecer las iniciativas clúster en mi región?"
        at.chat_input[0].set_value(question).run()
        assert not at.exception
        assert any("6 preguntas al modelo local en el último minuto" in w.value for w in at.warning)
        assert at.session_state["busy_question"] == question and at.session_state["messages"] == []
        QUEUE._asked.pop("session:rate-test")
        ticket = QUEUE.join("session:rate-test")  # as if this session's question already waited (another tab)
        try:
            at.button(key="retry-busy").click().run()
            assert any("Su pregunta anterior aún espera" in w.value for w in at.warning)
        finally:
            ticket.leave()
        at.button(key="retry-busy").click().run()  # its turn is free: answered by the model backend
        assert at.session_state["messages"][-1]["answer"]["backend"] == "fake"
        assert "queued" in at.session_state["messages"][-1]["answer"]["timings_ms"]
    finally:
        QUEUE._asked.pop("session:rate-test", None)
        st.cache_resource.clear()
