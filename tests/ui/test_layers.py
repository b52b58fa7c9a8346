"""The pages go through the assistant's facades: nothing below the assistant layer is imported by the UI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT

UI_FILES = sorted((PROJECT_ROOT / "ui").rglob("*.py"))
BELOW = ("vectorstore", "ingestion")


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_ui_imports_no_lower_layer(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.split(".")[0] in BELOW]


def test_facades_raise_the_assistants_own_errors(tmp_path: Path) -> None:
    from assistant.errors import DocumentRejectedError
    from assistant.settings import Settings
    from assistant.workspace import library

    with pytest.raises(DocumentRejectedError, match="empty"):
        library.add_upload("vacio.txt", b"", Settings(data_dir=tmp_path))
