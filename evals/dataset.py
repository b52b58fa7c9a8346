"""Eval datasets in the JSONL shape of CONTRACTS.md, read with line-numbered errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import UserInputError
from assistant.models import Turn

DATASETS = Path(__file__).resolve().parent / "datasets"
DEFAULT_DATASET = DATASETS / "eval_v1.jsonl"
Task = Literal["qa", "lookup", "draft", "followup", "scope", "slides"]


class EvalItem(BaseModel):
    """One question with the recommendations a correct answer must (gold) or may (acceptable) cite."""

    model_config = ConfigDict(extra="ignore")

    id: str
    question: str
    lang: Literal["es", "en"]
    task: Task
    history: list[Turn] = Field(default_factory=list)
    gold: list[int] = Field(default_factory=list)
    acceptable: list[int] = Field(default_factory=list)
    gold_docs: list[str] = Field(default_factory=list)
    split: Literal["dev", "test"] | None = Field(
        None, description="dev: tuning may look at it; test: used only to report. Absent in others' sets.")


def load_dataset(path: Path, max_items: int | None = None, max_mb: float | None = None) -> list[EvalItem]:
    """Read a dataset; a malformed line raises UserInputError naming the file and line number.

    `max_mb` and `max_items` bound the work a dataset can ask for (the app's limits, or the CLI's file size).
    """
    if not path.is_file():
        raise UserInputError(f"dataset {path}: no such file")
    if max_mb is not None and path.stat().st_size > max_mb * 1024 * 1024:
        raise UserInputError(f"dataset {path.name}: over the {max_mb:g} MB limit (POLICY_ASSISTANT_LIMITS_EVAL_FILE_MB)")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserInputError(f"dataset {path.name}: not UTF-8 text") from None
    items = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(EvalItem(**json.loads(line)))
        except json.JSONDecodeError as exc:
            raise UserInputError(f"dataset {path.name} line {number}: not valid JSON ({exc.msg})") from None
        except (ValidationError, TypeError) as exc:
            detail = exc.errors()[0] if isinstance(exc, ValidationError) else {"loc": (), "msg": str(exc)}
            where = ".".join(str(p) for p in detail["loc"])
            raise UserInputError(f"dataset {path.name} line {number}: {where} {detail['msg']}".strip()) from None
    if not items:
        raise UserInputError(f"dataset {path}: no items")
    if max_items is not None and len(items) > max_items:
        raise UserInputError(f"dataset {path.name}: {len(items)} items, over the limit of {max_items} "
                             "(POLICY_ASSISTANT_LIMITS_EVAL_ITEMS)")
    return items
