"""BM25 over accent- and case-folded text, with light plural stemming for Spanish and English."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

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


class BM25Index:
    """Okapi BM25 (k1=1.5, b=0.75) over a fixed list of texts."""

    def __init__(self, texts: list[str], k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.docs = [Counter(tokenize(t)) for t in texts]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg_len = (sum(self.lengths) / len(self.lengths)) if self.docs else 0.0
        df: Counter[str] = Counter()
        self.postings: dict[str, list[int]] = {}
        for i, doc in enumerate(self.docs):
            for term in doc:
                df[term] += 1
                self.postings.setdefault(term, []).append(i)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: str) -> dict[int, float]:
        """Positive BM25 scores by document position; documents sharing no term are absent."""
        from vectorstore.glossary import expand

        out: dict[int, float] = {}
        for term in set(expand(tokenize(query))):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i in self.postings[term]:
                tf = self.docs[i][term]
                norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[i] / (self.avg_len or 1))
                out[i] = out.get(i, 0.0) + idf * tf * (self.k1 + 1) / norm
        return out

    def top(self, query: str, n: int) -> list[tuple[int, float]]:
        """The n best (position, score) pairs."""
        return sorted(self.scores(query).items(), key=lambda kv: -kv[1])[:n]
