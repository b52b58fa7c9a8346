"""Questions that ask two things at once: split them so that each point finds its own recommendation.

"¿Cómo financiamos proyectos estratégicos grandes y cómo damos garantías a las pymes?" asks about
co-financing large projects (R6) and about guarantees for small firms (R7). Retrieved as one
text, the question's vector sits between the two and the reranker's best candidate answers one
point; the other falls outside the cite margin. Each part is retrieved on its own as well
(`HybridRetriever.retrieve(..., split=True)`), and a part's best candidates join the whole
question's, PART_SHIFT logits under the whole question's own best.

A question splits only at a conjunction that starts a new clause: "y", "e" or "and" after a comma,
before a question word ("y cómo", "and which"), or with "además", "también" or "also" ("y, además,
…"). "Pymes y cooperativas" stays one point. Each part must keep MIN_WORDS words, so "…, y qué
hacemos?" does not become a question of its own, and a text of more than MAX_PARTS clauses (a
pasted paragraph) is retrieved whole: each part costs one more retrieval.
"""

from __future__ import annotations

import re

MIN_WORDS = 3
MAX_PARTS = 3
PART_SHIFT = 0.5  # chosen on the dev split (0.0-1.5 tried; 0.5 gave the best recall, precision within 0.002)

_ASKING = (r"(?:c[oó]mo|qu[eé]|cu[aá]l(?:es)?|qui[eé]n(?:es)?|d[oó]nde|cu[aá]ndo|cu[aá]nt[oa]s?|por\s+qu[eé]|"
           r"para\s+qu[eé]|how|what|which|who|where|when|why|should|can|could|do|does|is|are)")
_SPLIT = re.compile(r",?\s+(?:y|e|and)\s+(?=" + _ASKING + r"\b)|,\s+(?:y|e|and)\s+"
                    r"|,?\s+(?:y|e|and)\s*,?\s+(?:adem[aá]s|tambi[eé]n|also)\b,?\s*", re.IGNORECASE)


def split_question(question: str) -> list[str]:
    """The question's parts when it asks two or more things, else an empty list."""
    parts = [p.strip(" ¿?¡!,;.\n\t") for p in _SPLIT.split(question)]
    parts = [p for p in parts if len(p.split()) >= MIN_WORDS]
    return parts if 2 <= len(parts) <= MAX_PARTS else []
