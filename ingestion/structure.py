"""Read a user's document by its structure: headings, paragraphs, list items and tables, in order.

Markdown goes through markdown-it-py (CommonMark with tables), Word through python-docx (heading and
list styles, real tables), spreadsheets through openpyxl and CSV through the standard library (one
table per sheet, header row kept), plain text by its outline codes ("Eje 2", "LE 2.2", "OE 2.2.1",
"2.2.1 Título"). A reader returns no blocks when a text has no structure to cut along: it is then
cut into token windows as before.
"""

from __future__ import annotations

import csv
import io
import re

from ingestion.errors import IngestError
from ingestion.models import Block, Table

# Outline prefixes of Latin American regional strategies, long forms folded to their codes.
_PREFIXES = {
    "eje": "Eje", "ámbito": "Ámbito", "ambito": "Ámbito", "axis": "Axis",
    "lineamiento estratégico": "LE", "lineamiento estrategico": "LE", "lineamiento": "LE", "le": "LE",
    "línea estratégica": "LE", "linea estrategica": "LE",
    "objetivo estratégico": "OE", "objetivo estrategico": "OE", "objetivo específico": "OE",
    "objetivo especifico": "OE", "objetivo": "OE", "oe": "OE", "objective": "OE",
    "acción estratégica": "AE", "accion estrategica": "AE", "actividad": "AE", "ae": "AE", "activity": "AE",
    "programa": "Programa", "meta": "Meta",
}
_PREFIX = "|".join(sorted((re.escape(p) for p in _PREFIXES), key=len, reverse=True))
CODE = re.compile(rf"^\s*(?:(?P<prefix>{_PREFIX})\s+)?(?P<num>\d{{1,2}}(?:\.\d{{1,2}}){{0,4}})(?![\d,])[.:)\-–]?(?:\s+|$)",
                  re.IGNORECASE)
_LEVEL = {"Eje": 1, "Ámbito": 1, "Axis": 1, "LE": 2, "OE": 3, "AE": 4, "Programa": 3, "Meta": 4}
CAPTION = re.compile(r"^\s*(?:\*\*)?(?:tabla|cuadro|table|gráfico|grafico|figura)\s+[\w.-]+", re.IGNORECASE)
_NOTE = re.compile(r"^\s*(?:\*\*|_)?(?:fuente|fuentes|source|sources|nota|note)s?\s*[:.]", re.IGNORECASE)
ITEM = re.compile(r"^\s*(?:[-•*▪◦]|\(?[a-z]\)|\d{1,2}\))\s+")


def outline_code(text: str, *, bare: bool = False) -> str | None:
    """The outline code a heading or item starts with ('OE 2.2.1').

    A number without prefix counts only if `bare` or dotted ('2.2.1'): a year or a count is not a code.
    """
    m = CODE.match(text)
    if not m:
        return None
    prefix = m["prefix"]
    if prefix is None and not (bare or "." in m["num"].strip(".")):
        return None
    if prefix is None:
        return m["num"].rstrip(".")
    return f"{_PREFIXES[prefix.lower()]} {m['num'].rstrip('.')}"


def code_level(code: str) -> int:
    """The depth an outline code stands at: by its prefix, else by its number of parts."""
    prefix, _, num = code.rpartition(" ")
    return _LEVEL.get(prefix, num.count(".") + 1)


