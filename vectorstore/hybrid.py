"""Hybrid retrieval: BM25 over folded text fused with dense vectors by reciprocal rank fusion."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from vectorstore.bm25 import BM25Index
from vectorstore.compound import PART_SHIFT, split_question
from vectorstore.glossary import subnational
from vectorstore.models import Hit
from vectorstore.rerank import Candidate, RerankModel, features, relative_scores
from vectorstore.store import ChunkStore, lexical_terms
from vectorstore.topics import FOUND, TopicContrast, asked_texts, covered_texts
from vectorstore.vector_cache import VectorCache

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
    asked_top: float = Field(0.0, description="Similarity to the nearest question a booklet recommendation answers "
                             "(ingestion.booklet_questions), among the documents searched.")


class HybridRetriever:
    """Dense + BM25 with RRF. The BM25 index is rebuilt when the store's content changes."""

    def __init__(self, store: ChunkStore, candidates: int = 30, rrf_k: int = 60,
                 reranker: RerankModel | None = None, vector_cache: VectorCache | None = None) -> None:
        self.store = store
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.reranker = reranker  # None: the fused order (reciprocal rank fusion) is final
        self._lock = threading.Lock()
        self._version: tuple[int, tuple[str, ...]] | None = None
        self._hits: list[Hit] = []
        self._bm25 = BM25Index([])
        self._complete: set[str] = set()
        self._position: dict[str, int] = {}
        self._headings: dict[tuple[str, str], str] = {}
        self._asked_of: dict[str, list[str]] = {}  # hit id -> the keys of the questions it answers
        self._asked_doc: dict[str, str] = {}  # question key -> document, for the scope gate
        self._topics = TopicContrast(store.embedder, cache=vector_cache)

    def _refresh(self) -> None:
        version = self.store.version()
        with self._lock:
            if version != self._version:
                complete = {r.doc_id for r in self.store.documents()}
                self._hits = [h for h in self.store.get() if h.chunk.doc_id in complete]
                self._complete = complete
                self._position = {h.id: i for i, h in enumerate(self._hits)}
                self._headings = {(h.chunk.doc_id, h.chunk.guideline): h.id for h in self._hits
                                  if h.chunk.kind == "guideline" and h.chunk.guideline}
                self._bm25 = BM25Index([lexical_terms(h.chunk) for h in self._hits])
                asked = asked_texts(self._hits)
                self._asked_of = {hit_id: list(texts) for hit_id, texts in asked.items()}
                # the scope gate counts a recommendation's questions only: a slide's name Chile's regions,
                # and "Should Chile lower its corporate income tax rate?" came within 0.001 of scope_asked
                self._asked_doc = {k: h.chunk.doc_id for h in self._hits if h.chunk.kind == "recommendation"
                                   for k in self._asked_of.get(h.id, ())}
                self._topics.update(covered_texts(self._hits),
                                    {k: q for texts in asked.values() for k, q in texts.items()})
                self._version = version

    def retrieve(self, query: str, k: int, where: dict[str, Any] | None = None,
                 split: bool = False) -> tuple[list[Hit], Evidence]:
        """The k best chunks for `query` and the evidence behind them.

        Without a reranker, `score` is the fused score scaled to 0-1; with one, `rerank` is the logit
        relative to the best (0.0) and `score` is exp(rerank). With `split`, a question that asks two
        things (`vectorstore.compound`) also retrieves each part; a part's candidates join at
        PART_SHIFT under the whole question's best. The evidence is always the whole question's.
        """
        hits, cands, evidence = self.candidates_for(query, where)
        if self.reranker is None or not hits:
            return hits[:k], evidence
        ranked = self._reranked(hits, cands)
        for part in split_question(query) if split else []:
            part_hits, part_cands, _ = self.candidates_for(part, where)
            for hit_id, (logit, hit) in self._reranked(part_hits, part_cands).items():
                if hit_id not in ranked or ranked[hit_id][0] < logit - PART_SHIFT:
                    ranked[hit_id] = (logit - PART_SHIFT, hit)
        best = sorted(ranked.values(), key=lambda pair: -pair[0])[:k]
        scores = relative_scores(np.array([logit for logit, _ in best]))
        return [hit.model_copy(update={"score": round(float(score), 4), "rerank": round(logit, 4)})
                for (logit, hit), score in zip(best, scores, strict=True)], evidence

    def _reranked(self, hits: list[Hit], cands: list[Candidate]) -> dict[str, tuple[float, Hit]]:
        """Each candidate's reranker logit relative to the best one's (0.0), by hit id."""
        assert self.reranker is not None
        logits = self.reranker.score(features(cands))
        top = float(logits.max()) if len(logits) else 0.0
        return {hit.id: (float(logit) - top, hit) for hit, logit in zip(hits, logits, strict=True)}

    def candidates_for(self, query: str, where: dict[str, Any] | None = None
                       ) -> tuple[list[Hit], list[Candidate], Evidence]:
        """Every fused candidate in fused order (score: fused, scaled to 0-1), what the reranker knows of
        each, and the evidence for the scope decision."""
        self._refresh()
        # A document another process is still writing is not complete: readers never see part of it.
        vector = self.store.embedder.embed_query(subnational(query)) if query.strip() else None
        dense = [h for h in self.store.query(query, self.candidates, where=where, vector=vector)
                 if h.chunk.kind not in NEVER_RETRIEVED and h.chunk.doc_id in self._complete]
        allowed = _filter(self._hits, where)
        bm25 = self._bm25.vector(query)
        lexical = [(i, s) for i, s in self._bm25.top(query, self.candidates * 3, vector=bm25)
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
        ranked = sorted(fused, key=lambda i: -fused[i])
        dense_score = {h.id: h.score for h in dense}
        hits = [by_id[i].model_copy(update={"score": round(fused[i] / best, 4), "dense": dense_score.get(i)})
                for i in ranked]
        cands = self._describe(hits, vector, fused, best, {h.id: r for r, h in enumerate(dense)},
                               {self._hits[i].id: r for r, (i, _s) in enumerate(lexical)},
                               {h.id: float(bm25[p]) for h in hits
                                if (p := self._position.get(h.id)) is not None and p < len(bm25)})
        others = [h.score for h in dense[1:]]
        evidence = Evidence(dense_top=dense[0].score if dense else 0.0,
                            dense_margin=dense[0].score - sum(others) / len(others) if others else 0.0,
                            bm25_top=lexical[0][1] if lexical else 0.0,
                            bm25_terms=len(self._bm25.terms(query)),
                            off_topic=self._topics.off_topic(vector, _docs(where), found=[
                                h.chunk.text for h in hits[:FOUND] if h.chunk.kind == "text"])
                            if vector is not None else 0.0,
                            asked_top=self._asked_top(vector, _docs(where)))
        return hits, cands, evidence

    def _describe(self, hits: list[Hit], vector: list[float] | None, fused: dict[str, float], best: float,
                  dense_rank: dict[str, int], bm25_rank: dict[str, int], bm25: dict[str, float]) -> list[Candidate]:
        """The reranker's view of each candidate (question-to-text similarities from the topic vectors)."""
        if vector is None:
            sims: dict[str, float] = {}
        else:
            headings = list(self._headings.values())
            keys = [h.id for h in hits] + [f"{h.id}:en" for h in hits] + headings + [f"{h}:en" for h in headings]
            keys += [k for h in hits for k in self._asked_of.get(h.id, ())]
            sims = self._topics.similarities(vector, keys)
        out = []
        for hit in hits:
            chunk = hit.chunk
            heading = self._headings.get((chunk.doc_id, chunk.guideline or "")) if chunk.kind == "recommendation" else None
            heading_sim = None
            if heading is not None and heading in sims:  # the nearer of the Spanish title and its English rendering
                heading_sim = max(sims[heading], sims.get(f"{heading}:en", sims[heading]))
            out.append(Candidate(kind=chunk.kind, fused=fused[hit.id] / best, dense=hit.dense,
                                 dense_rank=dense_rank.get(hit.id), bm25=bm25.get(hit.id, 0.0),
                                 bm25_rank=bm25_rank.get(hit.id), sym_es=sims.get(hit.id),
                                 sym_en=sims.get(f"{hit.id}:en"), guideline=heading_sim,
                                 sym_q=_nearest_two([sims[k] for k in self._asked_of.get(hit.id, ()) if k in sims])))
        return out

    def _asked_top(self, vector: list[float] | None, docs: list[str] | None) -> float:
        """The nearest question a searched recommendation answers (0.0 for none; slides' questions rank, never admit)."""
        if vector is None:
            return 0.0
        keys = [k for k, doc in self._asked_doc.items() if docs is None or doc in docs]
        sims = self._topics.similarities(vector, keys)
        return round(max(sims.values()), 4) if sims else 0.0


def _nearest_two(sims: list[float]) -> float | None:
    """The mean of the two largest similarities (one alone counts as itself); None for none."""
    if not sims:
        return None
    best = sorted(sims, reverse=True)[:2]
    return sum(best) / len(best)


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
