"""Users' words in the booklet's vocabulary: the planners' own region is the booklet's "subnacional"."""

from __future__ import annotations

import pytest

from assistant.answering.selection import choose
from vectorstore.glossary import subnational
from vectorstore.hybrid import HybridRetriever
from vectorstore.rerank import load
from vectorstore.store import ChunkStore


@pytest.mark.parametrize(("question", "embedded"), [
    ("¿Qué puede hacer mi región?", "¿Qué puede hacer mi región subnacional?"),
    ("Nuestro gobierno regional quiere cofinanciar", "Nuestro gobierno subnacional quiere cofinanciar"),
    ("Nuestra oficina regional de fomento", "Nuestra oficina subnacional de fomento"),
    ("What can our region do?", "What can our subnational region do?"),
    ("Should the regional government fund it?", "Should the subnational government fund it?"),
])
def test_a_planners_own_region_is_named_as_the_booklet_does(question: str, embedded: str) -> None:
    assert subnational(question) == embedded


@pytest.mark.parametrize("question", [
    "¿Cómo avanzar en la integración regional de América Latina?",
    "¿Qué empresas de la región producen servicios digitales?",
    "How can regional cooperation between countries help?",
])
def test_the_booklets_own_regional_is_left_alone(question: str) -> None:
    assert subnational(question) == question


def test_a_regional_office_finds_the_subnational_recommendation(corpus_store: ChunkStore) -> None:
    retriever = HybridRetriever(corpus_store, reranker=load())
    hits, _ = retriever.retrieve("Nuestra oficina regional de fomento tiene muy poco personal; ¿qué recomienda la CEPAL?", 6)
    cited = [h.chunk.recommendation for h in choose(hits)]
    # R72: professional staff for subnational governments; R56 ("a nivel regional e internacional")
    # led when "regional" was embedded as written.
    assert 72 in cited
    assert 56 not in cited
