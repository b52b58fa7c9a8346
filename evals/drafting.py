"""Drafting over a region's documents: are its facts cited to its own pages, and is the policy mix classed right?

`python -m evals.drafting [--llm extractive] [--json FILE]` indexes the bundled corpus plus the
fictional region's pack (tests/data/region/, Markdown) in a fresh data dir, drafts the requests below
(sections and whole documents, Spanish and English, for the pack's region and for one the library
knows nothing of), and reports per request:
- region facts: lines stating a figure (a number with a decimal comma or thousands point) outside
  the booklet's own quotes, per chapter or section;
- supported: the share of those whose cited regional passage holds every figure (target 1.0);
- uncited: region facts citing no regional passage (target 0);
It times a three-topic document (in all, and until its first chapter is ready), and scores the policy-mix classifier against the hand labels (evals/datasets/policy_mix_labels.jsonl,
60 recommendations; the `--split`, default test, is the one not used to write the cue words).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from assistant.drafting.document import draft_document
from assistant.drafting.draft import draft
from assistant.drafting.export import document_markdown, to_markdown
from assistant.models import Citation, DocumentRequest, DraftRequest
from assistant.services import forget_stores, get_registry, get_store
from assistant.settings import Settings
from evals.draft_scores import DraftingRun, DraftItem, breakdown, failure_of
from evals.provenance import provenance
from evals.runner import machine
from vectorstore.indexer import ingest

PACK = Path(__file__).resolve().parents[1] / "tests" / "data" / "region"
LABELS = Path(__file__).resolve().parent / "datasets" / "policy_mix_labels.jsonl"
REQUESTS: list[dict[str, object]] = [
    {"kind": "document", "region": "Los Arrayanes", "topics": [], "language": "es"},
    {"kind": "document", "region": "la Región de Los Arrayanes", "topics": ["turismo", "capital humano", "acuicultura"],
     "language": "es"},
    {"kind": "document", "region": "Los Arrayanes", "topics": ["tourism", "human capital", "innovation"], "language": "en"},
    {"kind": "document", "region": "Biobío", "topics": ["talento", "clústeres"], "language": "es"},
    {"kind": "section", "region": "Los Arrayanes", "topic": "turismo"},
    {"kind": "section", "region": "Los Arrayanes", "topic": "diversificación productiva"},
    {"kind": "section", "region": "Los Arrayanes", "topic": "empleo de las mujeres"},
    {"kind": "section", "region": "Los Arrayanes", "topic": "exportaciones de pymes"},
    {"kind": "section", "region": "Los Arrayanes", "topic": "tourism", "language": "en"},
    {"kind": "section", "region": "Los Arrayanes", "topic": "aquaculture", "language": "en"},
    {"kind": "section", "region": "Biobío", "topic": "iniciativas clúster"},
]
_FIGURE = re.compile(r"\b\d[\d.]*,\d+%?|\b\d{1,3}(?:\.\d{3})+\b")
_MARKER = re.compile(r"\[([^\[\]]+)\]")


def region_facts(parts: list[tuple[str, list[str]]], references: list[Citation]) -> dict[str, object]:
    """Per part (chapter or section): lines with a figure, how many a cited regional passage fully holds,
    and how many cite no regional passage."""
    texts = {c.marker: c.text for c in references}
    out: dict[str, dict[str, int]] = {}
    for part, lines in parts:
        row = out.setdefault(part, {"facts": 0, "supported": 0, "uncited": 0})
        for line in lines:
            figures = _FIGURE.findall(_MARKER.sub("", line))
            if not figures:
                continue
            regional = [m for m in _MARKER.findall(line) if m in texts and not m.startswith(("R", "cepal-"))]
            row["facts"] += 1
            if not regional:
                row["uncited"] += 1
            elif all(f in " ".join(texts[m] for m in regional) for f in figures):
                row["supported"] += 1
    facts = sum(r["facts"] for r in out.values())
    return {"per_part": out, "facts": facts, "supported": (sum(r["supported"] for r in out.values()) / facts) if facts
            else None, "uncited": sum(r["uncited"] for r in out.values())}


def policy_mix_accuracy(settings: Settings, split: str) -> dict[str, object]:
    from assistant.drafting.policy_mix import PolicyClassifier

    registry = get_registry(settings)
    classifier = PolicyClassifier(get_store(settings).embedder)
    items = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    chosen = [i for i in items if split == "all" or i["split"] == split]
    confusion: dict[str, dict[str, int]] = {}
    right = 0
    scored = []
    for item in chosen:
        text = registry.get(item["recommendation"]).text
        guess = classifier.classify(text)
        right += guess == item["class"]
        confusion.setdefault(item["class"], {}).setdefault(guess, 0)
        confusion[item["class"]][guess] += 1
        scored.append(DraftItem(id=f"mix-R{item['recommendation']}", task="policy_mix", lang="es",
                                question=f"R{item['recommendation']}: {text}", expected=[item["class"]],
                                answer=guess, correct=guess == item["class"]))
    return {"split": split, "items": len(chosen), "accuracy": round(right / len(chosen), 3), "confusion": confusion,
            "scored": scored}


def _region_library(data: Path, backend: str) -> Settings:
    """A fresh data dir with the bundled corpus and the region's strategy and indicators (Markdown)."""
    settings = Settings(data_dir=data)
    settings.llm.backend = backend
    forget_stores()
    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus"
    ingest([corpus, PACK / "erd-los-arrayanes.md", PACK / "indicadores-los-arrayanes.md"], get_store(settings),
           settings.chunking)
    return settings