def _inline(text: str) -> str:
    """Markdown inline text as a reader sees it: no emphasis marks, links as their words."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return " ".join(text.split())


def attach(blocks: list[Block]) -> list[Block]:
    """A caption paragraph before a table and a 'Fuente:' paragraph after it become part of the table."""
    out: list[Block] = []
    for block in blocks:
        if block.kind == "table" and block.table is not None and out and out[-1].kind == "paragraph" \
                and CAPTION.match(out[-1].text) and not block.table.caption:
            block.table.caption = out.pop().text
        if block.kind == "paragraph" and _NOTE.match(block.text) and out and out[-1].table is not None \
                and not out[-1].table.note:
            out[-1].table.note = block.text
            continue
        out.append(block)
    return out


def markdown_blocks(text: str) -> list[Block]:
    """Markdown headings, paragraphs, list items and pipe tables (none if it has no heading or table)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks: list[Block] = []
    in_item = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            blocks.append(Block(kind="heading", text=_inline(tokens[i + 1].content), level=int(tok.tag[1])))
            i += 3
            continue
        if tok.type == "list_item_open":
            in_item += 1
        elif tok.type == "list_item_close":
            in_item -= 1
        elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
            content = _inline(tok.content)
            if content:
                blocks.append(Block(kind="item" if in_item else "paragraph", text=content))
        elif tok.type == "table_open":
            rows: list[list[str]] = []
            while tokens[i].type != "table_close":
                if tokens[i].type == "tr_open":
                    rows.append([])
                elif tokens[i].type == "inline" and rows:
                    rows[-1].append(_inline(tokens[i].content))
                i += 1
            if rows:
                blocks.append(Block(kind="table", table=Table(header=rows[0], rows=rows[1:])))
        i += 1
    if not any(b.kind in ("heading", "table") for b in blocks):
        return []
    return attach(blocks)


def text_blocks(text: str) -> list[Block]:
    """Plain text cut at outline-coded heading lines (none if it has no such heading)."""
    blocks: list[Block] = []
    for para in re.split(r"\n[ \t]*\n", text):
        lines = [ln.strip() for ln in para.splitlines() if ln.strip()]
        if not lines:
            continue
        first = lines[0]
        code = outline_code(first)
        if code and len(first.split()) <= 25 and not first.endswith((".", ";", ",")) \
                and not re.match(r"^\s*(?:AE|actividad|acción)", first, re.IGNORECASE):
            blocks.append(Block(kind="heading", text=first, level=code_level(code)))
            lines = lines[1:]
        for line in _join_wrapped(lines):
            kind = "item" if ITEM.match(line) or (outline_code(line) or "").startswith("AE") else "paragraph"
            blocks.append(Block(kind=kind, text=ITEM.sub("", line) if kind == "item" else line))
    return blocks if any(b.kind == "heading" for b in blocks) else []


def _join_wrapped(lines: list[str]) -> list[str]:
    """Lines of one paragraph: a new item or code starts a unit, other lines continue the last one."""
    units: list[str] = []
    for line in lines:
        if not units or ITEM.match(line) or outline_code(line):
            units.append(line)
        else:
            units[-1] += " " + line
    return units


def docx_blocks(data: bytes, name: str) -> list[Block]:
    """A Word file's headings (by style), paragraphs, list items and tables, in body order."""
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any parser failure means a corrupt file
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise IngestError(f"{name}: not a readable Word file ({reason})") from None
    blocks: list[Block] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(element, document)
            text = " ".join(para.text.split())
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            level = re.match(r"^(?:heading|título|titulo|encabezado)\s*(\d)", style, re.IGNORECASE)
            if level:
                blocks.append(Block(kind="heading", text=text, level=int(level[1])))
            elif style.lower() == "title":
                blocks.append(Block(kind="heading", text=text, level=1))
            elif style.lower().startswith(("list", "lista")) or para._p.pPr is not None and para._p.pPr.numPr is not None:
                blocks.append(Block(kind="item", text=text))
            else:
                blocks.append(Block(kind="paragraph", text=text))
        elif tag == "tbl":
            rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in DocxTable(element, document).rows]
            rows = [r for r in rows if any(r)]
            if rows:
                blocks.append(Block(kind="table", table=Table(header=rows[0], rows=rows[1:])))
    return attach(blocks)


_SPANISH = {"de", "del", "la", "las", "los", "por", "y", "en", "según", "fuente", "comuna", "total", "año"}
_ENGLISH = {"of", "the", "by", "and", "in", "source", "total", "year", "per"}


