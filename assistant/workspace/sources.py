"""The source viewer facade: a citation opened where it lives.

A recommendation comes with its guideline, Panorama pages and the recommendations either side of it
(from the registry, never from model output). A passage of a PDF comes with its page rendered as
an image and the passage highlighted when it can be located (`ingestion.render`). A slide comes
with its text. A stored citation whose source has since changed or left the index says so.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import facade
from assistant.models import Citation
from assistant.settings import Settings
from assistant.workspace.sessions import CitationStatus, citation_status, same_text, status_among
from ingestion.models import Recommendation, Table
from ingestion.sections import read_table_text


class SourceView(BaseModel):
    """What the viewer shows for one citation."""

    model_config = ConfigDict(extra="forbid")

    citation: Citation
    status: CitationStatus
    kind: str = Field("text", description="recommendation, slide, pdf_page or text.")
    neighbours: list[Citation] = Field(default_factory=list, description="The recommendations before and after.")
    page_image: bytes | None = Field(None, description="PNG of the PDF page the passage is on.")
    highlighted: bool = Field(False, description="Whether the passage was located and marked on the page.")
    table: Table | None = Field(None, description="The cited rows with their header, caption and note.")
    quoted_rows: list[int] = Field(default_factory=list, description=(
        "Indexes into `table.rows` of the rows the answer quoted beside this citation's marker."))


def _rec_citation(rec: Recommendation) -> Citation:
    return Citation(marker=f"R{rec.number}", doc_id=rec.doc_id, recommendation=rec.number, guideline=rec.guideline,
                    guideline_title=rec.guideline_title, panorama_pages=list(rec.panorama_pages), page=rec.page,
                    text=rec.text)


def quoted_rows(table: Table, answer: str, marker: str) -> list[int]:
    """The rows of `table` that `answer` quotes beside `[marker]`: those whose label and at least one of
    whose other cells stand, as written, in a stretch of the answer that ends with that marker."""
    stretches, start = [], 0
    tag = f"[{marker}]"
    while (at := answer.find(tag, start)) >= 0:
        head = answer[:at]
        begin = max(head.rfind("]"), head.rfind("\n")) + 1  # the stretch since the last citation or line
        stretches.append(head[begin:])
        start = at + len(tag)
    found = []
    for i, row in enumerate(table.rows):
        label, values = (row[0].strip(), [c.strip() for c in row[1:] if c.strip()]) if row else ("", [])
        if label and any(label in s and any(v in s for v in values) for s in stretches):
            found.append(i)
    return found


@facade
def view_source(cit: Citation, settings: Settings | None = None, answer: str = "") -> SourceView:
    """The source of a citation, for the viewer (works for citations stored long ago too); given the
    answer that cited it, a table's rows that the answer quoted are named in `quoted_rows`."""
    from assistant.services import get_registry, get_store
    from assistant.workspace.library import uploads_dir
    from ingestion.render import render_page

    settings = settings or Settings()
    if cit.recommendation is not None:
        registry = get_registry(settings)
        near = [registry.get(n) for n in (cit.recommendation - 1, cit.recommendation + 1)]
        return SourceView(citation=cit, status=citation_status(cit, settings), kind="recommendation",
                          neighbours=[_rec_citation(r) for r in near if r is not None])
    table = read_table_text(cit.text) if cit.table else None
    chunks = [h.chunk for h in get_store(settings).get(where={"doc_id": cit.doc_id})]  # read once, per chip
    status = status_among(cit, chunks)
    view = SourceView(citation=cit, status=status, table=table,
                      quoted_rows=quoted_rows(table, answer, cit.marker) if table and answer else [])
    chunk = next((c for c in chunks if same_text(c.text, cit.text)), None) or next(
        (c for c in chunks if c.page == cit.page), None)
    if chunk is None:
        return view
    if chunk.kind == "slide":
        return view.model_copy(update={"kind": "slide"})
    path = next((p for p in (uploads_dir(settings) / chunk.source, settings.corpus_dir / chunk.source)
                 if p.is_file()), None)
    if path is None or path.suffix.lower() != ".pdf" or chunk.page_index is None:
        return view
    image, highlighted = render_page(path, chunk.page_index, cit.text if status == "same" else "")
    return view.model_copy(update={"kind": "pdf_page", "page_image": image, "highlighted": highlighted})
