"""Build small PDFs for tests (fpdf2, core fonts: no font files needed)."""

from __future__ import annotations

from pathlib import Path

_REPLACE = {"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "\ufffd": "?"}


def latin1(text: str) -> str:
    """Map the few non-Latin-1 characters of the corpus to ASCII look-alikes."""
    for a, b in _REPLACE.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


def write_pdf(path: Path, paragraphs: list[str], *, labels: bool = True, footer: bool = True) -> Path:
    """A PDF of the paragraphs; first page labelled 'i', then 1, 2, ... printed in the footer."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    class _Doc(FPDF):
        def footer(self) -> None:
            if footer:
                self.set_y(-15)
                self.set_font("helvetica", size=8)
                self.cell(0, 10, "i" if self.page_no() == 1 else str(self.page_no() - 1), align="C")

    pdf = _Doc(format=(148, 210))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("helvetica", size=9)
    for para in paragraphs:
        pdf.multi_cell(0, 4.5, latin1(para))
        pdf.ln(2)
    raw = path.with_suffix(".raw.pdf")
    pdf.output(str(raw))
    writer = PdfWriter(clone_from=PdfReader(raw))
    if labels:
        writer.set_page_label(0, 0, style="/r", start=1)
        if len(writer.pages) > 1:
            writer.set_page_label(1, len(writer.pages) - 1, style="/D", start=1)
    with path.open("wb") as fh:
        writer.write(fh)
    raw.unlink()
    return path
