"""Exact lookups recognised in a question: a recommendation, a Panorama page, a guideline."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.models import Turn
from ingestion.booklet import ROMANS

_REC = re.compile(r"\b(?:recomendaci[oó]n(?:es)?|recommendations?|rec\.?|n[º°o]\.?)\s*(?:n[º°o]\.?\s*|n[úu]mero\s+|number\s+)?(\d{1,4})\b"
                  r"|\bR\s?(\d{1,4})\b", re.IGNORECASE)
_PAGE = re.compile(r"\b(?:p[áa]gina|p[áa]g\.|page|p\.)\s*(\d{1,4})\b", re.IGNORECASE)
_GUIDE = re.compile(r"\b(?:lineamiento|guideline)\s+([IVXL]+|\d{1,2})\b", re.IGNORECASE)
_NEXT = re.compile(r"\b(la siguiente|el siguiente|la pr[oó]xima|next one|the next|following one)\b", re.I)
# An outline code of a region's own strategy: "OE 2.2.3", "objetivo 2.2.3", "LE 1.2", "Eje 4"
_CODE = re.compile(r"\b(?:OE|LE|AE|Eje|objetivos?(?:\s+estrat[ée]gicos?)?|objectives?|lineamiento\s+estrat[ée]gico|"
                   r"acci[oó]n\s+estrat[ée]gica)\s+\d{1,2}(?:\.\d{1,2}){0,3}\b(?!\.\d)", re.IGNORECASE)
_PREV = re.compile(r"\b(la anterior|el anterior|previous one|the previous)\b", re.IGNORECASE)


class Lookup(BaseModel):
    """What an exact lookup asks for."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["recommendation", "page", "guideline", "code"]
    value: int | str

    def label(self) -> str:
        """A short tag for the Answer (`recommendation:42`)."""
        return f"{self.kind}:{self.value}"


def _to_roman(token: str) -> str:
    if token.isdigit():
        n = int(token)
        return ROMANS[n - 1] if 0 < n <= len(ROMANS) else token
    return token.upper()


def last_recommendation(history: Sequence[Turn]) -> int | None:
    """The recommendation the conversation was last about (a user question or a cited [R42])."""
    for turn in reversed(history):
        nums = [int(a or b) for a, b in _REC.findall(turn.content)]
        if nums:
            return nums[0]
    return None


def find_code(question: str) -> str | None:
    """The one outline code a short question names ('OE 2.2.3'), if it names exactly one."""
    from ingestion.structure import outline_code

    codes = {outline_code(m.group(0).replace("objectives", "objetivo").replace("objective", "objetivo"), bare=True)
             for m in _CODE.finditer(question)}
    codes.discard(None)
    return codes.pop() if len(codes) == 1 and len(question) < 200 else None


def find_lookup(question: str, history: Sequence[Turn] = ()) -> Lookup | None:
    """The exact lookup a question asks for, or None for an open question."""
    if code := find_code(question):
        return Lookup(kind="code", value=code)
    recs = [int(a or b) for a, b in _REC.findall(question)]
    if len(recs) == 1 and len(question) < 200:
        return Lookup(kind="recommendation", value=recs[0])
    if m := _GUIDE.search(question):
        return Lookup(kind="guideline", value=_to_roman(m.group(1)))
    if (m := _PAGE.search(question)) and len(question) < 200:
        return Lookup(kind="page", value=int(m.group(1)))
    step = 1 if _NEXT.search(question) else -1 if _PREV.search(question) else 0
    if step and (last := last_recommendation(history)) is not None:
        return Lookup(kind="recommendation", value=last + step)
    return None
