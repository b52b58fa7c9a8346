"""Run a dataset through the assistant and score every item."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from langchain_core.language_models.chat_models import BaseChatModel
from pydantic import Field

from assistant.answering.answer import answer
from assistant.people.access import User, require
from assistant.services import get_registry
from assistant.settings import Settings
from evals.dataset import EvalItem, load_dataset
from evals.gencache import CachedChatModel, identity_of
from evals.metrics import ItemScore, aggregate, breakdown, score_item
from evals.provenance import RunMeta, provenance


class EvalRun(RunMeta):
    """A finished run of an eval set: its provenance and metrics table, and every item's score."""

    items: list[ItemScore]
    reused_items: int = Field(0, description="Items whose every model call was replayed from the generation cache.")
    model_stats: dict[str, float] = Field(default_factory=dict, description="The embedded model's counters.")

    @staticmethod
    def aggregate(items: list[ItemScore]) -> dict[str, float | int | None]:
        """The metrics of a group of this run's items (for comparing runs on resamples)."""
        return aggregate(items)


MODEL_BACKENDS = ("llamacpp", "ollama", "openai")


def run_item(item: EvalItem, settings: Settings, llm: BaseChatModel | None = None) -> tuple[object, float]:
    """The assistant's output for one item and the seconds it took."""
    start = time.perf_counter()
    if item.task == "draft":
        from assistant.drafting.draft_chat import draft_as_answer

        result = draft_as_answer(item.question, settings=settings, llm=llm)
    else:
        result = answer(item.question, item.history, settings=settings, llm=llm)
    return result, time.perf_counter() - start


def cached_model(settings: Settings, path: Path) -> CachedChatModel:
    """The configured model behind a generation cache (loaded at the first call not in the cache)."""
    from assistant.llm.backends import load_chat_model

    backend = settings.llm.backend
    return CachedChatModel(lambda: load_chat_model(backend, settings), path=str(path),  # type: ignore[arg-type,return-value]
                           identity=identity_of(backend, settings), llm_type=backend)


def run_eval(dataset: Path, settings: Settings, on_item: Callable[[EvalItem, ItemScore], None] | None = None,
             gen_cache: Path | None = None, split: str | None = None, user: User | None = None) -> EvalRun:
    """Run every item of `dataset` (or of one split) on the backend in `settings` (admins, in the app).

    With `gen_cache`, model backends replay stored generations whose prompt is unchanged.
    """
    require(user, "eval")
    meta = provenance(settings, dataset, split)
    items = [i for i in load_dataset(dataset) if split is None or i.split == split]
    registry = get_registry(settings)
    llm = cached_model(settings, gen_cache) if gen_cache and settings.llm.backend in MODEL_BACKENDS else None
    scores, reused = [], 0
    for item in items:
        before = (llm.hits, llm.misses, llm.replayed_s) if llm else (0, 0, 0.0)
        ans, seconds = run_item(item, settings, llm)
        if llm:
            hits, misses = llm.hits - before[0], llm.misses - before[1]
            reused += hits > 0 and misses == 0
            seconds += llm.replayed_s - before[2]  # a replayed call counts the time its generation took
            if hits:  # a replay streams its text at once: no first-token time to report
                ans = ans.model_copy(update={"timings_ms": {k: v for k, v in ans.timings_ms.items()  # type: ignore[attr-defined]
                                                            if k != "first_token"}})
        score = score_item(item, ans, registry, seconds)  # type: ignore[arg-type]
        scores.append(score)
        if on_item:
            on_item(item, score)
    stats = _model_stats(llm)
    return EvalRun(dataset=dataset.name + (f" ({split})" if split else ""), backend=settings.llm.backend,
                   embedding=settings.embedding.model, date=time.strftime("%Y-%m-%d"), machine=machine(),
                   metrics=breakdown(scores), items=scores, reused_items=reused, model_stats=stats, **meta)


def _model_stats(llm: CachedChatModel | None) -> dict[str, float]:
    inner = llm.inner if llm else None
    stats = dict(inner.stats()) if inner is not None and hasattr(inner, "stats") else {}
    if llm:
        stats |= {"cache_hits": llm.hits, "cache_misses": llm.misses}
    return stats


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
