"""The support gate against the hand labels: its precision is gated on dev, test is only reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.settings import Settings, SupportConfig
from evals.calibrate import fit, judged, main, measure, scores
from evals.dataset import DATASETS
from evals.judge import load_labels

LABELS = DATASETS / "support_labels.jsonl"


@pytest.fixture(name="measured", scope="module")
def fixture_measured():  # type: ignore[no-untyped-def]
    return measure(load_labels(LABELS), Settings())


def test_the_labels_meet_their_brief() -> None:
    rows = load_labels(LABELS)
    assert len(rows) >= 200
    assert sum(r.task == "draft" for r in rows) >= 80
    assert sum(r.task != "draft" and r.lang == "en" for r in rows) >= 80
    assert {r.origin.split("-")[0] for r in rows} == {"llamacpp", "extractive"}
    assert all(r.note for r in rows if r.label is False), "every 'unsupported' label says why"


def test_the_configured_gate_keeps_few_unsupported_sentences_on_dev(measured) -> None:  # type: ignore[no-untyped-def]
    dev = [m for m in measured if m.split == "dev" and judged(m)]
    s = scores(dev, Settings().support)
    assert s["gate_precision"] >= 0.93, s  # measured 0.957 when the thresholds were fitted
    assert s["shown_supported"] >= 0.95, s


def test_fit_looks_at_dev_only(measured) -> None:  # type: ignore[no-untyped-def]
    flipped = [m.model_copy(update={"row": m.row.model_copy(update={"label": not m.row.label})})
               if m.split == "test" else m for m in measured]
    assert fit(flipped) == fit(measured), "changing test labels must not change the fitted thresholds"


def test_scores_by_hand() -> None:
    from evals.calibrate import Measured
    from evals.judge import LabelledSentence

    def m(label: bool, lexical: float, similarity: float, novel: bool = False) -> Measured:
        row = LabelledSentence(id="x#0", lang="en", task="qa", text="t", markers=["R1"], sources="s", lexical=False,
                               label=label)
        return Measured(row=row, split="dev", novel=novel, lexical=lexical, similarity=similarity)

    rows = [m(True, 1.0, 0.99), m(True, 0.5, 0.95), m(False, 0.5, 0.93), m(True, 0.2, 0.80), m(False, 1.0, 0.99, True)]
    s = scores(rows, SupportConfig(lexical=1.0, lexical_floor=0.0, similarity=0.92))
    # kept: the first three (the novel one fails); 2 of the 3 kept are supported; 2 of the 3 supported are kept
    assert (s["gate_precision"], s["gate_recall"], s["kept"]) == (0.667, 0.667, 0.6)
    assert s["shown_supported"] == 0.8  # one unsupported sentence shown, in five


def test_report_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gate.json"
    assert main(["report", str(LABELS), "--json", str(out)]) == 0
    assert "| dev |" in capsys.readouterr().out
    data = json.loads(out.read_text())
    assert set(data) == {"config", "dev", "test"} and data["test"]["n"] > 50
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "qa001#0", "lang": "es", "task": "qa", "text": "t", "markers": [], "sources": "s", "lexical": true}\n')
    assert main(["report", str(bad)]) == 2 and "no hand label" in capsys.readouterr().err
