"""Typed data that leaves the ingestion package."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ChunkKind = Literal["recommendation", "guideline", "intro", "colophon", "slide", "text"]
DocKind = Literal["recommendations", "slides", "text"]


class Page(BaseModel):
    """One page of a loaded document: its text, printed label and 0-based index."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int = Field(description="0-based position of the page (or slide) in the file.")
    label: str | None = Field(description="Printed label: PDF page label or slide number; None for text.")
    text: str


class SourceDocument(BaseModel):
    """A file read into pages, with the identity it is stored under."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    title: str
    source: str = Field(description="File name the document came from.")
    kind: DocKind
    sha256: str = Field(description="Hash of the file's bytes; a changed file is re-indexed.")
    pages: list[Page]


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
