"""A region's own documents in its draft: which of them speak of the region, and what they say on the topic.

The booklet and the slides say nothing region-specific, so a draft built on them alone tells the
region to "complete its own data with the local diagnosis" while the library may hold exactly that
diagnosis. A user's document counts as the region's when its text names the region (not its file
name). Its passages on the topic are quoted as they stand (a table's matching rows with their
column labels, a strategy's matching objectives with their codes) and cited to their own page or
part: every figure shown is the document's own, never a model's restatement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from assistant.answering.extractive import passage
from assistant.answering.own_documents import USER_KINDS, own_query
from vectorstore.models import Hit
from vectorstore.terms import fold

_STRATEGY_OF = re.compile(
    r"^(?:(?:la|una|el|un|nuestra)\s+)?(?:estrategia|erd|pol[íi]tica|plan)(?:\s+regional)?"
    r"(?:\s+de\s+(?:desarrollo|fomento)(?:\s+productivo)?)?(?:\s+regional)?\s+(?:de|del|para)\s+(?:la\s+)?", re.IGNORECASE)
_REGION_OF = re.compile(r"^(?:(?:la|the)\s+)?(?:regi[óo]n|region)\s+(?:de\s+|del\s+|of\s+)", re.IGNORECASE)
_EN_TAIL = re.compile(r"(?:\s+region)?(?:'s|’s)?(?:\s+(?:regional\s+)?(?:development\s+|productive\s+)?"
                      r"(?:strategy|plan|policy))?$", re.IGNORECASE)
MOST = 3
_GENERIC_REGION = {"la region", "the region", "region", "mi region", "my region", ""}


def region_name(text: str) -> str:
    """The region a request names, without the words around it: "la estrategia de desarrollo de Los Ríos"
    -> "Los Ríos", "the Biobío region's strategy" -> "Biobío", "la Región de Aysén" -> "Aysén"."""
    name = text.strip().strip(".,;:?!")
    name = _STRATEGY_OF.sub("", name)
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    name = _REGION_OF.sub("", name)
    name = _EN_TAIL.sub("", name).strip()
    return name


def names_region(text: str, region: str) -> bool:
    """Whether a text names the region (accents and case aside, as a whole name)."""
    wanted = fold(region).strip()
    return bool(wanted) and re.search(rf"(?<![a-z0-9]){re.escape(wanted)}(?![a-z0-9])", fold(text)) is not None


def region_documents(store: Any, region: str, docs: Sequence[str] = ()) -> list[str]:
    """The user's documents (within `docs`, if given) whose text names the region."""
    region = region_name(region)
    if fold(region).strip() in _GENERIC_REGION:
        return []
    ids = [r.doc_id for r in store.documents() if r.kind in USER_KINDS and (not docs or r.doc_id in docs)]
    if not ids:
        return []
    named = {h.chunk.doc_id for h in store.get(where={"doc_id": {"$in": ids}}) if names_region(h.chunk.text, region)}
    return [d for d in ids if d in named]


def evidence(retriever: Any, store: Any, region: str, topic: str, docs: Sequence[str] = ()) -> list[Hit]:
    """The region's documents' best passages on the topic: a table's rows and a strategy's parts first,
    never a title block; none when no document of the user's names the region."""
    ids = region_documents(store, region, docs)
    if not ids:
        return []
    hits, _ = retriever.retrieve(own_query(topic), 8, where={"doc_id": {"$in": ids}})
    quotable = [h for h in hits if h.chunk.kind == "text"]
    tables = [h for h in quotable if h.chunk.table]
    coded = [h for h in quotable if h.chunk.code and not h.chunk.code.isdigit() and not h.chunk.table]
    first = [*tables[:1], *coded[:1]]
    rest = [h for h in quotable if h not in first]
    return (first + rest)[:MOST]


def evidence_items(hits: Sequence[Hit], topic: str, marker: Any) -> list[str]:
    """Each passage as one cited bullet: the rows or items that answer the topic, in the source's words."""
    return [f"- {passage(h, topic, 400)} [{marker(h)}]." for h in hits]
