"""The terms lexical matching works on: accent- and case-folded words, light plural stemming (es, en)."""

from __future__ import annotations

import re
import unicodedata

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


def _stem(token: str) -> str:
    if len(token) > 5 and token.endswith("es") and token[-3] not in "aeiou":
        return token[:-2]  # clusteres -> cluster, regiones -> region
    if len(token) > 3 and token.endswith("s"):
        return token[:-1]  # iniciativas -> iniciativa, policies -> policie
    return token


def tokenize(text: str) -> list[str]:
    """Folded, stemmed content words of a text."""
    return [_stem(t) for t in _TOKEN.findall(fold(text)) if t not in _STOPWORDS and len(t) > 1]


def meets(word: str, terms: set[str]) -> bool:
    """Whether a term meets one of `terms`, itself or an inflection of it: grandes/grande, rurales/rural,
    desocupación/desocupados (a shared five-letter stem)."""
    if word in terms:
        return True
    return len(word) > 3 and any(
        len(t) > 3 and ((t.startswith(word) or word.startswith(t)) and abs(len(t) - len(word)) <= 2
                        or len(word) > 4 and len(t) > 4 and t[:5] == word[:5]) for t in terms)
