"""The run history: every eval run kept under the data dir, compared item by item, gated on a baseline.

- `store`: runs in SQLite (standard library), listed and loaded by number;
- `compare`: metric deltas with paired bootstrap intervals, and the items that changed;
- `gate`: a run against a committed baseline run (evals/results/baseline/).
"""
