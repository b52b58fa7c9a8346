"""Read a PDF by its layout: headings by font, paragraphs and list items in column order, ruled tables.

pdfplumber (MIT, on pdfminer.six) gives the text lines with their fonts and positions and finds ruled
tables. Reading order follows the columns: a page is cut into bands at full-width elements, and in
each band the left column is read before the right one. Running heads and page numbers are dropped.
A line is a heading when all its letters are bold or its type is markedly larger than the body's;
heading levels follow the type sizes, largest first.

A PDF whose layout gives no heading and no table returns no blocks: it is then cut into token
windows, as before. Any failure of the layout reader does the same; pypdf's text stays the page text.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from ingestion.models import Block, Table
from ingestion.structure import CAPTION, ITEM, attach, outline_code

log = logging.getLogger(__name__)
logging.getLogger("pdfminer").setLevel(logging.ERROR)

_PAGE_NUMBER = re.compile(r"^(?:p[áa]gina|page|p[áa]g\.?|p\.)?\s*\d{1,4}(?:\s*(?:de|of|/)\s*\d{1,4})?$", re.IGNORECASE)
_MARGIN = 0.1  # running heads and feet live in the top and bottom tenth of a page
_SENTENCE_END = (".", ":", ";", "?", "!", "»", '"')


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float
    bold: bool
    italic: bool
    box: int
    column_left: float = 0.0


@dataclass
class _Unit:
    kind: str  # heading, item, paragraph
    lines: list[_Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        out = ""
        for line in self.lines:
            text = line.text.strip()
            if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and text[:1].islower():
                out = out[:-1] + text  # a word hyphenated at the line's end
            else:
                out = f"{out} {text}" if out else text
        return " ".join(out.split())


def _line(obj, box: int, height: float) -> _Line | None:
    """A pdfminer text line with the font its letters share."""
    from pdfminer.layout import LTChar

    chars = [c for c in obj if isinstance(c, LTChar) and c.get_text().strip()]
    text = obj.get_text().strip()
    if not chars or not text:
        return None
    bold = sum("bold" in c.fontname.lower() or "black" in c.fontname.lower() for c in chars)
    italic = sum("italic" in c.fontname.lower() or "oblique" in c.fontname.lower() for c in chars)
    return _Line(text=text, x0=obj.x0, x1=obj.x1, top=height - obj.y1,
                 size=round(max(c.size for c in chars) * 2) / 2,
                 bold=bold == len(chars), italic=italic > len(chars) / 2, box=box)


def _inside(line: _Line, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    middle = line.x0 + (line.x1 - line.x0) / 2
    return x0 - 1 <= middle <= x1 + 1 and top - 1 <= line.top <= bottom + 1


def _ordered(elements: list[tuple[float, float, float, object]]) -> list[object]:
    """Elements (x0, x1, top, item) in reading order: bands cut by full-width elements, left column first."""
    if not elements:
        return []
    left = min(e[0] for e in elements)
    right = max(e[1] for e in elements)
    middle = left + (right - left) / 2
    narrow = 0.55 * (right - left)
    out: list[object] = []
    band: list[tuple[float, float, float, object]] = []

    def flush() -> None:
        band.sort(key=lambda e: (e[0] + (e[1] - e[0]) / 2 >= middle, e[2]))
        out.extend(e[3] for e in band)
        band.clear()

    for element in sorted(elements, key=lambda e: e[2]):
        if element[1] - element[0] < narrow and (element[1] <= middle + 2 or element[0] >= middle - 2):
            band.append(element)
        else:
            flush()
            out.append(element[3])
    flush()
    return out


def _in_margin(line: _Line, height: float) -> bool:
    """Whether a line sits in the top or bottom tenth of its page, where running heads and feet live."""
    return line.top < _MARGIN * height or line.top > (1 - _MARGIN) * height


def _running_key(line: _Line) -> str:
    """A line's text with its numbers masked: "Página 3 de 7" and "Página 4 de 7" are one running foot."""
    return re.sub(r"\d+", "#", line.text.lower())


def _running(lines_by_page: list[list[_Line]], heights: list[float]) -> set[str]:
    """Texts that repeat in the top or bottom margin of several pages: running heads and feet."""
    seen: Counter[str] = Counter()
    for lines, height in zip(lines_by_page, heights, strict=True):
        seen.update({_running_key(ln) for ln in lines if _in_margin(ln, height)})
    return {key for key, n in seen.items() if n >= 2}


def _units(stream: list[_Line | Table], body: float) -> list[_Unit | Table]:
    """Lines grouped into headings, list items and paragraphs; tables pass through."""
    units: list[_Unit | Table] = []
    current: _Unit | None = None
    last: _Line | None = None
    for element in stream:
        if isinstance(element, Table):
            units.append(element)
            current, last = None, None
            continue
        line = element
        heading = (line.bold or line.size >= 1.4 * body) and not CAPTION.match(line.text) \
            and len(line.text.split()) <= 25 and not _PAGE_NUMBER.match(line.text)
        starts_item = bool(ITEM.match(line.text)) or (outline_code(line.text) or "").startswith("AE")
        caption = current is not None and current.kind == "paragraph" and last is not None \
            and last.box == line.box and line.bold == current.lines[0].bold \
            and bool(CAPTION.match(current.lines[0].text))
        if caption:
            pass  # a caption's wrapped lines stay with it
        elif heading:
            same = current is not None and current.kind == "heading" and last is not None \
                and last.size == line.size and last.box == line.box
            if not same:
                current = _Unit("heading")
                units.append(current)
        elif current is None or current.kind == "heading" or starts_item or CAPTION.match(line.text) \
                or not _continues(current, last, line):
            current = _Unit("item" if starts_item else "paragraph")
            units.append(current)
        current.lines.append(line)
        last = line
    return units


