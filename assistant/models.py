"""Typed data the assistant returns (the JSON of `ask --json` is `Answer.contract_json()`)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.messages import Lang


class Turn(BaseModel):
    """One earlier turn of a conversation."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str


class Citation(BaseModel):
    """A source the answer cites; every field but `marker` comes from the store."""

    model_config = ConfigDict(extra="forbid")

    marker: str
    doc_id: str
    recommendation: int | None = None
    guideline: str | None = None
    guideline_title: str | None = None
    panorama_pages: list[int] = Field(default_factory=list)
    page: str | None = None
    section: str | None = Field(default=None, description="A user document's heading path, from the store.")
    table: str | None = Field(default=None, description="The caption of the table the cited rows belong to.")
    text: str
    translation: str | None = Field(default=None, description=(
        "The recommendation's reviewed English rendering, where an English answer shows it (marked as a "
        "translation) instead of `text`, the Spanish original."))


class Retrieved(BaseModel):
    """A source given to the answer."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    recommendation: int | None = None
    page: str | None = None
    score: float


class DroppedCitation(BaseModel):
    """A citation the model wrote that did not verify, and why."""

    model_config = ConfigDict(extra="forbid")

    marker: str
    reason: Literal["nonexistent", "not_retrieved", "unknown_source"]


class UnsupportedSentence(BaseModel):
    """A generated sentence the support gate replaced with its source's own words, and why."""

    model_config = ConfigDict(extra="forbid")

    text: str
    reason: Literal["novel", "content", "repeated"]
    detail: str = Field("", description="What was novel, or the measures that fell short.")


class SentenceCheck(BaseModel):
    """The support gate's decision on one sentence the model wrote, with the measures behind it."""

    model_config = ConfigDict(extra="forbid")

    text: str
    marker: str = Field("", description="The source the sentence restates.")
    ok: bool
    reason: Literal["novel", "content", "repeated"] | None = None
    detail: str = ""
    lexical: float = Field(0.0, description="Share of its own words found in the source.")
    similarity: float = Field(0.0, description="Cross-lingual embedding similarity with the source.")
    translated: bool = Field(False, description="Written in the source's language and put into the answer's.")

    def unsupported(self) -> UnsupportedSentence:
        """The contract's short form of a failed check."""
        assert self.reason is not None
        return UnsupportedSentence(text=self.text, reason=self.reason, detail=self.detail)


class Answer(BaseModel):
    """A verified answer: text with canonical markers, the citations behind them, diagnostics."""

    model_config = ConfigDict(extra="forbid")

    question: str
    language: Lang
    answer: str
    refused: bool = False
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[Retrieved] = Field(default_factory=list)
    backend: str
    timings_ms: dict[str, float] = Field(default_factory=dict)
    dropped_citations: list[DroppedCitation] = Field(default_factory=list)
    uncited_sentences: list[str] = Field(default_factory=list)
    unsupported_sentences: list[UnsupportedSentence] = Field(
        default_factory=list, description="Generated sentences replaced by their source's words (none for extractive).")
    checks: list[SentenceCheck] = Field(default_factory=list, description="Every generated sentence, as judged.")
    cached: bool = Field(False, description="A stored answer to the same question, settings and index.")
    standalone_question: str | None = Field(None, description="The follow-up rewritten for retrieval.")
    lookup: str | None = Field(None, description="Exact lookup answered from metadata, if any.")
    notices: list[str] = Field(default_factory=list, description="Fallbacks, truncation.")
    suggestions: list[Citation] = Field(
        default_factory=list, description="A refusal's closest sources (did you mean…); never cited by the answer.")

    draft: Draft | None = Field(None, description="A strategy section asked for in the conversation.")
    document: StrategyDocument | None = Field(None, description="A whole strategy document asked for.")

    def contract_json(self) -> dict[str, object]:
        """The `ask --json` object: the contract's fields first, extensions after (`document` only when there is one)."""
        data = self.model_dump(exclude={"citations"} | ({"document"} if self.document is None else set()))
        data["citations"] = [c.model_dump(exclude={"guideline_title"} | ({"translation"} if c.translation is None else set()))
                             | {"guideline_title": c.guideline_title} for c in self.citations]
        order = ["question", "language", "answer", "refused", "citations", "retrieved", "backend", "timings_ms"]
        return {k: data[k] for k in order} | {k: v for k, v in data.items() if k not in order}


class Waiting(BaseModel):
    """A question waiting for its turn at the local model (app sessions only): its place and the wait."""

    model_config = ConfigDict(extra="forbid")

    ahead: int = Field(description="Questions the model answers before this one.")
    seconds: float = Field(description="About how long until its turn, from the recent turns' length.")
    quick: Answer | None = Field(None, description="The sources' own words, offered at once (when asked for).")


