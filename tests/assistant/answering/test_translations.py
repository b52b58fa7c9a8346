"""English answers read as English: a recommendation's reviewed rendering, shown as a marked translation.

Real index and embeddings; a fake model only where the test is about the gate's fallback.
"""

from __future__ import annotations

import re

from assistant.answering.answer import answer
from assistant.drafting.draft import draft
from assistant.llm.fake import FakeChatModel
from assistant.models import DraftRequest
from assistant.settings import Settings
from evals.language import count
from ingestion.renderings import recommendation_en

MARK = "(translated from the Spanish)"


def test_an_extractive_english_answer_shows_marked_renderings_and_keeps_the_spanish_citation(
        corpus_settings: Settings) -> None:
    ans = answer("How can we strengthen cluster initiatives in our region?", settings=corpus_settings, backend="extractive")
    recs = [c for c in ans.citations if c.recommendation]
    assert recs and ans.language == "en"
    for c in recs:
        english = recommendation_en(c.recommendation, c.text)  # type: ignore[arg-type]
        assert c.translation == english and f"«{english}» {MARK} [{c.marker}]" in ans.answer
        assert c.text.startswith(("Desarrollar", "Utilizar", "Crear", "Promover", "Impulsar", "Estrechar",
                                  "Consolidar", "Intensificar", "Apoyar", "Usar", "Fortalecer"))  # the original
        assert english not in c.text
    shown = count(ans.answer, "en")
    assert shown.sentences and shown.in_language == shown.sentences


def test_a_spanish_answer_is_unchanged(corpus_settings: Settings) -> None:
    ans = answer("¿Cómo fortalecer las iniciativas clúster en mi región?", settings=corpus_settings, backend="extractive")
    assert MARK not in ans.answer and all(c.translation is None for c in ans.citations)
    assert "translation" not in ans.contract_json()["citations"][0]  # type: ignore[index]


def test_a_lookup_in_english_translates_the_recommendation_and_its_guideline_title(corpus_settings: Settings) -> None:
    ans = answer("What does recommendation 79 say?", settings=corpus_settings, backend="extractive")
    assert ans.citations[0].marker == "R79" and ans.citations[0].translation
    assert re.search(r"guideline VIII: Create and strengthen cluster initiatives.*translated from the Spanish\) states:",
                     ans.answer)
    assert ans.answer.count("[R79]") == 1 and ans.answer.endswith(f"{MARK} [R79].")


def test_a_rejected_english_sentence_falls_back_to_the_marked_rendering(corpus_settings: Settings) -> None:
    fake = FakeChatModel(reply_with=lambda p: "The National Cluster Agency of Peru funds 40 initiatives.")
    ans = answer("How can we strengthen cluster initiatives in our region?", settings=corpus_settings, llm=fake)
    assert ans.unsupported_sentences and "Peru" not in ans.answer
    assert "The source says: «" in ans.answer and MARK in ans.answer
    assert "En palabras" not in ans.answer and "«Desarrollar" not in ans.answer
    assert any(c.translation for c in ans.citations)


def test_an_english_sentence_restating_the_rendering_passes_the_gate(corpus_settings: Settings) -> None:
    def restate(prompt: str) -> str:  # the rendering of the recommendation the prompt gives, if any
        found = re.search(r"^(?:Fuente|Source):\n(.+?)\n\n", prompt, re.DOTALL | re.MULTILINE)
        source = found.group(1) if found else prompt
        return next((e for n in range(1, 114) if (e := recommendation_en(n, source))), prompt)

    ans = answer("How can we strengthen cluster initiatives in our region?", settings=corpus_settings,
                 llm=FakeChatModel(reply_with=restate))
    assert ans.checks and all(c.ok for c in ans.checks), [c.detail for c in ans.checks]
    assert MARK not in ans.answer


def test_an_english_extractive_draft_has_no_spanish_outside_quotation_marks(corpus_settings: Settings) -> None:
    result = draft(DraftRequest(region="Los Lagos", topic="cluster initiatives", language="en"),
                   settings=corpus_settings, backend="extractive")
    text = "\n".join(p.text for s in result.sections for p in s.paragraphs)
    outside = re.sub(r"«[^«»]*»", "", text)
    assert MARK in text
    shown = count(outside, "en")
    assert shown.sentences and shown.in_language == shown.sentences
    assert any(c.translation for c in result.references)


def test_a_slide_in_an_english_answer_is_its_marked_rendering(corpus_settings: Settings) -> None:
    ans = answer("According to the slides, what are the management goals of regional productive promotion?",
                 settings=corpus_settings, backend="extractive")
    slides = [c for c in ans.citations if c.recommendation is None]
    assert slides and all(c.translation for c in slides)
    assert all(c.text.startswith(("La política", "Estructura", "Objetivos", "Hay", "Principales")) for c in slides)
    assert "Management goals (how to do it)" in ans.answer and count(ans.answer, "en").in_language == count(
        ans.answer, "en").sentences


def test_a_model_lookup_in_english_names_the_guideline_in_english(corpus_settings: Settings) -> None:
    fake = FakeChatModel(reply_with=lambda p: "Promote collaboration between cluster initiatives in different countries.")
    ans = answer("What does recommendation 110 say?", settings=corpus_settings, llm=fake)
    assert ans.answer.startswith("Recommendation 110 (guideline XIII: Build collaboration between countries")
    assert "Crear vínculos" not in ans.answer
