"""Errors a user can act on: the CLI prints their one-line message and exits 2."""

from ingestion.errors import IngestError


class UserInputError(ValueError):
    """Bad usage or bad input (an empty question, an unreadable history file, ...)."""


USER_ERRORS: tuple[type[Exception], ...] = (UserInputError, IngestError)
