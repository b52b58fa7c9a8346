"""Exact lookups of recommendations from stored metadata: by number, guideline, Panorama page."""

from __future__ import annotations

from collections import Counter

from ingestion.booklet import ROMANS
from ingestion.models import Recommendation
from vectorstore.models import Hit
from vectorstore.store import ChunkStore


class RecommendationRegistry:
    """The numbered recommendations as stored; built once from the store's metadata."""

    def __init__(self, hits: list[Hit]) -> None:
        recs = [h for h in hits if h.chunk.kind == "recommendation" and h.chunk.recommendation]
        counts = Counter(h.chunk.doc_id for h in recs)
        # Where two booklets are ingested, the fuller one answers (ties: alphabetical doc_id).
        order = sorted(counts, key=lambda d: (-counts[d], d))
        self.doc_id = order[0] if order else None
        self.hits: dict[int, Hit] = {}
        for hit in sorted(recs, key=lambda h: order.index(h.chunk.doc_id)):
            self.hits.setdefault(hit.chunk.recommendation, hit)  # type: ignore[arg-type]
        self.guideline_hits: dict[str, Hit] = {
            h.chunk.guideline: h for h in hits
            if h.chunk.kind == "guideline" and h.chunk.guideline and h.chunk.doc_id == self.doc_id
        }

    @classmethod
    def from_store(cls, store: ChunkStore) -> RecommendationRegistry:
        """Load every recommendation and guideline heading from the store."""
        return cls(store.get(where={"kind": {"$in": ["recommendation", "guideline"]}}))

    def __len__(self) -> int:
        return len(self.hits)

    def get(self, number: int) -> Recommendation | None:
        """Recommendation `number`, or None if it does not exist."""
        hit = self.hits.get(number)
        if hit is None:
            return None
        c = hit.chunk
        return Recommendation(doc_id=c.doc_id, number=number, guideline=c.guideline or "",
                              guideline_title=c.guideline_title or "", text=c.text,
                              panorama_pages=tuple(c.panorama_pages), footnotes=tuple(c.footnotes),
                              page=c.page)

    def all(self) -> list[Recommendation]:
        """Every recommendation, by number."""
        return [r for n in sorted(self.hits) if (r := self.get(n))]

    def by_guideline(self, guideline: str | int) -> list[Recommendation]:
        """Recommendations of a guideline given as roman numeral or 1-based number."""
        roman = ROMANS[guideline - 1] if isinstance(guideline, int) and 0 < guideline <= len(ROMANS) \
            else str(guideline).upper()
        return [r for r in self.all() if r.guideline == roman]

    def by_panorama_page(self, page: int) -> list[Recommendation]:
        """Recommendations that cite Panorama page `page`."""
        return [r for r in self.all() if page in r.panorama_pages]

    def guidelines(self) -> dict[str, str]:
        """Roman numeral -> title, in order."""
        titles = {r.guideline: r.guideline_title for r in self.all()}
        return {g: titles[g] for g in ROMANS if g in titles}
