"""`backup`, `restore`, `users` and `audit`: the operator's commands (the CLI acts as an admin)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.args import Parser, text
from assistant.cli.output import print_json, writable_file, write_output
from assistant.errors import UserInputError
from assistant.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the operator's subcommands."""
    s = sub.add_parser("backup", help="write the index, uploads, feedback and caches to one archive (safe while the app runs)")
    s.add_argument("file", help="archive to write, e.g. policy-assistant-2026-11-22.tar.gz")
    s.set_defaults(handler=cmd_backup)

    s = sub.add_parser("restore", help="bring a backup archive back into the data dir")
    s.add_argument("file")
    s.add_argument("--force", action="store_true", help="replace the documents and files already there")
    s.set_defaults(handler=cmd_restore)

    s = sub.add_parser("users", help="local accounts for the app's sign-in: add, remove, list, set-role, passwd")
    ss = s.add_subparsers(dest="action", required=True, parser_class=Parser)
    a = ss.add_parser("add", help="create an account (the password is asked for, or read from standard input)")
    a.add_argument("name", type=text("user name"))
    a.add_argument("--role", choices=["reader", "editor", "admin"], default="reader")
    a = ss.add_parser("remove", help="delete an account (its saved sessions stay)")
    a.add_argument("name", type=text("user name"))
    a = ss.add_parser("list", help="every account with its role")
    a.add_argument("--json", action="store_true")
    a = ss.add_parser("set-role", help="change an account's role")
    a.add_argument("name", type=text("user name"))
    a.add_argument("role", choices=["reader", "editor", "admin"])
    a = ss.add_parser("passwd", help="give an account a new password")
    a.add_argument("name", type=text("user name"))
    s.set_defaults(handler=cmd_users)

    s = sub.add_parser("audit", help="who uploaded, removed, rebuilt or ingested what, and when")
    s.add_argument("--csv", help="write the log as CSV to this file")
    s.set_defaults(handler=cmd_audit)


def cmd_backup(args: argparse.Namespace) -> int:
    """Write one archive of the data dir."""
    from assistant.workspace.backup import backup

    out = writable_file(args.file, "backup")
    try:
        r = backup(out)
    except OSError as exc:
        raise UserInputError(f"backup {out}: could not write ({exc.strerror or type(exc).__name__})") from None
    print(f"{out}: {r.documents} documents, {r.chunks} chunks, {r.files} uploaded files"
          f"{', feedback' if r.feedback else ''}{', ' + ', '.join(r.caches) if r.caches else ''} ({r.seconds:.1f} s)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore an archive written by `backup`."""
    from assistant.workspace.backup import restore

    r = restore(Path(args.file), force=args.force)
    print(f"restored {r.documents} documents, {r.chunks} chunks, {r.files} uploaded files"
          f"{', feedback' if r.feedback else ''}{', ' + ', '.join(r.caches) if r.caches else ''} ({r.seconds:.1f} s)")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """Print the audit trail, or write it as CSV."""
    from assistant.people import audit

    settings = Settings()
    out = writable_file(args.csv, "--csv") if args.csv else None
    items = list(audit.entries(settings))
    if out is not None:
        write_output(out, "--csv", lambda path: path.write_text(audit.to_csv(items), encoding="utf-8"))
        print(f"{out}: {len(items)} entries")
        return 0
    if not items:
        print("the audit log is empty (uploads, removals, rebuilds and ingests are recorded)")
    for i in items:
        print(f"{i.at}  {i.actor:<12} {i.action:<15} {i.doc_id or '-':<28} {i.sha256[:16] or '-':<16}  {i.detail}")
    return 0


def _password() -> str:
    """A password from the terminal (asked twice) or the first line of standard input (scripts)."""
    import getpass

    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise UserInputError("the two passwords differ; nothing was changed")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    """Local accounts: add, remove, list, set-role, passwd (the CLI is the machine's operator: an admin)."""
    from assistant.people import accounts

    settings = Settings()
    if args.action == "list":
        found = accounts.list_accounts(settings)
        if args.json:
            print_json([a.model_dump() for a in found])
        elif not found:
            print("no local accounts (policy-assistant users add NAME --role admin creates one)")
        for a in found if not args.json else []:
            print(f"{a.name:<32} {a.role}")
        return 0
    name = accounts.check_name(args.name)  # a bad name is refused before a password is asked for
    if args.action == "add":
        account = accounts.add(name, _password(), args.role, settings)
        print(f"added {account.name} as {account.role}")
    elif args.action == "remove":
        accounts.remove(name, settings)
        print(f"removed {name}")
    elif args.action == "set-role":
        before, after = accounts.set_role(name, args.role, settings)
        print(f"{name}: {before} -> {after}")
    else:
        accounts.existing(name, settings)  # an unknown name is refused before a password is asked for
        accounts.set_password(name, _password(), settings)
        print(f"new password set for {name}")
    return 0
