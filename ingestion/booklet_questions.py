"""Questions each recommendation of the bundled ECLAC booklet (and each slide of the bundled deck)
answers, for retrieval (document expansion).

A planner asks "We have too many small programmes doing the same thing, what should we do?"; the
booklet says "concentrar los recursos en los instrumentos con mayor retorno". Neither the words nor
the e5 vectors of the two meet well, least of all across languages. `booklet_questions.json` holds
six questions per recommendation and per slide (three English, three Spanish) in a planner's words,
written for the project from each unit's text alone and reviewable as data. The reranker compares a
question with them (`vectorstore.rerank` feature `sym_q`); they are never shown, quoted or cited.
Like the English renderings, they are used only for the documents they were written for: a
recommendation or slide gets them when its Spanish text is the one the renderings render. (The
deck's slides need them too: with questions for the booklet alone, a question about the slides
brought recommendations into its answer.)
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from ingestion.models import Chunk
from ingestion.renderings import recommendation_en, slide_en

QUESTIONS = Path(__file__).with_name("booklet_questions.json")


@functools.cache
def _table() -> dict[str, Any]:
    return json.loads(QUESTIONS.read_text(encoding="utf-8"))


def questions_for(chunk: Chunk) -> list[str]:
    """The questions a bundled recommendation or slide answers (English, then Spanish); none for anything else."""
    if chunk.kind == "recommendation" and chunk.recommendation is not None:
        entry = _table()["recommendations"].get(str(chunk.recommendation))
        if entry is None or recommendation_en(chunk.recommendation, chunk.text) is None:
            return []  # another booklet's recommendation with the same number
    elif chunk.kind == "slide":
        entry = _table().get("slides", {}).get(chunk.doc_id, {}).get(str(chunk.page))
        if entry is None or slide_en(chunk.doc_id, chunk.page, chunk.text) is None:
            return []  # another deck under the same name
    else:
        return []
    return [*entry["en"], *entry["es"]]
