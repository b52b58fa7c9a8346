"""Questions limited to chosen documents: filtered in Chroma, and the scope check follows the choice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.answering.answer import answer
from assistant.cli import main
from assistant.drafting.draft import draft
from assistant.errors import UserInputError
from assistant.models import DraftRequest
from assistant.services import forget_stores
from assistant.settings import Settings
from assistant.workspace.library import add_upload
from assistant.workspace.search import search

BOOKLET, SLIDES, PLAN = "cepal-113-recomendaciones", "cepal-fomento-regional-chile", "plan-salud-maule"
PLAN_TEXT = ("Plan regional de salud del Maule 2025. El plan reduce las listas de espera de los hospitales "
             "regionales con tres medidas: más pabellones quirúrgicos, telemedicina en los consultorios rurales y "
             "un registro único de pacientes en espera. La meta es bajar la espera de cirugías a 120 días.\n\n") * 3


@pytest.fixture(name="with_plan", scope="module")
def fixture_with_plan(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus plus a user's health plan (a subject the booklet does not cover)."""
    data = tmp_path_factory.mktemp("docs") / "data"
    shutil.copytree(corpus_dir, data)
    forget_stores()
    add_upload("plan-salud-maule.txt", PLAN_TEXT.encode(), Settings(data_dir=data))
    return data


@pytest.fixture(name="settings")
def fixture_settings(with_plan: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(with_plan))
    forget_stores()
    return Settings()


def test_search_and_answers_draw_only_on_the_chosen_documents(settings: Settings) -> None:
    assert {h.chunk.doc_id for h in search("metas de gestión y capacidades locales", 8, settings=settings,
                                            docs=[SLIDES])} == {SLIDES}
    ans = answer("¿Cómo fortalecer las iniciativas clúster?", settings=settings, backend="extractive", docs=[SLIDES])
    assert ans.citations and {c.doc_id for c in ans.citations} == {SLIDES}
    assert {r.doc_id for r in ans.retrieved} == {SLIDES}
    everything = answer("¿Cómo fortalecer las iniciativas clúster?", settings=settings, backend="extractive")
    assert any(c.recommendation for c in everything.citations)


def test_the_scope_check_follows_the_choice(settings: Settings) -> None:
    question = "¿Cómo se reducen las listas de espera de los hospitales?"
    assert answer(question, settings=settings, backend="extractive", docs=[BOOKLET]).refused
    mine = answer(question, settings=settings, backend="extractive", docs=[PLAN])
    assert not mine.refused and {c.doc_id for c in mine.citations} == {PLAN}
    anywhere = answer(question, settings=settings, backend="extractive")  # the user's plan covers it: not refused
    assert not anywhere.refused and PLAN in {c.doc_id for c in anywhere.citations}


def test_a_lookup_limited_to_a_users_document_searches_it_not_the_booklet(settings: Settings) -> None:
    ans = answer("¿Qué dice la R42?", settings=settings, backend="extractive", docs=[PLAN])
    assert all(c.doc_id == PLAN for c in ans.citations)


def test_a_draft_limited_to_the_slides_cites_only_them(settings: Settings) -> None:
    result = draft(DraftRequest(region="Maule", topic="capacidades locales de fomento", docs=[SLIDES]),
                   settings=settings, backend="extractive")
    assert result.references and {c.doc_id for c in result.references} == {SLIDES}
    assert result.docs == [SLIDES]


def test_an_unknown_document_is_named(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UserInputError, match="no document 'nope'"):
        answer("¿Cómo fortalecer las iniciativas clúster?", settings=settings, docs=["nope"])
    for argv in (["ask", "x y z", "--doc", "nope"], ["search", "clúster", "--doc", "nope"],
                 ["draft", "--region", "Maule", "--topic", "talento", "--doc", "nope", "--llm", "extractive"]):
        assert main(argv) == 2
        assert "no document 'nope' in the index" in capsys.readouterr().err


def test_the_cli_repeats_doc(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["search", "listas de espera y metas de gestión", "--doc", PLAN, "--doc", SLIDES, "--json"]) == 0
    got = {r["doc_id"] for r in json.loads(capsys.readouterr().out)["results"]}
    assert got <= {PLAN, SLIDES} and PLAN in got
