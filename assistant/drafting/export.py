"""Render a Draft as Markdown or Word (.docx), with a reference list that quotes every source."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.models import Citation, Draft, DraftParagraph, DraftTable, StrategyDocument

_WORDS = {"es": ("lineamiento", "Panorama 2024, pág.", "diapositiva", "p."),
          "en": ("guideline", "Panorama 2024, p.", "slide", "p.")}


def reference_line(c: Citation, lang: str) -> tuple[str, str]:
    """(label, description) of a reference; all from stored metadata, text verbatim."""
    guideline, panorama, slide, page = _WORDS.get(lang, _WORDS["es"])
    if c.recommendation is not None:
        pages = ", ".join(str(p) for p in c.panorama_pages)
        title = c.guideline_title if lang == "es" else f"«{c.guideline_title}»"  # the original's title, quoted
        return f"R{c.recommendation}", f"{guideline} {c.guideline}: {title}; {panorama} {pages}"
    if c.page:
        where = f"{slide} {c.page}" if c.doc_id.endswith("chile") or "fomento" in c.doc_id else f"{page} {c.page}"
    else:  # a part of a document without pages: its § number
        where = c.marker[len(c.doc_id):].strip() if c.marker.startswith(c.doc_id) else ""
    if c.section:  # where in the document's outline
        where = f"{where} ({c.section.rpartition(' › ')[2]})".strip()
    return c.marker, f"{c.doc_id}, {where}" if where else c.doc_id


def quoted(c: Citation) -> str:
    """What a reference quotes: the source's text, or a table's caption (its rows are in the draft)."""
    return " ".join((c.table or c.text).split())


def to_markdown(draft: Draft) -> str:
    """The draft as Markdown: headings, paragraphs with [R79] markers, flagged paragraphs marked."""
    out = [f"# {draft.title}", ""]
    for section in draft.sections:
        out += [f"## {section.heading}", ""]
        for p in section.paragraphs:
            if p.flagged:
                out.append(f"> ⚠ {draft.flag_text}")
                out.append(">")
                out += [f"> {line}" for line in p.text.splitlines()]
            else:
                out.append(p.text)
            out.append("")
    out += [f"## {draft.references_heading}", ""]
    for c in draft.references:
        label, desc = reference_line(c, draft.language)
        out.append(f"- **[{label}]** {desc}. «{quoted(c)}»")
    return "\n".join(out).rstrip() + "\n"


def to_docx(draft: Draft, path: Path) -> Path:
    """Write the draft as a Word document (opens in Word and LibreOffice)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(docx_bytes(draft))
    return path


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _clean(value: object) -> object:
    """A dumped model without the control characters XML cannot hold (a document's text may carry them)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def _xml_safe(draft: Draft) -> Draft:
    return Draft.model_validate(_clean(draft.model_dump()))


def docx_bytes(draft: Draft) -> bytes:
    """The draft as the bytes of a .docx file."""
    import io

    from docx import Document
    from docx.shared import Pt

    draft = _xml_safe(draft)
    doc = Document()
    doc.add_heading(draft.title, level=1)
    for section in draft.sections:
        doc.add_heading(section.heading, level=2)
        for p in section.paragraphs:
            for line in p.text.splitlines():
                bullet = line.startswith("- ")
                para = doc.add_paragraph(line[2:] if bullet else line, style="List Bullet" if bullet else None)
                if p.flagged:
                    for run in para.runs:
                        run.italic = True
            if p.flagged:
                note = doc.add_paragraph()
                note.add_run(f"⚠ {draft.flag_text}").bold = True
    doc.add_heading(draft.references_heading, level=2)
    _docx_references(doc, draft.references, draft.language, Pt(10))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def document_file_stem(doc: StrategyDocument) -> str:
    """A file name for a whole document's downloads ("estrategia-los-arrayanes")."""
    from ingestion.loaders import slugify

    return slugify(f"{'estrategia' if doc.language == 'es' else 'strategy'}-{doc.region}")


def _docx_references(doc_x: Any, references: list[Citation], lang: str, size: Any) -> None:
    """The reference list in Word: one bullet per source, its label bold, its text quoted in `size`."""
    for c in references:
        label, desc = reference_line(c, lang)
        para = doc_x.add_paragraph(style="List Bullet")
        para.add_run(f"[{label}] ").bold = True
        para.add_run(f"{desc}. ")
        para.add_run(f"«{quoted(c)}»").font.size = size


def file_stem(draft: Draft) -> str:
    """A file name for a draft's downloads: region and topic, slugified ("biobio-iniciativas-cluster")."""
    from ingestion.loaders import slugify

    return slugify(f"{draft.region}-{draft.topic}")


def _md_table(table: DraftTable) -> list[str]:
    def cell(value: str) -> str:
        return value.replace("|", "\\|").replace("\n", " ")

    out = [f"**{table.caption}**", "", "| " + " | ".join(cell(h) for h in table.header) + " |",
           "| " + " | ".join("---" for _ in table.header) + " |"]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.rows]
    return out + [""]


