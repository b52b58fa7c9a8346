"""Implementations of the CLI subcommands (parsing lives in cli.py)."""

from __future__ import annotations

import argparse
import sys

from assistant.cli import print_json
from assistant.errors import UserInputError
from assistant.settings import Settings


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files or the bundled corpus, with a progress bar and a summary line."""
    from pathlib import Path

    from tqdm import tqdm

    from assistant.services import get_store
    from vectorstore.indexer import ingest

    settings = Settings()
    paths = [Path(p) for p in args.paths] or [settings.corpus_dir]
    store = get_store(settings)
    if args.reset:
        store.reset()
    bar = tqdm(desc="ingest", unit="file", disable=not sys.stderr.isatty(), leave=False)
    report = ingest(paths, store, settings.chunking,
                    on_file=lambda spec: (bar.set_postfix_str(spec.path.name[:40]), bar.update()))
    bar.close()
    if report.repaired:
        print(f"repaired half-written documents: {', '.join(report.repaired)}", file=sys.stderr)
    print(f"{report.documents} documents ({report.written} written), {report.recommendations} "
          f"recommendations, {report.chunks} chunks written, {report.total_chunks} in the index, "
          f"{report.seconds:.1f} s")
    if report.rejected:
        for line in report.rejected[:20]:
            print(f"rejected: {line}", file=sys.stderr)
        if len(report.rejected) == 1:
            raise UserInputError(report.rejected[0])
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
    hits = search(args.query, args.k)
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
