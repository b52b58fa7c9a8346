"""English renderings: matched to the booklet's own Spanish, used for retrieval, shown only as marked translations."""

from __future__ import annotations

from assistant.answering.answer import answer
from assistant.services import get_registry
from assistant.settings import Settings
from ingestion.booklet import booklet_chunks
from ingestion.loaders import load_document
from ingestion.renderings import _table, english_rendering, guideline_en, recommendation_en
from tests.conftest import BOOKLET
from vectorstore.store import lexical_terms, search_text
from vectorstore.terms import tokenize


def test_every_unit_of_the_bundled_booklet_has_its_rendering() -> None:
    chunks = booklet_chunks(load_document(BOOKLET, kind="recommendations"))
    recs = [c for c in chunks if c.kind == "recommendation"]
    guides = [c for c in chunks if c.kind == "guideline"]
    assert len(recs) == 113 and all(english_rendering(c) for c in recs)
    assert len(guides) == 14 and all(english_rendering(c) for c in guides)
    r80 = next(c for c in recs if c.recommendation == 80)
    assert str(english_rendering(r80)).startswith("Recommendation 80. Use cluster initiatives")
    terms = lexical_terms(r80)  # the Spanish stemmed as Spanish, the rendering as English
    assert terms[: len(tokenize(search_text(r80)))] == tokenize(search_text(r80))
    assert set(tokenize("Use cluster initiatives", "en")) <= set(terms)
    assert set(tokenize("Utilizar las iniciativas", "es")) <= set(terms)
    assert "Use cluster" not in search_text(r80), "the dense vectors stay Spanish-only"


def test_another_text_under_the_same_number_gets_no_rendering() -> None:
    assert recommendation_en(12, "Focalizar mejor las intervenciones relativas al emprendimiento, por ejemplo")
    assert recommendation_en(12, "Reducir los aranceles a la importación de maquinaria agrícola") is None
    assert recommendation_en(500, "Focalizar mejor") is None
    assert guideline_en("X", "Fortalecer las capacidades de evaluación")
    assert guideline_en("X", "Otro título") is None
    assert set(_table()["recommendations"]) == {str(n) for n in range(1, 114)}


def test_english_questions_find_spanish_sources_that_are_cited_in_spanish(corpus_settings: Settings) -> None:
    ans = answer("What does ECLAC recommend about evaluating productive development policies?",
                 settings=corpus_settings)
    assert not ans.refused, "the issue's wrongly refused question"
    assert {c.recommendation for c in ans.citations} & {93, 95, 96}
    semis = answer("Is there anything about semiconductors?", settings=corpus_settings)
    assert not semis.refused and 112 in {c.recommendation for c in semis.citations}
    registry = get_registry(corpus_settings)
    for a in (ans, semis):  # citations stay the original Spanish; the rendering is shown only as a translation
        for c in a.citations:
            hit = registry.hits[c.recommendation]
            english = english_rendering(hit.chunk)
            assert c.text == hit.chunk.text and english
            rendered = english.split(". ", 1)[1][:40]
            if rendered in a.answer:
                assert c.translation and f"«{c.translation}» (translated from the Spanish)" in a.answer


def test_the_decks_slides_are_rendered_for_display_and_never_matched() -> None:
    from ingestion.models import Chunk
    from ingestion.renderings import english_text

    slide = Chunk(doc_id="cepal-fomento-regional-chile", kind="slide", page="4", ordinal=3, source="deck.pdf",
                  text="La política de fomento productivo regional tiene que definir metas estratégicas y de gestión")
    assert str(english_text(slide)).startswith("Regional productive promotion policy has to set")
    assert english_rendering(slide) is None and lexical_terms(slide) == tokenize(search_text(slide))
    other = slide.model_copy(update={"text": "Otra diapositiva"})
    assert english_text(other) is None
