"""The embedded model, before and after, in one run: the same questions through two versions of the code.

"Before" is the code at BEFORE_REV (the last commit before the grounded writer and the prompt-state
cache), extracted with `git archive` into the bench's work folder; "after" is this checkout. Each
runs in its own fresh process, with its own copy of the index and a models folder that links to
the same GGUF file (so no prompt state is shared), and measures the same things the same way:

- time to first token and total time per question, from the question to the last token;
- decoding speed: tokens streamed per second while a model call streams (the chat model's
  `_stream` is wrapped to time each call from its first token to its last);
- a five-section draft; the process's peak memory (VmHWM);
- "after" only: the prompt-state reuse counters, then the same questions again through the answer
  cache, and a second fresh process to show the instructions kept on disk.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from assistant.settings import PROJECT_ROOT, Settings

BEFORE_REV = "0c1e57d"  # main on 2026-11-21, before #12 and #13
# Eval-set questions (eval_v1): 6 Spanish and 6 English, qa, lookup and slides; and two draft requests.
QUESTIONS = [
    "¿Cómo puede la banca de desarrollo ayudar a las pymes que no consiguen crédito?",
    "How can development banks reduce credit rationing for firms?",
    "¿Cómo fortalecer las iniciativas clúster en mi región?",
    "What role can cluster initiatives play in attracting foreign investment?",
    "¿Qué se recomienda para el extensionismo tecnológico?",
    "How can incubators and accelerators be better targeted?",
    "¿Qué plataformas pueden reunir la oferta de apoyo productivo del gobierno?",
    "What infrastructure and public goods do productive priorities require?",
    "¿Qué dice la recomendación 42?",
    "What does recommendation 7 say?",
    "¿Qué pasos propone la presentación para las metas de gestión del fomento productivo regional?",
    "How should national and subnational agencies use cluster initiatives?",
]
DRAFTS = [
    "Redacta una sección de estrategia regional sobre iniciativas clúster para Biobío",
    "Draft a section on experimentalist governance of productive policy for Arica",
]

# Runs inside the measured code's own process (either version): only APIs both versions have.
_PROBE = r'''
import json, sys, time, re
from assistant.llm import llamacpp
calls = []
_stream = llamacpp.LocalLlamaChat._stream
def timed(self, *a, **k):
    first, n = None, 0
    for chunk in _stream(self, *a, **k):
        first = first or time.perf_counter()
        n += 1
        yield chunk
    if first and n > 1:
        calls.append((n - 1, time.perf_counter() - first))
llamacpp.LocalLlamaChat._stream = timed
from assistant.answering.answer import answer_stream, prepare_backend
from assistant.drafting.draft_chat import draft_as_answer
from assistant.models import Answer
from assistant.settings import Settings
questions, drafts, repeat = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3] == "1"
settings = Settings()
t = time.perf_counter(); name, notice = prepare_backend("llamacpp", settings); load = time.perf_counter() - t
fresh = {"use_cache": False} if "use_cache" in answer_stream.__code__.co_varnames else {}
def ask(q, extra):
    start, first, final = time.perf_counter(), None, None
    for item in answer_stream(q, settings=settings, backend="llamacpp", **extra):
        if isinstance(item, Answer):
            final = item
        else:
            first = first or time.perf_counter()
    end = time.perf_counter()
    return {"total_s": end - start, "first_s": (first - start) if first else None, "backend": final.backend,
            "cached": getattr(final, "cached", False)}
out = {"backend": name, "notice": notice, "load_s": load, "answers": [ask(q, fresh) for q in questions]}
out["decode_tokens_per_s"] = sum(n for n, _ in calls) / max(1e-9, sum(s for _, s in calls))
out["drafts_s"] = []
for d in drafts:
    t = time.perf_counter(); draft_as_answer(d, settings=settings); out["drafts_s"].append(time.perf_counter() - t)
from assistant.llm.backends import load_chat_model
model = load_chat_model("llamacpp", settings)
out["model_stats"] = model.stats() if hasattr(model, "stats") else {}
if repeat:
    out["repeated"] = [ask(q, {}) for q in questions]
out["peak_mb"] = int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024
print("RESULT " + json.dumps(out))
'''


def _code_at(rev: str, into: Path) -> Path | None:
    """The project's files at `rev`, extracted from git (None when git or the revision is unavailable)."""
    archive = into.with_suffix(".tar")
    try:
        with archive.open("wb") as fh:
            subprocess.run(["git", "-C", str(PROJECT_ROOT), "archive", rev], stdout=fh, check=True,
                           stderr=subprocess.DEVNULL)
        with tarfile.open(archive) as tar:
            tar.extractall(into, filter="data")
    except (OSError, subprocess.CalledProcessError, tarfile.TarError):
        return None
    return into


def _data_dir(work: Path, name: str, index_from: Path) -> Path:
    """A copy of the index and a models folder linking to the verified GGUF (no prompt states)."""
    from assistant.llm.model_file import MODEL_NAME, ensure_model_file

    data = work / name
    shutil.copytree(index_from / "index", data / "index")
    (data / "models").mkdir(parents=True)
    real = ensure_model_file(Settings().data_dir / "models")
    (data / "models" / MODEL_NAME).symlink_to(real)
    return data


