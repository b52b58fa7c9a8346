"""The language of a question: the one the answer is written in (Spanish or English), and the one it was
asked in when that is neither.

`detect_language` decides between Spanish and English by function words and Spanish marks (tuned on
the eval sets), and by langid where a question has none ("Show me R54", "Cheaper evaluations using
AI" had been answered in Spanish); Spanish when unsure. `asked_language` names any other language, with py3langid
(langid.py's model, 97 languages, bundled in the wheel; BSD): Portuguese questions, ECLAC's third
language, and questions in languages the product does not write, so that the answer says so before
answering in Spanish instead of switching silently. langid alone mistakes short Spanish questions
for Galician or Portuguese ("Iniciativas clúster": Galician, 0.18), so another language is named only
when langid is confident, the question is long enough to judge, and it has no Spanish marks and no
more English function words than Spanish ones ("Give me a recipe for empanadas" is not Portuguese).
"""

from __future__ import annotations

import re

from assistant.messages import Lang
from vectorstore.terms import identifier, language_scores, query_language

__all__ = ["asked_language", "detect_language", "has_words", "language_scores"]

_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿĀ-ɏ]")
CONFIDENT = 0.5  # langid's normalised probability for a language other than Spanish or English
MIN_WORDS = 3


def detect_language(text: str) -> Lang:
    """'es' or 'en' by function words and Spanish marks; by langid where there are none ("Show me R54");
    Spanish when unsure (our users' default)."""
    return query_language(text)


def has_words(text: str) -> bool:
    """Whether a text has a word to ask with (a letter or a number), not only emoji or punctuation."""
    return bool(_LETTER.search(text) or re.search(r"\d", text))


def asked_language(text: str) -> str:
    """The question's language as an ISO 639-1 code: 'es' or 'en' (as `detect_language` says), or
    another language langid is sure of ('pt', 'fr', 'zh', …); a text in another script is never
    Spanish or English."""
    letters = _LETTER.findall(text)
    latin = sum(bool(_LATIN.match(ch)) for ch in letters)
    if letters and latin < len(letters) / 2:  # mostly another script: Chinese, Arabic, Cyrillic, …
        code, _ = identifier().classify(text)
        return code if code not in ("es", "en") else "und"
    guess = detect_language(text)
    if guess == "en" or len(text.split()) < MIN_WORDS or re.search(r"[¿¡ñ]", text):
        return guess  # English function words outweigh Spanish ones: langid is not asked
    code, probability = identifier().classify(text)
    if code in ("es", "en") or probability < CONFIDENT:
        return guess
    return str(code)
