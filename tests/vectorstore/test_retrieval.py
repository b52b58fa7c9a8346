"""Dense retrieval on the real offline embedding model: paraphrases in Spanish and English."""

from __future__ import annotations

import json

from assistant.settings import PROJECT_ROOT
from vectorstore.store import ChunkStore

PROBE = PROJECT_ROOT / "evals" / "datasets" / "retrieval_probe.jsonl"


def _cases() -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines()]


def test_probe_table_is_bilingual_and_large_enough() -> None:
    cases = _cases()
    assert len(cases) >= 20
    assert {c["lang"] for c in cases} == {"es", "en"}


def test_dense_retrieval_finds_paraphrased_recommendations(corpus_store: ChunkStore) -> None:
    misses = []
    for case in _cases():
        hits = corpus_store.query(case["question"], 5, where={"kind": "recommendation"})
        if case["gold"][0] not in [h.chunk.recommendation for h in hits]:
            misses.append((case["id"], case["question"]))
    # Measured 31/32 with e5-small (the one miss: R101, conditionality by internationalisation).
    assert len(misses) <= 1, misses
