"""The language of a question: the one the answer is written in (Spanish or English), and the one it was
asked in when that is neither.

`detect_language` decides between Spanish and English by function words and Spanish marks (tuned on
the eval sets; Spanish when unsure). `asked_language` names any other language, with py3langid
(langid.py's model, 97 languages, bundled in the wheel; BSD): Portuguese questions, ECLAC's third
language, and questions in languages the product does not write, so that the answer says so before
answering in Spanish instead of switching silently. langid alone mistakes short Spanish questions
for Galician or Portuguese ("Iniciativas clúster": Galician, 0.18), so another language is named only
when langid is confident, the question is long enough to judge, and it has no Spanish marks and no
more English function words than Spanish ones ("Give me a recipe for empanadas" is not Portuguese).
"""

from __future__ import annotations

import functools
import re

from assistant.messages import Lang
from vectorstore.terms import language_scores

__all__ = ["asked_language", "detect_language", "has_words", "language_scores"]

_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿĀ-ɏ]")
CONFIDENT = 0.5  # langid's normalised probability for a language other than Spanish or English
MIN_WORDS = 3
# The languages a question is told apart among: ECLAC's three, the region's others (French, Dutch,
# Haitian Creole), and widely written ones. Left out: languages few write questions in that langid
# confuses with English or Spanish ("Explain quantum computing": Latin; short Spanish: Galician).
CANDIDATES = ["es", "en", "pt", "fr", "nl", "ht", "de", "it", "zh", "ja", "ko", "ru", "ar", "hi", "uk", "pl", "tr"]


def detect_language(text: str) -> Lang:
    """'es' or 'en' by function words and Spanish marks; Spanish when unsure (our users' default)."""
    es, en = language_scores(text)
    return "en" if en > es else "es"


def has_words(text: str) -> bool:
    """Whether a text has a word to ask with (a letter or a number), not only emoji or punctuation."""
    return bool(_LETTER.search(text) or re.search(r"\d", text))


@functools.cache
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(CANDIDATES)
    return identifier


def asked_language(text: str) -> str:
    """The question's language as an ISO 639-1 code: 'es' or 'en' (as `detect_language` says), or
    another language langid is sure of ('pt', 'fr', 'zh', …); a text in another script is never
    Spanish or English."""
    letters = _LETTER.findall(text)
    latin = sum(bool(_LATIN.match(ch)) for ch in letters)
    if letters and latin < len(letters) / 2:  # mostly another script: Chinese, Arabic, Cyrillic, …
        code, _ = _identifier().classify(text)
        return code if code not in ("es", "en") else "und"
    guess = detect_language(text)
    if guess == "en" or len(text.split()) < MIN_WORDS or re.search(r"[¿¡ñ]", text):
        return guess  # English function words outweigh Spanish ones: langid is not asked
    code, probability = _identifier().classify(text)
    if code in ("es", "en") or probability < CONFIDENT:
        return guess
    return str(code)
