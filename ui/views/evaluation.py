"""Evaluation: run the bundled (or an uploaded) eval set, metrics table, charts, failing items."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from assistant.errors import UserInputError
from evals.dataset import DEFAULT_DATASET, load_dataset
from evals.runner import EvalRun, run_eval
from ui import common
from ui.i18n import t


def _results(run: EvalRun) -> None:
    lg = common.lang()
    rows = [{"": name, **{k: v for k, v in m.items()}} for name, m in run.metrics.items()]
    st.dataframe(rows, hide_index=True, width="stretch")
    charts = st.columns(2)
    for col, prefix, title in ((charts[0], "task:", t("by_task", lg)), (charts[1], "lang:", t("by_lang", lg))):
        data = {name[len(prefix):]: {"precision": m["citation_precision"] or 0, "recall": m["citation_recall"] or 0}
                for name, m in run.metrics.items() if name.startswith(prefix)}
        col.markdown(f"**{title}**")
        col.bar_chart(data, stack=False)
    failing = [s for s in run.items if s.failure]
    st.subheader(t("failing", lg, n=len(failing)))
    st.dataframe([{"id": s.id, "task": s.task, "lang": s.lang, "question": s.question,
                   "expected": ", ".join(f"R{n}" for n in s.expected), "cited": ", ".join(f"R{n}" for n in s.cited),
                   "why": s.failure} for s in failing], hide_index=True, width="stretch")


def render() -> None:
    """The evaluation page."""
    backend = common.sidebar()
    lg = common.lang()
    st.title(t("eval_title", lg))
    common.backend_caption()
    source = st.radio(t("dataset", lg), ["bundled", "own"], horizontal=True,
                      format_func=lambda c: t("bundled_dataset" if c == "bundled" else "own_dataset", lg))
    upload = st.file_uploader("JSONL", type=["jsonl"], key="eval-upload") if source == "own" else None
    if st.button(t("run_eval", lg), type="primary", disabled=source == "own" and upload is None):
        path = DEFAULT_DATASET
        if upload is not None:
            tmp = Path(tempfile.mkdtemp()) / "dataset.jsonl"
            tmp.write_bytes(upload.getvalue())
            path = tmp
        try:
            limits = common.settings().limits
            total = len(load_dataset(path, max_items=limits.eval_items, max_mb=limits.eval_file_mb))
        except UserInputError as exc:
            st.error(t("bad_dataset", lg, reason=str(exc)))
            return
        settings = common.settings().model_copy(deep=True)
        settings.llm.backend = backend  # type: ignore[assignment]
        bar = st.progress(0.0)
        done = [0]

        def tick(item, score) -> None:  # type: ignore[no-untyped-def]
            done[0] += 1
            bar.progress(done[0] / total, text=t("eval_progress", lg, i=done[0], n=total))

        st.session_state["eval_run"] = run_eval(path, settings, on_item=tick, user=common.user()).model_dump()
    if st.session_state.get("eval_run"):
        _results(EvalRun.model_validate(st.session_state["eval_run"]))


render()
