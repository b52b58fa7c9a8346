"""The evaluation page's run history in a real headless Chromium.

Three kept runs are listed and their trend charted; two of them are compared (deltas with intervals,
the changed items with both answers and their chips); a run made in the app is kept as the fourth.

The runs are recorded before the app starts, as `policy-assistant eval` records them: twelve items
of the users' dev set on the extractive backend, once with k=2 and no reranking (clearly worse),
twice with the default settings. Screenshots go to test-artifacts/ (ignored by git).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.services import forget_stores
from assistant.settings import PROJECT_ROOT, Settings
from evals.history.compare import Comparison, compare
from evals.history.store import RunStore, keep, path_in
from evals.runner import EvalRun, run_eval
from tests.ui.test_browser import ARTIFACTS, CHROMIUM, FLAGS, serving

DEV = PROJECT_ROOT / "evals" / "datasets" / "eval_users_dev.jsonl"
# Questions in both languages whose verdict or citations move with k and reranking, two that do not,
# and two out-of-scope ones.
IDS = ("ud018", "ud019", "ud026", "ud033", "ud049", "ud054", "ud065", "ud080", "ud081", "ud084", "uo016", "uo032")
WORSE = "k=2, sin reordenar"
VERDICT = {"better": "mejor", "worse": "peor", "noise": "ruido", "same": "igual"}


@dataclass
class Kept:
    """The app's URL, the small eval set, the three kept runs, and run 3 compared with run 1."""

    url: str
    dataset: Path
    runs: list[EvalRun]
    compared: Comparison


@pytest.fixture(name="kept")
def fixture_kept(corpus_dir: Path, tmp_path: Path) -> Iterator[Kept]:
    data = tmp_path / "data"
    shutil.copytree(corpus_dir, data, ignore=shutil.ignore_patterns("models", "eval_runs.sqlite*"))
    by_id = {json.loads(line)["id"]: line for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()}
    dataset = tmp_path / "small.jsonl"
    dataset.write_text("\n".join(by_id[i] for i in IDS) + "\n", encoding="utf-8")
    runs = []
    for note in (WORSE, "", "repetición"):
        settings = Settings(data_dir=data)
        settings.llm.backend = "extractive"
        if note == WORSE:
            settings.retrieval.k = 2
            settings.retrieval.rerank = False
        run = run_eval(dataset, settings)
        run.note = note
        keep(run, data)
        runs.append(run)
    forget_stores()  # the app opens the index itself
    store = RunStore(path_in(data))
    compared = compare(store.load(1), store.load(3))
    assert compared.changed, "k=2 without reranking changes some answers"
    with serving(data, tmp_path / "streamlit.log") as url:
        yield Kept(url, dataset, runs, compared)


