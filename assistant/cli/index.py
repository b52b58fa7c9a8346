"""`ingest`, `rec` and `search`: fill the index and look into it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.args import K_MAX, doc_option, ranged, text
from assistant.cli.output import print_json
from assistant.errors import UserInputError, one_line
from assistant.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the index's subcommands."""
    s = sub.add_parser("ingest", help="index files or folders (default: the bundled ECLAC corpus)")
    s.add_argument("paths", nargs="*", help="PDF, Word (.docx), Excel (.xlsx), CSV, TXT or MD files, or folders")
    s.add_argument("--reset", action="store_true", help="drop the index and rebuild it")
    s.set_defaults(handler=cmd_ingest)

    s = sub.add_parser("rec", help="show recommendation N with its guideline and Panorama pages")
    s.add_argument("number", type=ranged("N", 1, 10_000))
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_rec)

    s = sub.add_parser("search", help="ranked sources for a query, no generation")
    s.add_argument("query", type=text("query"))
    s.add_argument("--k", type=ranged("--k", 1, K_MAX), default=None, help=f"sources to return (1-{K_MAX})")
    s.add_argument("--json", action="store_true")
    doc_option(s)
    s.set_defaults(handler=cmd_search)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files or the bundled corpus, with a progress bar and a summary line."""
    from tqdm import tqdm

    from assistant.people import audit
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
    for line in report.skipped[:20]:
        print(f"skipped: {one_line(line)}", file=sys.stderr)
    if len(report.skipped) > 20:
        print(f"skipped: {len(report.skipped) - 20} more", file=sys.stderr)
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
    from assistant.workspace.search import hit_json, search

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
        label = (f"R{c.recommendation} ({c.guideline})" if c.recommendation else
                 f"{c.doc_id} p. {c.page}" if c.page is not None else f"{c.doc_id} § {c.ordinal + 1}")
        print(f"{rank:2}. {label:<12} {hit.score:.3f}  {c.text[:110]}")
    return 0
