"""A line of action classed by the slide deck's typology: transversal, selective or frontier policy.

ECLAC's deck on regional productive promotion (slide 2) sorts policies into transversal ones
(competition, simpler procedures, credit, basic ICT), selective ones (programmes that change the
productive structure through sectors and chains, public procurement, MSMEs in chains with large
firms) and frontier ones (strategic projects, capacities in strategic science and technology,
networks of technology centres, platforms for technological articulation). `prompts/policy_mix.json`
holds those bullets with a few paraphrases, and word stems that decide a class outright (a line
about cluster initiatives or productive priorities is selective whatever else it says). A line no
stem decides goes to the class whose description its embedding is nearest to.

Measured against hand labels (evals/datasets/policy_mix_labels.jsonl, 60 recommendations): see
`python -m evals.drafting --policy-mix`.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any, Literal

import numpy as np

from vectorstore.terms import fold

PolicyClass = Literal["transversal", "selective", "frontier"]


@functools.cache
def _config() -> dict[str, Any]:
    return json.loads(resources.files("prompts").joinpath("policy_mix.json").read_text(encoding="utf-8"))


@functools.cache
def _cues() -> list[tuple[str, re.Pattern[str]]]:
    cfg = _config()
    return [(c, re.compile("|".join(rf"(?<![a-z]){re.escape(cue)}" for cue in cfg["cues"][c])))
            for c in cfg["precedence"]]


class PolicyClassifier:
    """Classes lines of action; the class descriptions are embedded once."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder
        self._prototypes: dict[str, np.ndarray] | None = None

    def classify(self, text: str) -> PolicyClass:
        """The line's class: the first whose stems it contains, else the nearest description."""
        folded = fold(text)
        for name, cue in _cues():
            if cue.search(folded):
                return name  # type: ignore[return-value]
        if self._prototypes is None:
            self._prototypes = {c: self.embedder.embed_symmetric(v) for c, v in _config()["classes"].items()}
        vector = self.embedder.embed_symmetric([text])[0]
        scores = {c: float((p @ vector).max()) for c, p in self._prototypes.items()}
        return max(scores, key=scores.__getitem__)  # type: ignore[arg-type,return-value]
