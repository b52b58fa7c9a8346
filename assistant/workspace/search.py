"""Search facade: ranked sources for a query, no generation."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.services import get_store
from assistant.settings import Settings
from vectorstore.models import Hit


def search(query: str, k: int | None = None, *, settings: Settings | None = None, docs: Sequence[str] = ()) -> list[Hit]:
    """The top-k sources for `query` (dense retrieval on the offline embedder), within `docs` if given."""
    from assistant.answering.answer import doc_filter

    settings = settings or Settings()
    return get_store(settings).query(query, k or settings.retrieval.k, where=doc_filter(docs, settings))


def hit_json(hit: Hit) -> dict[str, object]:
    """A source in the shape of CONTRACTS.md's `search --json` results."""
    c = hit.chunk
    return {"doc_id": c.doc_id, "recommendation": c.recommendation, "guideline": c.guideline,
            "panorama_pages": c.panorama_pages, "page": c.page, "score": hit.score, "text": c.text}
