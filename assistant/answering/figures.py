"""Questions that ask for a figure: tables first, and a refusal when no passage holds what was named.

A region's indicator tables hold a figure with its row and column; the prose around them only rounds
it. When a figure question names a year or a place that none of the retrieved passages holds, the
library has no such figure: the answer says so and says what to upload, instead of quoting the
nearest table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vectorstore.glossary import expand, expand_indicators
from vectorstore.models import Hit
from vectorstore.terms import bilingual, fold, meets, text_language, tokenize

_FIGURE = re.compile(
    r"\b(?:cu[áa]nt[oa]s?|qu[ée] (?:porcentaje|proporci[óo]n|tasa|cantidad|n[úu]mero|monto|valor|superficie)|"
    r"cu[áa]l (?:fue|era|es) (?:la|el) (?:tasa|porcentaje|proporci[óo]n|n[úu]mero|cifra|valor|monto|poblaci[óo]n|"
    r"total|pib|presupuesto|costo|inversi[óo]n)|how (?:many|much)|what (?:was|is|were|are) the (?:\w+ ){0,3}(?:rate|share|number|value|"
    r"population|total|percentage|area|amount|gdp|budget|cost)|what (?:share|percentage|proportion)|"
    r"what (?:was|is|were|are) the (?:average|mean|median|annual|yearly)|"
    r"cu[áa]l (?:fue|era|es) (?:la|el) (?:promedio|media|\w+ (?:media|medio|promedio|anual))|"
    r"promedio de)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_CAP = r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+"
_NAME = re.compile(rf"(?<![¿¡.!?]\s)(?<!^)(?<!^¿)\b{_CAP}(?:\s+(?:de(?:l| la| los)?\s+)?{_CAP})*")
_NOT_NAMES = {"what", "how", "which", "the", "in", "cual", "cuanto", "cuantos", "cuanta", "cuantas", "que", "segun",
              "census", "censo", "region", "region's", "tabla", "table"}
# Words every figure question shares, in both stemmings (the list mixes the languages): the statistic's
# frame ("average annual"), the region and its documents. What is left is what the figure measures.
_GENERIC = bilingual("cuanto cuantos cuanta cuantas cual fue era tasa numero cantidad total valor monto cifra "
                     "porcentaje proporcion region regional comuna habia tenia registro registraron alcanzo "
                     "how many much what was were rate number total value share percentage proportion "
                     "region regional commune there had registered reached census censo year ano periodo period "
                     "estrategia strategy plan erd documento document informe report "
                     "promedio media mediana anual anuales average mean median annual yearly")


def asks_figure(question: str) -> bool:
    """Whether a question asks for a figure (a count, a rate, a share, an amount)."""
    return bool(_FIGURE.search(question))


def tables_first(hits: Sequence[Hit], question: str) -> list[Hit]:
    """For a figure question, the table passages retrieved come before the prose about them."""
    tables = [h for h in hits if h.chunk.table and h.chunk.kind in ("text",)]
    if not tables or not asks_figure(question):
        return list(hits)
    return tables + [h for h in hits if h not in tables]


def named(question: str) -> list[str]:
    """The years and proper names a question names (what a figure that answers it must be about)."""
    names = [m.group(0) for m in _NAME.finditer(question) if fold(m.group(0)) not in _NOT_NAMES]
    return list(dict.fromkeys(_YEAR.findall(question) + names))


def unheld(hits: Sequence[Hit], question: str) -> list[str]:
    """What a figure question names that no retrieved passage holds, when a region's documents were retrieved.

    Empty when the question asks no figure, when none of the user's own documents (tables or sections)
    was retrieved (the booklet alone answers as before), or when some passage holds every year and name
    the question gives. A region's prose counts too: "¿Cuál fue el PIB de la región en 2022?" over a
    strategy whose diagnosis speaks of population and poverty, but never of GDP, has no such figure.
    """
    regional = [bool(h.chunk.table or h.chunk.section) for h in hits]  # a user's table or section
    if not asks_figure(question) or not any(regional):
        return []
    wanted = named(question)
    measure = _measure(question, wanted)
    texts = [" ".join([h.chunk.text, h.chunk.section or "", h.chunk.doc_id.replace("-", " ")]) for h in hits]
    about = [any(meets(m, set(tokenize(t))) for m in measure) for t in texts]
    # An English question's measure meets the Spanish passages through the indicator glossary's Spanish
    # forms (`_measure`); one that meets none of them in either language is not held either ("How many
    # hospital beds…?"): a figure is refused rather than answered with passages about something else.
    # The booklet speaks of budgets and rates in general and holds no region's figure: when none of the
    # user's passages speaks of what is measured, name that ("¿Cuál es el presupuesto total de la estrategia…?").
    if not any(a and r for a, r in zip(about, regional, strict=True)):
        lang = text_language(question)
        return [w for w in dict.fromkeys(re.findall(r"[^\W\d_]+", question))
                if set(tokenize(w, lang)) & measure] or wanted[:1]

    def holds(i: int) -> set[str]:
        """The named terms passage i holds, if it is about what is measured (none otherwise)."""
        if not about[i]:
            return set()
        return {w for w in wanted if fold(w) in fold(texts[i])}

    best = max((holds(i) for i in range(len(hits))), key=len, default=set())
    return [] if best and len(best) == len(wanted) else [w for w in wanted if w not in best] or wanted[:1]


def _measure(question: str, names: list[str]) -> set[str]:
    """What the question measures: its content words with their Spanish glossary forms.

    The names, years and the words every figure question shares are left out.
    """
    lang = text_language(question)  # a name is stemmed as the question is ('Puerto' alone reads as Spanish)
    own = {t for n in names for t in tokenize(n, lang)}
    base = [t for t in tokenize(question, lang) if t not in own and t not in _GENERIC and not t.isdigit()]
    return (set(expand(base)) | set(expand_indicators(base))) - _GENERIC
