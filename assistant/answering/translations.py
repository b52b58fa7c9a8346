"""English readers read English: a source's reviewed English rendering, shown as a marked translation.

Where an English answer or draft would quote the Spanish words of a recommendation or of a slide of
the bundled deck (the extractive backend, or a generated sentence the support gate rejected), it shows
the source's English rendering (`ingestion/renderings_en.json`) instead, in guillemets and followed by
"(translated from the Spanish)". The citation stays the original's: its stored text is the Spanish,
and its chip is marked as a translation with the Spanish one click away (`Citation.translation`). Sources without a rendering
(a user's documents) are quoted in their own language, inside guillemets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.messages import TRANSLATED
from assistant.models import Citation
from ingestion.renderings import english_text, guideline_en, recommendation_en, slide_en
from vectorstore.models import Hit

_MARK = re.compile(r"«([^«»]+)»\s*\((?:" + "|".join(re.escape(m) for m in TRANSLATED.values()) + r")\)")


def rendering(hit: Hit, lang: str) -> str | None:
    """The text an answer in `lang` shows for this source instead of its Spanish, if there is one."""
    return english_text(hit.chunk) if lang == "en" else None


def or_original(hit: Hit, lang: str, original: str) -> str:
    """What an answer in `lang` shows for a source: its rendering, marked, if it has one; else `original`."""
    english = rendering(hit, lang)
    return translated(english, lang) if english else original


def title(guideline: str | None, spanish: str | None, lang: str) -> str:
    """A guideline's title as an answer in `lang` names it: its English rendering, marked, in English."""
    english = guideline_en(guideline, spanish) if lang == "en" else None
    return f"{english}, {TRANSLATED[lang]}" if english else spanish or ""  # type: ignore[index]


def translated(text: str, lang: str) -> str:
    """'«text» (translated from the Spanish)'."""
    return f"«{text}» ({TRANSLATED[lang]})"  # type: ignore[index]


def shown(text: str, lang: str) -> str:
    """A source's own words as an answer in `lang` shows them: as they are in Spanish, in guillemets
    otherwise (the words are the source's, not the answer's language)."""
    return text if lang == "es" or text.startswith("«") else f"«{text}»"


def translated_sentences(text: str) -> list[str]:
    """The translations an answer's text shows (the words inside each marked quote)."""
    return _MARK.findall(text)


def mark(citations: Sequence[Citation], text: str, lang: str) -> list[Citation]:
    """The citations, each whose English rendering the text shows carrying it as `translation`."""
    if lang != "en":
        return list(citations)
    quoted = set(translated_sentences(text))
    out = []
    for cit in citations:
        english = english_of(cit)
        if english and any(english.startswith(q.rstrip("…").rstrip()) for q in quoted):
            cit = cit.model_copy(update={"translation": english})
        out.append(cit)
    return out


def english_of(cit: Citation) -> str | None:
    """A cited source's English rendering, if it has one (whether or not an answer showed it)."""
    if cit.recommendation:
        return recommendation_en(cit.recommendation, cit.text)
    return slide_en(cit.doc_id, cit.page, cit.text)
