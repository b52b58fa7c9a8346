"""Errors a user can act on, and the assistant's own error types for the pages and the CLI.

The lower layers raise their own errors (`vectorstore.chroma.StoreUnavailableError`,
`ingestion.errors.IngestError`). The facades (`@facade`) turn them into `IndexUnavailableError` and
`DocumentRejectedError`, so a page catches assistant types and imports nothing below the assistant.
Each subclasses the error it replaces, so code that caught the lower one still does.
"""

import functools
import inspect
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from ingestion.errors import IngestError
from vectorstore.chroma import StoreUnavailableError

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]")


def one_line(message: str) -> str:
    """A message as one printable line: a control character in a file name shows as its escape."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), message)


class UserInputError(ValueError):
    """Bad usage or bad input (an empty question, an unreadable history file, ...)."""


USER_ERRORS: tuple[type[Exception], ...] = (UserInputError, IngestError)


class IndexUnavailableError(StoreUnavailableError):
    """The index cannot be read or written (a server down, a full disk); the message says what to do."""


class DocumentRejectedError(IngestError):
    """A file the library cannot index (corrupt, empty, scanned, too large); the message says why."""


F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except (IndexUnavailableError, DocumentRejectedError):
        raise
    except StoreUnavailableError as exc:
        raise IndexUnavailableError(str(exc)) from exc
    except IngestError as exc:
        raise DocumentRejectedError(str(exc)) from exc


def facade(fn: F) -> F:
    """Mark a facade: lower-layer errors leave it as the assistant's own types (generators too)."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def stream(*args: Any, **kwargs: Any) -> Any:
            with _translated():
                yield from fn(*args, **kwargs)
        return stream  # type: ignore[return-value]

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        with _translated():
            return fn(*args, **kwargs)
    return call  # type: ignore[return-value]
