"""The `policy-assistant` command line: a parser per group of subcommands, each thin over the facades.

May import every room of the assistant and the core; nothing imports it (the evals add `eval` by entry point).
"""

from assistant.cli.main import main

__all__ = ["main"]
