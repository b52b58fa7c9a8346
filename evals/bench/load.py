"""The app under load: N browser sessions (one Chromium, N contexts) ask at once; then one uploads while the rest ask.

    python -m evals.bench.load [--llm extractive|llamacpp|server] [--sessions 8] [--rounds 2] [--json FILE]

Starts the app on a copy of the data dir (the answer cache off, so every answer is written), drives
Debian's Chromium through Playwright's async API and prints, per backend: answers, "busy, retry"
messages, errors, p50/p95 seconds from Enter to the checked answer (or the busy message), and what
the readers saw while a PDF was being indexed. With the local model, also: how many were told their
place in the model's queue and the most questions ahead, how soon the sources were shown while
waiting, and how many answers came after a later second question of another session (fair: 0).
`--llm server` starts llama-cpp-python's server on the same model file and the app's `openai` backend on it.
`tests/ui/test_load.py` runs the extractive half.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from pydantic import BaseModel, Field

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
QUESTIONS = ["¿Cómo fortalecer las iniciativas clúster en mi región?", "How can regions close human talent gaps?",
             "¿Qué papel tiene la banca de desarrollo?", "How should productive policies be evaluated?",
             "¿Cómo mejorar la gobernanza multinivel de las políticas productivas?",
             "What can a region do to attract investment in new sectors?",
             "¿Cómo apoyar la internacionalización de las pymes?", "How can universities work with firms on innovation?",
             "¿Qué instrumentos de financiamiento recomienda la CEPAL?", "How do we build capabilities in regional agencies?"]
UPLOAD_QUESTION = "¿Qué plantea el plan de hidrógeno verde de Zorzalandia?"
PLACE = re.compile(r"(\d+) pregunta\(s\) antes que la suya")  # the app's place in the model's queue
BUSY = re.compile(r"El modelo local está ocupado|Su pregunta anterior aún espera|preguntas al modelo local en el último")
CHIP = re.compile(r"^(R\d+(?: · .+)?|.+ p\. .+)$")  # "R80 · traducción": a recommendation shown in translation


class Outcome(BaseModel):
    """One question from one browser session."""

    session: int
    question: str
    kind: str = Field(description="answer, busy or error")
    seconds: float
    markers: list[str] = Field(default_factory=list)
    detail: str = ""
    asked_at: float = Field(0.0, description="When Enter was pressed (seconds on the bench's clock).")
    ahead: int | None = Field(None, description="The most questions the page said were before this one.")
    quick_s: float | None = Field(None, description="Seconds until the sources' own words were shown while waiting.")
    turn: int = Field(0, description="This session's 1st, 2nd… question.")


class LoadReport(BaseModel):
    backend: str
    sessions: int
    outcomes: list[Outcome]
    upload_outcomes: list[Outcome] = Field(default_factory=list)
    upload_seconds: float | None = None
    upload_error: str = ""
    cited_before_success: int = Field(0, description="Readers' answers citing the upload before its success "
                                                     "message (possible once it is complete; never part of it).")
    after_upload_cites_it: bool | None = None

    def summary(self) -> dict[str, object]:
        def stats(rows: list[Outcome]) -> dict[str, object]:
            answered = sorted(o.seconds for o in rows if o.kind == "answer")
            q = (statistics.quantiles(answered, n=20, method="inclusive") if len(answered) > 1 else answered * 19)
            return {"asked": len(rows), "answered": len(answered), "busy": sum(o.kind == "busy" for o in rows),
                    "errors": sum(o.kind == "error" for o in rows),
                    "p50_s": round(statistics.median(answered), 2) if answered else None,
                    "p95_s": round(q[18], 2) if answered else None}

        told = [o for o in self.outcomes if o.ahead is not None]
        quick = sorted(o.quick_s for o in self.outcomes if o.quick_s is not None)
        return {"backend": self.backend, "sessions": self.sessions, "asking at once": stats(self.outcomes),
                "told their place in the queue": len(told), "most ahead": max((o.ahead or 0 for o in told), default=0),
                "sources shown while waiting, p50_s": round(statistics.median(quick), 2) if quick else None,
                "waited behind another session's later second question": behind_second(self.outcomes),
                "asking during an upload": stats(self.upload_outcomes), "upload_s": self.upload_seconds, "upload_error": self.upload_error,
                "answers citing the upload before its success message": self.cited_before_success,
                "after the upload, an answer cites it": self.after_upload_cites_it}


# Questions sent within this much of each other reach the app's queue in the order their page's script
# run gets there, not the order of the clicks (Streamlit starts a rerun per session on its own thread).
SAME_MOMENT_S = 1.0


def behind_second(outcomes: list[Outcome]) -> int:
    """Answers that came after a second (or later) question another session asked after them.

    "After" means more than SAME_MOMENT_S later: two clicks 0.3 s apart may join the queue either way.
    """
    done = [o for o in outcomes if o.kind == "answer"]
    return sum(1 for o in done if any(p.session != o.session and p.turn > 1 and p.asked_at > o.asked_at + SAME_MOMENT_S
                                      and p.asked_at + p.seconds < o.asked_at + o.seconds for p in done))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(data_dir: Path, backend: str, port: int, log: Path, env: dict[str, str] | None = None,
              host: str = "127.0.0.1", cli: bool = False) -> subprocess.Popen[bytes]:
    """The app on `data_dir` (through `policy-assistant ui` itself with `cli`), once it answers its health check."""
    env = {**os.environ, "POLICY_ASSISTANT_DATA_DIR": str(data_dir), "POLICY_ASSISTANT_LLM_BACKEND": backend,
           "POLICY_ASSISTANT_LLM_ANSWER_CACHE": "false", **(env or {})}
    argv = ([sys.executable, "-m", "assistant.cli", "ui", "--host", host, "--port", str(port)] if cli else
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "app.py"),
             "--server.address", host, "--server.port", str(port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
             "--client.toolbarMode", "viewer"])
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).status == 200:
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("the app did not start: " + log.read_text()[-2000:])


async def _open(browser, url: str):  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    await page.goto(url)
    await page.get_by_placeholder("Escriba su pregunta…").wait_for(timeout=180_000)
    return page


async def _idle(page, timeout_s: float = 60) -> None:  # type: ignore[no-untyped-def]
    """Wait until the app has finished its rerun (its status widget says nothing is running)."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        if not await page.locator("[data-testid=stStatusWidget]").count():
            return
        await asyncio.sleep(0.1)


