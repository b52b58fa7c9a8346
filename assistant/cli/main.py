"""`policy-assistant` command line: thin subcommands over the assistant's facades."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points

from assistant.cli import admin, answers, index, serve, sessions
from assistant.cli.args import Parser
from assistant.errors import USER_ERRORS, one_line

Handler = Callable[[argparse.Namespace], int]

GROUPS = (index, answers, serve, admin, sessions)
PLUGINS = "policy_assistant.commands"  # entry points that add subcommands (the evals add `eval`)


def build_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:  # type: ignore[type-arg]
    """The parser with every group's subcommands and those that installed packages contribute."""
    parser = Parser(prog="policy-assistant", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    for plugin in sorted(entry_points(group=PLUGINS), key=lambda ep: ep.name):
        plugin.load()(sub)
    return parser, sub


def commands() -> dict[str, Handler]:
    """Every subcommand by name, with the function that runs it."""
    _, sub = build_parser()
    return {name: p.get_default("handler") for name, p in sub.choices.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 2 bad input, 1 anything else)."""
    try:
        args = build_parser()[0].parse_args(argv)
    except SystemExit as exc:  # a usage error (already printed, one line) or --help
        return exc.code if isinstance(exc.code, int) else 2
    from assistant.llm.gate import ModelBusyError
    from vectorstore.store import StoreUnavailableError

    try:
        from assistant.settings import load_settings

        load_settings()  # a bad POLICY_ASSISTANT_* variable is a one-line usage error before any work
        return int(args.handler(args))
    except USER_ERRORS as exc:
        print(f"policy-assistant: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except (StoreUnavailableError, ModelBusyError) as exc:
        print(f"policy-assistant: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("policy-assistant: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader closed the pipe early (`ask ... | head -3`): it has what it wanted
        quiet_stdout()
        return 0
    except Exception as exc:  # noqa: BLE001 - never a traceback to a user
        if os.environ.get("POLICY_ASSISTANT_DEBUG"):
            raise
        print(one_line(f"policy-assistant: unexpected error: {type(exc).__name__}: {exc}".splitlines()[0]),
              file=sys.stderr)
        return 1


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit does not fail again on the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file descriptor (a test's capture)
        pass
