"""Evaluation: run the bundled (or an uploaded) eval set and keep it; metrics, failing items, the run history."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import streamlit as st

from assistant.errors import UserInputError
from evals.dataset import DEFAULT_DATASET, load_dataset
from evals.history.store import keep
from evals.runner import EvalRun, run_eval
from ui import common
from ui.i18n import t
from ui.views import eval_history


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


def _dataset(upload) -> Path:  # type: ignore[no-untyped-def]
    """The bundled set, or the upload in a file of its own name (the history groups runs by that name)."""
    if upload is None:
        return DEFAULT_DATASET
    name = Path(upload.name).name
    if not name.endswith(".jsonl") or name.startswith("."):
        name = "dataset.jsonl"
    path = Path(tempfile.mkdtemp()) / name
    path.write_bytes(upload.getvalue())
    return path


def _run(path: Path, backend: str, note: str) -> None:
    """Run the set with a progress bar, keep the run in the history and in this session."""
    lg = common.lang()
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

    run = run_eval(path, settings, on_item=tick, user=common.user())
    run.note = note.strip()
    st.session_state["eval_run"] = run.model_dump()
    try:
        st.session_state["eval_kept"] = keep(run, common.settings().data_dir)
    except (sqlite3.Error, OSError) as exc:  # the results still show; only the history misses this run
        st.session_state["eval_kept"] = None
        st.warning(t("eval_not_kept", lg, reason=str(exc)))


def render() -> None:
    """The evaluation page."""
    backend = common.sidebar()
    lg = common.lang()
    st.title(t("eval_title", lg))
    common.backend_caption()
    source = st.radio(t("dataset", lg), ["bundled", "own"], horizontal=True,
                      format_func=lambda c: t("bundled_dataset" if c == "bundled" else "own_dataset", lg))
    upload = st.file_uploader("JSONL", type=["jsonl"], key="eval-upload") if source == "own" else None
    note = st.text_input(t("run_note", lg), key="eval-note", placeholder=t("run_note_hint", lg), max_chars=200)
    if st.button(t("run_eval", lg), type="primary", disabled=source == "own" and upload is None):
        _run(_dataset(upload), backend, note)
    if st.session_state.get("eval_run"):
        if kept := st.session_state.get("eval_kept"):
            st.success(t("eval_kept", lg, n=kept), icon=":material/save:")
        _results(EvalRun.model_validate(st.session_state["eval_run"]))
    st.divider()
    eval_history.render()


render()