async def _ask(page, session: int, question: str, timeout_s: float) -> Outcome:  # type: ignore[no-untyped-def]
    await _idle(page)  # a question typed during the previous answer's rerun would be wiped
    # A checked answer is shown with its 👍/👎 (st.feedback), which the streaming phase does not have.
    answers = page.locator("[data-testid=stFeedback]")
    before = await answers.count()
    messages = page.locator("[data-testid=stChatMessage]")
    shown = await messages.count()
    running = page.locator("[data-testid=stStatusWidget]")
    chat = page.get_by_placeholder("Escriba su pregunta…")
    await chat.fill(question)
    start = time.perf_counter()
    await chat.press("Enter")
    deadline = start + timeout_s
    started = False  # the previous run's busy warning stays on screen until this run replaces it
    place = page.get_by_text(PLACE)
    quick = page.get_by_text("Mientras espera, lo que dicen las fuentes")
    ahead: int | None = None
    quick_s: float | None = None
    while time.perf_counter() < deadline:
        started = started or bool(await running.count()) or await messages.count() > shown
        if started and await place.count():
            with contextlib.suppress(Exception):  # the notice may go between counting and reading it
                seen = int(PLACE.search(await place.first.inner_text(timeout=200)).group(1))  # type: ignore[union-attr]
                if ahead is None and quick_s is not None:  # what a waiting planner sees, kept to be read
                    await page.screenshot(path=str(Path(tempfile.gettempdir()) / f"load-queue-session{session}.png"))
                ahead = max(ahead or 0, seen)
        if started and quick_s is None and await quick.count():
            quick_s = time.perf_counter() - start
        error = page.locator("[data-testid=stException]")
        if await error.count() or await page.get_by_text("Traceback").count():
            detail = await error.first.inner_text() if await error.count() else "Traceback"
            return Outcome(session=session, question=question, kind="error", seconds=time.perf_counter() - start,
                           detail=detail[:300])
        if started and not await running.count() and await page.get_by_text(BUSY).count():
            return Outcome(session=session, question=question, kind="busy", seconds=time.perf_counter() - start,
                           asked_at=start, ahead=ahead)
        if await answers.count() > before and not await running.count():
            last = page.locator("[data-testid=stChatMessage]").last
            chips = last.get_by_role("button", name=CHIP)
            names = [(await chips.nth(i).inner_text()).split("\n")[0].strip() for i in range(await chips.count())]
            return Outcome(session=session, question=question, kind="answer", seconds=time.perf_counter() - start,
                           markers=names, asked_at=start, ahead=ahead, quick_s=quick_s)
        await asyncio.sleep(0.1)
    shot = Path(tempfile.gettempdir()) / f"load-timeout-session{session}.png"
    await page.screenshot(path=str(shot), full_page=True)
    return Outcome(session=session, question=question, kind="error", seconds=timeout_s, asked_at=start, ahead=ahead,
                   quick_s=quick_s, detail=f"no answer in {timeout_s:.0f} s (screenshot {shot})")


