"""A whole strategy document for a region: its own facts cited to its own parts, the deck's chapters, a
classed policy mix, and Word with a title page and a table of contents (real store, real embedder)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from assistant.drafting.document import draft_document, redo_chapter
from assistant.drafting.draft_chat import chat_draft, document_request
from assistant.drafting.export import document_docx_bytes, document_markdown
from assistant.drafting.policy_mix import PolicyClassifier
from assistant.drafting.region_evidence import key_indicators, matched
from assistant.models import DocumentRequest, StrategyDocument
from assistant.services import forget_stores, get_retriever, get_store
from assistant.settings import Settings
from evals.language import count

_MARKER = re.compile(r"\[([^\[\]]+)\]")
_REGIONAL = ("erd-los-arrayanes", "indicadores-los-arrayanes")


@pytest.fixture(name="region")
def fixture_region(region_dir: Path) -> Settings:
    forget_stores()
    return Settings(data_dir=region_dir)


@pytest.fixture(name="document", scope="module")
def fixture_document(region_dir: Path) -> StrategyDocument:
    forget_stores()
    return draft_document(DocumentRequest(region="la Región de Los Arrayanes", topics=["turismo", "capital humano"]),
                          settings=Settings(data_dir=region_dir), backend="extractive")


def _lines(doc: StrategyDocument, key: str) -> list[str]:
    chapter = next(c for c in doc.chapters if c.key == key)
    return [line for s in chapter.sections for p in s.paragraphs for line in p.text.splitlines()]


def test_the_document_has_the_seven_chapters_and_cites_only_what_it_references(document: StrategyDocument) -> None:
    assert document.region == "Los Arrayanes" and document.topics == ["turismo", "capital humano"]
    assert [c.key for c in document.chapters] == ["diagnosis", "objectives", "goals", "policy_mix", "actions",
                                                  "capacities", "governance"]
    assert set(document.region_docs) == set(_REGIONAL)
    referenced = {c.marker for c in document.references}
    shown = {m for c in document.chapters for s in c.sections for p in s.paragraphs for m in _MARKER.findall(p.text)}
    shown |= {m for c in document.chapters for s in c.sections for t in s.tables for m in t.citations}
    assert shown and shown <= referenced, shown - referenced
    assert not document.dropped_citations


def test_the_diagnosis_quotes_each_passage_once(document: StrategyDocument) -> None:
    quoted = [m for line in _lines(document, "diagnosis") if line.startswith("- ") for m in _MARKER.findall(line)]
    assert quoted and len(quoted) == len(set(quoted)), quoted


def test_every_indicator_is_the_cell_of_the_cited_passage(document: StrategyDocument) -> None:
    table = next(t for c in document.chapters for s in c.sections for t in s.tables if t.header[0] == "Indicador")
    texts = {c.marker: c.text for c in document.references}
    assert len(table.rows) >= 10
    for indicator, value, _unit, year, source in table.rows:
        marker = source.strip("[]")
        assert marker.startswith("indicadores-los-arrayanes"), source
        assert f"| {value} |" in texts[marker] or f"| {value}" in texts[marker], (indicator, value)
        assert year in texts[marker]
    population = next(r for r in table.rows if r[0] == "Población")
    assert population[1:4] == ["236.419", "habitantes", "2024"]


def test_region_facts_cite_the_regions_documents_never_only_the_booklet(document: StrategyDocument) -> None:
    for key in ("diagnosis", "capacities"):
        for line in _lines(document, key):
            markers = _MARKER.findall(line)
            figures = re.findall(r"\b\d[\d.]*,\d+%?|\b\d{1,3}(?:\.\d{3})+\b", _MARKER.sub("", line))
            if figures:  # a figure about the region: a regional passage holds it
                regional = [m for m in markers if m.startswith(_REGIONAL)]
                assert regional, line
                text = " ".join(c.text for c in document.references if c.marker in regional)
                assert all(f in text for f in figures), (line, figures)


def test_the_policy_mix_classes_every_line_and_names_only_codes_the_strategy_holds(document: StrategyDocument,
                                                                                   region: Settings) -> None:
    chapter = next(c for c in document.chapters if c.key == "policy_mix")
    table = chapter.sections[0].tables[0]
    assert len(table.rows) >= 4
    assert {row[2] for row in table.rows} <= {"transversal", "selectiva", "de frontera"}
    erd = (Path(__file__).resolve().parents[2] / "data" / "region" / "erd-los-arrayanes.md").read_text()
    for _topic, _line, _kind, recs, code in table.rows:
        assert re.fullmatch(r"\[R\d+\](?:, \[R\d+\])*", recs), recs
        if code != "—":
            assert code.split(" [")[0] in erd, code
    assert "[cepal-fomento-regional-chile p. 2]" in chapter.sections[0].paragraphs[0].text


def test_governance_does_not_repeat_the_decks_goals_chapter_three_quotes(document: StrategyDocument) -> None:
    assert not [line for line in _lines(document, "governance") if "cepal-fomento-regional-chile" in line]
    assert any("[cepal-fomento-regional-chile p. 4]" in line for line in _lines(document, "goals"))


def test_the_capacities_list_the_decks_eight_aspects_with_evidence_or_its_absence(document: StrategyDocument) -> None:
    points = [line for line in _lines(document, "capacities") if line.startswith("- ")]
    assert len(points) == 8
    assert all("[cepal-fomento-regional-chile p. " in p for p in points)
    assert any("sin información en los documentos" in p for p in points)
    assert all(("☑" in p) == any(m.startswith(_REGIONAL) for m in _MARKER.findall(p)) for p in points)


def test_without_the_regions_documents_the_diagnosis_says_so_and_cites_none(region: Settings) -> None:
    doc = draft_document(DocumentRequest(region="Zorzalandia", topics=["turismo"]), settings=region,
                         backend="extractive")
    assert doc.region_docs == []
    assert "Ningún documento de la biblioteca nombra a Zorzalandia" in _lines(doc, "diagnosis")[0]
    assert not [c for c in doc.references if c.doc_id in _REGIONAL]


def test_english_documents_take_the_english_template(region: Settings) -> None:
    doc = draft_document(DocumentRequest(region="Los Arrayanes", topics=["tourism"], language="en"), settings=region,
                         backend="extractive")
    assert doc.title == "Productive development strategy for Los Arrayanes"
    assert [c.heading for c in doc.chapters][0] == "Diagnosis"
    assert next(c for c in doc.chapters if c.key == "policy_mix").sections[0].tables[0].header[2] == "Policy type"
    # English prose: the region's Spanish only inside guillemets, ECLAC's sources as marked translations
    prose = [line for ch in doc.chapters for sec in ch.sections for p in sec.paragraphs for line in p.text.splitlines()]
    outside = [re.sub(r"«.*»", "", line) for line in prose]
    shown = count("\n".join(outside), "en")
    assert shown.sentences and shown.in_language == shown.sentences, outside
    mix = next(c for c in doc.chapters if c.key == "policy_mix").sections[0].tables[0]
    assert all(row[1].startswith("«") for row in mix.rows) and any("(translated from the Spanish)" in r[1] for r in mix.rows)
    assert any(c.translation for c in doc.references)


def test_markdown_and_word_carry_chapters_tables_title_page_and_contents(document: StrategyDocument) -> None:
    md = document_markdown(document)
    assert md.startswith("# Estrategia de fomento productivo de Los Arrayanes")
    assert md.count("\n## ") == 8  # seven chapters and the references
    assert "| Indicador | Valor | Unidad | Año | Fuente |" in md
    data = document_docx_bytes(document)
    from docx import Document

    word = Document(io.BytesIO(data))
    styles = [p.style.name for p in word.paragraphs]
    assert styles[:2] == ["Title", "Subtitle"]
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"][:2] == ["Diagnóstico", "Objetivos"]
    assert len(word.tables) == 2 and word.tables[0].rows[0].cells[0].text == "Indicador"
    indicator, year = word.tables[0].rows[1].cells[0], word.tables[0].rows[1].cells[3]
    assert indicator.width > 2 * year.width, "a long indicator name is not squeezed into a year's width"
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'TOC \\o "1-2" \\h \\z \\u' in xml and xml.count('w:fldCharType="begin"') == 1
    assert "updateFields" in zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml").decode()


def test_key_indicators_take_the_total_row_at_its_latest_year(region: Settings) -> None:
    rows = {cells[0]: cells for cells, _ in key_indicators(get_store(region), list(_REGIONAL), "Los Arrayanes")}
    assert rows["Número de empresas"][1:] == ["19.944", "", "2023"]
    assert rows["Tasa de desocupación regional"][1:] == ["6,6%", "% de la fuerza de trabajo", "2024"]


def test_a_line_of_action_meets_an_objective_only_when_they_share_its_words(region: Settings) -> None:
    retriever = get_retriever(region)
    ids = list(_REGIONAL)
    hit = matched(retriever, ids, "Fortalecer iniciativas clúster en acuicultura y turismo", coded_only=True)
    assert hit is not None and hit.chunk.code == "OE 4.1.1"
    assert matched(retriever, ids, "Mejorar el equilibrio entre la inversión en ciencia básica y aplicada",
                   coded_only=True) is None
    export_agenda = ("Trabajar en agendas explícitas de desarrollo productivo que busquen colocar la oferta de "
                     "productos y servicios en los mercados internacionales")
    served = matched(retriever, ids, export_agenda, coded_only=True)
    assert served is None or served.chunk.code != "OE 3.1.4", "its opening verb is no shared subject"


def test_the_typology_classes_lines_by_the_decks_words(region: Settings) -> None:
    classifier = PolicyClassifier(get_store(region).embedder)
    assert classifier.classify("Desarrollar iniciativas clúster en las cadenas priorizadas") == "selective"
    assert classifier.classify("Fondos de garantía para reducir el racionamiento del crédito a las pymes") == "transversal"
    assert classifier.classify("Crear redes de centros tecnológicos y capacidades científicas") == "frontier"


def test_the_command_writes_the_word_document_and_reports_its_chapters(region_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import main

    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(region_dir))
    forget_stores()
    out = tmp_path / "estrategia.docx"
    assert main(["draft", "--document", "--region", "Los Arrayanes", "--topics", "turismo", "--llm", "extractive",
                 "--format", "docx", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "7 chapters" in captured.out and "[7/7]" in captured.err
    from docx import Document

    assert Document(str(out)).paragraphs[0].text == "Estrategia de fomento productivo de Los Arrayanes"


def test_one_chapter_is_written_again_and_the_others_kept(document: StrategyDocument, region: Settings) -> None:
    again = redo_chapter(document, "capacities", settings=region, backend="extractive")
    assert [c.key for c in again.chapters] == [c.key for c in document.chapters]
    for old, new in zip(document.chapters, again.chapters, strict=True):
        if old.key != "capacities":
            assert new == old  # kept as they were, not written again
    assert {c.marker for c in again.references} == {c.marker for c in document.references}


def test_a_chapter_that_is_not_one_is_refused_in_one_line(document: StrategyDocument, region: Settings) -> None:
    from assistant.errors import UserInputError

    with pytest.raises(UserInputError, match="unknown chapter 'epilogue'"):
        redo_chapter(document, "epilogue", settings=region, backend="extractive")


@pytest.mark.parametrize(("message", "region", "topics", "lang"), [
    ("Redacta una estrategia de fomento productivo para Los Arrayanes", "Los Arrayanes", [], "es"),
    ("Redacta una estrategia de fomento productivo para la Región de Los Ríos sobre turismo, talento y acuicultura.",
     "Los Ríos", ["turismo", "talento", "acuicultura"], "es"),
    ("Draft a productive development strategy for the Biobío region", "Biobío", [], "en"),
    ("Draft a regional strategy for Los Lagos", "Los Lagos", [], "en"),
    ("Please write a whole strategy for Aysén on tourism and innovation", "Aysén", ["tourism", "innovation"], "en"),
])
def test_the_chat_tells_a_whole_strategy_from_its_words(message: str, region: str, topics: list[str], lang: str) -> None:
    wanted = document_request(message)
    assert wanted is not None and (wanted.region, wanted.topics, wanted.language) == (region, topics, lang)


@pytest.mark.parametrize("message", ["Redacta una sección sobre talento para Biobío",
                                     "Redacta una sección de estrategia sobre talento para Biobío",
                                     "Escribe una carta al ministro de Economía", "¿Qué es una estrategia regional?"])
def test_a_section_a_letter_or_a_question_is_no_whole_strategy(message: str) -> None:
    assert document_request(message) is None


def test_a_strategy_asked_for_in_the_chat_is_drafted_or_its_region_asked_for(region: Settings) -> None:
    ans = chat_draft("Redacta una estrategia de fomento productivo para Los Arrayanes sobre turismo", settings=region,
                     backend="extractive")
    assert ans is not None and ans.document is not None and not ans.refused
    assert ans.document.region == "Los Arrayanes" and ans.document.topics == ["turismo"]
    assert ans.answer.startswith("# Estrategia de fomento productivo de Los Arrayanes")
    assert {c.marker for c in ans.citations} == {c.marker for c in ans.document.references}
    assert "document" in ans.contract_json() and "document" not in chat_draft(
        "Redacta una sección sobre turismo para Los Arrayanes", settings=region, backend="extractive").contract_json()
    asked = chat_draft("Escribe una estrategia de desarrollo productivo", settings=region, backend="extractive")
    assert asked is not None and asked.refused and asked.answer.startswith("¿Para qué región es la estrategia?")
