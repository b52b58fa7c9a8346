"""Deterministic synthetic Spanish policy text: the corpus's sentences shuffled and recombined."""

from __future__ import annotations

import random
import re
from pathlib import Path

from assistant.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "data" / "corpus"


def sentences() -> list[str]:
    """Every sentence of the bundled corpus (page references removed), in file order."""
    from ingestion.booklet import PAGE_REF

    out: list[str] = []
    for path in sorted(CORPUS.glob("*.md")) + sorted(CORPUS.glob("*.txt")):
        text = PAGE_REF.sub("", path.read_text(encoding="utf-8"))
        for part in re.split(r"(?<=[.;])\s+|\n{2,}", text):
            part = " ".join(part.replace("*", "").split())
            if len(part) > 40:
                out.append(part if part.endswith((".", ";")) else part + ".")
    return out


def paragraphs(n: int, seed: int = 2024) -> list[str]:
    """`n` paragraphs of 3-6 recombined sentences."""
    rng = random.Random(seed)
    pool = sentences()
    return [" ".join(rng.sample(pool, rng.randint(3, 6))) for _ in range(n)]


def repeat_pdf(source: Path, path: Path, times: int) -> Path:
    """A longer PDF made of `source`'s pages `times` over (fpdf2 writes ~12 pages/s; this is instant)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(source)
    writer = PdfWriter()
    for _ in range(times):
        for page in reader.pages:
            writer.add_page(page)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def write_pdf(path: Path, pages: int, seed: int = 2024) -> Path:
    """A PDF of exactly `pages` pages of recombined text, a printed page number in the footer."""
    from fpdf import FPDF

    from tests.pdfs import latin1

    class _Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("helvetica", size=8)
            self.cell(0, 8, str(self.page_no()), align="C")

    pdf = _Doc(format="A4")
    pdf.set_auto_page_break(False)
    rng = random.Random(seed)
    pool = sentences()
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", size=10)
        while pdf.get_y() < 250:
            pdf.multi_cell(0, 5, latin1(" ".join(rng.sample(pool, rng.randint(3, 6)))))
            pdf.ln(2)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
