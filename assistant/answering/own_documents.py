"""Questions that point at the user's own documents: "¿Qué dice la estrategia sobre…?", "the plan's objective on…".

The booklet speaks of strategies, objectives and plans on every page, so such a question retrieves
recommendations first and the region's own strategy, which it asks about, comes far behind. When a
question points at "the strategy" (or a plan, an objective, a line of action) and the library holds
documents of the user's, those are searched on their own and answer first: alone for a question about
what they say, and beside the indicator rows for a figure question that names the strategy's aim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from assistant.language import detect_language
from ingestion.structure import code_level
from vectorstore.glossary import expand_indicators
from vectorstore.models import Hit
from vectorstore.terms import meets, tokenize

_POINTS = re.compile(
    r"\b(?:(?:la|esta|nuestra|su|dicha)\s+(?:estrategia|erd|pol[íi]tica regional|planificaci[óo]n)|"
    r"(?:el|este|nuestro|su)\s+(?:plan(?: regional| de desarrollo)?|pladeco)|"
    r"objetivos?(?: estrat[ée]gicos?| espec[íi]ficos?)?(?= de la estrategia| del plan| de la erd)|"
    r"qu[ée] objetivos?|cu[áa]l(?:es)? (?:es|son) el objetivo|lineamientos? estrat[ée]gicos?|ejes? estrat[ée]gicos?|"
    r"(?:the|this|our|its)\s+(?:(?:regional |development |region's |regional development )?strategy|plan)|"
    r"(?:which|what) (?:objective|strategic objective|line of action|goal|target)s?|"
    r"qu[ée] metas?|cu[áa]l(?:es)? (?:es|son) (?:la|las) metas?)\b",
    re.IGNORECASE)
# What a question asks for, not what it is about: the goal ("qué meta", "what target") and the places
# ("en qué comunas", "in which communes"). A strategy writes "Meta al 2030" under every objective and
# "comuna" in many, so these words pull the search toward whichever objective repeats them (a question on
# rural tourism's goal and communes found the broadband objective's "cada comuna" first).
_ASKED_FOR = re.compile(
    r"\b(?:(?:en|de|para)\s+)?(?:qu[ée]|cu[áa]l(?:es)?)\s+(?:(?:es|son)\s+(?:la|las|el|los)\s+)?"
    r"(?:metas?|comunas?|localidades)\b|"
    r"\b(?:(?:in|for)\s+)?(?:which|what)\s+(?:(?:is|are)\s+the\s+)?(?:targets?|goals?|communes?|municipalities)\b",
    re.IGNORECASE)
_ASKING = set(tokenize("dice dicen habla hablan menciona mencionan plantea plantean propone proponen contempla "
                       "trata tratan respecto acerca"))
_OBJECTIVE = re.compile(r"\b(?:objetivos?|objectives?|lineamientos?|l[íi]neas? de acci[óo]n|lines? of action|"
                        r"acci[óo]n(?:es)? estrat[ée]gicas?|ejes?)\b", re.IGNORECASE)
_ADVICE = re.compile(r"\b(?:c[oó]mo|qu[ée])\s+(?:deber[ií]a|deber[ií]an|debe|deben|podr[ií]a|podr[ií]an|puede|pueden)\b|"
                     r"\bhow\s+(?:should|can|could|might|would)\b|\bwhat\s+should\b|\brecomi[ée]nd|\brecomendaci|"
                     r"\brecommend|\badvi[cs]e|\baconsej|\bsugier|\bsuggest|\bcepal\b|\beclac\b", re.IGNORECASE)
USER_KINDS = ("text",)  # the bundled corpus is a booklet of recommendations and a slide deck


def points_at_own(question: str) -> bool:
    """Whether a question asks what "the strategy", "the plan" or its objectives say, not for advice:
    "¿Cómo debería nuestra estrategia abordar…?" and "¿Qué recomienda la CEPAL para la estrategia…?"
    ask what ECLAC advises, and the booklet answers them as before."""
    return bool(_POINTS.search(question)) and not _ADVICE.search(question)


def topic(question: str) -> str:
    """The question without the words that point at the document: what it is about ("the strategy" matches
    every line of a strategy that names itself, and none of those on the subject asked)."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", question) if s.strip()]
    pointing = next((s for s in sentences if _POINTS.search(s)), question)  # "The strategy wants X. How many…?"
    left = " ".join(_POINTS.sub(" ", _ASKED_FOR.sub(" ", pointing)).split())
    return left if re.search(r"\w{3,}", left) else question


