"""`policy-assistant` command line: thin subcommands over the assistant's facades."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence

from assistant.errors import USER_ERRORS, one_line

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (exit 2), never the usage block and a second line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _ranged(name: str, low: int, high: int) -> Callable[[str], int]:
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


def _text(name: str) -> Callable[[str], str]:
    """An argparse type for free text: no NUL bytes (no file name or model prompt can hold one)."""

    def parse(text: str) -> str:
        if "\x00" in text:
            raise argparse.ArgumentTypeError(f"the {name} contains a NUL character")
        return text

    return parse


def _doc_option(parser: argparse.ArgumentParser) -> None:
    """`--doc ID`, repeatable: ask, search and draft draw only on those documents."""
    parser.add_argument("--doc", action="append", default=[], metavar="ID",
                        help="only this document (repeatable; ids as the library lists them)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="policy-assistant", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="index files or folders (default: the bundled ECLAC corpus)")
    s.add_argument("paths", nargs="*", help="PDF, TXT or MD files, or folders")
    s.add_argument("--reset", action="store_true", help="drop the index and rebuild it")

    s = sub.add_parser("rec", help="show recommendation N with its guideline and Panorama pages")
    s.add_argument("number", type=_ranged("N", 1, 10_000))
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("search", help="ranked sources for a query, no generation")
    s.add_argument("query", type=_text("query"))
    s.add_argument("--k", type=_ranged("--k", 1, K_MAX), default=None, help=f"sources to return (1-{K_MAX})")
    s.add_argument("--json", action="store_true")
    _doc_option(s)
    s = sub.add_parser("ask", help="one answer with verified citations")
    s.add_argument("question", type=_text("question"))
    s.add_argument("--history", help="JSON file: a list of {role, content} turns before the question")
    s.add_argument("--llm", choices=BACKENDS, help="backend (default from settings: llamacpp)")
    s.add_argument("--k", type=_ranged("--k", 1, K_MAX), default=None, help=f"sources to retrieve (1-{K_MAX})")
    s.add_argument("--json", action="store_true", help="print the contract's JSON object")
    s.add_argument("--no-cache", action="store_true", help="write the answer again instead of a stored one")
    _doc_option(s)

    s = sub.add_parser("chat", help="a terminal conversation with memory and streaming")
    s.add_argument("--llm", choices=BACKENDS)

    s = sub.add_parser("draft", help="draft a strategy section citing recommendations")
    s.add_argument("--region", required=True, type=_text("region"))
    s.add_argument("--topic", required=True, type=_text("topic"))
    s.add_argument("--guidelines", default="", help="comma-separated roman numerals, e.g. VIII,X")
    s.add_argument("--language", choices=("es", "en"))
    s.add_argument("--llm", choices=BACKENDS)
    s.add_argument("--format", choices=("md", "docx"), default="md")
    s.add_argument("--out", help="file to write (required for docx)")
    s.add_argument("--json", action="store_true", help="print the draft as JSON")
    _doc_option(s)

    s = sub.add_parser("ui", help="start the Streamlit app on 127.0.0.1")
    s.add_argument("--port", type=_ranged("--port", 1, 65535), default=8501)
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    s.add_argument("--no-auth", action="store_true",
                   help="serve a non-loopback address without sign-in (behind a proxy that signs users in)")

    s = sub.add_parser("backup", help="write the index, uploads, feedback and caches to one archive (safe while the app runs)")
    s.add_argument("file", help="archive to write, e.g. policy-assistant-2026-11-22.tar.gz")

    s = sub.add_parser("restore", help="bring a backup archive back into the data dir")
    s.add_argument("file")
    s.add_argument("--force", action="store_true", help="replace the documents and files already there")

    s = sub.add_parser("sessions", help="saved conversations and drafts: list, export, rename, delete")
    ss = s.add_subparsers(dest="action", required=True, parser_class=_Parser)
    a = ss.add_parser("list", help="every saved conversation, the most recent first")
    a.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    a.add_argument("--user", default="", help="a signed-in user's sessions (default: the single-user app's)")
    a = ss.add_parser("export", help="one conversation with its citations, as it was shown")
    a.add_argument("id")
    a.add_argument("--user", default="", help="the session's owner, when it was saved signed in")
    a.add_argument("--format", choices=["md", "json", "docx"], default="md",
                   help="docx: the session's latest draft as Word (needs --out)")
    a.add_argument("--out", help="write to this file instead of standard output")
    a = ss.add_parser("rename", help="give a conversation a new title")
    a.add_argument("id")
    a.add_argument("--user", default="", help="the session's owner, when it was saved signed in")
    a.add_argument("title", type=_text("title"))
    a = ss.add_parser("delete", help="remove a conversation")
    a.add_argument("id")
    a.add_argument("--user", default="", help="the session's owner, when it was saved signed in")

    s = sub.add_parser("users", help="local accounts for the app's sign-in: add, remove, list, set-role, passwd")
    ss = s.add_subparsers(dest="action", required=True, parser_class=_Parser)
    a = ss.add_parser("add", help="create an account (the password is asked for, or read from standard input)")
    a.add_argument("name", type=_text("user name"))
    a.add_argument("--role", choices=["reader", "editor", "admin"], default="reader")
    a = ss.add_parser("remove", help="delete an account (its saved sessions stay)")
    a.add_argument("name", type=_text("user name"))
    a = ss.add_parser("list", help="every account with its role")
    a.add_argument("--json", action="store_true")
    a = ss.add_parser("set-role", help="change an account's role")
    a.add_argument("name", type=_text("user name"))
    a.add_argument("role", choices=["reader", "editor", "admin"])
    a = ss.add_parser("passwd", help="give an account a new password")
    a.add_argument("name", type=_text("user name"))

    s = sub.add_parser("audit", help="who uploaded, removed, rebuilt or ingested what, and when")
    s.add_argument("--csv", help="write the log as CSV to this file")

    s = sub.add_parser("eval", help="run an eval set and print the metrics table")
    s.add_argument("--dataset", help="JSONL file (default: evals/datasets/eval_v1.jsonl)")
    s.add_argument("--llm", choices=BACKENDS)
    s.add_argument("--json", dest="json_out", help="write the full results as JSON")
    s.add_argument("--report", help="write a Markdown report with every failing item")
    s.add_argument("--split", choices=["dev", "test"], help="only the items of one split")
    s.add_argument("--gen-cache", help="generation cache for model backends (default: <data_dir>/cache/generations.sqlite)")
    s.add_argument("--no-gen-cache", action="store_true", help="generate every answer again (for timings)")
    return p


BACKENDS = ("extractive", "llamacpp", "ollama", "openai", "fake")
K_MAX = 50  # the same bound as RetrievalConfig.k


def _commands() -> dict[str, Handler]:
    from assistant import commands

    return {"ingest": commands.cmd_ingest, "rec": commands.cmd_rec, "search": commands.cmd_search,
            "ask": commands.cmd_ask, "chat": commands.cmd_chat, "draft": commands.cmd_draft,
            "eval": commands.cmd_eval, "ui": commands.cmd_ui,
            "backup": commands.cmd_backup, "restore": commands.cmd_restore, "sessions": commands.cmd_sessions,
            "audit": commands.cmd_audit, "users": commands.cmd_users}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 2 bad input, 1 anything else)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # a usage error (already printed, one line) or --help
        return exc.code if isinstance(exc.code, int) else 2
    from assistant.llm.gate import ModelBusyError
    from vectorstore.store import StoreUnavailableError

    try:
        from assistant.settings import load_settings

        load_settings()  # a bad POLICY_ASSISTANT_* variable is a one-line usage error before any work
        return _commands()[args.command](args)
    except USER_ERRORS as exc:
        print(f"policy-assistant: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except (StoreUnavailableError, ModelBusyError) as exc:
        print(f"policy-assistant: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("policy-assistant: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - never a traceback to a user
        if os.environ.get("POLICY_ASSISTANT_DEBUG"):
            raise
        print(one_line(f"policy-assistant: unexpected error: {type(exc).__name__}: {exc}".splitlines()[0]),
              file=sys.stderr)
        return 1


def print_json(obj: object) -> None:
    """Print one JSON object on stdout (UTF-8, not ASCII-escaped)."""
    print(json.dumps(obj, ensure_ascii=False, indent=2))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
