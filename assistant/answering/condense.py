"""Rewrite a follow-up ("¿y cómo se financian?") into a standalone query using the conversation.

Deterministic on purpose: on 2 cores a model call would add seconds to every turn, and retrieval
only needs the earlier topic's words next to the new question's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.models import Turn

_LEADS = re.compile(r"^\s*[¿¡]?\s*(y|e|o|pero|entonces|and|but|so|what about|how about|also)\b", re.IGNORECASE)
_ANAPHORA = re.compile(
    r"\b(eso|esto|esos|esas|estos|estas|ello|ellos|ellas|los mismos|dichas?|dichos?|se financian|"
    r"it|they|them|those|these|this|that one|their)\b", re.IGNORECASE)


def is_followup(question: str, history: Sequence[Turn]) -> bool:
    """A short question that leans on an earlier turn."""
    if not any(t.role == "user" for t in history):
        return False
    words = question.split()
    return len(words) <= 14 and bool(_LEADS.search(question) or _ANAPHORA.search(question) or len(words) <= 4)


def condense(question: str, history: Sequence[Turn]) -> str:
    """The query to retrieve with: the question, prefixed by the topic of the last user turns."""
    if not is_followup(question, history):
        return question
    users = [t.content for t in history if t.role == "user"]
    context = users[-1]
    if len(users) > 1 and len(context.split()) <= 6:
        context = f"{users[-2]} {context}"
    return f"{context} {question}"
