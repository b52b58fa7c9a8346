"""The source viewer: a recommendation with its neighbours, a PDF passage on its page, a slide, a gone source,
and the rows of a table that an answer quoted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.models import Citation
from assistant.services import forget_stores, get_registry
from assistant.settings import Settings
from assistant.workspace.library import add_upload, remove
from assistant.workspace.sources import quoted_rows, view_source
from ingestion.models import Table
from tests.pdfs import write_pdf

PASSAGE = ("El plan de hidrógeno verde de Zorzalandia propone tres corredores logísticos y un fondo de garantías "
           "para pymes proveedoras del puerto de Bahía Azul.")


def test_a_recommendation_comes_with_its_neighbours_from_the_registry(corpus_settings: Settings) -> None:
    registry = get_registry(corpus_settings)
    rec = registry.get(42)
    assert rec is not None
    cit = Citation(marker="R42", doc_id=rec.doc_id, recommendation=42, guideline=rec.guideline,
                   guideline_title=rec.guideline_title, panorama_pages=list(rec.panorama_pages), text=rec.text)
    view = view_source(cit, corpus_settings)
    assert view.kind == "recommendation" and view.status == "same"
    assert [n.marker for n in view.neighbours] == ["R41", "R43"]
    r41 = registry.get(41)
    assert r41 is not None and view.neighbours[0].text == r41.text and view.neighbours[0].guideline == r41.guideline
    first = view_source(cit.model_copy(update={"recommendation": 1, "marker": "R1"}), corpus_settings)
    assert [n.marker for n in first.neighbours] == ["R2"]


def test_a_slide_is_shown_as_a_slide(corpus_settings: Settings) -> None:
    from assistant.services import get_store

    hit = next(h for h in get_store(corpus_settings).get(where={"kind": "slide"}) if h.chunk.page == "4")
    view = view_source(Citation(marker="x", doc_id=hit.chunk.doc_id, page="4", text=hit.chunk.text), corpus_settings)
    assert view.kind == "slide" and view.page_image is None and view.status == "same"


def test_an_uploaded_pdf_passage_opens_on_its_page_highlighted_until_the_document_is_removed(
        corpus_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(corpus_dir, data)
    forget_stores()
    settings = Settings(data_dir=data)
    pdf = write_pdf(tmp_path / "zorzalandia.pdf", ["Informe de turismo regional. " * 60, PASSAGE * 2,
                                                   "Otra parte del informe. " * 40])
    record = add_upload("zorzalandia.pdf", pdf.read_bytes(), settings)
    from assistant.services import get_store

    chunk = next(h.chunk for h in get_store(settings).get(where={"doc_id": record.doc_id}) if "Zorzalandia" in h.chunk.text)
    cit = Citation(marker=f"{record.doc_id} p. {chunk.page}", doc_id=record.doc_id, page=chunk.page, text=chunk.text)
    view = view_source(cit, settings)
    assert view.kind == "pdf_page" and view.highlighted and view.page_image and view.page_image.startswith(b"\x89PNG")
    changed = view_source(cit.model_copy(update={"text": "Un texto que el documento nunca tuvo."}), settings)
    assert changed.status == "changed" and changed.page_image and not changed.highlighted  # the page, no wrong mark
    remove(record.doc_id, settings)
    gone = view_source(cit, settings)
    assert gone.status == "gone" and gone.page_image is None


def test_a_pdf_damaged_on_disk_is_one_line_not_a_traceback(corpus_dir: Path, tmp_path: Path) -> None:
    from assistant.errors import DocumentRejectedError
    from assistant.services import get_store
    from assistant.workspace.library import uploads_dir

    data = tmp_path / "data"
    shutil.copytree(corpus_dir, data)
    forget_stores()
    settings = Settings(data_dir=data)
    pdf = write_pdf(tmp_path / "roto.pdf", [PASSAGE * 3])
    record = add_upload("roto.pdf", pdf.read_bytes(), settings)
    chunk = get_store(settings).get(where={"doc_id": record.doc_id})[0].chunk
    (uploads_dir(settings) / chunk.source).write_bytes(b"%PDF-1.4 overwritten")
    cit = Citation(marker="x", doc_id=record.doc_id, page=chunk.page, text=chunk.text)
    with pytest.raises(DocumentRejectedError, match="not a readable PDF"):
        view_source(cit, settings)


TABLE = Table(caption="Tabla 5. Número de empresas por tamaño según ventas, 2019-2023",
              header=["Tamaño", "2019", "2023"],
              rows=[["Micro", "15.210", "15.935"], ["Pequeña", "3.301", "3.488"], ["Mediana", "431", "452"],
                    ["Grande", "64", "69"]])
MARK = "indicadores-los-arrayanes § 12"


def test_the_rows_an_answer_quotes_beside_a_marker_are_named() -> None:
    extractive = (f"- Tabla 5. Número de empresas por tamaño según ventas, 2019-2023: Mediana (2023: 452) [{MARK}].\n"
                  "- Tabla 6. Trabajadores por tamaño: Pequeña (2023: 20.114) [indicadores-los-arrayanes § 14].")
    assert quoted_rows(TABLE, extractive, MARK) == [2]
    model = (f"En 2023 había 452 empresas medianas y 69 grandes [{MARK}]. «Mediana (2023: 452)» [{MARK}]. "
             "Las pequeñas son 3.488 [R12].")
    assert quoted_rows(TABLE, model, MARK) == [2]  # "Grande" is not written as the row's label; "Pequeña" cites R12


def test_a_row_is_not_quoted_by_its_label_alone_or_beside_another_marker() -> None:
    assert quoted_rows(TABLE, f"Las empresas medianas crecieron [{MARK}].", MARK) == []
    assert quoted_rows(TABLE, "Mediana (2023: 452) [otro-documento § 3].", MARK) == []
    assert quoted_rows(TABLE, "", MARK) == []
