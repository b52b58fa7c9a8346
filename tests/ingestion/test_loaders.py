"""Loaders: slides, text encodings, PDFs, and every bad input as a one-line IngestError."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.chunking import chunk_document
from ingestion.config import ChunkingConfig
from ingestion.errors import IngestError
from ingestion.loaders import load_document, split_slides
from ingestion.tokens import count_tokens
from tests.conftest import SLIDES
from tests.pdfs import write_pdf


def test_slide_deck_splits_into_numbered_slides() -> None:
    doc = load_document(SLIDES, kind="slides")
    assert [p.label for p in doc.pages] == ["1", "2", "3", "4", "5", "6"]
    assert doc.pages[3].text.startswith("La política de fomento productivo regional")
    assert "METAS DE GESTIÓN" in doc.pages[3].text
    chunks = chunk_document(doc)
    assert {c.kind for c in chunks} == {"slide"} and {c.page for c in chunks} == set("123456")


def test_split_slides_needs_three_blank_lines() -> None:
    assert split_slides("a\n\nb\n\n\n\nc\n\n\n\n\n\nd") == ["a\n\nb", "c", "d"]


def test_text_chunks_respect_the_token_budget(tmp_path: Path) -> None:
    text = " ".join(f"La frase número {i} trata de políticas de desarrollo productivo." for i in range(400))
    path = tmp_path / "largo.txt"
    path.write_text(text, encoding="utf-8")
    config = ChunkingConfig(chunk_tokens=120, overlap_tokens=20)
    chunks = chunk_document(load_document(path), config)
    assert len(chunks) > 10
    assert all(count_tokens(c.text) <= 120 for c in chunks)
    assert chunks[0].doc_id == "largo" and chunks[0].page is None and chunks[0].source == "largo.txt"


def test_pdf_pages_keep_labels(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "informe.pdf", [f"Párrafo {i}. " + "texto de política " * 40 for i in range(30)])
    doc = load_document(pdf)
    assert doc.kind == "text"
    assert [p.label for p in doc.pages[:3]] == ["i", "1", "2"]
    chunks = chunk_document(doc)
    assert chunks[-1].page == doc.pages[-1].label
    assert all(not c.text.rstrip().endswith(f" {c.page}") for c in chunks), "footer page numbers stripped"


def test_legacy_encoding_is_decoded_not_rejected(tmp_path: Path) -> None:
    path = tmp_path / "antiguo.txt"
    path.write_bytes("Política de fomento en la región de Ñuble".encode("cp1252"))
    assert "Ñuble" in load_document(path).pages[0].text


def _corrupt_pdf(tmp: Path) -> Path:
    path = tmp / "roto.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage \x00\xff" * 20)
    return path


def _encrypted_pdf(tmp: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp / "plain.pdf", ["texto secreto " * 30])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="clave", owner_password="clave")
    path = tmp / "cifrado.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def _scanned_pdf(tmp: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 100, 100, style="F")  # an image-only page: nothing to extract
    path = tmp / "escaneado.pdf"
    pdf.output(str(path))
    return path


def _file(name: str, data: bytes):  # type: ignore[no-untyped-def]
    def make(tmp: Path) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name

    return make


@pytest.mark.parametrize(("make", "message"), [
    (_corrupt_pdf, "not a readable PDF"),
    (_encrypted_pdf, "encrypted"),
    (_scanned_pdf, "no extractable text"),
    (_file("vacio.pdf", b""), "empty"),
    (_file("vacio.txt", b""), "empty"),
    (_file("blancos.md", b" \n\n \t"), "no text"),
    (_file("hoja.xlsx", b"PK\x03\x04"), "not a readable spreadsheet"),
    (_file("informe.docx", b"PK\x03\x04 not really"), "not a readable Word file"),
    (_file("vacia.csv", b" \n;;\n"), "no text"),
    (_file("diapositivas.pptx", b"PK\x03\x04"), "unsupported file type"),
    (lambda t: t / "no-existe.pdf", "no such file"),
    (_file("bin.txt", b"abc\x00\x01\x02" * 10), "binary"),
])
def test_bad_input_is_one_line(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IngestError, match=message) as info:
        load_document(make(tmp_path))
    assert "\n" not in str(info.value)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "grande.txt"
    path.write_text("x" * 2_000_000)
    with pytest.raises(IngestError, match="over the 1 MB limit"):
        load_document(path, max_file_mb=1)
