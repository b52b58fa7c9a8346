"""Drafting on the extractive backend: structure, verified citations, references, exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli import main
from assistant.drafting.draft import draft, parse_request
from assistant.drafting.draft_template import SECTION_KEYS
from assistant.drafting.export import to_docx, to_markdown
from assistant.llm.fake import FakeChatModel
from assistant.models import Draft, DraftRequest
from assistant.services import get_registry
from assistant.settings import Settings

TOPICS = [
    ("Biobío", "iniciativas clúster", "VIII"),
    ("Antofagasta", "talento humano", None),
    ("Los Lagos", "evaluación de las políticas de desarrollo productivo", "X"),
    ("Valparaíso", "atracción de inversión extranjera directa", "XII"),
]


@pytest.mark.parametrize(("region", "topic", "guideline"), TOPICS)
def test_draft_structure_and_verified_references(corpus_settings: Settings, region: str, topic: str,
                                                 guideline: str | None) -> None:
    result = draft(DraftRequest(region=region, topic=topic), settings=corpus_settings, backend="extractive")
    registry = get_registry(corpus_settings)
    assert [s.key for s in result.sections] == list(SECTION_KEYS)
    assert region in result.title and region in result.sections[0].paragraphs[0].text
    assert all(s.paragraphs for s in result.sections)
    assert not any(p.flagged for s in result.sections for p in s.paragraphs)
    cited = {m for s in result.sections for p in s.paragraphs for m in p.citations}
    assert cited == {c.marker for c in result.references}, "every cited source is in the reference list"
    for ref in result.references:
        if ref.recommendation:
            rec = registry.get(ref.recommendation)
            assert rec is not None and ref.text == rec.text and tuple(ref.panorama_pages) == rec.panorama_pages
            assert ref.guideline == rec.guideline
    guidelines = {r.guideline for r in result.references if r.recommendation}
    if guideline:
        assert guideline in guidelines
    monitoring = next(s for s in result.sections if s.key == "monitoring")
    assert {m for p in monitoring.paragraphs for m in p.citations} <= {f"R{n}" for n in range(93, 100)}
    assert guidelines & {"III", "V", "VII", "IX"}, "governance recommendations are cited too"


def test_markers_and_facts_a_model_writes_never_reach_the_draft(corpus_settings: Settings) -> None:
    llm = FakeChatModel(reply_with=lambda prompt: "El Biobío tiene 40 clústeres exitosos [R999].")
    result = draft(DraftRequest(region="Biobío", topic="iniciativas clúster"), settings=corpus_settings, llm=llm)
    paragraphs = [p for s in result.sections for p in s.paragraphs]
    text = "\n".join(p.text for p in paragraphs)
    assert "R999" not in text and "40 clústeres" not in text, "citations are the code's, facts the source's"
    assert "R999" not in {c.marker for c in result.references}
    assert not any(p.flagged for p in paragraphs)
    assert {c.reason for c in result.checks} == {"novel"} and all(not c.ok for c in result.checks)


def test_unknown_topic_gets_an_honest_generic_draft(corpus_settings: Settings) -> None:
    result = draft(DraftRequest(region="Marte", topic="turismo espacial"), settings=corpus_settings, backend="extractive")
    assert result.generic
    assert "no tratan «turismo espacial» de forma específica" in result.sections[0].paragraphs[0].text


def test_english_draft(corpus_settings: Settings) -> None:
    result = draft(DraftRequest(region="Antioquia", topic="cluster initiatives", language="en"), settings=corpus_settings,
                   backend="extractive")
    assert result.language == "en" and result.sections[1].heading == "Strategic goals (what to do)"
    assert any(r.guideline == "VIII" for r in result.references)


def _docx_text(path: Path) -> tuple[list[str], str]:
    from docx import Document

    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    return headings, "\n".join(p.text for p in doc.paragraphs)


def test_docx_round_trip(corpus_settings: Settings, tmp_path: Path) -> None:
    result = draft(DraftRequest(region="Biobío", topic="iniciativas clúster"), settings=corpus_settings,
                   backend="extractive")
    headings, text = _docx_text(to_docx(result, tmp_path / "biobio.docx"))
    assert headings == [result.title] + [s.heading for s in result.sections] + [result.references_heading]
    for ref in result.references:
        assert f"[{ref.marker}]" in text
    assert text.count("pág.") >= len([r for r in result.references if r.recommendation])


def test_markdown_export(corpus_settings: Settings) -> None:
    result = draft(DraftRequest(region="Ñuble", topic="talento humano"), settings=corpus_settings, backend="extractive")
    md = to_markdown(result)
    assert md.startswith(f"# {result.title}\n") and "## Referencias" in md
    assert all(f"**[{r.marker}]**" in md for r in result.references)


def test_cli_draft_writes_docx_and_markdown(corpus_settings: Settings, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "biobio.docx"
    assert main(["draft", "--region", "Biobío", "--topic", "iniciativas clúster", "--guidelines", "VIII,X",
                 "--format", "docx", "--out", str(out), "--llm", "extractive"]) == 0
    assert out.stat().st_size > 5000
    md = tmp_path / "biobio.md"
    assert main(["draft", "--region", "Biobío", "--topic", "iniciativas clúster", "--out", str(md), "--llm",
                 "extractive"]) == 0
    assert md.read_text(encoding="utf-8").startswith("# Biobío")
    assert main(["draft", "--region", "Biobío", "--topic", "x", "--guidelines", "XX"]) == 2
    assert main(["draft", "--region", "Biobío", "--topic", "x", "--format", "docx"]) == 2
    assert "needs --out" in capsys.readouterr().err


def test_guideline_focus(corpus_settings: Settings) -> None:
    result = draft(DraftRequest(region="Maule", topic="coordinación de actores", guidelines=["VIII"]),
                   settings=corpus_settings, backend="extractive")
    goals = next(s for s in result.sections if s.key == "goals")
    assert {m for p in goals.paragraphs for m in p.citations} <= {f"R{n}" for n in range(79, 90)}


@pytest.mark.parametrize(("question", "region", "topic"), [
    ("Redacta una sección sobre talento humano para la estrategia de Antofagasta", "Antofagasta", "talento humano"),
    ("Write a strategy section on closing skills gaps for Nuevo León", "Nuevo León", "closing skills gaps"),
    ("Draft a section on digital technology adoption for firms in Biobío", "Biobío",
     "digital technology adoption for firms"),
    ("Redacta una sección sobre internacionalización de las empresas de Coquimbo", "Coquimbo",
     "internacionalización de las empresas"),
    ("Redacta una sección sobre fortalecimiento de las capacidades del gobierno regional de Aysén", "Aysén",
     "fortalecimiento de las capacidades del gobierno regional"),
    ("Draft a section on skills of Los Lagos", "Los Lagos", "skills"),
    ("Redacta una sección sobre talento humano", "la región", "talento humano"),
    ("Redacta una sección sobre diversificación productiva para la estrategia de desarrollo de Los Ríos", "Los Ríos",
     "diversificación productiva"),
    ("Draft a section on talent for the Biobío region's strategy.", "Biobío", "talent"),
    ("Redacta una sección sobre turismo para la Región de Los Arrayanes", "Los Arrayanes", "turismo"),
    ("Draft a section on tourism for the region of Ñuble", "Ñuble", "tourism"),
])
def test_parse_request(question: str, region: str, topic: str) -> None:
    request = parse_request(question)
    assert (request.region, request.topic) == (region, topic)


def test_draft_model_is_json_serialisable(corpus_settings: Settings) -> None:
    result = draft(DraftRequest(region="Biobío", topic="clústeres"), settings=corpus_settings, backend="extractive")
    assert Draft.model_validate_json(result.model_dump_json()) == result
