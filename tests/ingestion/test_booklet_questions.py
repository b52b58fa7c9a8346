"""The questions each booklet recommendation answers: complete, in both languages, for this booklet only."""

from __future__ import annotations

import re

from assistant.language import detect_language
from ingestion.booklet import booklet_chunks
from ingestion.booklet_questions import _table, questions_for
from ingestion.loaders import load_document
from ingestion.models import Chunk
from tests.conftest import BOOKLET
from vectorstore.store import ChunkStore


def test_every_recommendation_of_the_bundled_booklet_has_three_questions_per_language() -> None:
    recs = [c for c in booklet_chunks(load_document(BOOKLET, kind="recommendations")) if c.kind == "recommendation"]
    assert len(recs) == 113
    for chunk in recs:
        asked = questions_for(chunk)
        assert len(asked) == 6 and len(set(asked)) == 6, chunk.recommendation
        assert all(q.rstrip().endswith("?") or len(q.split()) >= 8 for q in asked)
    assert set(_table()["recommendations"]) == {str(n) for n in range(1, 114)}


def test_every_slide_of_the_bundled_deck_has_them_too(corpus_store: ChunkStore) -> None:
    slides = [h.chunk for h in corpus_store.get() if h.chunk.kind == "slide"]
    assert len(slides) == 6 and all(len(questions_for(c)) == 6 for c in slides)
    moved = slides[0].model_copy(update={"text": "Otra presentación sobre otro tema."})
    assert questions_for(moved) == []


def test_the_questions_are_a_planners_not_the_booklets() -> None:
    entries = [*_table()["recommendations"].values(), *_table()["slides"]["cepal-fomento-regional-chile"].values()]
    for entry in entries:
        for q in entry["en"] + entry["es"]:
            assert not re.search(r"\b(CEPAL|ECLAC|recomendaci[oó]n|recommendation)\b", q, re.I), q
            assert not re.search(r"\bR\d+\b", q), "a question never names a recommendation's number"
        assert [detect_language(q) for q in entry["en"] + entry["es"]] == ["en"] * 3 + ["es"] * 3, entry


def test_another_booklets_recommendation_or_a_users_passage_gets_none() -> None:
    other = Chunk(doc_id="otro", kind="recommendation", recommendation=10, text="Reducir los aranceles agrícolas.",
                  source="otro.md", ordinal=0)
    text = Chunk(doc_id="erd", kind="text", text="Concentrar los recursos en pocos programas.", source="erd.md",
                 ordinal=0)
    assert questions_for(other) == [] and questions_for(text) == []