def one_line(value: object) -> object:
    """Control characters and line breaks become spaces: a region or topic is one line of text."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", value).split()) if isinstance(value, str) else value


class DraftRequest(BaseModel):
    """What a strategy section is about."""

    model_config = ConfigDict(extra="forbid")

    region: str = Field(min_length=1, max_length=120)
    topic: str = Field(min_length=1, max_length=300)
    guidelines: list[str] = Field(default_factory=list, description="Roman numerals to focus the topic on.")
    language: Lang | None = Field(None, description="None: the language the topic is written in.")
    outline: list[str] = Field(default_factory=list, description="Edited section headings (5), if any.")
    docs: list[str] = Field(default_factory=list, description="Documents to draw on (doc_ids); empty: all.")

    @field_validator("region", "topic", mode="before")
    @classmethod
    def _one_line(cls, value: object) -> object:
        return one_line(value)


class DraftParagraph(BaseModel):
    """A paragraph with the markers it cites; `flagged` when none verified."""

    model_config = ConfigDict(extra="forbid")

    text: str
    citations: list[str] = Field(default_factory=list)
    flagged: bool = False
    unsupported: list[UnsupportedSentence] = Field(default_factory=list)


class DraftTable(BaseModel):
    """A table in a draft (key indicators, the policy mix): every cell comes from stored sources or metadata."""

    model_config = ConfigDict(extra="forbid")

    caption: str
    header: list[str]
    rows: list[list[str]]
    citations: list[str] = Field(default_factory=list, description="The markers its cells cite.")


class DraftSection(BaseModel):
    """One section of the draft (its heading comes from the editable template)."""

    model_config = ConfigDict(extra="forbid")

    key: str
    heading: str
    paragraphs: list[DraftParagraph] = Field(default_factory=list)
    tables: list[DraftTable] = Field(default_factory=list)


class Draft(BaseModel):
    """A drafted strategy section with its verified reference list."""

    model_config = ConfigDict(extra="forbid")

    title: str
    region: str
    topic: str
    language: Lang
    guidelines: list[str] = Field(default_factory=list)
    docs: list[str] = Field(default_factory=list, description="The documents it was limited to; empty: all.")
    sections: list[DraftSection]
    references: list[Citation]
    references_heading: str
    flag_text: str
    backend: str
    generic: bool = Field(False, description="The corpus says nothing specific about the topic.")
    notices: list[str] = Field(default_factory=list)
    dropped_citations: list[DroppedCitation] = Field(default_factory=list)
    checks: list[SentenceCheck] = Field(default_factory=list, description="Every generated sentence, as judged.")
    timings_ms: dict[str, float] = Field(default_factory=dict)


class DocumentRequest(BaseModel):
    """A whole strategy document for a region: its topics (empty: the region strategy's own axes)."""

    model_config = ConfigDict(extra="forbid")

    region: str = Field(min_length=1, max_length=120)
    topics: list[str] = Field(default_factory=list, max_length=6)
    language: Lang | None = Field(None, description="None: the language the region and topics are written in.")
    docs: list[str] = Field(default_factory=list, description="Documents to draw on (doc_ids); empty: all.")

    @field_validator("region", mode="before")
    @classmethod
    def _one_line(cls, value: object) -> object:
        return one_line(value)

    @field_validator("topics", mode="before")
    @classmethod
    def _topics(cls, value: object) -> object:
        return [one_line(v)[:300] for v in value if str(v).strip()] if isinstance(value, list) else value


class Chapter(BaseModel):
    """One chapter of a strategy document: its sections (a section with no heading is the chapter's body)."""

    model_config = ConfigDict(extra="forbid")

    key: str
    heading: str
    sections: list[DraftSection] = Field(default_factory=list)


class StrategyDocument(BaseModel):
    """A whole regional strategy document: chapters, every paragraph and table cell cited, one reference list."""

    model_config = ConfigDict(extra="forbid")

    title: str
    subtitle: str
    region: str
    topics: list[str]
    language: Lang
    docs: list[str] = Field(default_factory=list)
    region_docs: list[str] = Field(default_factory=list, description="The user's documents that name the region.")
    chapters: list[Chapter]
    references: list[Citation]
    references_heading: str
    contents_heading: str
    flag_text: str
    backend: str
    notices: list[str] = Field(default_factory=list)
    dropped_citations: list[DroppedCitation] = Field(default_factory=list)
    checks: list[SentenceCheck] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)


Answer.model_rebuild()  # `draft` and `document` name models defined below Answer
