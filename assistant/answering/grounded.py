"""Generated text that holds to its sources: write per chosen source, gate every sentence, cite in code.

For each chosen source the model writes a sentence or two (`assistant.answering.writer`); each sentence is
judged by the support gate (`assistant.answering.support`); a sentence that passes gets its source's marker,
one that fails is replaced by the source's own words, quoted and cited. The region and the topic
of a draft are named by the caller, never described by the model.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from assistant.answering import translations, writer
from assistant.answering.citations import source_marker
from assistant.answering.extractive import matching_rows, passage, quote, slide_points
from assistant.answering.novelty import figures
from assistant.answering.own_documents import is_coded
from assistant.answering.support import SupportGate, best_quote, source_text
from assistant.messages import QUOTE_LEAD, TRANSLATION_LEAD
from assistant.models import SentenceCheck
from assistant.settings import Settings
from vectorstore.models import Hit
from vectorstore.terms import fold

if TYPE_CHECKING:  # a chat model is built only for a model backend: LangChain loads then (about 1 s)
    from langchain_core.language_models.chat_models import BaseChatModel


class Grounded(BaseModel):
    """Checked text for one or more sources, with every generated sentence's check."""

    model_config = ConfigDict(extra="forbid")

    text: str
    checks: list[SentenceCheck] = Field(default_factory=list)


def cite(sentence: str, marker: str) -> str:
    """'Texto.' -> 'Texto [R7].' (the marker before the final punctuation)."""
    body = sentence.rstrip()
    end = body[-1] if body and body[-1] in ".!?" else "."
    return f"{body.rstrip('.!?').rstrip()} [{marker}]{end}"


def quoted(hit: Hit, near: str, lang: str, lead: bool = True) -> str:
    """The source's own words closest to `near`, in guillemets, cited; in an English answer, a
    recommendation's English rendering, marked as a translation (`assistant.answering.translations`)."""
    if english := translations.rendering(hit, lang):
        text = translations.translated(english, lang)
        return cite(f"{TRANSLATION_LEAD[lang]} {text}" if lead else text, source_marker(hit))  # type: ignore[index]
    if hit.chunk.kind == "slide":  # a slide is quoted by its points, not cut at its line breaks
        text = f"«{quote('; '.join(slide_points(hit.chunk.text)), 320)}»"
    elif hit.chunk.table or hit.chunk.section is not None:  # a table's rows, a section's items that answer
        text = f"«{passage(hit, near)}»"
    else:
        text = f"«{best_quote(near, source_text(hit))}»"
    return cite(f"{QUOTE_LEAD[lang]} {text}" if lead else text, source_marker(hit))  # type: ignore[index]


def _in_language(model: BaseChatModel, sentence: str, source: str, lang: str) -> tuple[str, bool]:
    """The sentence in the answer's language: put there by one more model call if it drifted."""
    if not writer.drifted(sentence, source, lang):
        return sentence, False
    text = "".join(writer.stream(model, writer.translate_messages(lang, sentence), 160))
    out, _ = writer.clean(text, 1)
    return (out[0], True) if out and out[0] != sentence else (sentence, False)


def answer_source(hit: Hit, question: str) -> str:
    """What the model restates and the gate checks for an answer: a table's rows that answer the question,
    each value with its column label (a dozen flattened rows are slow to read and easy to misread);
    any other source's clean text."""
    if hit.chunk.table:
        return passage(hit, question, 900)
    return source_text(hit)


def with_row(hit: Hit, sentence: str, question: str) -> str:
    """A model's sentence on a table's figure, followed by the row it rests on when the sentence does not
    name that row and column itself ("452 empresas medianas" -> … («Mediana (2023: 452)»)): a figure is
    read with its row and column, in the source's words."""
    numbers = figures(sentence)
    rows = [r for r in matching_rows(hit.chunk.text, question) if numbers & figures(" ".join(_values(r)))]
    folded = fold(sentence)
    missing = [r for r in rows if not all(fold(label) in folded for label in _labels(r))]
    if not missing:
        return sentence
    return f"{sentence.rstrip().rstrip('.')} («{'; '.join(missing)}»)."


def with_code(hit: Hit, sentence: str) -> str:
    """A model's sentence on a strategy's coded passage, led by the passage's code when it does not name it
    ("180 kilómetros de caminos rurales" -> "OE 2.3.1: 180 kilómetros…"): a goal or an action is read with
    the objective it belongs to. The code comes from the passage's stored metadata, never from the model."""
    code = hit.chunk.code
    if not is_coded(hit) or fold(code or "") in fold(sentence):
        return sentence
    return f"{code}: {sentence[:1].upper()}{sentence[1:]}"


def _values(row: str) -> list[str]:
    """A shown row's cell values: "Mediana (2022: 440; 2023: 452)" -> ["440", "452"]."""
    return [v.split(": ", 1)[1] for v in row.partition(" (")[2].rstrip(")").split("; ") if ": " in v]


def _labels(row: str) -> list[str]:
    """A shown row's label and its columns' labels: "Mediana (2023: 452)" -> ["Mediana", "2023"]."""
    label, _, values = row.partition(" (")
    return [label, *(v.split(": ")[0] for v in values.rstrip(")").split("; ") if ": " in v)]


def _checked(model: BaseChatModel, hit: Hit, raw: str, gate: SupportGate, lang: str, max_sentences: int, *,
             context: str, region: str, written: list[str], lead: bool, source: str | None = None,
             sectors_in_source: bool = False) -> tuple[list[str], list[SentenceCheck]]:
    """The sentences shown for one source (passed ones cited, failed ones replaced) and the checks.

    With `sectors_in_source` (an answer) a sentence may not take a sector from the question (`context`):
    it states what the source says. A draft's may take it from the request's topic, where it applies
    the source.
    """
    marker = source_marker(hit)
    source = source or source_text(hit)
    repaired = [_in_language(model, s, source, lang) for s in writer.clean(raw, max_sentences)[0]]
    sentences = [s for s, _ in repaired]
    if gate.config.enabled:
        checks = gate.judge(sentences, [source] * len(sentences), lang=lang, context=context, region=region,
                            earlier=written, sectors_in_source=sectors_in_source)
        if english := translations.rendering(hit, lang):  # an English sentence may restate the rendering
            again = gate.judge(sentences, [english] * len(sentences), lang=lang, context=context, region=region,
                               earlier=written, sectors_in_source=sectors_in_source)
            checks = [c if c.ok or not other.ok else other for c, other in zip(checks, again, strict=True)]
    else:
        checks = [SentenceCheck(text=s, ok=True) for s in sentences]
    checks = [c.model_copy(update={"marker": marker, "translated": t}) for c, (_, t) in zip(checks, repaired, strict=True)]
    shown: list[str] = []
    replaced = False
    written += [c.text for c in checks]  # what a later sentence may not repeat
    for check in checks:
        if check.ok:
            text = with_row(hit, check.text, context) if hit.chunk.table else check.text
            shown.append(cite(with_code(hit, text) if lead and not shown else text, marker))
        elif not replaced and check.reason != "repeated":
            # An answer quotes the source's words closest to the question; a draft item, to what it tried to say.
            shown.append(quoted(hit, context if lead else check.text, lang, lead))
            replaced = True
    if not shown:  # nothing usable was written (empty, cut off, or only repeats): the source speaks
        shown.append(quoted(hit, context if lead else raw, lang, lead))
    return shown, checks


def answer_stream(model: BaseChatModel, gate: SupportGate, lang: str, question: str, chosen: Sequence[Hit],
                  settings: Settings, lead: str = "") -> Iterator[str | Grounded]:
    """Tokens as the model writes them (each source's marker after its text), then the checked text."""
    paragraphs, checks, written = [], [], []
    if lead:
        yield lead + " "
    for i, hit in enumerate(chosen):
        if i:
            yield "\n\n"
        source = answer_source(hit, question)
        messages = writer.messages_for("write_answer", lang, source, settings.llm.context_tokens,
                                       question=question)
        raw = ""
        for token in writer.stream(model, messages, settings.llm.source_tokens):
            raw += token
            yield token
        yield f" [{source_marker(hit)}]"
        shown, judged = _checked(model, hit, raw, gate, lang, 2, context=question, region="", written=written,
                                 lead=True, source=source, sectors_in_source=True)
        paragraphs.append(" ".join(shown))
        checks += judged
    body = "\n\n".join(paragraphs)
    yield Grounded(text=f"{lead} {body}" if lead else body, checks=checks)


def draft_item(model: BaseChatModel, gate: SupportGate, lang: str, hit: Hit, *, region: str, topic: str,
               settings: Settings, written: list[str], on_token: object = None) -> tuple[str, list[SentenceCheck]]:
    """One goal, line of action, governance point or follow-up item: one source restated as an action for a region.

    The model is told neither the topic nor the section: told them, a small model ties every source
    to them ("…to attract investment", "a governance requirement for…") whatever the source says.
    The sources were retrieved for the topic and the section, and the headings say what each is.
    """
    messages = writer.messages_for("write_draft", lang, source_text(hit), settings.llm.context_tokens,
                                   region=region)
    raw = ""
    for token in writer.stream(model, messages, settings.llm.item_tokens):
        raw += token
        if callable(on_token):
            on_token(token)
    shown, checks = _checked(model, hit, raw, gate, lang, 1, context=f"{region} {topic}", region=region,
                             written=written, lead=False)
    return " ".join(shown), checks
