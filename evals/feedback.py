"""Turn users' feedback into candidate eval items: what they approved, minus what they flagged."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.workspace.feedback import Feedback
from evals.dataset import EvalItem


def feedback_items(path: Path) -> list[EvalItem]:
    """One `qa` item per rated answer; flagged citations are left out of its gold set.

    Thumbs-up answers give their citations as gold; thumbs-down ones give no gold, only the flagged
    citations to avoid (kept out of `acceptable`), for a person to complete before use.
    """
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        fb = Feedback(**json.loads(line))
        cited = [int(c[1:]) for c in fb.cited if c.startswith("R") and c[1:].isdigit()]
        wrong = {int(c[1:]) for c in fb.wrong_citations if c.startswith("R") and c[1:].isdigit()}
        gold = [c for c in cited if c not in wrong] if fb.rating == "up" else []
        items.append(EvalItem(id=f"fb{n:04d}", question=fb.question, lang=fb.language, task="qa", gold=gold,
                              acceptable=[c for c in cited if c not in wrong and c not in gold]))
    return items


def main(argv: list[str] | None = None) -> int:
    """`python -m evals.feedback [FEEDBACK.jsonl]`: print candidate eval items as JSONL."""
    import sys

    from assistant.workspace.feedback import feedback_path

    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else feedback_path()
    for item in feedback_items(path):
        print(item.model_dump_json(exclude={"history", "gold_docs"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
