"""Argument types and options shared by the subcommands: one-line usage errors, ranges, free text."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from assistant.settings import Settings

BACKENDS = ("extractive", "llamacpp", "ollama", "openai", "fake")
K_MAX = 50  # the same bound as RetrievalConfig.k


class Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (exit 2), never the usage block and a second line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Exit 2 with the message on one line."""
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def ranged(name: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer in [low, high], else a usage error naming the range."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer ({name} accepts {low}-{high})") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({name} accepts {low}-{high})")
        return value

    return parse


def text(name: str) -> Callable[[str], str]:
    """An argparse type for free text: no NUL bytes (no file name or model prompt can hold one)."""

    def parse(value: str) -> str:
        if "\x00" in value:
            raise argparse.ArgumentTypeError(f"the {name} contains a NUL character")
        return value

    return parse


def doc_option(parser: argparse.ArgumentParser) -> None:
    """`--doc ID`, repeatable: ask, search and draft draw only on those documents."""
    parser.add_argument("--doc", action="append", default=[], metavar="ID",
                        help="only this document (repeatable; ids as the library lists them)")


def settings_for(args: argparse.Namespace) -> Settings:
    """Settings with the command's --k and --llm applied."""
    settings = Settings()
    if getattr(args, "k", None):
        settings.retrieval.k = args.k
    if getattr(args, "llm", None):
        settings.llm.backend = args.llm
    return settings
