"""Eval runs kept in SQLite under the data dir: one row per run, one per item, answers included."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError

from assistant.errors import UserInputError
from evals.draft_scores import DraftingRun
from evals.provenance import RunMeta
from evals.runner import EvalRun

FILE = "eval_runs.sqlite"
Run = EvalRun | DraftingRun
_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, started TEXT NOT NULL, backend TEXT NOT NULL, dataset TEXT NOT NULL,
    split TEXT, commit_id TEXT, meta TEXT NOT NULL, extra TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, item_id TEXT NOT NULL, lang TEXT, task TEXT, passed INTEGER NOT NULL,
    seconds REAL, answer TEXT, data TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
);
"""


def path_in(data_dir: Path) -> Path:
    """Where a data dir keeps its runs."""
    return data_dir / FILE


class RunStore:
    """Record, list and load runs; a run is written whole (one transaction) or not at all."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.executescript(_SCHEMA)
            with db:
                yield db
        finally:
            db.close()

    def record(self, run: Run) -> int:
        """Keep a run with every item; returns its number (also set on `run.id`)."""
        meta = run.model_dump(mode="json", include=set(RunMeta.model_fields) - {"id"})
        extra = run.model_dump(mode="json", exclude=set(RunMeta.model_fields) | {"items"})
        with self._db() as db:
            cur = db.execute("INSERT INTO runs (kind, started, backend, dataset, split, commit_id, meta, extra) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             (run.kind, run.started, run.backend, run.dataset, run.split, run.commit,
                              json.dumps(meta, ensure_ascii=False), json.dumps(extra, ensure_ascii=False)))
            run_id = int(cur.lastrowid or 0)
            db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(run_id, n, i.id, i.lang, i.task, int(i.passed), i.seconds, i.answer,
                             i.model_dump_json()) for n, i in enumerate(run.items)])
        run.id = run_id
        return run_id

    def runs(self, kind: str | None = None) -> list[RunMeta]:
        """Every kept run without its items, oldest first."""
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute("SELECT id, meta FROM runs" + (" WHERE kind = ?" if kind else "") + " ORDER BY id",
                              (kind,) if kind else ()).fetchall()
        return [RunMeta.model_validate({**json.loads(meta), "id": run_id}) for run_id, meta in rows]

    def load(self, run_id: int) -> Run:
        """One run with its items; UserInputError when there is no such run."""
        with self._db() as db:
            row = db.execute("SELECT kind, meta, extra FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                raise UserInputError(f"there is no eval run {run_id} (`policy-assistant eval runs` lists them)")
            items = [json.loads(d) for (d,) in db.execute("SELECT data FROM items WHERE run_id = ? ORDER BY position",
                                                          (run_id,))]
        kind, meta, extra = row
        model = DraftingRun if kind == "drafting" else EvalRun
        return model.model_validate({**json.loads(meta), **json.loads(extra), "id": run_id, "items": items})

    def delete(self, run_id: int) -> bool:
        """Drop a run and its items; False when there was none."""
        with self._db() as db:
            return db.execute("DELETE FROM runs WHERE id = ?", (run_id,)).rowcount > 0


def read_run_file(path: Path) -> Run:
    """A run written by `eval --json` (or a committed baseline); UserInputError if it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = DraftingRun if data.get("kind") == "drafting" else EvalRun
        return model.model_validate(data)
    except OSError as exc:
        raise UserInputError(f"{path}: cannot be read ({exc.strerror})") from None
    except (ValueError, ValidationError, AttributeError):
        raise UserInputError(f"{path}: not an eval run written by `policy-assistant eval --json`") from None


def keep(run: Run, data_dir: Path) -> int:
    """Record a finished run in the data dir's history; its number."""
    return RunStore(path_in(data_dir)).record(run)


def resolve(ref: str, store: RunStore) -> Run:
    """A run named on the command line: its number, `last`, `last~N` (N runs before), or a run's JSON file."""
    ref = ref.strip()
    if ref.isdigit():
        return store.load(int(ref))
    if ref == "last" or ref.startswith("last~"):
        back = ref[5:]
        if ref != "last" and not back.isdigit():
            raise UserInputError(f"{ref}: write last, or last~N for the run N before it")
        runs = store.runs()
        n = int(back) if back else 0
        if n >= len(runs):
            raise UserInputError(f"{ref}: only {len(runs)} eval runs are kept" if runs else
                                 "no eval run is kept yet: run `policy-assistant eval`")
        return store.load(runs[-1 - n].id or 0)
    path = Path(ref)
    if path.suffix == ".json" or path.exists():
        return read_run_file(path)
    raise UserInputError(f"{ref}: not a run number, `last`, `last~N` or a run's JSON file")
