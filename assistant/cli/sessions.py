"""`sessions`: saved conversations and drafts, listed, exported, renamed or deleted."""

from __future__ import annotations

import argparse

from assistant.cli.args import Parser, text
from assistant.cli.output import print_json, writable_file, write_output
from assistant.errors import UserInputError
from assistant.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `sessions` subcommand and its actions."""
    s = sub.add_parser("sessions", help="saved conversations and drafts: list, export, rename, delete")
    ss = s.add_subparsers(dest="action", required=True, parser_class=Parser)
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
    a.add_argument("title", type=text("title"))
    a = ss.add_parser("delete", help="remove a conversation")
    a.add_argument("id")
    a.add_argument("--user", default="", help="the session's owner, when it was saved signed in")
    s.set_defaults(handler=cmd_sessions)


def cmd_sessions(args: argparse.Namespace) -> int:
    """List, export, rename or delete saved conversations."""
    import datetime

    from assistant.workspace import sessions

    settings = Settings()
    if args.action == "list":
        infos = sessions.list_sessions(settings, owner=args.user)
        if args.json:
            print_json([i.model_dump() for i in infos])
        elif not infos:
            print("no saved conversations yet (they are kept as you chat in the app)")
        for i in infos if not args.json else []:
            when = datetime.datetime.fromtimestamp(i.updated).strftime("%Y-%m-%d %H:%M")
            print(f"{i.id}  {when}  {i.kind:5}  {i.messages:3d} messages  {i.title}")
        return 0
    if args.action == "export":
        if args.format == "docx" and not args.out:
            raise UserInputError("--format docx needs --out FILE.docx")
        out = writable_file(args.out, "--out") if args.out else None
        session = sessions.load(args.id, settings, owner=args.user)
        if args.format == "docx":
            from assistant.drafting.export import document_docx_bytes, to_docx
            from assistant.models import Draft

            versions = sessions.versions(session)
            if not versions:
                raise UserInputError(f"session {args.id} holds no draft to export as Word (use --format md)")
            latest = versions[-1]
            write_output(out, "--out", lambda path: to_docx(latest, path) if isinstance(latest, Draft)  # type: ignore[arg-type]
                         else path.write_bytes(document_docx_bytes(latest)))
            print(f"{out}: the latest of {len(versions)} draft version(s), {len(versions[-1].references)} references")
            return 0
        text = sessions.to_json(session) if args.format == "json" else sessions.to_markdown(session)
        if out is None:
            print(text)
        else:
            write_output(out, "--out", lambda path: path.write_text(text + "\n", encoding="utf-8"))
            print(f"{out}: {len(session.messages)} messages")
        return 0
    if args.action == "rename":
        sessions.rename(args.id, args.title, settings, owner=args.user)
    else:
        sessions.delete(args.id, settings, owner=args.user)
    print(f"{args.action}d {args.id}")
    return 0