async def _upload(page, pdf: Path, timeout_s: float) -> float:  # type: ignore[no-untyped-def]
    await _idle(page, timeout_s)
    await page.get_by_role("link", name="Biblioteca").click()
    await page.locator("input[type=file]").first.set_input_files(str(pdf), timeout=timeout_s * 1000)
    start = time.perf_counter()
    await page.get_by_role("button", name="Indexar").click(timeout=timeout_s * 1000)
    await page.get_by_text(f"{pdf.name}: indexado").first.wait_for(timeout=timeout_s * 1000)
    return time.perf_counter() - start


def write_upload(path: Path, pages: int = 40) -> Path:
    """A report long enough that indexing it takes a while (each page names Zorzalandia)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for i in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Plan de hidrogeno verde de Zorzalandia, capitulo {i + 1}. " + (
            "Zorzalandia producira hidrogeno verde con energia eolica, formara tecnicos en electrolisis y adaptara "
            f"sus puertos para exportar amoniaco; la etapa {i + 1} fija metas de inversion y empleo. ") * 6)
    pdf.output(str(path))
    return path


async def run_load(url: str, backend: str, sessions: int = 8, rounds: int = 1, upload: Path | None = None,
                   timeout_s: float = 300) -> LoadReport:
    """Every session asks `rounds` questions, all starting at once, each session its next question as soon as
    its last is answered; then session 0 uploads `upload` while the others ask."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pages = await asyncio.gather(*(_open(browser, url) for _ in range(sessions)))

        async def session(i: int, page) -> list[Outcome]:  # type: ignore[no-untyped-def]
            """One planner: `rounds` questions, each asked as soon as the last was answered."""
            seen = []
            for r in range(rounds):
                seen.append(await _ask(page, i, QUESTIONS[(i + r * sessions) % len(QUESTIONS)], timeout_s))
                seen[-1].turn = r + 1
            return seen

        outcomes = [o for rows in await asyncio.gather(*(session(i, p) for i, p in enumerate(pages))) for o in rows]
        report = LoadReport(backend=backend, sessions=sessions, outcomes=outcomes)
        if upload is not None and sessions > 1:  # one session uploads while the others ask
            done = asyncio.Event()

            async def reader(i: int, page) -> list[Outcome]:  # type: ignore[no-untyped-def]
                seen = []
                while not done.is_set():
                    outcome = await _ask(page, i, UPLOAD_QUESTION, timeout_s)
                    when = "before the upload finished" if not done.is_set() else "after"
                    outcome.detail = f"{when}; {outcome.detail}" if outcome.detail else when
                    seen.append(outcome)
                    if outcome.kind == "busy":
                        await asyncio.sleep(3)  # a person reads the message before asking again
                return seen

            async def uploader() -> float:
                try:
                    return await _upload(pages[0], upload, timeout_s)
                except Exception as exc:  # noqa: BLE001 - reported, not raised: the other figures still count
                    report.upload_error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                    return float("nan")
                finally:
                    done.set()

            results = await asyncio.gather(uploader(), *(reader(i, p) for i, p in enumerate(pages[1:], 1)))
            report.upload_seconds = round(results[0], 2)
            report.upload_outcomes = [o for rows in results[1:] for o in rows]
            stem = upload.stem[:20]
            report.cited_before_success = sum(
                1 for o in report.upload_outcomes if o.detail.startswith("before") and any(stem in m for m in o.markers))
            for _ in range(10):  # the embedded model may still be busy with the readers' last questions
                after = await _ask(pages[1], 1, UPLOAD_QUESTION, timeout_s)
                if after.kind != "busy":
                    break
                await asyncio.sleep(5)
            after.detail = f"after the upload's success message; {after.detail}".rstrip("; ")
            report.upload_outcomes.append(after)
            report.after_upload_cites_it = any(stem in m for m in after.markers)
        await browser.close()
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench.load", description=__doc__.splitlines()[0])
    p.add_argument("--llm", default="extractive", choices=["extractive", "llamacpp", "server"])
    p.add_argument("--sessions", type=int, default=8)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--pages", type=int, default=40, help="pages of the PDF uploaded while the others ask")
    p.add_argument("--wait", type=float, default=300, help="seconds a session waits for an answer before it counts "
                   "as an error (eight questions to the local model, two rounds: 900)")
    p.add_argument("--data-dir", default=str(ROOT / "data"), help="the indexed data dir to copy (default ./data)")
    p.add_argument("--json", help="write the report as JSON")
    p.add_argument("--app-log", help="keep the app's log here (default: discarded with its temporary copy)")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        source = Path(args.data_dir)
        shutil.copytree(source, data, ignore=shutil.ignore_patterns("uploads", "feedback.jsonl", "cache", "models"))
        if (source / "models").is_dir():
            (data / "models").symlink_to(source / "models")  # the 1.1 GB model is read, never changed
        port = free_port()
        env, server = {}, None
        if args.llm == "server":  # the model in a server of its own, the app a client of it
            from assistant.llm.model_file import ensure_model_file
            from assistant.llm.server import start_server

            server_port = free_port()
            server = start_server(ensure_model_file(data / "models"), server_port, Path(tmp) / "server.log")
            env = {"POLICY_ASSISTANT_LLM_BASE_URL": f"http://127.0.0.1:{server_port}/v1"}
        app = start_app(data, "openai" if server else args.llm, port, Path(args.app_log or Path(tmp) / "app.log"), env)
        try:
            report = asyncio.run(run_load(f"http://127.0.0.1:{port}", args.llm, args.sessions, args.rounds,
                                          upload=write_upload(Path(tmp) / "plan-zorzalandia.pdf", args.pages),
                                          timeout_s=args.wait))
        finally:
            app.terminate()
            try:
                app.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a model call in progress: the figures are taken, stop it
                app.kill()
                app.wait(timeout=30)
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
    print(json.dumps(report.summary(), ensure_ascii=False, indent=1))
    for o in report.outcomes + report.upload_outcomes:
        if o.kind == "error":
            print(f"error in session {o.session}: {o.detail}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": report.summary(), **report.model_dump()}, ensure_ascii=False,
                                              indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
