"""Typed data that leaves the ingestion package."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# "front": a user document's title block or abbreviation list, kept as context but never quoted as an answer
ChunkKind = Literal["recommendation", "guideline", "intro", "colophon", "slide", "text", "front"]
BlockKind = Literal["heading", "paragraph", "item", "table"]
DocKind = Literal["recommendations", "slides", "text"]


class Page(BaseModel):
    """One page of a loaded document: its text, printed label and 0-based index."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int = Field(description="0-based position of the page (or slide) in the file.")
    label: str | None = Field(description="Printed label: PDF page label or slide number; None for text.")
    text: str


class Table(BaseModel):
    """A table as its document holds it: caption, header row, body rows, and the note under it (source)."""

    model_config = ConfigDict(extra="forbid")

    caption: str = ""
    header: list[str]
    rows: list[list[str]]
    note: str = ""


class Block(BaseModel):
    """One structural unit of a document: a heading (with its level), a paragraph, a list item or a table."""

    model_config = ConfigDict(extra="forbid")

    kind: BlockKind
    text: str = ""
    level: int = Field(0, description="Heading depth, 1 = top; 0 for other blocks.")
    table: Table | None = None
    page: str | None = Field(default=None, description="Printed page label, where the format has pages.")
    page_index: int | None = None


class SourceDocument(BaseModel):
    """A file read into pages, with the identity it is stored under."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    title: str
    source: str = Field(description="File name the document came from.")
    kind: DocKind
    sha256: str = Field(description="Hash of the file's bytes; a changed file is re-indexed.")
    pages: list[Page]
    blocks: list[Block] = Field(default_factory=list,
                                description="The document read by its structure; empty: cut by token windows.")


class Chunk(BaseModel):
    """One retrievable unit with the metadata every later step trusts."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    kind: ChunkKind
    text: str
    source: str
    ordinal: int = Field(description="Position of the chunk within its document.")
    page: str | None = Field(default=None, description="Printed page label or slide number.")
    page_index: int | None = None
    recommendation: int | None = None
    guideline: str | None = Field(default=None, description="Roman numeral I-XIV.")
    guideline_title: str | None = None
    panorama_pages: list[int] = Field(default_factory=list)
    footnotes: list[str] = Field(default_factory=list)
    section: str | None = Field(default=None, description="Heading path of a user document's chunk: 'Eje 2 › LE 2.2 › OE 2.2.1'.")
    code: str | None = Field(default=None, description="Outline code of the innermost coded heading, e.g. 'OE 2.2.1'.")
    table: str | None = Field(default=None, description="Caption of the table this chunk holds rows of.")


class Recommendation(BaseModel):
    """A numbered ECLAC recommendation as stored: the registry's answer to exact lookups."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str
    number: int
    guideline: str
    guideline_title: str
    text: str
    panorama_pages: tuple[int, ...]
    footnotes: tuple[str, ...] = ()
    page: str | None = Field(default=None, description="Booklet page label where it starts (PDF).")
