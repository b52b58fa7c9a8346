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

from assistant.answering import translations
from assistant.answering.extractive import passage
from assistant.answering.own_documents import USER_KINDS, coded, own_query
from ingestion.sections import read_table_text
from vectorstore.models import Hit
from vectorstore.terms import bilingual, fold, meets, tokenize

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
    """The region's documents' best passages on the topic: a table's rows (one that shares a word with the
    topic) and a strategy's parts first, never a title block; none when no document of the user's names
    the region."""
    ids = region_documents(store, region, docs)
    if not ids:
        return []
    query = own_query(topic)
    hits, _ = retriever.retrieve(query, 8, where={"doc_id": {"$in": ids}})
    # A table is quoted only when it shares a word with the topic: retrieval ranks some table first for
    # almost anything ("innovación" met the employment-by-sector table), and its rows would then be noise.
    quotable = [h for h in hits if h.chunk.kind == "text" and (not h.chunk.table or shared(query, h.chunk.text) >= 1)]
    tables = [h for h in quotable if h.chunk.table]
    objectives = coded(quotable)
    first = [*tables[:1], *objectives[:1]]
    rest = [h for h in quotable if h not in first]
    return (first + rest)[:MOST]


def evidence_items(hits: Sequence[Hit], topic: str, marker: Any, lang: str = "es") -> list[str]:
    """Each passage as one cited bullet: the rows or items that answer the topic, in the source's words
    (in guillemets in a draft that is not in Spanish)."""
    return [f"- {translations.shown(passage(h, topic, 400), lang)} [{marker(h)}]." for h in hits]