def _spanish(texts: list[str]) -> bool:
    """Whether a sheet's words are Spanish (numbers are then shown as a Spanish-language Excel shows them)."""
    words = [w for t in texts for w in re.findall(r"[a-záéíóúñ]+", t.lower())]
    return sum(w in _SPANISH for w in words) >= sum(w in _ENGLISH for w in words)


def _cell(value: object, number_format: str = "General", spanish: bool = False) -> str:
    """A spreadsheet value as the sheet shows it: whole numbers without '.0', percentages with '%'.

    In a Spanish sheet '41.377' and '5,9%': the digits are the cell's; only the separators follow the language.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        decimals = len(re.match(r"0*", number_format.split(".")[1])[0]) if "." in number_format else None
        if "%" in number_format:
            text = f"{value * 100:,.{decimals or 0}f}%"
        elif decimals is not None:
            text = f"{value:,.{decimals}f}"
        elif isinstance(value, int) or value.is_integer():
            text = f"{int(value):,}"
        else:
            text = f"{value:,}"
        if not spanish:
            return text.replace(",", "")
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]  # type: ignore[no-any-return]
    return " ".join(str(value).split())


def _sheet_table(rows: list[list[str]], default_caption: str) -> Table | None:
    """Rows of one sheet as a table: a single-cell first row is its caption, trailing notes its note."""
    rows = [r for r in rows if any(r)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    caption = default_caption
    if width > 1 and sum(1 for c in rows[0] if c) == 1 and len(rows) > 1:
        caption = next(c for c in rows[0] if c)
        rows = rows[1:]
    notes = []
    while len(rows) > 2 and sum(1 for c in rows[-1] if c) == 1 and _NOTE.match(next(c for c in rows[-1] if c)):
        notes.insert(0, next(c for c in rows.pop() if c))
    last = max((i for r in rows for i, c in enumerate(r) if c), default=0) + 1
    rows = [r[:last] for r in rows]
    return Table(caption=caption, header=rows[0], rows=rows[1:], note=" ".join(notes))


def sheet_blocks(data: bytes, name: str) -> list[Block]:
    """One heading and one table per sheet of an .xlsx workbook (values as last computed)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parser failure means a corrupt file
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise IngestError(f"{name}: not a readable spreadsheet ({reason})") from None
    blocks: list[Block] = []
    try:
        for sheet in book.worksheets:
            cells = [list(row) for row in sheet.iter_rows()]
            spanish = _spanish([str(c.value) for row in cells for c in row if isinstance(c.value, str)])
            rows = [[_cell(c.value, getattr(c, "number_format", "General") or "General", spanish) for c in row]
                    for row in cells]
            table = _sheet_table(rows, sheet.title)
            if table is not None:
                blocks += [Block(kind="heading", text=sheet.title, level=1), Block(kind="table", table=table)]
    finally:
        book.close()
    return blocks


def csv_blocks(text: str, title: str) -> list[Block]:
    """A CSV file as one table (delimiter sniffed among , ; and tab; the first row is the header)."""
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [[" ".join(c.split()) for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    table = _sheet_table(rows, title)
    return [Block(kind="table", table=table)] if table is not None else []


def plain_text(blocks: list[Block]) -> str:
    """The blocks' text, a line each (tables as tab-separated rows): what the extractable-text check reads."""
    lines: list[str] = []
    for b in blocks:
        if b.table is not None:
            lines += [b.table.caption, *("\t".join(r) for r in [b.table.header, *b.table.rows]), b.table.note]
        else:
            lines.append(b.text)
    return "\n".join(line for line in lines if line.strip())


def has_text(blocks: list[Block]) -> bool:
    """Whether the blocks hold any word or figure (a caption made from the file name does not count)."""
    cells = (c for b in blocks if b.table is not None for row in [b.table.header, *b.table.rows] for c in row)
    return any(re.search(r"\w", t) for t in [*(b.text for b in blocks if b.table is None), *cells])
