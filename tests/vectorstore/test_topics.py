"""The off-topic contrast with the real e5 model: near-miss policy questions stand out, covered ones do not."""

from __future__ import annotations

import pytest

from assistant.settings import Settings
from vectorstore.embeddings import get_embedder
from vectorstore.topics import TopicContrast, off_topic_descriptions

COVERED = {  # key -> (doc_id, text), as vectorstore.topics.covered_texts gives them
    "r79": ("booklet", "Desarrollar o fortalecer iniciativas clúster u otras iniciativas de articulación productiva "
                       "territorial."),
    "r17": ("booklet", "Adoptar una aproximación diagnóstica para detectar las brechas de talento humano y sus causas."),
    "r7": ("booklet", "Utilizar la banca de desarrollo para reducir el racionamiento del crédito, por ejemplo, mediante "
                      "mecanismos de fondos de garantía."),
}
HEALTH = "¿Cómo reducir las listas de espera en los hospitales públicos de la región?"


@pytest.fixture(name="contrast", scope="module")
def fixture_contrast() -> TopicContrast:
    contrast = TopicContrast(get_embedder(Settings().embedding))
    contrast.update(COVERED)
    return contrast


def _off(contrast: TopicContrast, question: str) -> float:
    return contrast.off_topic(contrast.embedder.embed_query(question))


def test_the_shipped_descriptions_are_bilingual_and_skip_comments() -> None:
    lines = off_topic_descriptions()
    assert len(lines) >= 20 and not any(line.startswith("#") for line in lines)
    assert any("salud" in line for line in lines) and any("health" in line for line in lines)


@pytest.mark.parametrize("question", [HEALTH, "Should the retirement age be raised?",
                                      "¿Qué tasa de interés debería fijar el banco central?"])
def test_a_near_miss_is_nearer_an_uncovered_domain(contrast: TopicContrast, question: str) -> None:
    assert _off(contrast, question) >= Settings().retrieval.scope_off_topic


@pytest.mark.parametrize("question", ["¿Cómo fortalecer las iniciativas clúster en mi región?",
                                      "How do we find out which skills our firms are missing?",
                                      "Las pymes no consiguen crédito, ¿qué puede hacer la banca de desarrollo?"])
def test_a_covered_question_is_not(contrast: TopicContrast, question: str) -> None:
    assert _off(contrast, question) < Settings().retrieval.scope_off_topic


def test_a_document_the_user_adds_brings_its_subject_into_scope() -> None:
    contrast = TopicContrast(get_embedder(Settings().embedding))
    contrast.update(COVERED)
    before = _off(contrast, HEALTH)
    contrast.update({**COVERED, "doc:plan-salud": ("plan-salud", "Plan regional de salud 2025: reducir las listas de "
                                                                 "espera de los hospitales públicos y reforzar la "
                                                                 "atención primaria.")})
    after = _off(contrast, HEALTH)
    assert before >= Settings().retrieval.scope_off_topic > after
    contrast.update(COVERED)  # removed again: the subject is out of scope again
    assert _off(contrast, HEALTH) == pytest.approx(before, abs=1e-4)
