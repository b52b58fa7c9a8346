"""The terms lexical matching works on: accent- and case-folded words, stemmed by Snowball (PyStemmer)
in the text's language, Spanish or English.

A text's language is guessed from its function words (`language_scores`), Spanish when unsure (the
corpus's language); callers that know it say so (the glossary's English keys, an answer's sentences).
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from typing import Literal

import Stemmer

Language = Literal["es", "en"]

_STOPWORDS = set("""
a al algo algun alguna algunas alguno algunos ante antes aqui asi aun cada como con contra cual
cuales cuando de del desde donde dos el ella ellas ello ellos en entre era es esa esas ese eso esos
esta estan estas este esto estos fue fueron ha han hay la las le les lo los mas me mi mis mucho muy
ni no nos o os otra otras otro otros para pero poco por porque que quien se sea segun ser si sin
sobre son su sus tal tambien tan te tiene tienen toda todas todo todos tu un una unas uno unos y ya
cabe puede pueden debe deben hacer hace como cuales cual que
the of and or to in on for by with from at as is are was were be been this that these those it its
an into about what which who how why when where can could should would do does did not no than then
there their them they we our you your i my me he she his her any all some such more most also so if
cepal eclac recommend recommends recommended recomienda recomiendan
""".split())
_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase and strip accents: 'Clúster' -> 'cluster', 'Ñuble' -> 'nuble'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_ES_WORDS = set("el la los las de del que qué y en un una por para con cómo como cuál cuáles es son se "
                "su sus al lo más mi esta este qué dónde cuándo sobre puede pueden hay debe recomendación "
                "región políticas política siguiente anterior".split())
_EN_WORDS = set("the of and to in is are what how which for with on by can should does do this that "
                "these my our about recommendation region policy policies next previous who why".split())


def language_scores(text: str) -> tuple[float, float]:
    """(Spanish, English) evidence: function words, and Spanish marks."""
    words = re.findall(r"[a-záéíóúñü]+", text.lower())
    # Accents also occur in place names ("Nuevo León"), so they weigh less than ¿ and ¡.
    es = (sum(w in _ES_WORDS for w in words) + 2 * len(re.findall(r"[¿¡]", text))
          + 0.5 * len(re.findall(r"[ñáéíóú]", text.lower())))
    en = sum(w in _EN_WORDS for w in words)
    return es, en


def text_language(text: str) -> Language:
    """'en' where English function words outweigh Spanish evidence, else 'es'."""
    es, en = language_scores(text)
    return "en" if en > es else "es"


def query_language(text: str) -> Language:
    """A question's language: by function words, and, where there is none ("Show me R54", "Cheaper
    evaluations using AI"), by langid between Spanish and English (`identifier`)."""
    es, en = language_scores(text)
    if es or en or not re.search(r"[^\W\d_]{3,}", text):
        return "en" if en > es else "es"
    ranked = dict(identifier().rank(text))
    return "en" if ranked.get("en", 0.0) > ranked.get("es", 0.0) else "es"


# The languages langid tells a question apart among: ECLAC's three, the region's others (French, Dutch,
# Haitian Creole), and widely written ones. Left out: languages few write questions in that langid
# confuses with English or Spanish ("Explain quantum computing": Latin; short Spanish: Galician).
CANDIDATES = ["es", "en", "pt", "fr", "nl", "ht", "de", "it", "zh", "ja", "ko", "ru", "ar", "hi", "uk", "pl", "tr"]


@functools.cache
def identifier():  # type: ignore[no-untyped-def]
    """py3langid's identifier (langid.py's model, bundled in the wheel; BSD) over CANDIDATES, loaded once."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    found = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    found.set_languages(CANDIDATES)
    return found


_LOCAL = threading.local()


def _stemmer(lang: Language) -> Stemmer.Stemmer:
    """This thread's stemmer for a language (PyStemmer's stemmers are not thread-safe; the app's
    sessions are threads)."""
    stemmers = _LOCAL.__dict__.setdefault("stemmers", {})
    if lang not in stemmers:
        stemmers[lang] = Stemmer.Stemmer({"es": "spanish", "en": "english"}[lang])
    return stemmers[lang]


def tokenize(text: str, lang: Language | None = None) -> list[str]:
    """Folded content words of a text, Snowball-stemmed in `lang` (guessed from the text when None):
    'evaluación', 'evaluar' -> 'evalu'; 'innovation', 'innovate' -> 'innov'."""
    words = [t for t in _TOKEN.findall(fold(text)) if t not in _STOPWORDS and len(t) > 1]
    return _stemmer(lang or text_language(text)).stemWords(words) if words else []


def bilingual(text: str) -> set[str]:
    """A word list's terms in both stemmings: for lists that mix Spanish and English words."""
    return set(tokenize(text, "es")) | set(tokenize(text, "en"))


def meets(word: str, terms: set[str]) -> bool:
    """Whether a term meets one of `terms`: the same stem, or a stem of the same word family that Snowball
    keeps apart (clúster/clústeres: 'clust'/'cluster'; emprendimiento/emprendedores), by a shared start."""
    if word in terms:
        return True
    return len(word) > 3 and any(
        len(t) > 3 and ((t.startswith(word) or word.startswith(t)) and abs(len(t) - len(word)) <= 2
                        or len(word) > 4 and len(t) > 4 and t[:5] == word[:5]) for t in terms)
