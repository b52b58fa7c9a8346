"""PDF pages rendered with the cited passage highlighted, or no highlight when it cannot be found."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingestion.errors import IngestError
from ingestion.render import locate, render_page
from tests.pdfs import write_pdf

PASSAGE = ("El plan de hidrógeno verde de Zorzalandia propone tres corredores logísticos y un fondo de garantías "
           "para pymes proveedoras del puerto de Bahía Azul.")


def _yellow(png: bytes) -> int:
    import numpy as np
    from PIL import Image

    px = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    r, g, b = px[..., 0], px[..., 1], px[..., 2]
    return int(((r > 240) & (g > 200) & (g < 245) & (b < 190)).sum())


@pytest.fixture(name="pdf")
def fixture_pdf(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "zorzalandia.pdf", ["Informe de turismo regional. " * 30, PASSAGE, "Otra parte. " * 40])


def test_the_passage_is_located_despite_line_breaks_and_accents() -> None:
    page = list("Texto previo. El plan de hidro\r\ngeno verde de Zorzalandia propone tres corredores. Fin.")
    first, last = locate(page, "El plan de hidrógeno verde de Zorzalandia propone tres corredores")  # type: ignore[misc]
    assert "".join(page[first : last + 1]).startswith("El plan") and page[last] == "s"
    assert locate(page, "Un texto que no aparece en esta página de ninguna manera posible") is None
    assert locate(page, "") is None


def test_a_pdf_page_is_rendered_with_the_passage_highlighted(pdf: Path) -> None:
    png, highlighted = render_page(pdf, 0, PASSAGE)
    assert png.startswith(b"\x89PNG") and highlighted
    plain, found = render_page(pdf, 0, "Un pasaje que esta página no contiene, en ninguna parte de su texto.")
    assert not found and plain.startswith(b"\x89PNG")
    assert _yellow(png) > 2000 > _yellow(plain)  # the mark is on the image, and only when the passage was found


def test_a_missing_page_or_a_broken_file_is_one_line(pdf: Path, tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="has no page 9"):
        render_page(pdf, 8, PASSAGE)
    broken = tmp_path / "roto.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(IngestError, match="not a readable PDF"):
        render_page(broken, 0, PASSAGE)


_RACE = """
import sys, threading
from ingestion.render import _render
errors = []
def work(i):
    for k in range(10):  # a new cache key every time, so every call reaches PDFium
        try:
            _render(sys.argv[1], float(k * 100 + i), 0, "El plan de hidrógeno verde", 1.0)
        except Exception as exc:
            errors.append(exc)
threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print("rendered", len(errors))
"""


def test_sessions_opening_pages_at_once_do_not_bring_the_app_down(pdf: Path) -> None:
    """Eight sessions render pages at the same moment, as when eight readers get the same cited PDF.

    Unguarded, PDFium aborts the process (the whole app, every session) within a few renders; the
    race runs in a child process so that a regression fails this test instead of ending pytest.
    """
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _RACE, str(pdf)], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "rendered 0"
