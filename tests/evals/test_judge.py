"""The model support judge: sampling, verdict parsing, agreement, and the command on a fake model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.llm.fake import FakeChatModel
from evals.judge import (
    LabelledSentence,
    agreement,
    judge_all,
    main,
    parse_verdict,
    rejudge,
    sample,
    summary,
)
from evals.metrics import ItemScore
from evals.runner import EvalRun
from evals.support import JudgedSentence


def _item(n: int, verdicts: list[bool]) -> ItemScore:
    return ItemScore(id=f"qa{n:03d}", task="qa", lang="es" if n % 2 else "en", question="q", expected=[1],
                     cited=[1], refused=False, sources={"R1": "texto de la fuente"},
                     sentences=[JudgedSentence(text=f"oración {n}.{k} [R1].", markers=["R1"], lexical=v)
                                for k, v in enumerate(verdicts)])


def _run() -> EvalRun:
    items = [_item(n, [True, True, False]) for n in range(10)] + [_item(10 + n, [True]) for n in range(10)]
    return EvalRun(dataset="d", backend="llamacpp", embedding="e5-small", date="2026-11-21", machine="m",
                   metrics={}, items=items)


def test_sample_balances_verdicts_and_caps_each_item() -> None:
    chosen = sample(_run(), 16, per_item=2)
    assert len(chosen) == 16
    assert sum(s.lexical for s in chosen) == 8
    per_item = {s.id.split("#")[0] for s in chosen}
    assert all(sum(s.id.startswith(i + "#") for s in chosen) <= 2 for i in per_item)
    assert all(s.sources == "[R1] texto de la fuente" for s in chosen)
    assert sample(_run(), 16, per_item=2) == chosen  # seeded
    one_each = sample(_run(), 16)
    assert len(one_each) == 16 and sum(s.lexical for s in one_each) == 8
    assert len({s.id.split("#")[0] for s in one_each}) == 16  # no item twice


@pytest.mark.parametrize(("reply", "verdict"), [("YES", True), ("Sí.", True), ("si", True), ("**No**", False),
                                                ("NO, because", False), ("Maybe", None), ("", None)])
def test_parse_verdict(reply: str, verdict: bool | None) -> None:
    assert parse_verdict(reply) is verdict


def test_agreement_and_kappa() -> None:
    assert agreement([True, False, True, False], [True, False, True, False]) == {"n": 4, "agreement": 1.0, "kappa": 1.0}
    chance = agreement([True, True, False, False], [True, False, True, False])
    assert chance["agreement"] == 0.5 and chance["kappa"] == 0.0
    assert agreement([None, True], [True, True])["n"] == 1


def test_judge_all_asks_the_model_and_summary_compares(tmp_path: Path) -> None:
    sentences = [LabelledSentence(id=f"a#{i}", lang="en", task="qa", text=f"claim {i} [R1].", markers=["R1"],
                                  sources="[R1] text", lexical=i < 2, label=i % 2 == 0) for i in range(4)]
    model = FakeChatModel().enqueue("YES", "NO", "YES", "NO")
    judged = judge_all(sentences, model)
    assert [s.model for s in judged] == [True, False, True, False]
    assert "claim 0" in str(model.received[0][-1].content) and "[R1]" not in str(model.received[0][-1].content).split("SENTENCE:")[1]
    rows = summary(judged)
    assert rows["model vs hand"]["agreement"] == 1.0
    assert rows["lexical vs hand"]["agreement"] == 0.5


def test_agree_command_rejects_unlabelled_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "labels.jsonl"
    s = LabelledSentence(id="a#0", lang="es", task="qa", text="t [R1].", markers=["R1"], sources="s", lexical=True)
    path.write_text(s.model_dump_json() + "\n")
    assert main(["agree", str(path), "--llm", "fake"]) == 2
    assert "line 1: no hand label" in capsys.readouterr().err
    path.write_text(json.dumps(s.model_dump() | {"label": True}) + "\n")
    out = tmp_path / "out.json"
    assert main(["agree", str(path), "--llm", "fake", "--json", str(out)]) == 0
    saved = json.loads(out.read_text())  # the fake's default reply is no verdict: left out, not guessed
    assert saved["summary"]["model vs hand"]["n"] == 0 and saved["sentences"][0]["model"] is None


def test_rejudge_recomputes_support_from_stored_answers() -> None:
    run = _run()
    item = run.items[0].model_copy(update={
        "answer": "Texto de la fuente citado aquí mismo [R1]. Volcanes marcianos producen cobre [R1].",
        "sources": {"R1": "texto de la fuente citado aquí"}})
    run = run.model_copy(update={"items": [item] + run.items[1:]})
    again = rejudge(run)
    assert [s.lexical for s in again.items[0].sentences] == [True, False]
    assert again.items[0].support == 0.5
    assert again.items[1] == run.items[1]  # no stored answer: left as it was
