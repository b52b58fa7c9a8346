"""The baseline gate: a run fails when a metric falls by more than its interval below an accepted run.

The accepted runs are committed under evals/results/baseline/ (a run's `eval --json` file); a run
that is as good, or worse only within the noise the paired bootstrap measures, passes.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from evals.history.compare import Comparison, MetricDelta, compare
from evals.history.store import Run

BASELINES = Path(__file__).resolve().parents[1] / "results" / "baseline"
# The metrics a change may not make worse; latency depends on the machine and is not gated.
GATED = {"answers": ("citation_precision", "citation_recall", "citation_f1", "recall_at_5", "citation_validity",
                     "page_accuracy", "support", "abstention", "wrong_refusal"),
         "drafting": ("supported", "uncited_share", "policy_mix_accuracy")}


class GateResult(BaseModel):
    """The gated metrics of a run against its baseline, and those that fell."""

    model_config = ConfigDict(extra="forbid")

    checked: list[MetricDelta]
    regressions: list[MetricDelta]
    comparison: Comparison

    @property
    def passed(self) -> bool:
        """No gated metric fell by more than its interval."""
        return not self.regressions


def gate(run: Run, baseline: Run, resamples: int = 1000) -> GateResult:
    """Compare `run` with `baseline` on all their common items; a gated metric whose interval is
    wholly on the worse side of zero is a regression."""
    comparison = compare(baseline, run, resamples=resamples, groups=False)
    checked = [d for d in comparison.metrics if d.group == "overall" and d.metric in GATED[run.kind]]
    return GateResult(checked=checked, regressions=[d for d in checked if d.verdict == "worse"],
                      comparison=comparison)
