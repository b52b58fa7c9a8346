"""The baseline gate on real runs: the committed baseline passes the current settings and fails a
deliberately worse one (the users' dev split on the extractive backend, about 10 s a run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings
from evals.dataset import DATASETS
from evals.history.gate import BASELINES, gate
from evals.history.store import read_run_file
from evals.runner import EvalRun, run_eval
from tests.evals.history.helpers import run

BASELINE = BASELINES / "extractive-users-dev.json"


def _run(corpus_dir: Path, worse: bool) -> EvalRun:
    settings = Settings(data_dir=corpus_dir)
    settings.llm.backend = "extractive"
    if worse:  # fewer sources and no reranker: the kind of change the gate is for
        settings.retrieval.k = 2
        settings.retrieval.rerank = False
    return run_eval(DATASETS / "eval_users_dev.jsonl", settings)


@pytest.fixture(name="baseline", scope="module")
def fixture_baseline() -> EvalRun:
    base = read_run_file(BASELINE)
    assert isinstance(base, EvalRun) and base.backend == "extractive" and len(base.items) >= 150
    return base


def test_the_current_settings_pass_the_committed_baseline(corpus_dir: Path, baseline: EvalRun) -> None:
    current = _run(corpus_dir, worse=False)
    result = gate(current, baseline, resamples=300)
    assert result.passed, [d.model_dump() for d in result.regressions]
    assert result.comparison.paired == len(baseline.items) and result.comparison.same_dataset
    assert {d.metric for d in result.checked} >= {"citation_recall", "citation_precision", "recall_at_5"}


def test_a_worse_setting_fails_the_committed_baseline(corpus_dir: Path, baseline: EvalRun) -> None:
    result = gate(_run(corpus_dir, worse=True), baseline, resamples=300)
    assert not result.passed
    fell = {d.metric: d for d in result.regressions}
    assert "recall_at_5" in fell and fell["recall_at_5"].high < 0


def test_noise_passes_and_a_real_fall_fails_on_hand_made_runs() -> None:
    base = run([True] * 60)
    assert gate(run([True] * 59 + [False]), base, resamples=300).passed
    result = gate(run([True] * 50 + [False] * 10), base, resamples=300)
    assert {d.metric for d in result.regressions} >= {"citation_recall", "citation_precision", "recall_at_5"}
