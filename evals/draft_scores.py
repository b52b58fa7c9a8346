"""The drafting eval as a run the history keeps: one item per drafted request and per labelled policy mix.

`python -m evals.drafting` writes its report as before and records a `DraftingRun` beside the
answer runs, so drafts are listed, compared and charted the same way (evals.history).
"""

from __future__ import annotations

import statistics
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evals.provenance import RunMeta


class DraftItem(BaseModel):
    """One drafted request (its region facts) or one labelled recommendation (its policy-mix class)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    task: Literal["document", "section", "policy_mix"]
    lang: str
    question: str = Field(description="The request as a person would put it, or the recommendation classed.")
    expected: list[str] = Field(default_factory=list, description="The hand label, for a policy-mix item.")
    cited: list[str] = Field(default_factory=list, description="Markers of the regional passages cited.")
    answer: str = Field("", description="The draft as Markdown, or the class given.")
    facts: int | None = Field(None, description="Lines stating a region's figure.")
    supported: int | None = Field(None, description="Of those, lines whose cited regional passage holds every figure.")
    uncited: int | None = Field(None, description="Of those, lines citing no regional passage.")
    correct: bool | None = Field(None, description="A policy-mix item: the class matches the label.")
    seconds: float = 0.0
    failure: str | None = None

    @property
    def passed(self) -> bool:
        """No failure: every region fact cited and held by its passage, or the class right."""
        return self.failure is None

    @property
    def cited_labels(self) -> list[str]:
        """What it cited, as chips show it."""
        return self.cited


def failure_of(item: DraftItem) -> str | None:
    """Why an item fails, if it does."""
    if item.correct is False:
        return f"classed as {item.answer}"
    if item.uncited:
        return f"{item.uncited} region facts cite no regional passage"
    if item.facts and (item.supported or 0) < item.facts - (item.uncited or 0):
        return "a cited regional passage does not hold a figure"
    return None


def aggregate(items: list[DraftItem]) -> dict[str, float | int | None]:
    """The drafting metrics of a group of items."""
    drafts = [i for i in items if i.task != "policy_mix"]
    mix = [i for i in items if i.task == "policy_mix"]
    facts = sum(i.facts or 0 for i in drafts)
    secs = sorted(i.seconds for i in drafts)
    return {
        "items": len(items),
        "requests": len(drafts),
        "region_facts": facts,
        "supported": round(sum(i.supported or 0 for i in drafts) / facts, 4) if facts else None,
        "uncited": sum(i.uncited or 0 for i in drafts),
        "uncited_share": round(sum(i.uncited or 0 for i in drafts) / facts, 4) if facts else None,
        "policy_mix_accuracy": round(sum(bool(i.correct) for i in mix) / len(mix), 4) if mix else None,
        "latency_p50_s": round(statistics.median(secs), 3) if secs else None,
    }


def breakdown(items: list[DraftItem]) -> dict[str, dict[str, float | int | None]]:
    """Overall and per language of the request."""
    groups: dict[str, list[DraftItem]] = {"overall": list(items)}
    for i in items:
        if i.task != "policy_mix":
            groups.setdefault(f"lang:{i.lang}", []).append(i)
    return {name: aggregate(group) for name, group in groups.items()}


class DraftingRun(RunMeta):
    """A finished drafting eval: provenance, metrics and every item."""

    kind: Literal["answers", "drafting"] = "drafting"
    items: list[DraftItem]

    @staticmethod
    def aggregate(items: list[DraftItem]) -> dict[str, float | int | None]:
        """The metrics of a group of this run's items (for comparing runs on resamples)."""
        return aggregate(items)