def test_history_trend_and_comparison_of_kept_runs(kept: Kept) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(kept.url)
        expect(page.get_by_placeholder("Escriba su pregunta…")).to_be_visible(timeout=120_000)
        page.get_by_role("link", name="Evaluación").click()  # loopback, no sign-in: the single user is an admin

        # The history: the three runs, newest first, with their notes and headline metrics.
        expect(page.get_by_role("heading", name="Historial de ejecuciones")).to_be_visible(timeout=60_000)
        history = page.locator(".st-key-eval-history [data-testid=stDataFrame]")
        expect(history.locator("td[aria-colindex='1']")).to_have_text(["3", "2", "1"], timeout=30_000)
        expect(history.locator("td[aria-colindex='7']")).to_have_text(["repetición", "", WORSE])
        scores = [str(r.metrics["overall"]["citation_f1"]) for r in reversed(kept.runs)]  # the cells' own values
        expect(history.locator("td[aria-colindex='8']")).to_have_text(scores)
        assert kept.runs[0].metrics["overall"]["citation_f1"] < kept.runs[2].metrics["overall"]["citation_f1"], \
            "k=2 without reranking scores lower"

        # The trend: citation_f1 by run number, one line per backend and group.
        trend = page.locator(".st-key-eval-trend [data-testid=stVegaLiteChart]")
        expect(trend.locator("svg").first).to_be_visible()
        expect(trend).to_have_attribute("aria-label", "citation_f1 por ejecución: extractive · lang:en, "
                                        "extractive · lang:es, extractive · overall")
        legend_and_axes = " ".join(t.text_content() or "" for t in trend.locator("svg text").all())
        assert "extractive · lang:es" in legend_and_axes and "Ejecución" in legend_and_axes
        page.get_by_role("heading", name="Evolución por ejecución").evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(ARTIFACTS / "19-eval-trend.png"))

        # The comparison starts on the two most recent runs, which answered alike ...
        run_a = page.get_by_role("combobox", name="A", exact=True)
        expect(run_a).to_have_value(re.compile(r"^2 · "))
        expect(page.get_by_role("combobox", name="B", exact=True)).to_have_value(re.compile(r"^3 · .* · repetición$"))
        expect(page.get_by_text("Ninguna pregunta cambió de veredicto ni de citas.")).to_be_visible(timeout=30_000)
        # ... and run 1 (the worse settings) is picked as A.
        run_a.click()
        run_a.press("ArrowDown")  # opens the list when the click only focused the box
        page.get_by_role("option", name=re.compile(r"^1 · .* · k=2, sin reordenar$")).click()
        changed = kept.compared.changed
        expect(page.get_by_text(f"Preguntas que cambiaron ({len(changed)})")).to_be_visible(timeout=30_000)
        f1 = next(d for d in kept.compared.metrics if d.group == "overall" and d.metric == "citation_f1")
        deltas = page.locator(".st-key-eval-deltas [data-testid=stDataFrame]")
        row = deltas.locator("tr").filter(has=page.locator("td", has_text=re.compile(r"^citation_f1$"))).first
        expect(row.locator("td")).to_have_text(["overall", "citation_f1", str(f1.a), str(f1.b), str(f1.delta),
                                                f"[{f1.low:+.3f}, {f1.high:+.3f}]", VERDICT[f1.verdict]])
        items = page.locator(".st-key-eval-changes [data-testid=stExpander]")
        expect(items).to_have_count(len(changed))
        first = changed[0]
        assert first.change == "newly failing", "newly failing items come first"
        expect(items.first).to_contain_text(f"ahora falla · {first.id}")

        # One changed item opened: both answers side by side, the reason it fails now, its chips.
        items.first.locator("summary").click()
        expect(items.first.get_by_text("Citas de B (ejecución 3):")).to_be_visible(timeout=30_000)
        expect(items.first.get_by_text("Acierta", exact=True)).to_be_visible()
        expect(items.first.get_by_text(re.compile(r"^Falla: "))).to_be_visible()
        lines_a, lines_b = _lines(first.a.answer), _lines(first.b.answer)
        for line in lines_a | lines_b:  # a line both answers hold shows twice
            expect(items.first.get_by_text(line, exact=False)).to_have_count(1 + (line in lines_a and line in lines_b))
        scored_b = next(i for i in kept.runs[2].items if i.id == first.id)
        extra = next(c for c in scored_b.citations if c.recommendation and f"R{c.recommendation}" not in first.a.cited)
        chip = items.first.get_by_role("button", name=re.compile(rf"^R{extra.recommendation}\b"))
        expect(chip).to_have_count(1)  # cited by B only: the citation that makes it fail
        chip.click()
        expect(page.get_by_text(re.compile(rf"^R{extra.recommendation} · Lineamiento")).first).to_be_visible(
            timeout=10_000)
        expect(page.get_by_text("Panorama 2024, pág.").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "20-eval-compare.png"))
        page.keyboard.press("Escape")

        # A run made in the app, on the uploaded set, is kept as run 4 and listed.
        page.get_by_text("Subir un archivo JSONL").click()
        page.locator("input[type=file]").set_input_files(str(kept.dataset))
        page.get_by_label("Nota (opcional)").fill("desde la app")
        page.get_by_role("button", name="Ejecutar la evaluación").click()
        expect(page.get_by_text("Guardada como ejecución 4")).to_be_visible(timeout=120_000)
        expect(history.locator("td[aria-colindex='1']")).to_have_text(["4", "3", "2", "1"])
        expect(history.locator("td[aria-colindex='5']").first).to_have_text("small.jsonl")

        # The same page in English.
        page.get_by_text("English", exact=True).click()
        expect(page.get_by_role("heading", name="Run history")).to_be_visible(timeout=30_000)
        expect(page.get_by_role("heading", name="Compare two runs")).to_be_visible()
        browser.close()


def _lines(answer: str) -> set[str]:
    """The answer's lines as the page shows them (list markers dropped), cut to 40 characters."""
    return {line.strip().removeprefix("- ").strip()[:40] for line in answer.splitlines() if len(line.strip()) > 20}