def _continues(unit: _Unit, last: _Line | None, line: _Line) -> bool:
    """Whether a line carries on the unit before it (the same box, or a run-on across a column or page)."""
    if last is None:
        return False
    if last.italic != line.italic:
        return False
    if last.box == line.box:
        return not CAPTION.match(unit.lines[0].text)
    if unit.kind == "item":
        return line.x0 > line.column_left + 4  # an item's wrapped lines are indented
    return not unit.text.endswith(_SENTENCE_END)


def pdf_blocks(data: bytes, labels: list[str | None]) -> list[Block]:
    """The blocks of a PDF read by its layout, each with its page; none if it shows no structure."""
    try:
        return _read(data, labels)
    except Exception as exc:  # noqa: BLE001 - a layout failure falls back to token windows
        log.warning("PDF layout not read (%s); cut by token windows", type(exc).__name__)
        return []


def _read(data: bytes, labels: list[str | None]) -> list[Block]:
    import pdfplumber
    from pdfminer.layout import LTTextBoxHorizontal, LTTextLineHorizontal

    pages: list[tuple[list[_Line], list[tuple[tuple[float, float, float, float], Table]]]] = []
    heights: list[float] = []
    box = 0
    with pdfplumber.open(io.BytesIO(data), laparams={}) as pdf:
        for page in pdf.pages:
            tables = []
            for found in page.find_tables():
                rows = [[" ".join((cell or "").split()) for cell in row] for row in found.extract()]
                rows = [r for r in rows if any(r)]
                if len(rows) >= 2 and len(rows[0]) >= 2:
                    tables.append((found.bbox, Table(header=rows[0], rows=rows[1:])))
            lines: list[_Line] = []
            for obj in page.layout:
                if not isinstance(obj, LTTextBoxHorizontal):
                    continue
                box += 1
                for item in obj:
                    if isinstance(item, LTTextLineHorizontal):
                        line = _line(item, box, page.height)
                        if line is not None and not any(_inside(line, bbox) for bbox, _ in tables):
                            lines.append(line)
            pages.append((lines, tables))
            heights.append(page.height)
            page.flush_cache()
    running = _running([lines for lines, _ in pages], heights)
    sizes = Counter(ln.size for lines, _ in pages for ln in lines for _ in range(len(ln.text)))
    if not sizes:
        return []
    body = sizes.most_common(1)[0][0]

    blocks: list[Block] = []
    for index, ((lines, tables), height) in enumerate(zip(pages, heights, strict=True)):
        lines = [ln for ln in lines if not (_in_margin(ln, height)
                                            and (_running_key(ln) in running or _PAGE_NUMBER.match(ln.text)))]
        elements = [(ln.x0, ln.x1, ln.top, ln) for ln in lines]
        elements += [(bbox[0], bbox[2], bbox[1], table) for bbox, table in tables]
        stream = _ordered(elements)
        _mark_columns(stream)
        label = labels[index] if index < len(labels) else str(index + 1)
        blocks += _page_blocks(_units(stream, body), label, index)
    headings = sorted({b.level for b in blocks if b.kind == "heading"}, reverse=True)
    rank = {size: i + 1 for i, size in enumerate(headings)}
    for b in blocks:
        if b.kind == "heading":
            b.level = min(rank[b.level], 6)
    if not any(b.kind in ("heading", "table") for b in blocks):
        return []
    return attach(_join_pages(blocks))


def _mark_columns(stream: list[object]) -> None:
    """Give each line the left edge of its column: the smallest x0 among the lines of its box's column."""
    lines = [e for e in stream if isinstance(e, _Line)]
    if not lines:
        return
    middle = (min(ln.x0 for ln in lines) + max(ln.x1 for ln in lines)) / 2
    lefts = [min((ln.x0 for ln in lines if (ln.x0 >= middle - 2) == side), default=0.0) for side in (False, True)]
    for ln in lines:
        ln.column_left = lefts[ln.x0 >= middle - 2]


def _page_blocks(units: list[_Unit | Table], label: str | None, index: int) -> list[Block]:
    """One page's units as blocks; a heading's level holds its type size until levels are ranked."""
    blocks = []
    for unit in units:
        if isinstance(unit, Table):
            blocks.append(Block(kind="table", table=unit, page=label, page_index=index))
        elif unit.kind == "heading":
            blocks.append(Block(kind="heading", text=unit.text, level=int(unit.lines[0].size * 2),
                                page=label, page_index=index))
        else:
            text = ITEM.sub("", unit.text) if unit.kind == "item" and ITEM.match(unit.text) else unit.text
            blocks.append(Block(kind=unit.kind, text=text, page=label, page_index=index))
    return blocks


def _join_pages(blocks: list[Block]) -> list[Block]:
    """A paragraph cut by a page break is one paragraph (cited at the page it starts on)."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and block.kind == "paragraph" and prev.kind in ("paragraph", "item") \
                and prev.page != block.page and not prev.text.endswith(_SENTENCE_END) \
                and (block.text[:1].islower() or prev.text[-1:].islower()):
            prev.text = f"{prev.text} {block.text}"
            continue
        out.append(block)
    return out
