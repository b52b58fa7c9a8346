"""Implementations of the CLI subcommands (parsing lives in cli.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from assistant.cli import print_json
from assistant.errors import UserInputError, one_line
from assistant.settings import Settings


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files or the bundled corpus, with a progress bar and a summary line."""
    from tqdm import tqdm

    from assistant import audit
    from assistant.services import get_store
    from vectorstore.indexer import ingest

    settings = Settings()
    if any(not p.strip() for p in args.paths):
        raise UserInputError("an empty path was given (a folder must be named, e.g. `.`)")
    paths = [Path(p) for p in args.paths] or [settings.corpus_dir]
    store = get_store(settings)
    if args.reset:
        audit.record(settings, "rebuild", detail="ingest --reset")
        store.reset()
    bar = tqdm(desc="ingest", unit="file", disable=not sys.stderr.isatty(), leave=False)
    report = ingest(paths, store, settings.chunking,
                    on_file=lambda spec: (bar.set_postfix_str(spec.path.name[:40]), bar.update()))
    bar.close()
    if report.written:
        audit.record(settings, "ingest", detail=f"{report.written} documents written from "
                                                f"{', '.join(str(p) for p in paths)}")
    for line in report.skipped:
        print(f"skipped: {one_line(line)}", file=sys.stderr)
    if report.repaired:
        print(one_line(f"repaired half-written documents: {', '.join(report.repaired)}"), file=sys.stderr)
    print(f"{report.documents} documents ({report.written} written), {report.recommendations} "
          f"recommendations, {report.chunks} chunks written, {report.total_chunks} in the index, "
          f"{report.seconds:.1f} s")
    if report.rejected:
        if len(report.rejected) == 1:
            raise UserInputError(report.rejected[0])
        for line in report.rejected[:20]:
            print(f"rejected: {one_line(line)}", file=sys.stderr)
        raise UserInputError(f"{len(report.rejected)} files rejected (listed above)")
    return 0


