"""Guess whether a question is in Spanish or English (the answer follows the question)."""

from __future__ import annotations

import re

from assistant.messages import Lang

_ES = set("el la los las de del que qué y en un una por para con cómo como cuál cuáles es son se "
          "su sus al lo más mi esta este qué dónde cuándo sobre puede pueden hay debe recomendación "
          "región políticas política siguiente anterior".split())
_EN = set("the of and to in is are what how which for with on by can should does do this that "
          "these my our about recommendation region policy policies next previous who why".split())


def language_scores(text: str) -> tuple[float, float]:
    """(Spanish, English) evidence: function words, and Spanish marks."""
    words = re.findall(r"[a-záéíóúñü]+", text.lower())
    # Accents also occur in place names ("Nuevo León"), so they weigh less than ¿ and ¡.
    es = sum(w in _ES for w in words) + 2 * len(re.findall(r"[¿¡]", text)) + 0.5 * len(re.findall(r"[ñáéíóú]", text.lower()))
    en = sum(w in _EN for w in words)
    return es, en


def detect_language(text: str) -> Lang:
    """'es' or 'en' by function words and Spanish marks; Spanish when unsure (our users' default)."""
    es, en = language_scores(text)
    return "en" if en > es else "es"
