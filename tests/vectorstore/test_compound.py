"""Questions that ask two things: where they split, and that each part finds its own recommendation."""

from __future__ import annotations

import pytest

from assistant.answering.selection import choose
from vectorstore.compound import split_question
from vectorstore.hybrid import HybridRetriever
from vectorstore.rerank import load
from vectorstore.store import ChunkStore


@pytest.mark.parametrize(("question", "parts"), [
    ("¿Cómo financiamos proyectos estratégicos grandes y cómo damos garantías a las pymes?",
     ["Cómo financiamos proyectos estratégicos grandes", "cómo damos garantías a las pymes"]),
    ("How can we close skills gaps in the region, and how should companies be involved in training?",
     ["How can we close skills gaps in the region", "how should companies be involved in training"]),
    ("¿Cómo ayudamos a las pymes a conseguir crédito y, además, a vender en mercados internacionales?",
     ["Cómo ayudamos a las pymes a conseguir crédito", "a vender en mercados internacionales"]),
])
def test_a_question_splits_where_a_new_clause_starts(question: str, parts: list[str]) -> None:
    assert split_question(question) == parts


@pytest.mark.parametrize("question", [
    "¿Cómo apoyar a las pymes y cooperativas de la región?",  # a list, not a second question
    "What does ECLAC recommend on science, technology and innovation?",
    "Nuestra oficina regional de fomento tiene muy poco personal; ¿qué recomienda la CEPAL?",  # context, then one question
    "¿Cómo fortalecer los clústeres y qué más?",  # the second part is too short to retrieve on its own
    "¿Cómo apoyamos a las pymes, y cómo a las cooperativas, y cómo a los gremios, y cómo a las universidades?",
    "",
])
def test_a_single_point_stays_whole(question: str) -> None:
    assert split_question(question) == []


def test_each_part_of_a_two_point_question_is_cited(corpus_store: ChunkStore) -> None:
    retriever = HybridRetriever(corpus_store, reranker=load())
    question = "How do we attract foreign direct investment, and how do we evaluate our support programmes?"
    whole, evidence = retriever.retrieve(question, 6)
    split, split_evidence = retriever.retrieve(question, 6, split=True)
    guidelines = {h.chunk.guideline for h in choose(whole)}
    cited = {h.chunk.guideline for h in choose(split)}
    # attracting FDI (guideline XII) and evaluation capabilities (guideline X)
    assert guidelines == {"XII"}, "retrieved whole, the question answers one point only"
    assert {"X", "XII"} <= cited
    assert split_evidence == evidence, "the scope decision is the whole question's"
    assert split[0].rerank == 0.0 and [h.rerank for h in split] == sorted((h.rerank for h in split), reverse=True)
    assert len({h.id for h in split}) == len(split)
