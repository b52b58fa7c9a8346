"""The question's language: Spanish or English for the answer; any other language named, never guessed
from a short Spanish question."""

from __future__ import annotations

import pytest

from assistant.answering.answer import answer
from assistant.language import asked_language, detect_language, has_words
from assistant.messages import ASKED_IN
from assistant.settings import Settings


@pytest.mark.parametrize(("question", "code"), [
    ("¿Cómo fortalecer las iniciativas clúster?", "es"),
    ("Iniciativas clúster", "es"),  # langid says Galician: too short to judge
    ("Nuestra oficina de fomento tiene poco personal", "es"),
    ("How can we strengthen cluster initiatives?", "en"),
    ("Explain quantum computing", "en"),  # no function word: langid between Spanish and English (alone: Latin)
    ("Cheaper evaluations using AI", "en"),
    ("Gobernanza multinivel", "es"),
    ("Give me a recipe for empanadas", "en"),  # langid alone says Portuguese
    ("Como fortalecer as iniciativas de cluster na minha região?", "pt"),
    ("O que a CEPAL recomenda para os governos do estado?", "pt"),
    ("Comment renforcer les initiatives de cluster dans ma région ?", "fr"),
    ("如何加强集群倡议？", "zh"),
])
def test_the_language_asked_in(question: str, code: str) -> None:
    assert asked_language(question) == code


def test_the_answer_language_stays_spanish_or_english() -> None:
    assert detect_language("Como fortalecer as iniciativas de cluster na minha região?") == "es"
    assert detect_language("What is experimentalist governance?") == "en"


@pytest.mark.parametrize(("text", "words"), [("🙂🙂🙂", False), ("?!...", False), ("   ¿?  ", False),
                                             ("R79", True), ("42", True), ("如何", True)])
def test_words_to_ask_with(text: str, words: bool) -> None:
    assert has_words(text) is words


@pytest.mark.parametrize(("question", "notice"), [
    ("Como fortalecer as iniciativas de cluster na minha região?", ASKED_IN["pt"]),
    ("如何加强集群倡议？", ASKED_IN["other"]),
])
def test_another_language_is_told_before_the_spanish_answer(question: str, notice: str,
                                                            corpus_settings: Settings) -> None:
    ans = answer(question, settings=corpus_settings, backend="extractive")
    assert ans.language == "es" and ans.notices == [notice]
    assert "\n" not in notice


def test_spanish_and_english_questions_get_no_language_notice(corpus_settings: Settings) -> None:
    for question in ("¿Cómo fortalecer las iniciativas clúster?", "How can we strengthen cluster initiatives?"):
        assert answer(question, settings=corpus_settings, backend="extractive").notices == []
