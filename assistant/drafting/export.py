"""Render a Draft as Markdown or Word (.docx), with a reference list that quotes every source."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.models import Citation, Draft

_WORDS = {"es": ("lineamiento", "Panorama 2024, pág.", "diapositiva", "p."),
          "en": ("guideline", "Panorama 2024, p.", "slide", "p.")}


def reference_line(c: Citation, lang: str) -> tuple[str, str]:
    """(label, description) of a reference; all from stored metadata, text verbatim."""
    guideline, panorama, slide, page = _WORDS.get(lang, _WORDS["es"])
    if c.recommendation is not None:
        pages = ", ".join(str(p) for p in c.panorama_pages)
        return f"R{c.recommendation}", f"{guideline} {c.guideline}: {c.guideline_title}; {panorama} {pages}"
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


def _xml_safe(draft: Draft) -> Draft:
    """The draft without the control characters XML cannot hold (a document's text may carry them)."""
    def clean(value: object) -> object:
        if isinstance(value, str):
            return _CONTROL.sub("", value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    return Draft.model_validate(clean(draft.model_dump()))


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
    for c in draft.references:
        label, desc = reference_line(c, draft.language)
        para = doc.add_paragraph(style="List Bullet")
        para.add_run(f"[{label}] ").bold = True
        para.add_run(f"{desc}. ")
        quote = para.add_run(f"«{quoted(c)}»")
        quote.font.size = Pt(10)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def file_stem(draft: Draft) -> str:
    """A file name for a draft's downloads: region and topic, slugified ("biobio-iniciativas-cluster")."""
    from ingestion.loaders import slugify

    return slugify(f"{draft.region}-{draft.topic}")