_TOTAL = re.compile(r"^(?:total|regi[óo]n|regional|ambos sexos|both sexes)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_CAPTION_NUMBER = re.compile(r"^(?:tabla|cuadro|table|gr[áa]fico)\s+[\w.-]+[.:]?\s*", re.IGNORECASE)
_YEARS_TAIL = re.compile(r",?\s*(?:censos?\s+|a[ñn]os?\s+)?(?:(?:19|20)\d{2}(?:\s*(?:[-–,]|y|and)\s*)?)+$", re.IGNORECASE)
_BREAKDOWN = re.compile(r"\s+(?:por|seg[úu]n|by)\s+.+$", re.IGNORECASE)
MIN_SHARED = 2
_OBJECTIVE = re.compile(r"\d+\.\d+")  # content words a passage must share with what it is matched to


_COMMON = bilingual("""desarrollo productivo productiva región regional regionales política fortalecer promover
mejorar impulsar development productive policy policies hacia mediante través ello veces mucha forma parte
toward through cerrar brecha orientar construcción implementar crear desarrollar generar sistema mecanismo
actores gap close create system""")


_INFINITIVE = re.compile(r"(?:ar|er|ir)$")


def shared(a: str, b: str) -> int:
    """Content words of `a` that meet one of `b`'s (inflections included), leaving aside the words every
    line of a productive strategy uses ("desarrollo", "productivo", "fortalecer"…) and the verb a line of
    action opens with ("Trabajar en agendas…": "trabajar" meeting "trabajan" had tied an export agenda
    to an English-for-tourism objective)."""
    words = tokenize(a)
    opening = re.match(r"[^\w]*(\w+)", fold(a))
    if words and opening and _INFINITIVE.search(opening.group(1)):
        words = words[1:]
    terms = set(tokenize(b)) - _COMMON
    return sum(1 for w in set(words) - _COMMON if meets(w, terms))


def key_indicators(store: Any, ids: Sequence[str], region: str) -> list[tuple[list[str], Hit]]:
    """The regional figure of every table the region's documents hold with a regional total, at its
    latest year: ([indicator, value, unit, year], the chunk holding the row). Values are the cells as
    printed; the indicator and unit are the caption's words."""
    if not ids:
        return []
    order = {d: i for i, d in enumerate(ids)}
    hits = sorted(store.get(where={"doc_id": {"$in": list(ids)}}), key=lambda h: (order[h.chunk.doc_id], h.chunk.ordinal))
    out, seen = [], set()
    for hit in hits:
        c = hit.chunk
        table = read_table_text(c.text) if c.table else None
        if table is None or (c.doc_id, c.table) in seen:
            continue
        total = next((r for r in table.rows if r and (_TOTAL.match(r[0].strip()) or names_region(r[0], region))), None)
        if total is None:
            continue
        column = _latest(table.header, total)
        if column is None:
            continue
        seen.add((c.doc_id, c.table))
        caption = _CAPTION_NUMBER.sub("", table.caption).strip()
        unit = m.group(1) if (m := re.search(r"\(([^()]*)\)\s*$", caption)) else ""
        core = _YEARS_TAIL.sub("", re.sub(r"\s*\([^()]*\)\s*$", "", caption)).strip(" ,.")
        heading = table.header[column]
        year = (_YEAR.findall(heading) or _YEAR.findall(caption) or [""])[-1]
        core = _BREAKDOWN.sub("", core)  # the total row: "Población por comuna" is the region's population
        if not _YEAR.fullmatch(heading.strip()):  # a labelled column ("Trabajadores", "Tasa (%)") names the figure
            core = f"{core}: {heading}"
            unit = "" if "%" in heading else re.sub(r"\s+(?:y|and)\s+%$", "", unit)
        out.append(([core, total[column], unit, year], hit))
    return out


def _latest(header: Sequence[str], row: Sequence[str]) -> int | None:
    """The column of the latest year the row has a figure for, else its first column with a figure."""
    filled = [j for j in range(1, min(len(header), len(row))) if re.search(r"\d", row[j])]
    dated = [(int(_YEAR.findall(header[j])[-1]), j) for j in filled
             if _YEAR.findall(header[j]) and not re.search(r"variaci|cambio|change|%", header[j], re.IGNORECASE)]
    if dated:
        return max(dated)[1]
    return filled[0] if filled else None


def matched(retriever: Any, ids: Sequence[str], text: str, *, coded_only: bool = False, k: int = 5) -> Hit | None:
    """The region's passage that speaks to `text`: among the best retrieved, the first (coded, if asked)
    that shares MIN_SHARED content words with it; None when none does. A passage is judged by its first
    line (a coded one by its heading, "OE 1.1.1 Fortalecer la transferencia tecnológica…", not by the
    activities under it). With `coded_only` the best passage must itself be an objective or line
    ("OE 1.1.1", "LE 2.2"; not a whole axis): on the pack, accepting a lower-ranked objective that shared
    two words tied talent gaps to cluster initiatives and a support-offer platform to a training centre."""
    if not ids:
        return None
    hits, _ = retriever.retrieve(text, k, where={"doc_id": {"$in": list(ids)}})
    passages = [h for h in hits if h.chunk.kind in USER_KINDS and not h.chunk.table and h.chunk.section]
    if coded_only:  # the best passage itself must be the objective: a lower-ranked one sharing two words is chance
        passages = [h for h in passages[:1] if _OBJECTIVE.search(h.chunk.code or "")]
    return next((h for h in passages if shared(text, h.chunk.text.splitlines()[0]) >= MIN_SHARED), None)


_AXIS = re.compile(r"^(?:eje|axis|[áa]mbito|pilar)\s*\d+\s*[:.–-]\s*(?P<name>.+)$", re.IGNORECASE)


def strategy_axes(store: Any, ids: Sequence[str], most: int = 4) -> list[str]:
    """The axes of the region's strategy ("Eje 1: Diversificación productiva e innovación" -> its name),
    in the document's order: the default topics of a whole document."""
    axes: list[str] = []
    if not ids:
        return axes
    hits = sorted(store.get(where={"doc_id": {"$in": list(ids)}}), key=lambda h: (h.chunk.doc_id, h.chunk.ordinal))
    for hit in hits:
        for part in (hit.chunk.section or "").split(" › "):
            m = _AXIS.match(part.strip())
            if m and (name := m.group("name").strip(" .")) and name not in axes:
                axes.append(name)
    return axes[:most]
