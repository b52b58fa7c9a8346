"""Drafting from the chat and the draft page's versions, through streamlit.testing (extractive, real index)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from assistant.cli import main
from assistant.settings import Settings
from assistant.workspace import sessions
from tests.ui.test_pages import _page


def _drafts(at: AppTest) -> list[dict]:  # type: ignore[type-arg]
    return [m["answer"]["draft"] for m in at.session_state["messages"]
            if m["role"] == "assistant" and m["answer"].get("draft")]


def test_a_draft_asked_for_in_the_chat_and_changed_by_follow_ups(corpus_settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sessions.db_path(corpus_settings).unlink(missing_ok=True)
    at = _page("chat")
    at.chat_input[0].set_value("Redacta una sección sobre iniciativas clúster para Biobío").run()
    assert not at.exception, at.exception
    [first] = _drafts(at)
    assert first["region"] == "Biobío" and len(first["sections"]) == 5 and first["language"] == "es"
    assert any(b.label == "Descargar Word (.docx)" for b in at.get("download_button")), "the Word download is offered"
    at.chat_input[0].set_value("hazla más breve").run()
    shorter = _drafts(at)[-1]
    assert shorter["topic"] == first["topic"] and 0 < len(shorter["references"]) < len(first["references"])
    at.chat_input[0].set_value("en inglés").run()
    english = _drafts(at)[-1]
    assert english["language"] == "en" and english["region"] == "Biobío" and english["sections"][0]["heading"] == \
        "Diagnosis and context"
    at.chat_input[0].set_value("¿Qué dice la recomendación 42?").run()  # an ordinary question stays one
    assert at.session_state["messages"][-1]["answer"]["draft"] is None
    [info] = sessions.list_sessions(corpus_settings, kind="chat")
    assert len(sessions.drafts(sessions.load(info.id, corpus_settings))) == 3, "every version is kept"
    out = tmp_path / "biobio.docx"
    assert main(["sessions", "export", info.id, "--format", "docx", "--out", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"


def test_the_draft_page_keeps_every_version(corpus_settings: Settings) -> None:
    sessions.db_path(corpus_settings).unlink(missing_ok=True)
    at = _page("draft")
    assert "Aún no hay borradores guardados." in " ".join(c.value for c in at.sidebar.caption)
    at.text_input[0].set_value("Antofagasta")
    at.text_input[1].set_value("talento")
    submit = next(b for b in at.button if b.label == "Generar borrador")
    submit.click().run()
    assert not at.exception, at.exception
    at.text_input[1].set_value("capital humano")
    next(b for b in at.button if b.label == "Generar borrador").click().run()
    [info] = sessions.list_sessions(corpus_settings, kind="draft")
    versions = sessions.drafts(sessions.load(info.id, corpus_settings))
    assert [v.topic for v in versions] == ["talento", "capital humano"], "regenerating keeps the previous text"
    control = at.get("button_group")
    assert control, "a version picker once there are two"
    reopened = _page("draft")
    reopened.button(key=f"open-draft-{info.id}").click().run()
    assert not reopened.exception and any("Antofagasta" in h.value for h in reopened.header)
    reopened.button(key="delete-draft").click().run()
    assert sessions.list_sessions(corpus_settings, kind="draft") == []


def test_the_draft_page_writes_a_whole_document_and_one_chapter_again(region_dir, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from ui.state import _settings

    data = tmp_path / "region"
    shutil.copytree(region_dir, data)  # the shared index stays read-only; this page writes its saved drafts
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(data))
    _settings.clear()  # the app caches its Settings per process: this test's data dir, then the others' again
    try:
        _whole_document(Settings())
    finally:
        _settings.clear()


def _whole_document(settings: Settings) -> None:
    at = _page("draft")
    at.get("button_group")[0].set_value("document").run()
    assert not at.exception, at.exception
    assert any(t.value == "Redactar una estrategia regional completa" for t in at.title)
    next(i for i in at.text_input if i.key == "document-region").set_value("Los Arrayanes")
    next(i for i in at.text_input if i.key == "document-topics").set_value("turismo, capital humano")
    next(b for b in at.button if b.label == "Generar documento").click().run()
    assert not at.exception, at.exception
    [info] = sessions.list_sessions(settings, kind="draft")
    [first] = sessions.versions(sessions.load(info.id, settings))
    assert first.topics == ["turismo", "capital humano"] and len(first.chapters) == 7  # type: ignore[union-attr]
    assert any("1. Diagnóstico" == h.value for h in at.subheader)
    assert len(at.dataframe) == 2, "the indicator and policy-mix tables"
    assert any(b.label == "Descargar Word (.docx)" for b in at.get("download_button"))
    at.selectbox[0].set_value("capacities")
    next(b for b in at.button if b.label == "Redactar de nuevo").click().run()
    assert not at.exception, at.exception
    versions = sessions.versions(sessions.load(info.id, settings))
    assert len(versions) == 2 and versions[1].chapters[0] == first.chapters[0]  # type: ignore[union-attr]
