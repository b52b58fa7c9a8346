"""Does the cited text support the sentence that cites it? A cheap lexical judge for every run.

The optional model judge and its agreement with hand labels live in `evals.judge`.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from assistant.answering.citations import BRACKET, SENTENCE_BREAK
from assistant.models import Answer, Citation
from vectorstore.glossary import expand
from vectorstore.terms import bilingual, tokenize

# A draft's reference entry, as `assistant.drafting.export.to_markdown` writes it: "- **[R80]** …".
REFERENCE_ENTRY = re.compile(r"^\s*- \*\*\[[^\]]+\]\*\*")
MIN_WORDS = 3
LEXICAL_THRESHOLD = 0.5


class JudgedSentence(BaseModel):
    """A sentence of an answer that cites something, and the lexical judge's verdict."""

    model_config = ConfigDict(extra="forbid")

    text: str
    markers: list[str] = Field(default_factory=list)
    lexical: bool


def cited_sentences(text: str, known: set[str]) -> list[tuple[str, list[str]]]:
    """(sentence, markers) for every sentence with at least one verified marker and enough words.

    Sentences are split as the verifier splits them. A draft's reference list is metadata, not a
    claim: not judged.
    """
    out = []
    for line in text.splitlines():
        if REFERENCE_ENTRY.match(line):
            continue
        for part in SENTENCE_BREAK.split(line):
            sentence = part.strip()
            markers = [m for m in BRACKET.findall(sentence) if m in known]
            if markers and len(set(tokenize(BRACKET.sub("", sentence)))) >= MIN_WORDS:
                out.append((sentence, list(dict.fromkeys(markers))))
    return out


def lexical_supported(sentence: str, sources: str) -> bool:
    """At least half of the sentence's content words occur in the cited texts.

    Words are folded and stemmed; English ones also count through the glossary's Spanish terms. The
    cited texts are stemmed both ways: they may hold a recommendation's English rendering beside its
    Spanish (`cited_text`).
    """
    own = set(tokenize(BRACKET.sub("", sentence)))
    if not own:
        return False
    words = set(expand(list(own)))
    return len(words & bilingual(sources)) / len(own) >= LEXICAL_THRESHOLD


def cited_text(c: Citation) -> str:
    """What a citation's sentences are judged against: its stored text, and the English rendering an
    English answer showed in its place (a marked translation restates the rendering)."""
    return f"{c.text}\n{c.translation}" if c.translation else c.text


def judge(ans: Answer) -> list[JudgedSentence]:
    """Every cited sentence of `ans` with the lexical verdict."""
    return judge_text(ans.answer, {c.marker: cited_text(c) for c in ans.citations})


def judge_text(text: str, sources: dict[str, str]) -> list[JudgedSentence]:
    """Every cited sentence of an answer text, given the cited texts by marker (as stored in a run)."""
    return [JudgedSentence(text=s, markers=m, lexical=lexical_supported(s, " ".join(sources[x] for x in m)))
            for s, m in cited_sentences(text, set(sources))]


def support(judged: list[JudgedSentence]) -> float | None:
    """Share of judged sentences the lexical judge finds supported; None when nothing was judged."""
    return sum(j.lexical for j in judged) / len(judged) if judged else None
