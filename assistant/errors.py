"""Errors a user can act on: the CLI prints their one-line message and exits 2."""

import re

from ingestion.errors import IngestError

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


def one_line(message: str) -> str:
    """A message as one printable line: a control character in a file name shows as its escape."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), message)


class UserInputError(ValueError):
    """Bad usage or bad input (an empty question, an unreadable history file, ...)."""


USER_ERRORS: tuple[type[Exception], ...] = (UserInputError, IngestError)
