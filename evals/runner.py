"""Run a dataset through the assistant and score every item."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assistant.answer import answer
from assistant.services import get_registry
from assistant.settings import Settings
from evals.dataset import EvalItem, load_dataset
from evals.metrics import ItemScore, breakdown, score_item


class EvalRun(BaseModel):
    """A finished run: settings that matter, the metrics table and every item's score."""

    model_config = ConfigDict(extra="forbid")

    dataset: str
    backend: str
    embedding: str
    date: str
    machine: str
    metrics: dict[str, dict[str, float | int | None]]
    items: list[ItemScore]


def run_item(item: EvalItem, settings: Settings) -> tuple[object, float]:
    """The assistant's output for one item and the seconds it took."""
    start = time.perf_counter()
    if item.task == "draft":
        from assistant.draft import draft_as_answer

        result = draft_as_answer(item.question, settings=settings)
    else:
        result = answer(item.question, item.history, settings=settings)
    return result, time.perf_counter() - start


def run_eval(dataset: Path, settings: Settings,
             on_item: Callable[[EvalItem, ItemScore], None] | None = None) -> EvalRun:
    """Run every item of `dataset` on the backend in `settings`."""
    items = load_dataset(dataset)
    registry = get_registry(settings)
    scores = []
    for item in items:
        ans, seconds = run_item(item, settings)
        score = score_item(item, ans, registry, seconds)  # type: ignore[arg-type]
        scores.append(score)
        if on_item:
            on_item(item, score)
    return EvalRun(dataset=dataset.name, backend=settings.llm.backend, embedding=settings.embedding.model,
                   date=time.strftime("%Y-%m-%d"), machine=machine(), metrics=breakdown(scores), items=scores)


def machine() -> str:
    """A one-line description of where a run was measured."""
    import os
    import platform

    mem = ""
    try:
        kib = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
        mem = f", {kib / 1048576:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{platform.machine()}, {os.cpu_count()} cores{mem}, {platform.system()}, Python {platform.python_version()}"
