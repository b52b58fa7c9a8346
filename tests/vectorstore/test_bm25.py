"""BM25: the vectorised scores equal the textbook formula; folding, stemming and the glossary apply."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from vectorstore.bm25 import BM25Index
from vectorstore.terms import query_language, tokenize

WORDS = ("cluster region innovacion empresa talento credito banca exportacion gobierno academia "
         "evaluacion meta politica productiva territorio").split()


def _textbook(texts: list[str], query: str, k1: float = 1.5, b: float = 0.75) -> dict[int, float]:
    from vectorstore.glossary import expand

    docs = [Counter(tokenize(t)) for t in texts]
    avg = sum(sum(d.values()) for d in docs) / len(docs)
    out: dict[int, float] = {}
    for term in set(expand(tokenize(query, query_language(query)))):
        df = sum(term in d for d in docs)
        if not df:
            continue
        idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
        for i, d in enumerate(docs):
            if d[term]:
                norm = d[term] + k1 * (1 - b + b * sum(d.values()) / avg)
                out[i] = out.get(i, 0.0) + idf * d[term] * (k1 + 1) / norm
    return out


@pytest.mark.parametrize("seed", range(5))
def test_scores_equal_the_formula(seed: int) -> None:
    rng = random.Random(seed)
    texts = [" ".join(rng.choices(WORDS, k=rng.randint(3, 40))) for _ in range(200)]
    index = BM25Index(texts)
    for query in ("cluster talento", "credit banks exports", "gobierno regional evaluación", "nada relevante"):
        got, want = index.scores(query), _textbook(texts, query)
        assert got.keys() == want.keys()
        assert all(math.isclose(got[i], want[i], rel_tol=1e-9) for i in want)
        top = index.top(query, 7)
        assert [i for i, _ in top] == sorted(want, key=lambda i: (-round(want[i], 9), i))[:7]  # ties by position


def test_folding_stemming_and_glossary() -> None:
    index = BM25Index(["Iniciativas clúster en las regiones", "Banca de desarrollo y crédito", "Otra cosa"])
    assert index.top("iniciativa CLUSTER región", 3)[0][0] == 0
    assert index.top("development banks and credit", 3)[0][0] == 1
    assert index.top("zzz", 3) == []
    assert BM25Index([]).top("cluster", 3) == []
