"""The kept eval runs, shown under the evaluation page: the history table, a metric's trend, two runs compared.

Imported by views/evaluation.py; not a page itself (app.py lists the pages it registers).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import streamlit as st

from assistant.errors import UserInputError
from evals.history.compare import COUNTS, Comparison, ItemChange, compare
from evals.history.store import Run, RunStore, path_in
from evals.provenance import HEADLINE, RunMeta
from ui import common
from ui.i18n import t

GROUPS = ("overall", "lang:es", "lang:en")
DEFAULT_METRIC = {"answers": "citation_f1", "drafting": "supported"}
CHANGE = {"newly failing": ("change_failing", ":material/trending_down:"),
          "newly passing": ("change_passing", ":material/trending_up:"),
          "citations changed": ("change_cites", ":material/swap_horiz:")}
WHY = {"refused an in-scope question": "why_refused", "cited outside gold and acceptable": "why_outside",
       "cited none of the gold": "why_none", "answered an out-of-scope question": "why_answered"}
VERDICT_COLOUR = {"better": "color: #1b7f3b", "worse": "color: #c0392b; font-weight: 600"}


@st.cache_data(show_spinner=False, max_entries=8)
def _load(path: str, run_id: int) -> Run:
    """A kept run with its items (a run never changes once kept; numbers are not reused)."""
    return RunStore(Path(path)).load(run_id)


@st.cache_data(show_spinner=False, max_entries=16)
def _compare(path: str, a: int, b: int) -> Comparison:
    """Run b against run a (about 1.5 s on 200 items, so once per pair)."""
    return compare(_load(path, a), _load(path, b))


def render() -> None:
    """History, trend and comparison of the runs kept in this data dir."""
    lg = common.lang()
    path = path_in(common.settings().data_dir)
    st.header(t("history_title", lg))
    runs = RunStore(path).runs()
    if not runs:
        st.info(t("history_empty", lg))
        return
    st.caption(t("history_where", lg, path=path))
    _table(runs)
    st.subheader(t("trend_title", lg))
    chosen, metric = _filters(runs)
    _trend(chosen, metric)
    _comparison(str(path), chosen)


def _table(runs: list[RunMeta]) -> None:
    """Every kept run, newest first, with its headline metrics (overall)."""
    lg = common.lang()
    kinds = {r.kind for r in runs}
    headline = [m for kind in ("answers", "drafting") if kind in kinds for m, _ in HEADLINE[kind]]
    rows = [{t("col_run", lg): r.id, t("col_started", lg): r.when, t("col_kind", lg): t(f"kind_{r.kind}", lg),
             t("col_engine", lg): r.backend, t("col_dataset", lg): r.dataset, "commit": r.commit or "",
             t("col_note", lg): r.note, **{m: r.metrics.get("overall", {}).get(m) for m in headline}}
            for r in reversed(runs)]
    floats = {m: st.column_config.NumberColumn(format="%.3f") for m in headline
              if any(isinstance(r.metrics.get("overall", {}).get(m), float) for r in runs)}
    st.container(key="eval-history").dataframe(rows, hide_index=True, width="stretch",
                                               column_config=floats)  # type: ignore[arg-type]


def _filters(runs: list[RunMeta]) -> tuple[list[RunMeta], str]:
    """The kind, eval set and metric the trend and the comparison are about; the runs they select."""
    lg = common.lang()
    kinds = sorted({r.kind for r in runs})  # "answers" before "drafting"
    *kind_col, set_col, metric_col = st.columns(3 if len(kinds) > 1 else 2)
    kind = kinds[0]
    if kind_col:
        kind = kind_col[0].segmented_control(t("run_kind", lg), kinds, default=kind, required=True,
                                             key="hist-kind", format_func=lambda k: t(f"kind_{k}", lg)) or kind
    of_kind = [r for r in runs if r.kind == kind]
    counts = Counter(r.dataset for r in of_kind)
    latest = {r.dataset: r.id or 0 for r in of_kind}
    datasets = sorted(counts, key=lambda d: (-counts[d], -latest[d]))  # the set with the most runs first
    dataset = set_col.selectbox(t("col_dataset", lg), datasets, key=f"hist-dataset-{kind}",
                                format_func=lambda d: f"{d} ({counts[d]})")
    chosen = [r for r in of_kind if r.dataset == dataset]
    metrics = sorted({m for r in chosen for g in r.metrics.values() for m, v in g.items()
                      if m not in COUNTS and isinstance(v, int | float)})
    default = DEFAULT_METRIC[kind]
    metric = metric_col.selectbox(t("metric", lg), metrics, key=f"hist-metric-{kind}",
                                  index=metrics.index(default) if default in metrics else 0)
    return chosen, metric or default


def _trend(runs: list[RunMeta], metric: str) -> None:
    """The metric by run number: one line per backend and group (overall, lang:es, lang:en)."""
    import altair as alt
    import pandas as pd

    lg = common.lang()
    rows = [{"run": r.id, "value": r.metrics[g][metric], "series": f"{r.backend} · {g}", "started": r.when,
             "commit": r.commit or "", "note": r.note}
            for r in runs for g in GROUPS if isinstance(r.metrics.get(g, {}).get(metric), int | float)]
    if not rows:
        st.caption(t("trend_none", lg, metric=metric))
        return
    frame = pd.DataFrame(rows)
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("run:O", title=t("col_run", lg), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=metric, scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", title=t("series", lg)),
        tooltip=["run", "started", "series", alt.Tooltip("value:Q", format=".3f"), "commit", "note"])
    series = ", ".join(sorted(frame["series"].unique()))
    st.container(key="eval-trend").altair_chart(chart, width="stretch",
                                                alt=t("trend_alt", lg, metric=metric, series=series))
    st.caption(t("trend_caption", lg, dataset=runs[0].dataset))


def _label(run: RunMeta) -> str:
    note = f" · {run.note}" if run.note else ""
    return f"{run.id} · {run.when} · {run.backend}{note}"


def _comparison(path: str, runs: list[RunMeta]) -> None:
    """Two runs picked (the two most recent by default): metric deltas, then the items that changed."""
    lg = common.lang()
    st.subheader(t("compare_title", lg))
    if len(runs) < 2:
        st.info(t("compare_need_two", lg))
        return
    ids = [r.id or 0 for r in reversed(runs)]  # newest first
    labels = {r.id: _label(r) for r in runs}
    cols = st.columns(2)
    a = cols[0].selectbox("A", ids, index=1, format_func=labels.get, key=f"cmp-a-{runs[0].kind}")
    b = cols[1].selectbox("B", ids, index=0, format_func=labels.get, key=f"cmp-b-{runs[0].kind}")
    if a == b:
        st.info(t("compare_same_run", lg))
        return
    try:
        with st.spinner(t("comparing", lg)):
            result = _compare(path, a, b)
    except UserInputError as exc:
        st.warning(str(exc))
        return
    _deltas(result)
    _changes(path, result)


def _deltas(c: Comparison) -> None:
    """Every overall metric, and per language those that moved: A, B, B−A, its interval and verdict."""
    import pandas as pd

    lg = common.lang()
    st.caption(t("compare_summary", lg, paired=c.paired, only_a=c.only_a, only_b=c.only_b,
                 conf=round(c.confidence * 100), n=c.resamples))
    if not c.same_dataset:
        st.warning(t("compare_other_version", lg))
    verdict = t("col_verdict", lg)
    frame = pd.DataFrame([{t("col_group", lg): d.group, t("metric", lg): d.metric, "A": d.a, "B": d.b, "B−A": d.delta,
                           t("col_interval", lg): f"[{d.low:+.3f}, {d.high:+.3f}]",
                           verdict: t(f"verdict_{d.verdict}", lg), "_v": d.verdict}
                          for d in c.metrics if d.group == "overall" or d.verdict != "same"])
    colours = {t(f"verdict_{v}", lg): css for v, css in VERDICT_COLOUR.items()}
    styled = (frame.drop(columns="_v").style.format({"A": "{:.3f}", "B": "{:.3f}", "B−A": "{:+.3f}"})
              .map(lambda v: colours.get(v, ""), subset=[verdict]))
    st.container(key="eval-deltas").dataframe(styled, hide_index=True, width="stretch")


def _changes(path: str, c: Comparison) -> None:
    """The changed items, newly failing first; an item's answers load when its expander opens."""
    lg = common.lang()
    counts = Counter(ch.change for ch in c.changed)
    st.markdown(f"**{t('changed_title', lg, n=len(c.changed))}**")
    if not c.changed:
        st.success(t("no_changes", lg))
        return
    st.caption(t("changed_counts", lg, failing=counts["newly failing"], passing=counts["newly passing"],
                 cites=counts["citations changed"]))
    changes = st.container(key="eval-changes")
    for ch in c.changed:
        key, icon = CHANGE[ch.change]
        box = changes.expander(f"{t(key, lg)} · {ch.id} · {common.safe(ch.question)}", icon=icon, on_change="rerun",
                               key=f"chg-{c.a.id}-{c.b.id}-{ch.id}")
        if box.open:
            with box:
                _item(ch, c, _load(path, c.a.id or 0), _load(path, c.b.id or 0))


