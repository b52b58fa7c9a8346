"""Chunk a document read by its structure: sections, and tables by rows with caption and header repeated.

One chunk per section (split by tokens only when long); each chunk carries its heading path and outline code.

A title block or an abbreviation list at the head of a document is kept as kind "front": context
that retrieval may see, never a passage an answer quotes.
"""

from __future__ import annotations

import re

from ingestion.config import ChunkingConfig
from ingestion.models import Block, Chunk, ChunkKind, SourceDocument, Table
from ingestion.structure import outline_code
from ingestion.tokens import count_tokens
from ingestion.windows import split_text

SEPARATOR = " › "
MAX_TABLE_ROWS = 12
_ABBREVIATION = re.compile(r"^\s*[-•*]?\s*[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ0-9&.]{1,9}\s*[:=–—-]\s+\S")


def _label(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + "…"


def table_text(table: Table, rows: list[list[str]]) -> str:
    """A table's caption, header and some of its rows as Markdown, and its note: quotable as it stands."""
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"

    parts = [table.caption] if table.caption else []
    parts += [line(table.header), "|" + " --- |" * len(table.header)] + [line(r) for r in rows]
    if table.note:
        parts.append(table.note)
    return "\n".join(parts)


def read_table_text(text: str) -> Table | None:
    """The table a chunk's text holds, read back from `table_text`'s layout; None without header and rows."""
    lines = text.splitlines()
    piped = [line for line in lines if line.startswith("|")]
    if len(piped) < 3:
        return None
    cells = [[c.strip() for c in line.strip().strip("|").split("|")] for line in piped]
    return Table(caption=lines[0] if not lines[0].startswith("|") else "", header=cells[0], rows=cells[2:],
                 note=" ".join(line for line in lines[1:] if line and not line.startswith("|")))


def _front_like(lines: list[str], position: int) -> bool:
    """An abbreviation list, or a title block opening a document: a few lines, none a sentence.

    A title block's lines are a title, an issuing body ("Gobierno Regional de Los Arrayanes, División
    de Planificación y Desarrollo Regional", 10 words) and a date: none ends with a full stop or runs
    to a sentence's length.
    """
    if not lines:
        return False
    if sum(1 for ln in lines if _ABBREVIATION.match(ln)) >= max(2, len(lines) // 2):
        return True
    return position == 0 and len(lines) <= 6 and all(
        len(ln.split()) <= 14 and not ln.rstrip().endswith((".", ":")) for ln in lines)


class _Sections:
    """Walks the blocks, keeping the heading path and the text gathered under the current heading."""

    def __init__(self, doc: SourceDocument, config: ChunkingConfig) -> None:
        self.doc, self.config = doc, config
        tops = [b for b in doc.blocks if b.kind == "heading" and b.level == 1]
        first = next((b for b in doc.blocks if b.kind == "heading"), None)
        # a lone top heading that opens the document is its title, not a part of every path
        self.title = first if first is not None and tops == [first] and len(doc.blocks) > 1 else None
        self.path: list[tuple[int, str, str | None]] = []  # (level, label, code)
        self.lines: list[str] = []
        self.heading: str | None = None
        self.page: tuple[str | None, int | None] = (None, None)
        self.chunks: list[Chunk] = []

    def section(self) -> str | None:
        return SEPARATOR.join(label for _, label, _ in self.path) or None

    def code(self) -> str | None:
        return next((code for _, _, code in reversed(self.path) if code), None)

    def add(self, text: str, kind: ChunkKind = "text", table: str | None = None) -> None:
        self.chunks.append(Chunk(doc_id=self.doc.doc_id, kind=kind, text=text, source=self.doc.source,
                                 ordinal=len(self.chunks), page=self.page[0], page_index=self.page[1],
                                 section=self.section(), code=self.code(), table=table))

    def flush(self) -> None:
        if not self.lines or self.heading_only():
            return  # a heading with nothing under it yet lives on in the path of what follows
        lines, self.lines = self.lines, []
        text = "\n".join(lines)
        if _front_like(lines, len(self.chunks)):
            self.add(text, "front")
            return
        pieces = [text] if count_tokens(text) <= self.config.chunk_tokens else split_text(text, self.config)
        for piece in pieces:
            self.add(piece)

    def heading_only(self) -> bool:
        """Whether the gathered lines are only the current heading (its text comes with the next part)."""
        return len(self.lines) == 1 and bool(self.path) and self.heading == self.lines[0]

    def block(self, block: Block) -> None:
        if self.lines and block.page != self.page[0] and block.page is not None:
            self.flush()  # a chunk cites one page
        if not self.lines or block.page is not None:
            self.page = (block.page, block.page_index)
        if block.kind == "heading":
            self.flush()
            while self.path and self.path[-1][0] >= block.level:
                self.path.pop()
            if block is not self.title:
                self.path.append((block.level, _label(block.text), outline_code(block.text, bare=True)))
            self.lines = [block.text]
            self.heading = block.text
        elif block.kind == "table" and block.table is not None:
            self.flush()
            self.table(block.table)
        else:
            self.lines.append(f"- {block.text}" if block.kind == "item" else block.text)
            if count_tokens("\n".join(self.lines)) > self.config.chunk_tokens:
                self.flush()

    def table(self, table: Table) -> None:
        """Rows in groups under the token budget, each group with the caption, header and note."""
        group: list[list[str]] = []
        for row in table.rows or [[]]:
            if group and (len(group) >= MAX_TABLE_ROWS
                          or count_tokens(table_text(table, group + [row])) > self.config.chunk_tokens):
                self.add(table_text(table, group), table=table.caption or None)
                group = []
            if row:
                group.append(row)
        if group or not table.rows:
            self.add(table_text(table, group), table=table.caption or None)


def section_chunks(doc: SourceDocument, config: ChunkingConfig | None = None) -> list[Chunk]:
    """The document's blocks as chunks carrying their heading path, outline code and table caption."""
    walker = _Sections(doc, config or ChunkingConfig())
    for block in doc.blocks:
        walker.block(block)
    walker.flush()
    return walker.chunks
