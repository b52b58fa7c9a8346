"""Read a file into pages: PDF through pypdf (keeping printed page labels), TXT/MD as text,
slide decks split on runs of blank lines; Markdown, Word, spreadsheets, CSV and outlined text are
also read by their structure (`ingestion.structure`), a user's PDF by its layout (`ingestion.pdf_layout`)."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from ingestion import structure
from ingestion.errors import IngestError
from ingestion.models import Block, DocKind, Page, SourceDocument

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md", ".docx", ".xlsx", ".csv")
FORMATS = "PDF, Word, Excel, CSV, TXT or MD"
_SLIDE_BREAK = re.compile(r"\n(?:[ \t]*\n){3,}")
_TEXT_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")

logging.getLogger("pypdf").setLevel(logging.ERROR)


def file_sha256(data: bytes) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def slugify(name: str) -> str:
    """A doc_id from a file stem: lowercase ASCII letters, digits and dashes."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:80] or "document"


def read_checked(path: Path, max_file_mb: float) -> bytes:
    """Read a file after the checks every format shares; raise IngestError with the reason."""
    if not path.exists():
        raise IngestError(f"{path}: no such file")
    if not path.is_file():
        raise IngestError(f"{path}: not a regular file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise unsupported(path.name, suffix)
    size = path.stat().st_size
    if size == 0:
        raise IngestError(f"{path.name}: the file is empty")
    if size > max_file_mb * 1024 * 1024:
        raise IngestError(f"{path.name}: {size / 1048576:.0f} MB is over the {max_file_mb:g} MB limit")
    return path.read_bytes()


def unsupported(name: str, suffix: str) -> IngestError:
    """The one-line rejection of a file type that cannot be read."""
    return IngestError(f"{name}: unsupported file type '{suffix or '(none)'}' ({FORMATS})")


def decode_text(data: bytes, name: str) -> str:
    """Decode text as UTF-8, falling back to cp1252/latin-1 for readable legacy files."""
    for enc in _TEXT_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise IngestError(f"{name}: looks like a binary file, not text")
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise IngestError(f"{name}: cannot decode the text")  # pragma: no cover - latin-1 never fails


def split_slides(text: str) -> list[str]:
    """Split a slide deck's text on runs of three or more blank lines; drop empty slides."""
    return [s.strip("\n") for s in _SLIDE_BREAK.split(text) if s.strip()]


def pdf_pages(data: bytes, name: str) -> list[Page]:
    """Extract a PDF's pages with their printed labels; raise IngestError if unreadable."""
    import io

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - pypdf raises several types here
                ok = 0
            if not ok:
                raise IngestError(f"{name}: the PDF is encrypted (password protected)")
        labels = list(reader.page_labels)
        pages = []
        for index, page in enumerate(reader.pages):
            label = labels[index] if index < len(labels) else str(index + 1)
            text = _strip_page_number_lines(page.extract_text() or "", label)
            pages.append(Page(index=index, label=label, text=text))
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means a corrupt file
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise IngestError(f"{name}: not a readable PDF ({reason})") from None
    if not pages:
        raise IngestError(f"{name}: the PDF has no pages")
    if not any(p.text.strip() for p in pages):
        raise IngestError(f"{name}: no extractable text (a scanned PDF needs OCR first)")
    return pages


def _strip_page_number_lines(text: str, label: str) -> str:
    """Drop a header or footer line that only prints the page label."""
    lines = text.split("\n")
    for idx in (0, -1):
        if lines and lines[idx].strip() and lines[idx].strip() == label:
            lines.pop(idx)
    return "\n".join(lines)


def load_document(
    path: Path,
    *,
    doc_id: str | None = None,
    title: str | None = None,
    kind: DocKind | None = None,
    max_file_mb: float = 50.0,
) -> SourceDocument:
    """Load one file into a SourceDocument. `kind` None means: detect the booklet, else text."""
    data = read_checked(path, max_file_mb)
    name = path.name
    suffix = path.suffix.lower()
    blocks: list[Block] = []
    if suffix == ".pdf":
        pages = pdf_pages(data, name)
    elif suffix in (".docx", ".xlsx", ".csv"):
        blocks = (structure.docx_blocks(data, name) if suffix == ".docx" else
                  structure.sheet_blocks(data, name) if suffix == ".xlsx" else
                  structure.csv_blocks(decode_text(data, name), Path(title).stem if title else path.stem))
        if not structure.has_text(blocks):
            raise IngestError(f"{name}: the file has no text")
        pages = [Page(index=0, label=None, text=structure.plain_text(blocks))]
        kind = kind or "text"
    else:
        text = decode_text(data, name)
        if not text.strip():
            raise IngestError(f"{name}: the file has no text")
        if kind == "slides":
            pages = [Page(index=i, label=str(i + 1), text=s) for i, s in enumerate(split_slides(text))]
        else:
            parts = text.split("\f") if "\f" in text else [text]
            multi = len(parts) > 1
            pages = [
                Page(index=i, label=str(i + 1) if multi else None, text=part)
                for i, part in enumerate(parts)
            ]
    if kind is None:
        from ingestion.booklet import looks_like_booklet

        kind = "recommendations" if looks_like_booklet("\n".join(p.text for p in pages)) else "text"
    if kind == "text" and suffix == ".pdf":
        from ingestion.pdf_layout import pdf_blocks

        blocks = pdf_blocks(data, [p.label for p in pages])
    if kind == "text" and not blocks and suffix in (".md", ".txt") and len(pages) == 1:
        text = pages[0].text
        blocks = structure.markdown_blocks(text) if suffix == ".md" else structure.text_blocks(text)
    return SourceDocument(
        doc_id=doc_id or slugify(path.stem),
        title=title or path.stem,
        source=name,
        kind=kind,
        sha256=file_sha256(data),
        pages=pages,
        blocks=blocks,
    )
