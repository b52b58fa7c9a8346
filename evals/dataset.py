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


def load_dataset(path: Path) -> list[EvalItem]:
    """Read a dataset; a malformed line raises UserInputError naming the file and line number."""
    if not path.is_file():
        raise UserInputError(f"dataset {path}: no such file")
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
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
    return items
