"""The region's own documents: do answers cite the right document and show the figure or objective asked for?

`python -m evals.regional [--llm extractive] [--split test] [--format md|docx|xlsx|pdf] [--json FILE]`
indexes the bundled corpus plus a region's pack (tests/data/region/ by default: a fictional region's
development strategy and indicators report) in a fresh data dir and asks the pack's questions.

Per question: the right document cited; for a figure, the exact figure in the answer with its row
and column label in the same quoted unit; for an objective, its code cited; a question the pack
cannot answer refused; and never a title block or an abbreviation list quoted.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.answering.answer import answer
from assistant.models import Answer
from assistant.services import forget_stores, get_store
from assistant.settings import Settings
from vectorstore.indexer import ingest
from vectorstore.terms import fold

PACK = Path(__file__).resolve().parents[1] / "tests" / "data" / "region"
Format = Literal["md", "docx", "xlsx", "pdf"]


class RegionalItem(BaseModel):
    """One question over a region's pack, with what a right answer shows."""

    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    lang: Literal["es", "en"]
    split: Literal["dev", "test"]
    kind: Literal["figure", "objective", "sector", "cross", "none", "goal"]
    doc: str | None = None
    figure: str | None = None
    row: str | None = None
    column: str | None = None
    code: str | None = None


class RegionalScore(BaseModel):
    """What one answer showed."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: str
    lang: str
    split: str
    right_doc: bool | None
    figure_shown: bool | None
    row_quoted: bool | None
    code_cited: bool | None
    refused: bool
    front_quoted: bool
    seconds: float
    answer: str
    cited: list[str]


def load_items(path: Path) -> list[RegionalItem]:
    """The questions of a pack (JSON Lines)."""
    return [RegionalItem.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _units(text: str) -> list[str]:
    """The quoted units of an answer: its bullets and sentences."""
    return [u for line in text.splitlines() for u in re.split(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿«-])", line) if u.strip()]


def score(item: RegionalItem, ans: Answer, front: set[str], seconds: float) -> RegionalScore:
    """Score one answer against the item's expectations."""
    docs = {c.doc_id for c in ans.citations}
    cited_text = " ".join(c.text for c in ans.citations)
    figure = row = code = None
    if item.figure:
        figure = item.figure in ans.answer and item.figure in cited_text
        row = any(item.figure in u and fold(item.row or "") in fold(u) and fold(item.column or "") in fold(u)
                  for u in _units(ans.answer))  # a model may write the row label in lower case
    if item.code:
        code = any(item.code in c.text or (c.section or "").find(item.code) >= 0 for c in ans.citations) \
            and item.code in ans.answer
    return RegionalScore(id=item.id, kind=item.kind, lang=item.lang, split=item.split,
                         right_doc=(item.doc in docs) if item.doc else None, figure_shown=figure, row_quoted=row,
                         code_cited=code, refused=ans.refused,
                         front_quoted=any(_is_front(c.text, front) for c in ans.citations),
                         seconds=round(seconds, 3), answer=ans.answer, cited=[c.marker for c in ans.citations])


def front_lines(pack: Path) -> list[str]:
    """The pack's title blocks and abbreviation lists, line by line (folded), read from its Markdown.

    Whatever format was indexed, a citation that quotes them is front matter: judged on the text, not
    on the reader's own `front` label, so the eval sees what the reader misses.
    """
    lines: list[str] = []
    for md in sorted(pack.glob("*.md")):
        for block in re.split(r"\n(?=## )", md.read_text(encoding="utf-8")):
            head = fold(block.splitlines()[0]) if block.strip() else ""
            if block.startswith("# ") or "sigla" in head or "abreviatura" in head:
                lines += [fold(" ".join(ln.lstrip("#-•* ").split())) for ln in block.splitlines()[1:] if ln.strip()]
    return [ln for ln in lines if ln]


def _is_front(text: str, front: set[str]) -> bool:
    """A cited text that is a front chunk, or that holds two of the front lines (or is one)."""
    flat = " ".join(text.split())
    if flat in front:
        return True
    folded = fold(flat)
    held = [ln for ln in front if ln.startswith("line:") and ln[5:] in folded]
    return len(held) >= 2 or any(folded == ln[5:] for ln in held)