def _probe(code: Path, data: Path, repeat: bool) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(code), "POLICY_ASSISTANT_DATA_DIR": str(data),
           "POLICY_ASSISTANT_LLM_BACKEND": "llamacpp"}
    run = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(QUESTIONS), json.dumps(DRAFTS), "1" if repeat else "0"],
                         cwd=code, env=env, capture_output=True, text=True, timeout=3600)
    line = next((x for x in run.stdout.splitlines() if x.startswith("RESULT ")), None)
    if run.returncode != 0 or line is None:
        raise RuntimeError(f"model bench failed in {code}: {run.stderr.strip().splitlines()[-1:]}")
    return json.loads(line[len("RESULT "):])


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def summary(raw: dict[str, Any]) -> dict[str, Any]:
    """p50/p95 of the measures of one probe."""
    totals = [a["total_s"] for a in raw["answers"]]
    firsts = [a["first_s"] for a in raw["answers"] if a["first_s"] is not None]
    out = {"load_s": round(raw["load_s"], 2), "questions": len(totals),
           "first_token_p50_s": round(statistics.median(firsts), 2) if firsts else None,
           "first_token_p95_s": _pct(firsts, 0.95) if firsts else None,
           "answer_p50_s": round(statistics.median(totals), 2), "answer_p95_s": _pct(totals, 0.95),
           "decode_tokens_per_s": round(raw["decode_tokens_per_s"], 1),
           "draft_p50_s": round(statistics.median(raw["drafts_s"]), 1), "drafts_s": [round(d, 1) for d in raw["drafts_s"]],
           "peak_mb": round(raw["peak_mb"], 1)}
    stats = raw.get("model_stats") or {}
    if stats.get("prompt_tokens"):
        out["prefix_reuse"] = round(stats["reused_tokens"] / stats["prompt_tokens"], 3)
        out["prompt_tokens_read"] = int(stats["evaluated_tokens"])
    if raw.get("repeated"):
        again = raw["repeated"]
        out["answer_cache_hits"] = f"{sum(a['cached'] for a in again)}/{len(again)}"
        out["answer_cache_p50_ms"] = round(statistics.median(a["total_s"] for a in again) * 1000, 1)
    return out


def bench_model(index_from: Path) -> dict[str, Any]:
    """Before and after on the same questions; a second fresh process for the states kept on disk."""
    work = Path(tempfile.mkdtemp(prefix="pa-bench-model-"))
    result: dict[str, Any] = {"before_rev": BEFORE_REV, "questions": QUESTIONS, "drafts": DRAFTS}
    after_data = _data_dir(work, "after", index_from)
    print("  model: after (this checkout)…", file=sys.stderr)
    result["after"] = summary(_probe(PROJECT_ROOT, after_data, repeat=True))
    print("  model: after, a second fresh process (instructions kept on disk)…", file=sys.stderr)
    second = _probe(PROJECT_ROOT, after_data, repeat=False)
    result["after_second_process"] = {k: v for k, v in summary(second).items()
                                      if k in ("load_s", "first_token_p50_s", "answer_p50_s", "prefix_reuse")}
    code = _code_at(BEFORE_REV, work / "before-code")
    if code is None:
        result["before"] = None
        result["before_note"] = f"git revision {BEFORE_REV} not available"
    else:
        print(f"  model: before ({BEFORE_REV})…", file=sys.stderr)
        result["before"] = summary(_probe(code, _data_dir(work, "before", index_from), repeat=False))
    shutil.rmtree(work, ignore_errors=True)
    return result


def table(m: dict[str, Any]) -> list[str]:
    """Markdown rows: each measure before and after."""
    before, after, second = m.get("before") or {}, m["after"], m["after_second_process"]
    rows = ["", f"Embedded model, {after['questions']} eval-set questions and {len(m['drafts'])} drafts, "
            f"before ({m['before_rev']}) and after, each in a fresh process:", "",
            "| measure | before | after |", "|---|---|---|"]
    for key, label in [("first_token_p50_s", "first token p50 (s)"), ("first_token_p95_s", "first token p95 (s)"),
                       ("answer_p50_s", "answer p50 (s)"), ("answer_p95_s", "answer p95 (s)"),
                       ("decode_tokens_per_s", "decoding (tokens/s)"), ("draft_p50_s", "five-section draft p50 (s)"),
                       ("load_s", "model load (s)"), ("peak_mb", "peak memory (MB)"),
                       ("prefix_reuse", "prompt tokens reused from a kept state"),
                       ("answer_cache_hits", "same questions again: answer cache hits"),
                       ("answer_cache_p50_ms", "same questions again: p50 (ms)")]:
        rows.append(f"| {label} | {before.get(key, '–')} | {after.get(key, '–')} |")
    rows.append(f"| a second fresh process: load / first token p50 (s) | – | {second['load_s']} / "
                f"{second['first_token_p50_s']} |")
    return rows
