"""Attribute first, then write: the model restates one chosen source at a time, and code cites it.

The model never chooses what to cite and never writes a marker: it is given one source and a task
(answer this question; turn this recommendation into a goal for this region) and writes a sentence
or two. Whatever it writes is cleaned here (markers, quotes, list bullets and labels removed; at
most `max_sentences` complete sentences kept) and then judged by the support gate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answering.citations import BRACKET, SENTENCE_BREAK
from assistant.answering.support import clean_source
from assistant.language import language_scores
from assistant.prompts import load_prompt
from ingestion.tokens import truncate_tokens

if TYPE_CHECKING:  # a chat model is built only for a model backend: LangChain's models load then
    from langchain_core.language_models.chat_models import BaseChatModel

# Labels a small model puts in front of its text ("Respuesta:", "**Meta 1:**", "1.", "- ").
_LEAD = re.compile(r"^\s*(?:\*\*[^*]{1,40}\*\*:?\s*|[-*•#>]+\s*|\d+[.)]\s*|(?:respuesta|answer|meta|goal|"
                   r"l[ií]nea de acci[oó]n|line of action|acci[oó]n|action|tarea|task|frase|sentence)"
                   r"(?:\s+\d+)?\s*:\s*)+", re.IGNORECASE)
# A line that is only a heading ("## Líneas de acción", "**Region:** Biobío", "Goals:"): never a claim.
_HEADING = re.compile(r"^\s*(?:#+\s.*|\*\*[^*]+\*\*:?(?:\s*[^.!?]{0,40})?|[^.!?]{1,60}:)\s*$")
_QUOTES = "\"'«»“”‘’"
# "The source suggests that …", "Según la fuente, …": a claim about the source, not about the policy.
_META = re.compile(r"^(?:the (?:source|recommendation|text)s? (?:suggests?|recommends?|states?|says?|indicates?|"
                   r"proposes?)(?: that)?|(?:según|de acuerdo con) (?:la|esta) (?:fuente|recomendaci[oó]n),?|"
                   r"la (?:fuente|recomendaci[oó]n) (?:sugiere|recomienda|plantea|indica|señala|propone)(?: que)?)\s+",
                   re.IGNORECASE)


def messages_for(task: str, lang: str, source: str, budget: int, **values: str) -> list[SystemMessage | HumanMessage]:
    """The chat messages for one source: the shared instructions, then the source, then the task."""
    prompt = load_prompt(task, lang)  # type: ignore[arg-type]
    system, user = prompt.render(source=truncate_tokens(clean_source(source), budget), **values)
    return [SystemMessage(system), HumanMessage(user)]


def translate_messages(lang: str, text: str) -> list[SystemMessage | HumanMessage]:
    """The messages that put one sentence into `lang` (a model that drifted into the source's language)."""
    system, user = load_prompt("translate", lang).render(text=text)  # type: ignore[arg-type]
    return [SystemMessage(system), HumanMessage(user)]


def drifted(sentence: str, source: str, lang: str) -> bool:
    """Whether the sentence left the answer's language.

    Either it is in the other language, or it starts with a verb copied from the Spanish source
    ("Fortalecer the institutional capacity…").
    """
    es, en = language_scores(sentence)
    if (es > en) if lang == "en" else (en > es):
        return True
    first = re.match(r"\W*(\w+)", sentence)
    if lang == "en" and first and re.search(r"(?:ar|er|ir)$", first.group(1), re.IGNORECASE):
        return bool(re.search(rf"(?<!\w){re.escape(first.group(1))}(?!\w)", source, re.IGNORECASE))
    return False


def stream(model: BaseChatModel, messages: list[SystemMessage | HumanMessage], max_tokens: int) -> Iterator[str]:
    """The model's tokens for one source (length capped where the backend takes a cap)."""
    kwargs = {"max_tokens": max_tokens} if model._llm_type in ("llamacpp", "fake", "openai-chat") else {}
    for chunk in model.stream(messages, **kwargs):
        if chunk.content:
            yield str(chunk.content)


def clean(text: str, max_sentences: int) -> tuple[list[str], bool]:
    """(the complete sentences the model wrote, at most `max_sentences`; whether anything was cut).

    Markers and labels are removed (citations are the code's job); an unfinished last sentence (the
    token cap) is dropped; the first letter is capitalised.
    """
    lines = [_LEAD.sub("", line).strip() for line in BRACKET.sub("", text).splitlines()
             if not _HEADING.match(line)]
    body = " ".join(line for line in lines if line)
    body = re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s{2,}", " ", body)).strip().strip(_QUOTES).strip()
    sentences = [s.strip().strip(_QUOTES).strip() for s in SENTENCE_BREAK.split(body) if s.strip()]
    cut = False
    if sentences and not re.search(r"[.!?»)]$", sentences[-1]):
        sentences.pop()  # cut off by the token cap
        cut = True
    out = []
    for sentence in sentences:
        sentence = _META.sub("", sentence).strip()
        if len(sentence.split()) < 3:
            continue
        out.append(sentence[0].upper() + sentence[1:])
    return out[:max_sentences], cut or len(out) > max_sentences
