"""Runs kept in SQLite: recorded whole with every item, listed, loaded, named on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import UserInputError
from evals.history.store import RunStore, keep, path_in, read_run_file, resolve
from evals.metrics import ItemScore
from tests.evals.history.helpers import run


def test_a_recorded_run_comes_back_with_every_item_and_its_answers(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs.sqlite")
    first = run([True] * 8 + [False] * 2)
    first.note = "base"
    assert store.record(first) == 1 and first.id == 1
    assert store.record(run([True] * 10)) == 2
    listed = store.runs()
    assert [r.id for r in listed] == [1, 2] and listed[0].note == "base"
    assert listed[0].metrics["overall"]["citation_recall"] == 0.8
    back = store.load(1)
    assert back.model_dump(exclude={"id"}) == first.model_dump(exclude={"id"})
    assert back.items[9].answer == "Respuesta [R60]." and not back.items[9].passed


def test_runs_are_named_by_number_last_or_file_and_bad_names_say_why(tmp_path: Path) -> None:
    store = RunStore(path_in(tmp_path))
    with pytest.raises(UserInputError, match="no eval run is kept yet"):
        resolve("last", store)
    for goods in ([True] * 4, [False] * 4, [True, False] * 2):
        keep(run(goods), tmp_path)
    assert resolve("last", store).id == 3 and resolve("last~2", store).id == 1 and resolve("2", store).id == 2
    file = tmp_path / "run.json"
    file.write_text(json.dumps(run([True]).model_dump()), encoding="utf-8")
    assert resolve(str(file), store).items[0].id == "q001"
    for bad, reason in (("9", "there is no eval run 9"), ("last~3", "only 3 eval runs"), ("last~x", "last~N"),
                        ("nine", "not a run number")):
        with pytest.raises(UserInputError, match=reason):
            resolve(bad, store)
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    with pytest.raises(UserInputError, match="not an eval run"):
        read_run_file(tmp_path / "bad.json")


def test_a_run_that_fails_mid_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = RunStore(tmp_path / "runs.sqlite")
    store.record(run([True] * 3))

    def fail(self: ItemScore, **_: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(ItemScore, "model_dump_json", fail)  # after the run's row, before its items
    with pytest.raises(OSError):
        store.record(run([True] * 3))
    monkeypatch.undo()
    assert [r.id for r in store.runs()] == [1]
    assert store.record(run([False])) == 2  # the failed write took no number
    assert len(store.load(store.runs()[-1].id or 0).items) == 1
