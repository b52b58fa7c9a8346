"""What the subcommands write: JSON on stdout, and output files checked before any work."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from assistant.errors import UserInputError


def print_json(obj: object) -> None:
    """Print one JSON object on stdout (UTF-8, not ASCII-escaped)."""
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def writable_file(path: str, flag: str) -> Path:
    """An output file the user named: checked before any work, so a long draft is never lost to a typo."""
    import os

    out = Path(path).expanduser()
    if not path.strip() or out.is_dir() or path.endswith(("/", os.sep)):
        raise UserInputError(f"{flag} {path}: is a folder, expected a file name")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UserInputError(f"{flag} {path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise UserInputError(f"{flag} {path}: not writable")
    return out


def write_output(out: Path, flag: str, write: Callable[[Path], object]) -> None:
    """Write an output file; a disk or permission error is one line (exit 2), not a traceback."""
    try:
        write(out)
    except OSError as exc:
        raise UserInputError(f"{flag} {out}: could not write ({exc.strerror or type(exc).__name__})") from None
