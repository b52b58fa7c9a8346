"""A PDF page as an image, with a cited passage highlighted where it can be found.

pypdfium2 (Google's PDFium, Apache-2.0/BSD, one self-contained wheel from PyPI) renders the page
and gives each character's box, so the passage is located by its characters rather than guessed.
PyMuPDF would do the same under the AGPL; pdf2image needs poppler installed beside Python.

The passage is the stored chunk (extracted by pypdf), so its spacing and line breaks differ from
PDFium's text: both are reduced to letters and digits before matching. The highlight covers the
longest run of the passage found on the page, from its start; if less than MIN_MATCH characters
match, the page is shown with no highlight rather than a wrong one.

PDFium is not thread-safe, not even across different documents: two Streamlit sessions opening a
PDF's page at once aborted the whole app ("bad_variant_access … variant is valueless"), ending every
user's session. Every PDFium call runs under one process-wide lock (`_PDFIUM`); a page renders in
tens of milliseconds, so sessions wait their turn briefly instead.
"""

from __future__ import annotations

import io
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from ingestion.errors import IngestError

MIN_MATCH = 40
SEED = 40  # characters of the passage's start used to find it on the page
_PDFIUM = threading.Lock()  # PDFium may run on one thread at a time in the whole process


def _fold(ch: str) -> str:
    """A character reduced for matching: lowercase, no accents, '' for spaces and punctuation."""
    base = unicodedata.normalize("NFKD", ch.casefold())
    return "".join(c for c in base if c.isalnum())


def locate(page_chars: list[str], passage: str) -> tuple[int, int] | None:
    """(first, last) character index of the passage's longest run on the page, from its start, or None."""
    folded, owner = [], []
    for index, ch in enumerate(page_chars):
        for c in _fold(ch):
            folded.append(c)
            owner.append(index)
    page = "".join(folded)
    wanted = "".join(_fold(ch) for ch in passage)
    if not wanted or not page:
        return None
    start = page.find(wanted[:SEED])
    if start < 0:
        return None
    length = 0
    while start + length < len(page) and length < len(wanted) and page[start + length] == wanted[length]:
        length += 1
    if length < min(MIN_MATCH, len(wanted)):
        return None
    return owner[start], owner[start + length - 1]


@lru_cache(maxsize=64)
def _render(path: str, mtime: float, page_index: int, passage: str, scale: float) -> tuple[bytes, bool]:
    with _PDFIUM:
        return _render_locked(path, page_index, passage, scale)


def _render_locked(path: str, page_index: int, passage: str, scale: float) -> tuple[bytes, bool]:
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise IngestError(f"{Path(path).name}: not a readable PDF ({exc})") from None
    try:
        if not 0 <= page_index < len(pdf):
            raise IngestError(f"{Path(path).name}: has no page {page_index + 1}")
        page = pdf[page_index]
        image = page.render(scale=scale).to_pil().convert("RGBA")
        span = None
        if passage.strip():
            text = page.get_textpage()
            chars = [text.get_text_range(i, 1) for i in range(text.count_chars())]
            span = locate(chars, passage)
            if span is not None:
                first, last = span
                height = page.get_height()
                layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
                overlay = ImageDraw.Draw(layer)
                for i in range(text.count_rects(first, last - first + 1)):
                    left, bottom, right, top = text.get_rect(i)
                    overlay.rectangle([left * scale - 2, (height - top) * scale - 2,
                                       right * scale + 2, (height - bottom) * scale + 2],
                                      fill=(255, 214, 0, 90), outline=(230, 160, 0, 255), width=2)
                image = Image.alpha_composite(image, layer)
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG", optimize=True)
        return out.getvalue(), span is not None
    finally:
        pdf.close()


def render_page(path: Path, page_index: int, passage: str = "", scale: float = 1.5) -> tuple[bytes, bool]:
    """(PNG bytes, whether the passage was highlighted) for one 0-based page of a PDF; cached per file version."""
    return _render(str(path), path.stat().st_mtime, page_index, passage, scale)
