"""Saved sessions: the store's size after N stored answers and the time to reopen a long conversation.

    python -m evals.bench.sessions [--answers 100] [--reopen 50]

Real answers (extractive backend, the bundled corpus in a scratch copy of the data dir) are stored
as the chat stores them; the reopen time is `sessions.load` plus the chat page opening it in
streamlit.testing, which renders every answer with its citation chips.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

QUESTIONS = [
    "¿Cómo fortalecer las iniciativas clúster en mi región?", "¿Qué dice la recomendación 42?",
    "How can we close skills gaps in our region?", "¿Qué recomienda la CEPAL sobre evaluación de políticas?",
    "What does ECLAC say about attracting foreign direct investment?", "¿Cómo coordinar a los gobiernos subnacionales?",
    "¿Qué plantea la CEPAL sobre la transformación digital de las pymes?", "Is there anything about semiconductors?",
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench.sessions")
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--reopen", type=int, default=50, help="messages in the conversation reopened")
    args = parser.parse_args(argv)
    from assistant.answering.answer import answer
    from assistant.settings import Settings
    from assistant.workspace import sessions

    source = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(source.data_dir / "index", data / "index")
        os.environ["POLICY_ASSISTANT_DATA_DIR"] = str(data)
        settings = Settings()
        version = sessions.index_version(settings)
        answers = [answer(q, settings=settings, backend="extractive") for q in QUESTIONS]
        long_id = ""
        stored = 0
        while stored < args.answers:
            info = sessions.create(QUESTIONS[stored % len(QUESTIONS)], settings)
            long_id = long_id or info.id
            per = args.reopen // 2 if info.id == long_id else 5
            for i in range(per):
                if stored >= args.answers:
                    break
                ans = answers[(stored + i) % len(answers)]
                sessions.append(info.id, settings, "user", ans.question)
                sessions.append(info.id, settings, "assistant", ans.answer, answer=ans, index_version=version)
                stored += 1
        size = sessions.db_path(settings).stat().st_size
        wal = sessions.db_path(settings).with_name("sessions.sqlite-wal")
        loads = []
        for _ in range(5):
            t = time.perf_counter()
            session = sessions.load(long_id, settings)
            loads.append(time.perf_counter() - t)
        from streamlit.testing.v1 import AppTest

        from assistant.settings import PROJECT_ROOT

        opens = []
        for _ in range(3):
            at = AppTest.from_file(str(PROJECT_ROOT / "ui" / "views" / "chat.py"), default_timeout=300)
            at.run()
            t = time.perf_counter()
            at.button(key=f"open-{long_id}").click().run()
            opens.append(time.perf_counter() - t)
            assert not at.exception and len(at.session_state["messages"]) == len(session.messages)
        result = {
            "answers_stored": stored, "sessions": len(sessions.list_sessions(settings)),
            "store_bytes": size, "wal_bytes": wal.stat().st_size if wal.exists() else 0,
            "bytes_per_answer": round(size / stored),
            "reopen_messages": len(session.messages),
            "load_ms_median": round(statistics.median(loads) * 1000, 1),
            "page_reopen_s_median": round(statistics.median(opens), 2),
        }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