def _md_paragraphs(paragraphs: list[DraftParagraph], flag: str) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        if p.flagged and "[" not in p.text:  # a lead-in without sources is not a claim
            out += [p.text, ""]
        elif p.flagged:
            out += [f"> ⚠ {flag}", ">"] + [f"> {line}" for line in p.text.splitlines()] + [""]
        else:
            out += [p.text, ""]
    return out


def document_markdown(doc: StrategyDocument) -> str:
    """A whole strategy document as Markdown: chapters as `## `, their sections as `### `, tables as tables."""
    out = [f"# {doc.title}", "", f"*{doc.subtitle}*", ""]
    for chapter in doc.chapters:
        out += [f"## {chapter.heading}", ""]
        for section in chapter.sections:
            if section.heading:
                out += [f"### {section.heading}", ""]
            out += _md_paragraphs(section.paragraphs, doc.flag_text)
            for table in section.tables:
                out += _md_table(table)
    out += [f"## {doc.references_heading}", ""]
    for c in doc.references:
        label, desc = reference_line(c, doc.language)
        out.append(f"- **[{label}]** {desc}. «{quoted(c)}»")
    return "\n".join(out).rstrip() + "\n"


def _toc(doc_x: Any, entries: list[tuple[int, str]]) -> None:
    """A Word table-of-contents field (levels 1-2, hyperlinked), its result pre-filled with the headings so
    it reads right before Word refreshes it; the document asks Word to update fields (page numbers) on open."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(para: Any, tag: str, **attrs: str) -> None:
        run = para.add_run()
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        run._r.append(element)

    first = doc_x.add_paragraph()
    run_with(first, "w:fldChar", **{"w:fldCharType": "begin"})
    instr = first.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = ' TOC \\o "1-2" \\h \\z \\u '
    instr._r.append(text)
    run_with(first, "w:fldChar", **{"w:fldCharType": "separate"})
    for level, heading in entries:
        para = doc_x.add_paragraph(heading, style=f"TOC {level}" if f"TOC {level}" in _styles(doc_x) else None)
        if level > 1:
            para.paragraph_format.left_indent = 228600 * (level - 1)
    last = doc_x.add_paragraph()
    run_with(last, "w:fldChar", **{"w:fldCharType": "end"})
    settings = doc_x.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _widths(table: DraftTable, page_inches: float = 6.3) -> list[Any]:
    """Column widths in proportion to each column's longest text (capped), so a long indicator name is not
    squeezed into the width of a year."""
    from docx.shared import Inches

    lengths = [min(60, max([len(h) for h in table.header[j:j + 1]] + [len(r[j]) for r in table.rows if j < len(r)]))
               for j in range(len(table.header))]
    lengths = [max(6, n) for n in lengths]
    return [Inches(page_inches * n / sum(lengths)) for n in lengths]


def _styles(doc_x: Any) -> set[str]:
    return {s.name for s in doc_x.styles}


def document_docx_bytes(doc: StrategyDocument) -> bytes:
    """A whole strategy document as Word: title page, table of contents, heading styles, real tables, references."""
    import datetime
    import io

    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    doc = StrategyDocument.model_validate(_clean(doc.model_dump()))
    d = Document()
    d.add_paragraph(doc.title, style="Title")
    d.add_paragraph(doc.subtitle, style="Subtitle")
    d.add_paragraph(datetime.date.today().isoformat())
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph(doc.contents_heading, style="TOC Heading" if "TOC Heading" in _styles(d) else "Heading 1")
    entries = [e for c in doc.chapters for e in [(1, c.heading)] + [(2, s.heading) for s in c.sections if s.heading]]
    _toc(d, entries + [(1, doc.references_heading)])
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for chapter in doc.chapters:
        d.add_heading(chapter.heading, level=1)
        for section in chapter.sections:
            if section.heading:
                d.add_heading(section.heading, level=2)
            for p in section.paragraphs:
                for line in p.text.splitlines():
                    bullet = line.startswith("- ")
                    para = d.add_paragraph(line[2:] if bullet else line, style="List Bullet" if bullet else None)
                    if p.flagged and "[" in p.text:
                        for run in para.runs:
                            run.italic = True
                if p.flagged and "[" in p.text:
                    d.add_paragraph().add_run(f"⚠ {doc.flag_text}").bold = True
            for table in section.tables:
                d.add_paragraph(table.caption, style="Caption" if "Caption" in _styles(d) else None)
                grid = d.add_table(rows=1, cols=len(table.header))
                grid.style = "Table Grid"
                grid.autofit = False
                for cell, value in zip(grid.rows[0].cells, table.header, strict=True):
                    cell.text = ""
                    cell.paragraphs[0].add_run(value).bold = True
                for row in table.rows:
                    cells = grid.add_row().cells
                    for cell, value in zip(cells, row, strict=False):
                        cell.text = value
                        for run in cell.paragraphs[0].runs:
                            run.font.size = Pt(9)
                for column, width in zip(grid.columns, _widths(table), strict=True):
                    for cell in column.cells:
                        cell.width = width
    d.add_heading(doc.references_heading, level=1)
    _docx_references(d, doc.references, doc.language, Pt(9))
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()
