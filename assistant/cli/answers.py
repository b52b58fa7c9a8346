"""`ask`, `chat` and `draft`: answers and drafted sections with verified citations."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.args import BACKENDS, K_MAX, doc_option, ranged, settings_for, text
from assistant.cli.output import print_json, writable_file, write_output
from assistant.errors import UserInputError
from assistant.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the answering and drafting subcommands."""
    s = sub.add_parser("ask", help="one answer with verified citations")
    s.add_argument("question", type=text("question"))
    s.add_argument("--history", help="JSON file: a list of {role, content} turns before the question")
    s.add_argument("--llm", choices=BACKENDS, help="backend (default from settings: llamacpp)")
    s.add_argument("--k", type=ranged("--k", 1, K_MAX), default=None, help=f"sources to retrieve (1-{K_MAX})")
    s.add_argument("--json", action="store_true", help="print the contract's JSON object")
    s.add_argument("--no-cache", action="store_true", help="write the answer again instead of a stored one")
    doc_option(s)
    s.set_defaults(handler=cmd_ask)

    s = sub.add_parser("chat", help="a terminal conversation with memory and streaming")
    s.add_argument("--llm", choices=BACKENDS)
    s.set_defaults(handler=cmd_chat)

    s = sub.add_parser("draft", help="draft a strategy section (or, with --document, a whole strategy) citing its sources")
    s.add_argument("--region", required=True, type=text("region"))
    s.add_argument("--topic", type=text("topic"), help="the section's topic (required without --document)")
    s.add_argument("--document", action="store_true",
                   help="a whole strategy document: diagnosis, objectives, goals, policy mix, lines of action, "
                        "local capacities, governance and monitoring")
    s.add_argument("--topics", default="", help="with --document: comma-separated topics (default: the axes of "
                                                 "the region's own strategy, if the library holds it)")
    s.add_argument("--guidelines", default="", help="comma-separated roman numerals, e.g. VIII,X")
    s.add_argument("--language", choices=("es", "en"))
    s.add_argument("--llm", choices=BACKENDS)
    s.add_argument("--format", choices=("md", "docx"), default="md")
    s.add_argument("--out", help="file to write (required for docx)")
    s.add_argument("--json", action="store_true", help="print the draft as JSON")
    doc_option(s)
    s.set_defaults(handler=cmd_draft)


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


def _where(c, lang: str) -> str:  # type: ignore[no-untyped-def]
    """Where a cited source is, in the answer's language; a recommendation shown in translation says so."""
    note = " (translation; Spanish original in --json)" if c.translation else ""
    if not c.recommendation:  # a user's document: its page (PDF) or its section's heading path (others)
        return f"{c.doc_id}, " + (f"p. {c.page}" if c.page is not None else c.section or "") + note
    pages = ", ".join(map(str, c.panorama_pages))
    if lang == "es":
        return f"lineamiento {c.guideline}, Panorama pág. {pages}"
    return f"guideline {c.guideline}, Panorama p. {pages}{note}"


def _print_answer(ans) -> None:  # type: ignore[no-untyped-def]
    print(ans.answer)
    listed = [] if ans.draft is not None else ans.citations  # a draft's Markdown ends with its own references
    if listed:
        print()
    for c in listed:
        print(f"  [{c.marker}] {_where(c, ans.language)}")
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
    from assistant.answering.answer import answer
    from assistant.drafting.draft_chat import chat_draft

    history = read_history(args.history) if args.history else []
    settings = settings_for(args)
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
    from assistant.answering.answer import answer_stream, prepare_backend
    from assistant.models import Answer

    settings = settings_for(args)
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
        try:
            for item in answer_stream(question, history, settings=settings):
                if isinstance(item, Answer):
                    if item.answer != streamed.strip():
                        if streamed:
                            print("\n\n(respuesta verificada)")
                        print(item.answer)
                    else:
                        print()
                    for c in item.citations:
                        print(f"  [{c.marker}] {_where(c, item.language)}")
                    _report(item)
                    history += [{"role": "user", "content": question}, {"role": "assistant", "content": item.answer}]
                else:
                    streamed += item
                    print(item, end="", flush=True)
        except UserInputError as exc:  # a line with no words: said in one line, and the chat goes on
            print(f"policy-assistant: {exc}", file=sys.stderr)


def cmd_draft(args: argparse.Namespace) -> int:
    """Draft a section; Markdown to stdout or a file, Word to a file."""
    from pydantic import ValidationError

    if args.document:
        return _cmd_document(args)
    if not args.topic:
        raise UserInputError("draft needs --topic TOPIC (or --document for a whole strategy)")
    from assistant.drafting.draft import draft
    from assistant.drafting.export import to_docx, to_markdown
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
    settings = settings_for(args)
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


def _cmd_document(args: argparse.Namespace) -> int:
    """`draft --document`: a whole strategy document; Markdown to stdout or a file, Word to a file."""
    from pydantic import ValidationError

    from assistant.drafting.document import draft_document
    from assistant.drafting.export import document_docx_bytes, document_markdown
    from assistant.models import DocumentRequest

    if args.topic or args.guidelines:
        raise UserInputError("--document takes --topics T1,T2 (not --topic or --guidelines)")
    if args.format == "docx" and not args.out:
        raise UserInputError("--format docx needs --out FILE.docx")
    out = writable_file(args.out, "--out") if args.out else None
    topics = [t.strip() for t in args.topics.split(",") if t.strip()]
    try:
        request = DocumentRequest(region=args.region.strip(), topics=topics, language=args.language, docs=args.doc)
    except ValidationError as exc:
        raise UserInputError(f"invalid document request: {exc.errors()[0]['loc'][0]} {exc.errors()[0]['msg']}") from None
    settings = settings_for(args)
    result = draft_document(request, settings=settings,
                            on_chapter=lambda i, n, h: print(f"[{i + 1}/{n}] {h}", file=sys.stderr, flush=True))
    for notice in result.notices:
        print(f"note: {notice}", file=sys.stderr)
    if not result.region_docs:
        print(f"note: no document in the library names {result.region}; the diagnosis says so", file=sys.stderr)
    seconds = result.timings_ms["total"] / 1000
    if args.json:
        print_json(result.model_dump())
    elif out is not None and args.format == "docx":
        write_output(out, "--out", lambda p: p.write_bytes(document_docx_bytes(result)))
        print(f"{out} ({len(result.chapters)} chapters, {len(result.references)} references, {seconds:.1f} s)")
    elif out is not None:
        write_output(out, "--out", lambda p: p.write_text(document_markdown(result), encoding="utf-8"))
        print(f"{out} ({len(result.chapters)} chapters, {len(result.references)} references, {seconds:.1f} s)")
    else:
        print(document_markdown(result))
    return 0