def _item(ch: ItemChange, c: Comparison, run_a: Run, run_b: Run) -> None:
    """One changed item: what was expected, A and B side by side, then each side's citation chips."""
    lg = common.lang()
    expected = ", ".join(ch.expected) or (t("expected_refusal", lg) if c.a.kind == "answers" else "–")
    st.markdown(f"**{t('expected', lg)}:** {common.safe(expected)} · {ch.lang} · {ch.task}")
    sides = (("A", c.a, ch.a, run_a), ("B", c.b, ch.b, run_b))
    for col, (name, meta, side, _) in zip(st.columns(2), sides, strict=True):
        with col:
            st.markdown(f"**{name} · {t('run_n', lg, n=meta.id)}** · {meta.backend} · {side.seconds:.2f} s")
            if side.passed:
                st.success(t("item_passed", lg), icon=":material/check_circle:")
            else:
                why = WHY.get(side.failure or "", "")
                reason = t(why, lg) if why else common.safe(side.failure or "") or t("why_invalid", lg)
                st.error(t("item_failed", lg, why=reason), icon=":material/cancel:")
            with st.container(height=240):
                st.markdown(common.safe(side.answer) if side.answer.strip() else t("no_answer", lg))
    for name, meta, side, run in sides:  # full width: chips in a half column are too narrow to read
        scored = next((i for i in run.items if i.id == ch.id), None)
        citations: list[Any] = getattr(scored, "citations", None) or []
        st.caption(t("cited_by" if side.cited else "cited_nothing", lg, name=name, n=meta.id))
        if citations:
            common.chips(citations, key=f"cmp-{name}-{meta.id}-{ch.id}", answer=side.answer)
        elif side.cited:  # a drafting item, or a run kept before citations were stored: labels only
            st.markdown(common.safe(", ".join(side.cited)))
