"""Hybrid retrieval: BM25 over folded text fused with dense vectors by reciprocal rank fusion."""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from vectorstore.bm25 import BM25Index, tokenize
from vectorstore.glossary import expand
from vectorstore.models import Hit
from vectorstore.store import ChunkStore, lexical_text
from vectorstore.topics import FOUND, TopicContrast, covered_texts

# Publication credits (authors, copyright) are stored with their booklet but never answer a question.
NEVER_RETRIEVED = ("colophon",)


class Evidence(BaseModel):
    """How strongly the best candidates match: the basis of the out-of-scope decision."""

    model_config = ConfigDict(extra="forbid")

    dense_top: float = 0.0
    dense_margin: float = Field(0.0, description="Top dense score minus the mean of the others.")
    bm25_top: float = 0.0
    bm25_terms: int = 0
    off_topic: float = Field(0.0, description="Nearest uncovered domain minus nearest covered text (vectorstore.topics).")


class HybridRetriever:
    """Dense + BM25 with RRF. The BM25 index is rebuilt when the store's content changes."""

    def __init__(self, store: ChunkStore, candidates: int = 30, rrf_k: int = 60) -> None:
        self.store = store
        self.candidates = candidates
        self.rrf_k = rrf_k
        self._lock = threading.Lock()
        self._version: tuple[int, tuple[str, ...]] | None = None
        self._hits: list[Hit] = []
        self._bm25 = BM25Index([])
        self._complete: set[str] = set()
        self._topics = TopicContrast(store.embedder)

    def _refresh(self) -> None:
        version = self.store.version()
        with self._lock:
            if version != self._version:
                complete = {r.doc_id for r in self.store.documents()}
                self._hits = [h for h in self.store.get() if h.chunk.doc_id in complete]
                self._complete = complete
                self._bm25 = BM25Index([lexical_text(h.chunk) for h in self._hits])
                self._topics.update(covered_texts(self._hits))
                self._version = version

    def retrieve(self, query: str, k: int, where: dict[str, Any] | None = None) -> tuple[list[Hit], Evidence]:
        """The k best chunks for `query` (score: fused, scaled to 0-1) and the evidence behind them."""
        self._refresh()
        # A document another process is still writing is not complete: readers never see part of it.
        vector = self.store.embedder.embed_query(query) if query.strip() else None
        dense = [h for h in self.store.query(query, self.candidates, where=where, vector=vector)
                 if h.chunk.kind not in NEVER_RETRIEVED and h.chunk.doc_id in self._complete]
        allowed = _filter(self._hits, where)
        lexical = [(i, s) for i, s in self._bm25.top(query, self.candidates * 3)
                   if i in allowed and self._hits[i].chunk.kind not in NEVER_RETRIEVED][: self.candidates]
        fused: dict[str, float] = {}
        by_id: dict[str, Hit] = {}
        for rank, hit in enumerate(dense):
            fused[hit.id] = fused.get(hit.id, 0.0) + 1.0 / (self.rrf_k + rank + 1)
            by_id[hit.id] = hit
        for rank, (i, _score) in enumerate(lexical):
            hit = self._hits[i]
            fused[hit.id] = fused.get(hit.id, 0.0) + 1.0 / (self.rrf_k + rank + 1)
            by_id.setdefault(hit.id, hit)
        best = 2.0 / (self.rrf_k + 1)
        ranked = sorted(fused, key=lambda i: -fused[i])[:k]
        dense_score = {h.id: h.score for h in dense}
        hits = [by_id[i].model_copy(update={"score": round(fused[i] / best, 4), "dense": dense_score.get(i)})
                for i in ranked]
        others = [h.score for h in dense[1:]]
        evidence = Evidence(dense_top=dense[0].score if dense else 0.0,
                            dense_margin=dense[0].score - sum(others) / len(others) if others else 0.0,
                            bm25_top=lexical[0][1] if lexical else 0.0,
                            bm25_terms=sum(t in self._bm25.idf for t in set(expand(tokenize(query)))),
                            off_topic=self._topics.off_topic(vector, _docs(where), found=[
                                h.chunk.text for h in hits[:FOUND] if h.chunk.kind == "text"])
                            if vector is not None else 0.0)
        return hits, evidence


def _docs(where: dict[str, Any] | None) -> list[str] | None:
    """The documents a filter limits retrieval to, if it names them."""
    value = (where or {}).get("doc_id")
    if value is None:
        return None
    return list(value["$in"]) if isinstance(value, dict) else [value]


def _filter(hits: list[Hit], where: dict[str, Any] | None) -> set[int]:
    """Positions of hits matching a simple Chroma-style equality / $in filter."""
    if not where:
        return set(range(len(hits)))
    out = set()
    for i, hit in enumerate(hits):
        meta = hit.chunk.model_dump()
        if all(meta.get(k) in v["$in"] if isinstance(v, dict) else meta.get(k) == v for k, v in where.items()):
            out.add(i)
    return out
