"""A draft for a region whose documents are in the library quotes them, cited to their own parts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.drafting.draft import draft
from assistant.drafting.export import to_markdown
from assistant.drafting.region_evidence import names_region, region_documents
from assistant.models import DraftRequest
from assistant.services import forget_stores, get_store
from assistant.settings import Settings

_FIGURE = re.compile(r"\d[\d.]*(?:,\d+)?%?")


@pytest.fixture(name="region")
def fixture_region(region_dir: Path) -> Settings:
    forget_stores()
    return Settings(data_dir=region_dir)


def test_a_document_is_the_regions_by_its_text_not_its_name(region: Settings) -> None:
    store = get_store(region)
    assert set(region_documents(store, "Los Arrayanes")) == {"erd-los-arrayanes", "indicadores-los-arrayanes"}
    assert region_documents(store, "Biobío") == []  # the booklet and the slides are no region's documents
    assert region_documents(store, "la región") == []
    assert names_region("la Región de Los Arrayanes", "los arrayanes") and not names_region("Arrayanes", "Los Arrayanes")


def test_the_context_quotes_the_regions_documents_with_their_own_citations(region: Settings) -> None:
    result = draft(DraftRequest(region="Los Arrayanes", topic="turismo"), settings=region, backend="extractive")
    context = next(s for s in result.sections if s.key == "context")
    regional = [c for c in result.references if not c.recommendation and c.doc_id.endswith("los-arrayanes")]
    assert regional, "the region's own documents are cited"
    text = "\n".join(p.text for p in context.paragraphs)
    assert "Los documentos de Los Arrayanes registran:" in text
    for line in (ln for ln in text.splitlines() if "los-arrayanes" in ln):
        marker = re.search(r"\[([^\[\]]*los-arrayanes[^\[\]]*)\]", line)
        assert marker is not None, line
        cited = next(c for c in result.references if c.marker == marker.group(1))
        for figure in _FIGURE.findall(line[: marker.start()]):  # every figure shown is the cited passage's own
            assert figure in cited.text, (figure, cited.marker)
    assert not any(p.flagged for p in context.paragraphs)
    markdown = to_markdown(result)
    assert "p. None" not in markdown and "[indicadores-los-arrayanes §" in markdown


def test_without_the_regions_documents_the_draft_is_as_before(region: Settings) -> None:
    result = draft(DraftRequest(region="Biobío", topic="turismo"), settings=region, backend="extractive")
    context = next(s for s in result.sections if s.key == "context")
    assert all(c.recommendation or not c.doc_id.endswith("los-arrayanes") for c in result.references)
    assert "registran" not in context.paragraphs[0].text
