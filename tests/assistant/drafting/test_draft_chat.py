"""Which messages ask for a draft, how follow-ups change it, and `ask` on a draft request."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.drafting.draft_chat import chat_draft, is_draft_request, revision_of, shorten
from assistant.settings import Settings


@pytest.mark.parametrize("message", [
    "Redacta una sección sobre iniciativas clúster para Biobío",
    "Draft a section on talent for Antofagasta",
    "Por favor, escribe un apartado sobre gobernanza para Maule",
    "Can you write a strategy section on exports for Atacama?",
])
def test_draft_requests(message: str) -> None:
    assert is_draft_request(message)


@pytest.mark.parametrize("message", [
    "¿Cómo fortalecer las iniciativas clúster?", "¿Qué dice la sección de gobernanza del documento?",
    "What does ECLAC say about talent?", "Redacción de políticas: ¿qué recomienda la CEPAL?",
])
def test_ordinary_questions(message: str) -> None:
    assert not is_draft_request(message)


@pytest.mark.parametrize(("message", "change"), [
    ("hazla más breve", ("shorter", "")), ("make it shorter", ("shorter", "")),
    ("en inglés", ("language", "en")), ("now in Spanish please", ("language", "es")), ("tradúcela", ("language", "")),
    ("agrega la parte de gobernanza", ("extend", "gobernanza")), ("add the governance part", ("extend", "governance")),
    ("¿Qué dice la R42?", None), ("¿y la siguiente?", None),
])
def test_follow_ups(message: str, change: tuple[str, str] | None) -> None:
    assert revision_of(message) == change


def test_shorter_keeps_verified_text_and_only_the_references_it_still_cites(corpus_settings: Settings) -> None:
    full = chat_draft("Redacta una sección sobre talento para Antofagasta", settings=corpus_settings,
                      backend="extractive")
    assert full is not None and full.draft is not None
    short = shorten(full.draft)
    text = "\n".join(p.text for s in short.sections for p in s.paragraphs)
    cited = {c.marker for c in short.references}
    assert cited and cited < {c.marker for c in full.draft.references}
    assert all(f"[{m}]" in text for m in cited)
    full_text = "\n".join(p.text for s in full.draft.sections for p in s.paragraphs)
    assert all(p.text in full_text for s in short.sections for p in s.paragraphs), "nothing new was written"
    assert chat_draft("hazla más breve", settings=corpus_settings) is None, "no draft to change: an ordinary question"


def test_ask_on_a_draft_request_returns_the_draft(corpus_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "Draft a section on talent for Antofagasta", "--llm", "extractive", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["draft"]["region"] == "Antofagasta" and data["lookup"].startswith("draft:")
    assert {c["marker"] for c in data["citations"]} == {c["marker"] for c in data["draft"]["references"]}


def test_ask_prints_a_drafts_references_once(corpus_settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "Draft a section on talent for Antofagasta", "--llm", "extractive"]) == 0
    out = capsys.readouterr().out
    assert out.count("## References") == 1
    assert not any(line.startswith("  [R") for line in out.splitlines()), "no second list after the Markdown"


@pytest.mark.parametrize(("message", "what"), [
    ("Escribe una carta al ministro de Economía para pedir una reunión.", "carta"),
    ("Write me a letter to the mayor about the cluster.", "letter"),
    ("Redacta un correo para convocar a la mesa clúster", "correo"),
])
def test_other_writing_gets_one_line_saying_what_is_drafted(message: str, what: str) -> None:
    ans = chat_draft(message, settings=Settings())
    assert ans is not None and ans.refused and not ans.citations and what in ans.answer
    assert len(ans.answer.splitlines()) == 1 and ("Biobío" in ans.answer)  # it says what it does draft, by example


def test_a_request_without_a_region_asks_for_one() -> None:
    ans = chat_draft("Redacta una sección sobre talento humano", settings=Settings())
    assert ans is not None and ans.refused and ans.answer.startswith("¿Para qué región") and "talento humano" in ans.answer
    english = chat_draft("Draft a section on talent", settings=Settings())
    assert english is not None and english.answer.startswith("Which region")
