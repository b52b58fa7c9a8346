"""Fresh-process command-line times: what an evaluator pays for each scripted `ask`, `search` or `rec`.

`python -m evals.bench.cli_start [--data-dir DIR] [--runs N]` (also part of `make bench`). The first
`ask` after the vector cache is removed embeds the scope gate's texts (a cold start); the next ones
read them from `<data dir>/cache/vectors.sqlite`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from assistant.settings import Settings

QUESTION = "¿Cómo fortalecer las iniciativas clúster en mi región?"
COMMANDS = {"ask_extractive": ["ask", QUESTION, "--llm", "extractive"], "search": ["search", "clúster", "--k", "5"],
            "rec": ["rec", "42"]}


def _time(data_dir: Path, args: list[str]) -> float:
    env = {**os.environ, "POLICY_ASSISTANT_DATA_DIR": str(data_dir)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_cli(data_dir: Path, runs: int = 3) -> dict[str, Any]:
    """Seconds per fresh process: the first `ask` without the vector cache, then the median of `runs` each."""
    (data_dir / "cache" / "vectors.sqlite").unlink(missing_ok=True)
    out: dict[str, Any] = {"ask_extractive_cold_s": round(_time(data_dir, COMMANDS["ask_extractive"]), 2)}
    for name, args in COMMANDS.items():
        out[f"{name}_s"] = round(statistics.median(_time(data_dir, args) for _ in range(runs)), 2)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench.cli_start", description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, default=None, help="an ingested data dir (default: the configured one)")
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    print(json.dumps(bench_cli(args.data_dir or Settings().data_dir, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
