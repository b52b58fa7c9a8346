"""Off-topic evidence: is a question nearer a domain the corpus does not cover than anything it does?

Dense similarity to the best passage cannot tell "¿Cómo reformar el sistema de salud pública?" from
a policy question: e5 scores both about 0.82 against the booklet, because both are about public
policy. Compared question to question, the difference shows. The question's vector is set against
short descriptions of domains outside productive development (`off_topics.txt`: health, monetary
and fiscal policy, pensions, statistics, paperwork, ...) and against what the index does cover
(each recommendation and guideline title, in Spanish and in its reviewed English rendering, and the
start of every other document). `off_topic` is the
first similarity minus the second; the scope gate refuses above a fitted threshold.

A document the user adds on any subject brings its own start into the second set, so questions
about it are not refused for resembling a listed domain.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ingestion.booklet_questions import questions_for
from ingestion.renderings import english_rendering
from vectorstore.embeddings import OfflineEmbedder
from vectorstore.models import Hit
from vectorstore.vector_cache import VectorCache

OFF_TOPICS = Path(__file__).with_name("off_topics.txt")
DOC_START_CHARS = 300
SENTENCES = 8  # per retrieved passage: a long passage dilutes the one sentence that matches
FOUND = 3  # retrieved passages (of documents other than the booklet) compared with the question
_VECTORS: dict[tuple[str, str], np.ndarray] = {}  # the same corpus is opened by many retrievers (tests, evals)


def off_topic_descriptions(path: Path = OFF_TOPICS) -> list[str]:
    """The descriptions of uncovered domains (comment lines start with #)."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def covered_texts(hits: list[Hit]) -> dict[str, tuple[str, str]]:
    """What the index covers, by key -> (doc_id, text): each recommendation and guideline (and its English
    rendering), and the start of each other document."""
    out: dict[str, tuple[str, str]] = {}
    for hit in hits:
        chunk = hit.chunk
        if chunk.kind in ("recommendation", "guideline"):
            out[hit.id] = (chunk.doc_id, chunk.text)
            english = english_rendering(chunk)  # the domains are described in both languages; so is what is covered
            if english:
                out[f"{hit.id}:en"] = (chunk.doc_id, english)
        elif chunk.kind != "colophon":
            key = f"doc:{chunk.doc_id}"
            if key not in out or chunk.ordinal == 0:
                out[key] = (chunk.doc_id, chunk.text[:DOC_START_CHARS])
    return out


def asked_texts(hits: list[Hit]) -> dict[str, dict[str, str]]:
    """The questions each bundled recommendation or slide answers (`ingestion.booklet_questions`), by hit
    id, each by key `<hit id>:q<i>`: compared with a question for ranking, never counted as covered."""
    return {hit.id: {f"{hit.id}:q{i}": text for i, text in enumerate(asked)}
            for hit in hits if (asked := questions_for(hit.chunk))}


def sentences(text: str, n: int = SENTENCES) -> list[str]:
    """The first `n` sentences of a passage (30-300 characters each), as the question is compared with them."""
    parts = [" ".join(p.split()) for p in re.split(r"(?<=[.!?;:])\s+|\n+", text)]
    return [p[:300] for p in parts if len(p) >= 30][:n]


class TopicContrast:
    """Vectors of the uncovered domains and of what the index covers; `off_topic(v)` compares a question to both."""

    def __init__(self, embedder: OfflineEmbedder, descriptions: list[str] | None = None,
                 cache: VectorCache | None = None) -> None:
        self.embedder = embedder
        self.cache = cache  # vectors on disk, for the next fresh process
        self._descriptions = descriptions if descriptions is not None else off_topic_descriptions()
        self._off: np.ndarray | None = None
        self._covered: dict[str, np.ndarray] = {}
        self._asked: dict[str, np.ndarray] = {}  # similarities only: never part of what is covered
        self._matrix = np.zeros((0, 0))
        self._owners: list[str] = []
        self._lock = threading.Lock()

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, question-side (e5 `query:`), batched; cached for the process, and on disk, by model and text."""
        name = getattr(self.embedder, "name", type(self.embedder).__name__)
        todo = list(dict.fromkeys(t for t in texts if (name, t) not in _VECTORS))
        if todo and self.cache is not None:
            for text, vector in self.cache.get(name, todo).items():
                _VECTORS[(name, text)] = vector
            todo = [t for t in todo if (name, t) not in _VECTORS]
        if todo:
            vectors = self.embedder.embed_symmetric(todo)
            for text, vector in zip(todo, vectors, strict=True):
                _VECTORS[(name, text)] = vector
            if self.cache is not None:
                self.cache.put(name, todo, vectors)
        return np.array([_VECTORS[(name, t)] for t in texts], dtype=np.float32)

    def update(self, covered: dict[str, tuple[str, str]], asked: dict[str, str] | None = None) -> None:
        """Follow the index (`covered_texts`, `asked_texts`): embed what is new (cached by key), forget
        what was removed."""
        with self._lock:
            if self._off is None:
                self._off = self._embed(self._descriptions) if self._descriptions else np.zeros((0, 1))
            self._follow(self._asked, asked or {})
            self._follow(self._covered, {k: text for k, (_, text) in covered.items()})
            self._matrix = np.array(list(self._covered.values())) if self._covered else np.zeros((0, 1))
            self._owners = [covered[k][0] for k in self._covered]

    def _follow(self, held: dict[str, np.ndarray], texts: dict[str, str]) -> None:
        """Make `held` the vectors of `texts` by key: embed the new keys, drop the removed ones."""
        new = [k for k in texts if k not in held]
        if new:
            held.update(zip(new, self._embed([texts[k] for k in new]), strict=True))
        for gone in set(held) - set(texts):
            del held[gone]

    def similarities(self, vector: list[float], keys: Sequence[str]) -> dict[str, float]:
        """Cosine of the question with each covered or asked text among `keys` (absent keys are left out)."""
        with self._lock:
            known = [k for k in dict.fromkeys(keys) if k in self._covered or k in self._asked]
            matrix = (np.array([self._covered[k] if k in self._covered else self._asked[k] for k in known])
                      if known else np.zeros((0, 1)))
        if not known:
            return {}
        v = np.asarray(vector, dtype=np.float32)
        sims = matrix @ (v / max(float(np.linalg.norm(v)), 1e-9))
        return {k: float(s) for k, s in zip(known, sims, strict=True)}

    def off_topic(self, vector: list[float], docs: list[str] | None = None, found: Sequence[str] = ()) -> float:
        """Nearest uncovered domain minus nearest covered text (cosine); 0.0 when either set is empty.

        With `docs`, only those documents count as covered: a question limited to a health plan may
        be about health, and one limited to the booklet is compared with the booklet alone. `found`
        are the texts retrieval ranked first: what a user's document says beyond its start counts as
        covered too (embedded once per text, then cached).
        """
        pieces = [p for text in found for p in sentences(text)]
        with self._lock:
            off, covered = self._off, self._matrix
            if docs is not None and len(covered):
                covered = covered[[i for i, o in enumerate(self._owners) if o in docs]]
        if pieces:
            covered = np.vstack([covered, self._embed(pieces)]) if len(covered) else self._embed(pieces)
        if off is None or not len(off) or not len(covered):
            return 0.0
        v = np.asarray(vector, dtype=np.float32)
        v = v / max(float(np.linalg.norm(v)), 1e-9)
        return round(float((off @ v).max() - (covered @ v).max()), 4)