BENCH_TOPICS = ["turismo", "capital humano", "acuicultura"]


def time_document(settings: Settings, topics: list[str] = BENCH_TOPICS) -> dict[str, object]:
    """One whole document for the pack's region: seconds in all, until the first chapter is shown, per chapter."""
    start = time.perf_counter()
    ready: list[float] = []
    doc = draft_document(DocumentRequest(region="Los Arrayanes", topics=topics), settings=settings,
                         on_ready=lambda _chapter: ready.append(time.perf_counter() - start))
    return {"backend": doc.backend, "topics": len(topics), "total_s": round(time.perf_counter() - start, 2),
            "first_chapter_s": round(ready[0], 2),
            "chapters_s": {k: round(v / 1000, 2) for k, v in doc.timings_ms.items() if k != "total"}}


def bench(backend: str) -> dict[str, object]:
    """`make bench`'s whole-document figure: a warm-up document (loads the models), then a timed one."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = _region_library(Path(tmp) / "data", backend)
        time_document(settings, BENCH_TOPICS[:1])
        timed = time_document(settings)
        forget_stores()
    return timed


def run(backend: str, split: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = _region_library(Path(tmp) / "data", backend)
        results, items = [], []
        for request in REQUESTS:
            start = time.perf_counter()
            if request["kind"] == "document":
                doc = draft_document(DocumentRequest(region=request["region"], topics=request["topics"],
                                                     language=request["language"]), settings=settings)
                parts = [(c.key, [line for s in c.sections for p in s.paragraphs for line in p.text.splitlines()]
                          + [" ".join(r) for s in c.sections for t in s.tables for r in t.rows]) for c in doc.chapters]
                refs, backend_used = doc.references, doc.backend
            else:
                section = draft(DraftRequest(region=request["region"], topic=request["topic"],
                                             language=request.get("language")), settings=settings)
                parts = [(s.key, [line for p in s.paragraphs for line in p.text.splitlines()]) for s in section.sections]
                refs, backend_used = section.references, section.backend
            facts = region_facts(parts, refs)
            results.append({**request, "seconds": round(time.perf_counter() - start, 2), "backend": backend_used,
                            "regional_references": sum(1 for c in refs if c.doc_id.endswith("los-arrayanes")), **facts})
            items.append(request_item(request, results[-1], refs,
                                      document_markdown(doc) if request["kind"] == "document" else to_markdown(section)))
        mix = policy_mix_accuracy(settings, split)
        items += mix.pop("scored")  # type: ignore[arg-type]
        timing = time_document(settings)
        forget_stores()
    facts = sum(r["facts"] for r in results)  # type: ignore[misc]
    supported = [r["supported"] * r["facts"] for r in results if r["facts"]]  # type: ignore[operator]
    digest = hashlib.sha256(json.dumps(REQUESTS, ensure_ascii=False).encode() + LABELS.read_bytes()).hexdigest()
    drafting_run = DraftingRun(dataset=f"drafting requests ({len(REQUESTS)}) + policy-mix labels ({split})",
                               backend=backend, embedding=settings.embedding.model, date=time.strftime("%Y-%m-%d"),
                               machine=machine(), metrics=breakdown(items), items=items,
                               **(provenance(settings, None, split) | {"dataset_sha256": digest}))
    return {"backend": backend, "requests": results, "policy_mix": mix, "run": drafting_run,
            "summary": {"requests": len(results), "region_facts": facts,
                        "supported": round(sum(supported) / facts, 3) if facts else None,  # type: ignore[arg-type]
                        "uncited": sum(r["uncited"] for r in results),  # type: ignore[misc]
                        "document_seconds": [r["seconds"] for r in results if r["kind"] == "document"],
                        "document_3_topics": timing,
                        "policy_mix_accuracy": mix["accuracy"]}}


def request_item(request: dict[str, object], result: dict[str, object], refs: list[Citation], markdown: str) -> DraftItem:
    """A drafted request as an item of the run history."""
    what = request.get("topic") or ", ".join(request.get("topics") or []) or "the strategy's axes"  # type: ignore[arg-type]
    lang = str(request.get("language") or "es")
    per_part = result["per_part"].values()  # type: ignore[attr-defined]
    item = DraftItem(id=f"{request['kind']}:{request['region']}:{what}:{lang}", task=request["kind"], lang=lang,  # type: ignore[arg-type]
                     question=f"{request['kind']} for {request['region']}: {what}",
                     cited=sorted({c.marker for c in refs if not c.marker.startswith(("R", "cepal-"))}),
                     answer=markdown, facts=result["facts"], supported=sum(r["supported"] for r in per_part),  # type: ignore[arg-type]
                     uncited=result["uncited"], seconds=result["seconds"])  # type: ignore[arg-type]
    item.failure = failure_of(item)
    return item


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.drafting", description=__doc__.splitlines()[0])
    p.add_argument("--llm", default="extractive", choices=["extractive", "llamacpp"])
    p.add_argument("--split", default="test", choices=["dev", "test", "all"], help="policy-mix labels to score")
    p.add_argument("--json", help="write the report as JSON")
    p.add_argument("--note", default="", help="a few words kept with the run in the history")
    p.add_argument("--no-record", action="store_true", help="do not keep this run in the history")
    args = p.parse_args(argv)
    report = run(args.llm, args.split)
    drafting_run: DraftingRun = report.pop("run")  # type: ignore[assignment]
    for r in report["requests"]:  # type: ignore[union-attr]
        what = r.get("topic") or ",".join(r["topics"]) or "(the strategy's axes)"  # type: ignore[union-attr]
        print(f"{r['kind']:8} {r['region'][:26]:26} {str(what)[:40]:40} facts={r['facts']:3} "  # type: ignore[index]
              f"supported={r['supported']} uncited={r['uncited']} regional_refs={r['regional_references']} "  # type: ignore[index]
              f"{r['seconds']} s")  # type: ignore[index]
    print(json.dumps(report["summary"], ensure_ascii=False))
    print("policy mix:", json.dumps(report["policy_mix"], ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if not args.no_record:
        from evals.history.store import keep

        drafting_run.note = args.note
        number = keep(drafting_run, Settings().data_dir)
        print(f"kept as run {number} (`policy-assistant eval runs` lists the runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
