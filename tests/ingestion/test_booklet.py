"""The booklet parser on the real corpus, as Markdown and as a PDF built from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingestion.booklet import ROMANS, parse_page_refs
from ingestion.chunking import chunk_document
from ingestion.loaders import load_document
from ingestion.models import Chunk
from tests.conftest import BOOKLET
from tests.pdfs import write_pdf


@pytest.fixture(name="chunks", scope="module")
def fixture_chunks() -> list[Chunk]:
    return chunk_document(load_document(BOOKLET, doc_id="cepal-113-recomendaciones"))


def _recs(chunks: list[Chunk]) -> dict[int, Chunk]:
    return {c.recommendation: c for c in chunks if c.kind == "recommendation"}  # type: ignore[misc]


def test_finds_113_recommendations_in_14_guidelines(chunks: list[Chunk]) -> None:
    recs = _recs(chunks)
    assert sorted(recs) == list(range(1, 114))
    guidelines = [c for c in chunks if c.kind == "guideline"]
    assert [g.guideline for g in guidelines] == list(ROMANS[:14])
    assert {c.guideline for c in recs.values()} == set(ROMANS[:14])
    assert any(c.kind == "intro" for c in chunks)


@pytest.mark.parametrize(("number", "guideline", "pages"), [
    (1, "I", [142]), (4, "I", [86, 87]), (8, "I", [145]), (22, "I", [93]), (23, "II", [28]),
    (28, "II", [84, 85]), (33, "II", [92]), (42, "III", [96]), (43, "III", [231]),
    (54, "V", [185]), (79, "VIII", [232]), (92, "IX", [145]), (99, "X", [169]),
    (105, "XII", [146]), (108, "XII", [91, 92]), (109, "XIII", [146]), (110, "XIII", [146]),
    (111, "XIII", [29]), (113, "XIV", [146]),
])
def test_recommendation_metadata(chunks: list[Chunk], number: int, guideline: str, pages: list[int]) -> None:
    rec = _recs(chunks)[number]
    assert rec.guideline == guideline
    assert rec.panorama_pages == pages
    assert not re.match(r"^\d+\.", rec.text), "the number prefix is metadata, not text"


def test_every_recommendation_has_the_pages_its_text_states(chunks: list[Chunk]) -> None:
    source = BOOKLET.read_text(encoding="utf-8")
    for number, rec in _recs(chunks).items():
        line = next(ln for ln in source.splitlines() if ln.startswith(f"{number}. "))
        assert rec.panorama_pages == parse_page_refs(line) != [], number


def test_footnotes_attach_to_their_recommendation(chunks: list[Chunk]) -> None:
    recs = _recs(chunks)
    assert len(recs[23].footnotes) == 1 and recs[23].footnotes[0].startswith("² A los 14 sectores")
    assert recs[105].footnotes[0].startswith("³ Comisión Económica")
    assert sum(1 for c in recs.values() if c.footnotes) == 2


def test_guideline_titles(chunks: list[Chunk]) -> None:
    recs = _recs(chunks)
    assert recs[80].guideline_title == (
        "Crear y fortalecer iniciativas clúster u otras iniciativas de articulación productiva")
    assert recs[93].guideline_title == "Fortalecer las capacidades de evaluación"


@pytest.mark.parametrize(("text", "pages"), [
    ("(pág. 94)", [94]), ("(págs. 86 y 87)", [86, 87]), ("([pág. 146](#))", [146]),
    ("(págs. 84-86)", [84, 85, 86]), ("(pags. 10, 12 y 14)", [10, 12, 14]), ("sin página", []),
    ("(pág. 5) y luego (pág. 9)", [5, 9]),
])
def test_parse_page_refs(text: str, pages: list[int]) -> None:
    assert parse_page_refs(text) == pages


def test_booklet_as_pdf_keeps_page_labels_and_split_recommendations(tmp_path: Path) -> None:
    paragraphs = [p for p in BOOKLET.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    pdf = write_pdf(tmp_path / "booklet.pdf", paragraphs)
    doc = load_document(pdf)
    assert doc.kind == "recommendations", "the booklet is recognised by its structure"
    assert doc.pages[0].label == "i" and doc.pages[1].label == "1"
    recs = _recs(chunk_document(doc))
    assert sorted(recs) == list(range(1, 114))
    assert recs[108].panorama_pages == [91, 92] and recs[110].panorama_pages == [146]
    assert recs[23].footnotes and recs[23].footnotes[0].startswith("²")
    split = [r for r in recs.values()
             if r.page_index is not None and r.text[-40:] not in re.sub(r"\s+", " ", doc.pages[r.page_index].text)]
    assert split, "the PDF should have at least one recommendation crossing a page break"
    for rec in split:
        assert rec.page == doc.pages[rec.page_index].label  # the page where it starts
        assert rec.panorama_pages, rec.recommendation
        assert not re.search(r"\s\d{1,2}\s*$", rec.text), "page furniture leaked into the text"
