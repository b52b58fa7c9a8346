"""The language report: in an answer not written in Spanish, how many shown sentences are in the answer's
language, and how many of those are marked translations.

Each sentence the answer shows (the lead included) is split as citations split them, its markers and
the translation mark removed, and identified by py3langid (langid.py's model) among Spanish, English
and Portuguese. langid was chosen over the product's own function-word guess because that guess is
what the answer path uses to pick the language: a report that shares its judge would share its
mistakes. It is also what a reader sees: a quoted Spanish slide inside an English answer counts as
Spanish, quotation marks or not. Sentences under four words (a bare "- R79") are not judged, nor a
draft's reference list (the sources' original words and titles, quoted as metadata).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from assistant.answering.citations import BRACKET, SENTENCE_BREAK
from assistant.messages import TRANSLATED
from evals.support import REFERENCE_ENTRY
from vectorstore.terms import identifier

LANGUAGES = ["es", "en", "pt"]
MIN_WORDS = 4
_MARKS = re.compile("|".join(re.escape(f"({m})") for m in TRANSLATED.values()))


class LanguageCount(BaseModel):
    """An answer's shown sentences: judged, in the answer's language, and marked as translations."""

    model_config = ConfigDict(extra="forbid")

    sentences: int = 0
    in_language: int = 0
    translated: int = 0


def identify(sentence: str) -> str:
    """The language of one sentence, among LANGUAGES: the first of them in langid's ranking (the
    product's one langid model, `vectorstore.terms.identifier`, loaded once)."""
    return next(str(code) for code, _ in identifier().rank(sentence) if code in LANGUAGES)


def shown_sentences(text: str) -> list[tuple[str, bool]]:
    """(sentence without markers or marks, whether it is a marked translation), for each judged sentence."""
    out = []
    lines = [line for line in text.splitlines() if not REFERENCE_ENTRY.match(line)]  # a draft's reference list
    for raw in SENTENCE_BREAK.split("\n".join(lines)):
        marked = bool(_MARKS.search(raw))
        clean = " ".join(_MARKS.sub("", BRACKET.sub("", raw)).replace("«", "").replace("»", "").split()).strip("- ")
        if len(clean.split()) >= MIN_WORDS:
            out.append((clean, marked))
    return out


def count(text: str, lang: str) -> LanguageCount:
    """How an answer's shown sentences stand against its language `lang`."""
    sentences = shown_sentences(text)
    return LanguageCount(sentences=len(sentences), in_language=sum(identify(s) == lang for s, _ in sentences),
                         translated=sum(marked for _, marked in sentences))