def own_query(question: str) -> str:
    """What the user's documents are searched with: the topic, and for an English question the Spanish
    words a region's documents use for its terms ("dairy" -> leche, lechería, lácteos)."""
    about = topic(question)
    if detect_language(question) != "en":
        return about
    terms = tokenize(about)
    spanish = [t for t in dict.fromkeys(expand_indicators(terms)) if t not in terms]
    return f"{about} {' '.join(spanish)}" if spanish else about


def own_filter(store: Any, where: dict[str, Any] | None) -> dict[str, Any] | None:
    """A retrieval filter for the user's own documents (within `where`); None when there are none."""
    ids = [r.doc_id for r in store.documents() if r.kind in USER_KINDS]
    if where and "doc_id" in where:
        allowed = set(where["doc_id"].get("$in", []))
        ids = [i for i in ids if i in allowed]
    return {"doc_id": {"$in": ids}} if ids else None


def with_own(hits: Sequence[Hit], own: Sequence[Hit]) -> list[Hit]:
    """The own documents' passages first, then the rest of the hits (each passage once)."""
    seen = {h.id for h in own}
    return [*own, *(h for h in hits if h.id not in seen)]


def is_coded(hit: Hit) -> bool:
    """Whether a passage is filed under an outline code ("OE 2.2.1", "2.2.1"): a strategy's, not a report's
    chapter number or one of its tables."""
    code = hit.chunk.code
    return bool(code) and not code.isdigit() and not hit.chunk.table and hit.chunk.kind == "text"


def coded(hits: Sequence[Hit]) -> list[Hit]:
    """The passages filed under an outline code (`is_coded`)."""
    return [h for h in hits if is_coded(h)]


def preferred(question: str, own: Sequence[Hit]) -> list[Hit]:
    """What answers a question about the strategy: its coded passages when it asks for an objective or
    a line of action; else the passages of the documents that hold coded objectives (the strategy, not
    an indicators report beside it); else every passage of the user's documents."""
    objectives = coded(own)
    if objectives and (asked := _OBJECTIVE.search(question)):
        if asked.group(0).lower().startswith(("objetiv", "objectiv")):  # an objective, not the axis above it
            return [h for h in objectives if code_level(h.chunk.code or "") >= 3] or objectives
        return objectives
    strategies = {h.chunk.doc_id for h in objectives}
    return [h for h in own if h.chunk.doc_id in strategies] or list(own)


def strategy_kept(chosen: Sequence[Hit], own: Sequence[Hit], most: int) -> list[Hit]:
    """A choice that cites the strategy a question points at: its best coded passage joins the rows chosen."""
    objectives = coded(own)
    if not objectives or any(h.id == objectives[0].id for h in chosen):
        return list(chosen)
    return [*list(chosen)[: max(most - 1, 1)], objectives[0]]


def unaddressed(question: str, own: Sequence[Hit]) -> list[str]:
    """The words of a Spanish question's topic that no passage of the user's documents holds, when the
    best passage holds half of them or fewer: the documents do not address it ("¿Qué dice la estrategia
    sobre el hidrógeno verde?"). Empty otherwise, and for other languages, whose words a Spanish
    document does not share.
    """
    if not own or detect_language(question) != "es":
        return []
    words = [w for w in dict.fromkeys(re.findall(r"[^\W\d_][\w-]*", topic(question)))
             if (t := tokenize(w)) and t[0] not in _ASKING]
    if not words:
        return []
    held = [{w for w in words if meets(tokenize(w)[0], set(tokenize(f"{h.chunk.section or ''} {h.chunk.text}")))}
            for h in own]
    best = max(held, key=len)
    return [] if 2 * len(best) > len(words) else [w for w in words if w not in best]
