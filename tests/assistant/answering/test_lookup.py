"""Exact lookups, follow-up rewriting and language detection, as tables."""

from __future__ import annotations

import pytest

from assistant.answering.condense import condense, is_followup
from assistant.answering.lookup import Lookup, find_lookup
from assistant.language import detect_language
from assistant.models import Turn

ABOUT_41 = [Turn(role="user", content="¿Qué dice la recomendación 41?"),
            Turn(role="assistant", content="La recomendación 41 plantea ... [R41].")]


@pytest.mark.parametrize(("question", "history", "expected"), [
    ("¿Qué dice la recomendación 42?", [], Lookup(kind="recommendation", value=42)),
    ("R42", [], Lookup(kind="recommendation", value=42)),
    ("What does recommendation 42 say?", [], Lookup(kind="recommendation", value=42)),
    ("Explícame la Recomendación Nº 7", [], Lookup(kind="recommendation", value=7)),
    ("quiero leer la recomendación número 97", [], Lookup(kind="recommendation", value=97)),
    ("show me recommendation number 12", [], Lookup(kind="recommendation", value=12)),
    ("¿y la siguiente?", ABOUT_41, Lookup(kind="recommendation", value=42)),
    ("and the next one?", ABOUT_41, Lookup(kind="recommendation", value=42)),
    ("¿y la anterior?", ABOUT_41, Lookup(kind="recommendation", value=40)),
    ("¿Qué recomendaciones remiten a la página 231?", [], Lookup(kind="page", value=231)),
    ("What is on page 96?", [], Lookup(kind="page", value=96)),
    ("lineamiento VIII", [], Lookup(kind="guideline", value="VIII")),
    ("What does guideline 8 say?", [], Lookup(kind="guideline", value="VIII")),
    ("recomendación 150", [], Lookup(kind="recommendation", value=150)),
    ("¿Cómo fortalecer las iniciativas clúster en mi región?", [], None),
    ("¿y la siguiente?", [], None),
])
def test_find_lookup(question: str, history: list[Turn], expected: Lookup | None) -> None:
    assert find_lookup(question, history) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("¿y cómo se financian?", "¿Cómo fortalecer las iniciativas clúster? ¿y cómo se financian?"),
    ("and who should lead them?", "¿Cómo fortalecer las iniciativas clúster? and who should lead them?"),
    ("¿Qué papel tiene la banca de desarrollo en el financiamiento de proyectos estratégicos de gran escala?",
     "¿Qué papel tiene la banca de desarrollo en el financiamiento de proyectos estratégicos de gran escala?"),
])
def test_condense(question: str, expected: str) -> None:
    history = [Turn(role="user", content="¿Cómo fortalecer las iniciativas clúster?"),
               Turn(role="assistant", content="... [R79].")]
    assert condense(question, history) == expected


def test_no_history_is_never_a_followup() -> None:
    assert not is_followup("¿y cómo se financian?", [])


@pytest.mark.parametrize(("text", "lang"), [
    ("How can development banks help?", "en"), ("¿Cómo fortalecer las iniciativas clúster?", "es"),
    ("What does R42 say?", "en"), ("iniciativas clúster", "es"), ("R42", "es"),
    ("Which recommendations deal with talent gaps?", "en"), ("evaluación de políticas", "es"),
])
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang
