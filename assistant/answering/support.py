"""The support gate: every sentence a model writes is checked against the one source it restates.

Three checks, in order, each giving a reason when the sentence fails:
- `novel`: it brings a name, figure, place, organisation or sector its source and the question do
  not have, or it states a fact about the region (see `assistant.answering.novelty`);
- `repeated`: it says again what an earlier sentence of the same answer or draft said;
- `content`: too little of what it says is in the source, by words (glossary and cognates count,
  so translations are not penalised) and by cross-lingual embedding similarity (e5 is multilingual).
  The thresholds are calibrated on hand labels (`evals/datasets/support_labels.jsonl`, dev part).

A failing sentence is never shown as the model wrote it: the caller replaces it with the source's
own words, quoted and cited, and reports it in `unsupported_sentences`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from assistant.answering.citations import BRACKET
from assistant.answering.lexicon import stop_en
from assistant.answering.novelty import found, novel_terms, states_region_fact
from assistant.models import SentenceCheck
from assistant.settings import Settings, SupportConfig
from ingestion.booklet import PAGE_REF
from vectorstore.embeddings import OfflineEmbedder, get_embedder
from vectorstore.models import Hit
from vectorstore.terms import tokenize


def source_text(hit: Hit) -> str:
    """What the model restates and the gate checks against: a slide's lines joined, or the clean text."""
    if hit.chunk.kind == "slide":  # one item per bullet or heading; a wrapped line continues its item
        items: list[str] = []
        for line in hit.chunk.text.splitlines():
            line = re.sub(r"^[•\s-]+", "", line).strip()
            if line and items and line[0].islower():
                items[-1] += " " + line
            elif line:
                items.append(line)
        return clean_source("; ".join(items))
    return clean_source(hit.chunk.text)


def clean_source(text: str) -> str:
    """A source's text as the model and the gate see it: no page references, one line."""
    return re.sub(r"\s+([.,;:])", r"\1", " ".join(PAGE_REF.sub("", text).split()))


def lexical_share(sentence: str, source: str, region: str = "") -> float:
    """Share of the sentence's content words that its source has (glossary and cognates count).

    The region a draft is for is not counted: it is named by the request, never by a source.
    A question's words count like any other: copying the question is not support.
    """
    own = set(tokenize(BRACKET.sub("", sentence))) - set(tokenize(region)) - stop_en()
    if not own:
        return 0.0
    vocabulary = set(tokenize(source))
    return sum(found(w, vocabulary) for w in own) / len(own)


def overlap(a: str, b: str) -> float:
    """Word overlap of two sentences, relative to the shorter (1.0: one says all the other says)."""
    x, y = set(tokenize(a)), set(tokenize(b))
    return len(x & y) / min(len(x), len(y)) if x and y else float(a.strip() == b.strip())


class SupportGate:
    """Judges generated sentences; one instance per process (it holds the embedder)."""

    def __init__(self, config: SupportConfig, embedder: OfflineEmbedder | None) -> None:
        self.config = config
        self.embedder = embedder

    def similarities(self, sentences: Sequence[str], sources: Sequence[str]) -> list[float]:
        """Cosine similarity of each sentence with its source (0.0 without an embedder)."""
        if self.embedder is None or not sentences:
            return [0.0] * len(sentences)
        vecs = self.embedder.embed_symmetric([*sentences, *sources])
        n = len(sentences)
        return [round(float(np.dot(vecs[i], vecs[n + i])), 4) for i in range(n)]

    def judge(self, sentences: Sequence[str], sources: Sequence[str], *, lang: str, context: str = "",
              region: str = "", earlier: Sequence[str] = (), sectors_in_source: bool = False) -> list[SentenceCheck]:
        """A verdict per sentence; `sources[i]` is the text sentence i restates, `earlier` what was written before;
        `sectors_in_source`: a sector the sentence names must be in its source, not only in `context`."""
        sims = self.similarities(sentences, sources)
        seen = list(earlier)
        out = []
        for sentence, source, sim in zip(sentences, sources, sims, strict=True):
            out.append(self._one(sentence, source, sim, lang=lang, context=context, region=region, seen=seen,
                                 sectors_in_source=sectors_in_source))
            seen.append(sentence)
        return out

    def _one(self, sentence: str, source: str, sim: float, *, lang: str, context: str, region: str,
             seen: list[str], sectors_in_source: bool = False) -> SentenceCheck:
        c = self.config
        lex = round(lexical_share(sentence, source, region), 4)
        base = {"text": sentence, "lexical": lex, "similarity": sim}
        if novel := novel_terms(sentence, source, context, sectors_in_source):
            return SentenceCheck(**base, ok=False, reason="novel", detail=", ".join(novel))
        if states_region_fact(sentence, region, lang):
            return SentenceCheck(**base, ok=False, reason="novel", detail=f"a statement of fact about {region}")
        if any(overlap(sentence, k) >= c.repeat for k in seen):
            return SentenceCheck(**base, ok=False, reason="repeated")
        if lex >= c.lexical or (lex >= c.lexical_floor and sim >= c.similarity):
            return SentenceCheck(**base, ok=True)
        return SentenceCheck(**base, ok=False, reason="content", detail=f"words {lex:.2f}, similarity {sim:.2f}")


def best_quote(sentence: str, source: str, limit: int = 320) -> str:
    """The source's own words closest to a sentence: the source sentence sharing most words with it."""
    from assistant.answering.extractive import quote

    source = BRACKET.sub("", clean_source(source))  # a bracket in a document is not a citation
    parts = [p.strip() for p in re.split(r"(?<=[.;])\s+", source) if len(p.split()) >= 4]
    if len(parts) <= 1:
        return quote(source, limit)
    words = set(tokenize(sentence))
    best = max(parts, key=lambda p: len(words & set(tokenize(p))))
    return quote(best, limit)


def get_gate(settings: Settings | None = None) -> SupportGate:
    """The support gate for these settings (it shares the process's embedder)."""
    settings = settings or Settings()
    return SupportGate(settings.support, get_embedder(settings.embedding))