def _share(values: Sequence[bool | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return round(sum(kept) / len(kept), 3) if kept else None


def metrics(scores: Sequence[RegionalScore]) -> dict[str, float | int | None]:
    """The report's figures over a set of scored answers."""
    answerable = [s for s in scores if s.kind != "none"]
    return {
        "items": len(scores),
        "right_doc": _share([s.right_doc for s in answerable]),
        "figure_shown": _share([s.figure_shown for s in scores]),
        "row_quoted": _share([s.row_quoted for s in scores]),
        "code_cited": _share([s.code_cited for s in scores]),
        "wrongly_refused": _share([s.refused for s in answerable]),
        "out_of_scope_refused": _share([s.refused for s in scores if s.kind == "none"]),
        "front_quoted": _share([s.front_quoted for s in scores]),
        "p50_s": round(sorted(s.seconds for s in scores)[len(scores) // 2], 3) if scores else None,
    }


def pack_files(pack: Path, fmt: Format) -> list[Path]:
    """The pack's two documents in one format (a spreadsheet holds only the indicators: the strategy comes as Word)."""
    strategy = next(pack.glob(f"erd-*.{'docx' if fmt == 'xlsx' else fmt}"))
    return [strategy, next(pack.glob(f"indicadores-*.{fmt}"))]


def run(settings: Settings, items: Sequence[RegionalItem], files: Sequence[Path], backend: str) -> list[RegionalScore]:
    """Index the corpus and the pack's files into `settings`' store, then answer and score every item."""
    store = get_store(settings)
    ingest([settings.corpus_dir, *files], store, settings.chunking)
    front = {" ".join(h.chunk.text.split()) for h in store.get() if h.chunk.kind == "front"}
    front |= {f"line:{line}" for line in front_lines(files[0].parent)}
    out = []
    for item in items:
        start = time.perf_counter()
        ans = answer(item.question, settings=settings, backend=backend, use_cache=False)
        out.append(score(item, ans, front, time.perf_counter() - start))
    return out


_REGIONS = ["Los Arrayanes", "Valle Hondo", "Costa Azul", "Los Coihues", "Sierra Alta", "Río Grande", "Las Vertientes",
            "Bahía Clara", "Los Robles", "Cordillera Sur"]


def library_timing(settings: Settings, items: Sequence[RegionalItem], pack: Path, backend: str,
                   documents: int) -> dict[str, object]:
    """Answer time over the corpus plus `documents` regional documents, and ingest time per page of the pack's PDFs.

    The library holds the pack's two documents as PDFs and further regions' copies as Markdown (the
    region's name changed): what a planning office with neighbours' strategies and reports would hold.
    """
    from pypdf import PdfReader

    store = get_store(settings)
    ingest([settings.corpus_dir], store, settings.chunking)
    pdfs = pack_files(pack, "pdf")
    start = time.perf_counter()
    report = ingest(pdfs, store, settings.chunking)
    pdf_seconds = time.perf_counter() - start
    pages = sum(len(PdfReader(p).pages) for p in pdfs)
    extra = settings.data_dir / "library"
    extra.mkdir()
    sources = [pack / "erd-los-arrayanes.md", pack / "indicadores-los-arrayanes.md"]
    for i in range(documents - len(pdfs)):
        region = _REGIONS[1 + (i // 2) % (len(_REGIONS) - 1)]
        source = sources[i % 2]
        slug = source.stem.replace("los-arrayanes", f"{i // 2 + 1:02d}")
        text = source.read_text(encoding="utf-8").replace("Los Arrayanes", region)
        (extra / f"{slug}.md").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    ingest([extra], store, settings.chunking)
    md_seconds = time.perf_counter() - start
    times = []
    for item in items:
        start = time.perf_counter()
        answer(item.question, settings=settings, backend=backend, use_cache=False)
        times.append(time.perf_counter() - start)
    times.sort()
    return {"documents": len(store.documents()) - 2, "chunks": store.count(), "questions": len(times),
            "answer_p50_s": round(times[len(times) // 2], 3), "answer_p95_s": round(times[int(0.95 * (len(times) - 1))], 3),
            "pdf_pages": pages, "pdf_ingest_s": round(pdf_seconds, 2), "pdf_s_per_page": round(pdf_seconds / pages, 3),
            "pdf_chunks": report.chunks, "md_documents": documents - len(pdfs),
            "md_ingest_s_per_document": round(md_seconds / max(documents - len(pdfs), 1), 2)}


def main(argv: list[str] | None = None) -> int:
    """Run the pack's questions and print the metrics by kind and language."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m evals.regional", description=__doc__.splitlines()[0])
    parser.add_argument("--pack", type=Path, default=PACK)
    parser.add_argument("--llm", default="extractive")
    parser.add_argument("--split", choices=["dev", "test"])
    parser.add_argument("--format", choices=["md", "docx", "xlsx", "pdf"], default="md")
    parser.add_argument("--json", type=Path, help="write every answer and the metrics")
    parser.add_argument("--library", type=int, metavar="N",
                        help="time answers over the corpus plus N regional documents, and ingest per PDF page")
    args = parser.parse_args(argv)
    items = [i for i in load_items(args.pack / "questions.jsonl") if args.split in (None, i.split)]
    if args.library:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp))
            settings.llm.backend = args.llm
            forget_stores()
            timing = library_timing(settings, items, args.pack, args.llm, args.library)
            forget_stores()
        print(json.dumps(timing, indent=1))
        if args.json:
            args.json.write_text(json.dumps({"backend": args.llm, "split": args.split, "library": timing}, indent=1),
                                 encoding="utf-8")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        settings.llm.backend = args.llm
        forget_stores()
        scores = run(settings, items, pack_files(args.pack, args.format), args.llm)
        forget_stores()
    groups = {"overall": scores}
    for key in ("kind", "lang"):
        for value in sorted({getattr(s, key) for s in scores}):
            groups[f"{key}:{value}"] = [s for s in scores if getattr(s, key) == value]
    table = {name: metrics(group) for name, group in groups.items()}
    columns = list(table["overall"])
    print(f"regional pack · {args.format} · {args.llm} · split {args.split or 'all'}")
    print("| group | " + " | ".join(columns) + " |\n|" + "---|" * (len(columns) + 1))
    for name, row in table.items():
        print(f"| {name} | " + " | ".join("–" if v is None else str(v) for v in row.values()) + " |")
    if args.json:
        args.json.write_text(json.dumps({"format": args.format, "backend": args.llm, "split": args.split,
                                         "metrics": table, "items": [s.model_dump() for s in scores]},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
