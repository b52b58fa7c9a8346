"""The editable draft template (prompts/draft_<lang>.json): headings, retrieval queries, lead-ins."""

from __future__ import annotations

import functools
import json
import string
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from assistant.messages import Lang
from assistant.prompts import PromptError

_T = TypeVar("_T", bound=BaseModel)
SECTION_KEYS = ("context", "goals", "actions", "governance", "monitoring")
_ALLOWED = {"region", "topic"}


class SectionSpec(BaseModel):
    """One section of the template."""

    model_config = ConfigDict(extra="forbid")

    key: str
    heading: str
    query: str
    intro: str = ""

    @field_validator("heading", "query", "intro", mode="after")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        fields = {f for _, f, _, _ in string.Formatter().parse(value) if f}
        if not fields <= _ALLOWED:
            raise ValueError(f"unknown placeholders {sorted(fields - _ALLOWED)} (allowed: region, topic)")
        return value


class DraftTemplate(BaseModel):
    """The whole template; section keys must be exactly SECTION_KEYS, in order."""

    model_config = ConfigDict(extra="forbid")

    title: str
    references_heading: str
    flag: str
    sections: list[SectionSpec]

    @field_validator("sections")
    @classmethod
    def _keys(cls, sections: list[SectionSpec]) -> list[SectionSpec]:
        if tuple(s.key for s in sections) != SECTION_KEYS:
            raise ValueError(f"sections must be {', '.join(SECTION_KEYS)} in this order")
        return sections


@functools.cache
def load_template(lang: Lang) -> DraftTemplate:
    """The validated draft template for a language."""
    return _load(f"draft_{lang}.json", DraftTemplate)


def _load(name: str, model: type[_T]) -> _T:
    """A template file of prompts/, validated; a broken one is one line naming the file."""
    try:
        return model(**json.loads(resources.files("prompts").joinpath(name).read_text(encoding="utf-8")))
    except (json.JSONDecodeError, ValidationError, FileNotFoundError) as exc:
        raise PromptError(f"prompts/{name}: {str(exc).splitlines()[0]}") from None


CHAPTER_KEYS = ("diagnosis", "objectives", "goals", "policy_mix", "actions", "capacities", "governance")


class DocumentTemplate(BaseModel):
    """A whole strategy document's fixed words (prompts/document_<lang>.json): title, chapter headings, lead-ins."""

    model_config = ConfigDict(extra="forbid")

    title: str
    subtitle: str
    contents_heading: str
    references_heading: str
    flag: str
    default_topics: list[str]
    chapters: dict[str, str]
    sections: dict[str, str]
    text: dict[str, str | list[str] | dict[str, str]]

    @field_validator("chapters")
    @classmethod
    def _chapters(cls, chapters: dict[str, str]) -> dict[str, str]:
        if tuple(chapters) != CHAPTER_KEYS:
            raise ValueError(f"chapters must be {', '.join(CHAPTER_KEYS)} in this order")
        return chapters

    def say(self, key: str, **fill: str) -> str:
        """One of the template's sentences, filled in."""
        value = self.text[key]
        assert isinstance(value, str), key
        return value.format(**fill)


@functools.cache
def load_document_template(lang: Lang) -> DocumentTemplate:
    """The validated whole-document template for a language."""
    return _load(f"document_{lang}.json", DocumentTemplate)