def cmd_rec(args: argparse.Namespace) -> int:
    """Print recommendation N from the registry."""
    from assistant.services import get_registry

    registry = get_registry(Settings())
    rec = registry.get(args.number)
    if rec is None:
        raise UserInputError(f"there is no recommendation {args.number} (1-{max(registry.hits, default=0)})"
                             if len(registry) else "the index is empty: run `policy-assistant ingest`")
    if args.json:
        print_json(rec.model_dump())
        return 0
    pages = ", ".join(str(p) for p in rec.panorama_pages)
    print(f"R{rec.number} · lineamiento {rec.guideline}: {rec.guideline_title}")
    print(f"Panorama 2024, pág. {pages}\n")
    print(rec.text)
    for note in rec.footnotes:
        print(f"\n{note}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Print ranked sources for a query."""
    from assistant.search import hit_json, search

    if not args.query.strip():
        raise UserInputError("the query is empty")
    hits = search(args.query, args.k, docs=args.doc)
    if args.json:
        print_json({"query": args.query, "results": [hit_json(h) for h in hits]})
        return 0
    if not hits:
        print("no results: is the index empty? run `policy-assistant ingest`")
    for rank, hit in enumerate(hits, 1):
        c = hit.chunk
        label = f"R{c.recommendation} ({c.guideline})" if c.recommendation else f"{c.doc_id} p. {c.page}"
        print(f"{rank:2}. {label:<12} {hit.score:.3f}  {c.text[:110]}")
    return 0


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


def _settings_for(args: argparse.Namespace) -> Settings:
    settings = Settings()
    if getattr(args, "k", None):
        settings.retrieval.k = args.k
    if getattr(args, "llm", None):
        settings.llm.backend = args.llm
    return settings


def read_history(path: str) -> list[dict[str, str]]:
    """A history file: a JSON list of {"role": "user"|"assistant", "content": str}."""
    import json

    from pydantic import ValidationError

    from assistant.models import Turn

    limit_mb = Settings().limits.history_file_mb
    try:
        if Path(path).stat().st_size > limit_mb * 1024 * 1024:
            raise UserInputError(f"history file {path}: over the {limit_mb:g} MB limit "
                                 "(POLICY_ASSISTANT_LIMITS_HISTORY_FILE_MB)")
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserInputError(f"history file {path}: no such file") from None
    except IsADirectoryError:
        raise UserInputError(f"history file {path}: is a folder") from None
    except PermissionError:
        raise UserInputError(f"history file {path}: not readable (permission denied)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserInputError(f"history file {path}: not valid JSON ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, list):
        raise UserInputError(f"history file {path}: expected a JSON list of turns")
    try:
        return [Turn(**t).model_dump() for t in data]
    except (TypeError, ValidationError):
        raise UserInputError(f"history file {path}: each turn needs role (user|assistant) and content") from None


def _print_answer(ans) -> None:  # type: ignore[no-untyped-def]
    print(ans.answer)
    listed = [] if ans.draft is not None else ans.citations  # a draft's Markdown ends with its own references
    if listed:
        print()
    for c in listed:
        where = (f"lineamiento {c.guideline}, Panorama pág. {', '.join(map(str, c.panorama_pages))}"
                 if c.recommendation else f"{c.doc_id}, p. {c.page}")
        print(f"  [{c.marker}] {where}")
    if ans.suggestions:
        lead = "Quizás buscaba:" if ans.language == "es" else "Closest sources:"
        print()
        print(lead + " " + "; ".join(f"[{c.marker}] {' '.join(c.text.split())[:80]}…" for c in ans.suggestions))


def _report(ans) -> None:  # type: ignore[no-untyped-def]
    if ans.cached:
        print("note: stored answer (same question, index and settings); --no-cache writes it again", file=sys.stderr)
    for notice in ans.notices:
        print(f"note: {notice}", file=sys.stderr)
    for u in ans.unsupported_sentences:
        print(f"note: replaced by the source's words ({u.reason}): {u.text}", file=sys.stderr)
    for d in ans.dropped_citations:
        print(f"note: removed citation {d.marker} ({d.reason})", file=sys.stderr)


def cmd_ask(args: argparse.Namespace) -> int:
    """One answer; --json prints the contract's object."""
    from assistant.answer import answer
    from assistant.draft_chat import chat_draft

    history = read_history(args.history) if args.history else []
    settings = _settings_for(args)
    # "Redacta una sección sobre … para …" is drafted, as in the chat and the evaluation path
    ans = chat_draft(args.question, settings=settings, docs=args.doc) or answer(
        args.question, history, settings=settings, use_cache=not args.no_cache, docs=args.doc)
    _report(ans)
    if args.json:
        print_json(ans.contract_json())
    else:
        _print_answer(ans)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """A terminal conversation: streaming tokens, memory, the verified answer after each turn."""
    from assistant.answer import answer_stream, prepare_backend
    from assistant.models import Answer

    settings = _settings_for(args)
    history: list[dict[str, str]] = []
    name, notice = prepare_backend(settings.llm.backend, settings)  # load the model once, before the first question
    if notice:
        print(f"note: {notice}", file=sys.stderr)
    print(f"policy-assistant ({name}) — escriba su pregunta (vacío o Ctrl-D para salir, /borrar para olvidar)")
    while True:
        try:
            question = input("\n> ").strip()
        except EOFError:
            print()
            return 0
        if not question:
            return 0
        if question in ("/borrar", "/clear"):
            history.clear()
            print("(conversación borrada)")
            continue
        streamed = ""
        for item in answer_stream(question, history, settings=settings):
            if isinstance(item, Answer):
                if item.answer != streamed.strip():
                    if streamed:
                        print("\n\n(respuesta verificada)")
                    print(item.answer)
                else:
                    print()
                for c in item.citations:
                    pages = ", ".join(map(str, c.panorama_pages))
                    print(f"  [{c.marker}] " + (f"lineamiento {c.guideline}, pág. {pages}" if c.recommendation
                                                else f"{c.doc_id}, p. {c.page}"))
                _report(item)
                history += [{"role": "user", "content": question}, {"role": "assistant", "content": item.answer}]
            else:
                streamed += item
                print(item, end="", flush=True)


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft a section; Markdown to stdout or a file, Word to a file."""
    from pydantic import ValidationError

    from assistant.draft import draft
    from assistant.export import to_docx, to_markdown
    from assistant.models import DraftRequest
    from ingestion.booklet import ROMANS

    guidelines = [g.strip().upper() for g in args.guidelines.split(",") if g.strip()]
    unknown = [g for g in guidelines if g not in ROMANS[:14]]
    if unknown:
        raise UserInputError(f"unknown guideline(s) {', '.join(unknown)} (I-XIV)")
    if args.format == "docx" and not args.out:
        raise UserInputError("--format docx needs --out FILE.docx")
    out = writable_file(args.out, "--out") if args.out else None
    try:
        request = DraftRequest(region=args.region.strip(), topic=args.topic.strip(), guidelines=guidelines,
                               language=args.language, docs=args.doc)
    except ValidationError as exc:
        raise UserInputError(f"invalid draft request: {exc.errors()[0]['loc'][0]} {exc.errors()[0]['msg']}") from None
    settings = _settings_for(args)
    show = sys.stderr.isatty()
    result = draft(request, settings=settings,
                   on_section=(lambda i, n, h: print(f"[{i + 1}/{n}] {h}", file=sys.stderr)) if show else None)
    for notice in result.notices:
        print(f"note: {notice}", file=sys.stderr)
    if args.json:
        print_json(result.model_dump())
    elif out is not None and args.format == "docx":
        write_output(out, "--out", lambda p: to_docx(result, p))
        print(f"{out} ({len(result.references)} references, {result.timings_ms['total'] / 1000:.1f} s)")
    elif out is not None:
        write_output(out, "--out", lambda p: p.write_text(to_markdown(result), encoding="utf-8"))
        print(f"{args.out} ({len(result.references)} references, {result.timings_ms['total'] / 1000:.1f} s)")
    else:
        print(to_markdown(result))
    flagged = sum(p.flagged for s in result.sections for p in s.paragraphs)
    if flagged:
        print(f"note: {flagged} paragraph(s) without a verified citation are flagged", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Run an eval set with a progress bar; print the metrics table."""
    import json

    from tqdm import tqdm

    from evals.dataset import DEFAULT_DATASET, load_dataset
    from evals.report import metrics_table, write_report
    from evals.runner import run_eval

    dataset = Path(args.dataset) if args.dataset else DEFAULT_DATASET
    json_out = writable_file(args.json_out, "--json") if args.json_out else None
    report_out = writable_file(args.report, "--report") if args.report else None
    items = load_dataset(dataset, max_mb=Settings().limits.eval_file_mb)  # validates every line first
    total = len([i for i in items if args.split is None or i.split == args.split])
    if total == 0:
        raise UserInputError(f"dataset {dataset.name} has no items in split {args.split}")
    settings = _settings_for(args)
    cache = None if args.no_gen_cache else (writable_file(args.gen_cache, "--gen-cache") if args.gen_cache
                                            else settings.data_dir / "cache" / "generations.sqlite")
    tty = sys.stderr.isatty()
    bar = tqdm(total=total, desc=f"eval {settings.llm.backend}", unit="item", disable=not tty)
    done = [0]

    def progress(item, score) -> None:  # type: ignore[no-untyped-def]
        bar.update()
        done[0] += 1
        if not tty and (done[0] % 10 == 0 or done[0] == total):  # a log line when no progress bar shows
            print(f"eval {settings.llm.backend}: {done[0]}/{total}", file=sys.stderr, flush=True)

    result = run_eval(dataset, settings, on_item=progress, gen_cache=cache, split=args.split)
    bar.close()
    print(metrics_table(result))
    if result.model_stats:
        s = result.model_stats
        print(f"generation cache: {result.reused_items} of {total} items replayed, "
              f"{s.get('cache_hits', 0):.0f} calls replayed, {s.get('cache_misses', 0):.0f} generated")
    if json_out is not None:
        write_output(json_out, "--json", lambda p: p.write_text(json.dumps(result.model_dump(), ensure_ascii=False,
                                                                           indent=1), encoding="utf-8"))
    if report_out is not None:
        write_output(report_out, "--report", lambda p: write_report(result, p))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Write one archive of the data dir."""
    from assistant.backup import backup

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
    from assistant.backup import restore

    r = restore(Path(args.file), force=args.force)
    print(f"restored {r.documents} documents, {r.chunks} chunks, {r.files} uploaded files"
          f"{', feedback' if r.feedback else ''}{', ' + ', '.join(r.caches) if r.caches else ''} ({r.seconds:.1f} s)")
    return 0


def _loopback(infos: list) -> bool:  # type: ignore[type-arg]
    """Whether every address a host name resolves to is on this machine only."""
    import ipaddress

    return all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in infos)


def cmd_ui(args: argparse.Namespace) -> int:
    """Index the bundled corpus if needed, then become the Streamlit server bound to loopback.

    The process is replaced by Streamlit (`os.execv`), not wrapped: its PID is the server's, so a
    supervisor's SIGTERM, SIGINT or SIGHUP reaches the server itself and nothing is left behind. The
    memory used by the index check is released with it.
    """
    import os
    import socket
    from pathlib import Path

    from assistant.library import ensure_corpus

    try:  # the address must be bindable before the corpus check and the exec, or it is one line
        infos = socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except (OSError, UnicodeError) as exc:
        raise UserInputError(f"cannot serve on {args.host}:{args.port} "
                             f"({getattr(exc, 'strerror', None) or exc})") from None
    from assistant.access import oidc_providers
    from assistant.accounts import any_accounts

    settings = Settings()
    oidc = oidc_providers(settings)  # an incomplete [auth] section is one line here, not a broken sign-in page
    if not args.no_auth and not _loopback(infos) and not oidc and not any_accounts(settings):
        raise UserInputError(f"refusing to serve {args.host} without sign-in: anyone who reaches it could read "
                             "every conversation and upload or remove documents; add an account "
                             "(policy-assistant users add NAME --role admin) or an OIDC provider in "
                             ".streamlit/secrets.toml (README: Deployment), or pass --no-auth")
    report = ensure_corpus(settings)
    if report is not None:
        print(f"indexed the bundled corpus: {report.recommendations} recommendations, {report.total_chunks} chunks")
    app = Path(__file__).resolve().parents[1] / "ui" / "app.py"
    print(f"policy-assistant: http://{args.host}:{args.port}", flush=True)
    argv = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", args.host,
            "--server.port", str(args.port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--client.toolbarMode", "viewer",
            # the browser refuses a file over the ingest limit before sending it
            "--server.maxUploadSize", str(max(1, int(settings.chunking.max_file_mb)))]
    if settings.auth.secrets_file:
        argv += ["--secrets.files", settings.auth.secrets_file]
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "nt":  # Windows has no exec that keeps the PID: wait on a child instead
        import subprocess

        return subprocess.call(argv)
    os.execv(sys.executable, argv)
    return 1  # not reached


def cmd_audit(args: argparse.Namespace) -> int:
    """Print the audit trail, or write it as CSV."""
    from assistant import audit

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
    from assistant import accounts

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


def cmd_sessions(args: argparse.Namespace) -> int:
    """List, export, rename or delete saved conversations."""
    import datetime

    from assistant import sessions

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
            from assistant.export import to_docx

            versions = sessions.drafts(session)
            if not versions:
                raise UserInputError(f"session {args.id} holds no draft to export as Word (use --format md)")
            write_output(out, "--out", lambda path: to_docx(versions[-1], path))  # type: ignore[arg-type]
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
