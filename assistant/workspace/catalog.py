"""Browse the recommendations: filter by text, guideline and Panorama page (from stored metadata)."""

from __future__ import annotations

from assistant.services import get_registry
from assistant.settings import Settings
from ingestion.models import Recommendation
from vectorstore.terms import fold


def guidelines(settings: Settings | None = None) -> dict[str, str]:
    """Roman numeral -> guideline title, in order."""
    return get_registry(settings or Settings()).guidelines()


def recommendations(text: str = "", guideline_filter: list[str] | None = None, page: int | None = None,
                    settings: Settings | None = None) -> list[Recommendation]:
    """Recommendations matching every given filter; text is matched accent- and case-insensitively."""
    needle = fold(text.strip())
    out = []
    for rec in get_registry(settings or Settings()).all():
        if guideline_filter and rec.guideline not in guideline_filter:
            continue
        if page is not None and page not in rec.panorama_pages:
            continue
        if needle and needle not in fold(rec.text) and needle != str(rec.number):
            continue
        out.append(rec)
    return out
