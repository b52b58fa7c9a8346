"""Eight browser sessions ask at once on the extractive backend, then one uploads a PDF while the rest ask.

The driver is `evals.bench.load` (its `--llm llamacpp` half is a benchmark, not part of CI). Timings
are printed, not asserted; what is asserted is that every question gets its answer and no session
sees an error. That readers never see part of a document is proven in
tests/vectorstore/test_retrieval_during_writes.py, where the record's state can be read exactly.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from evals.bench.load import free_port, run_load, start_app, write_upload


def test_eight_sessions_at_once_and_an_upload_while_they_ask(corpus_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(corpus_dir, data)
    port = free_port()
    app = start_app(data, "extractive", port, tmp_path / "app.log")
    try:
        report = asyncio.run(run_load(f"http://127.0.0.1:{port}", "extractive", sessions=8, rounds=1,
                                      upload=write_upload(tmp_path / "plan-zorzalandia.pdf", pages=8), timeout_s=180))
    finally:
        app.terminate()
        app.wait(timeout=30)
    summary = report.summary()
    print(summary)
    errors = [o for o in report.outcomes + report.upload_outcomes if o.kind == "error"]
    assert not errors, errors
    assert [o.kind for o in report.outcomes] == ["answer"] * 8
    assert all(o.markers for o in report.outcomes if o.question != "How can universities work with firms on innovation?")
    assert report.upload_outcomes and all(o.kind == "answer" for o in report.upload_outcomes)
    assert report.after_upload_cites_it
    assert "Traceback" not in (tmp_path / "app.log").read_text()
