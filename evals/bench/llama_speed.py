"""How fast the installed llama.cpp build reads and writes with the embedded model, and what CPU it was built for.

    python -m evals.bench.llama_speed [--repeat 3] [--json FILE]

Prints llama.cpp's own system line (the instruction sets compiled in: AVX2, AVX512…), then prompt
reading (tokens/s over a 300-token prompt, a fresh context each time) and decoding (tokens/s over 64
written tokens), median of `--repeat` runs. Run it before and after rebuilding llama-cpp-python with
other flags (`make` builds a portable wheel; see docs/deployment.md) to compare the two builds on
the same machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from assistant.settings import Settings

PROMPT = ("La CEPAL recomienda fortalecer las capacidades de los gobiernos subnacionales para diseñar, "
          "implementar y evaluar políticas de desarrollo productivo, con mesas público-privadas por sector. ")


def measure(repeat: int = 3, threads: int = 2) -> dict[str, object]:
    """Prompt and decode speed of the installed build with the embedded model (median of `repeat`)."""
    import llama_cpp

    from assistant.llm.model_file import ensure_model_file

    path = ensure_model_file(Settings().data_dir / "models")
    llm = llama_cpp.Llama(model_path=str(path), n_ctx=1024, n_threads=threads, n_batch=512, verbose=False)
    prompt = llm.tokenize((PROMPT * 12).encode("utf-8"))[:300]
    reads, writes = [], []
    for _ in range(repeat):
        llm.reset()
        start = time.perf_counter()
        llm.eval(prompt)
        reads.append(len(prompt) / (time.perf_counter() - start))
        written, start = 0, time.perf_counter()
        for token in llm.generate(prompt, temp=0.0):  # the prompt is read already: only writing is timed
            written += 1
            if written == 64:
                break
            del token
        writes.append(written / (time.perf_counter() - start))
    info = llama_cpp.llama_print_system_info().decode("utf-8", "replace").strip()
    return {"llama_cpp_python": llama_cpp.__version__, "system_info": info, "threads": threads,
            "prompt_tokens_per_s": round(statistics.median(reads), 1),
            "decode_tokens_per_s": round(statistics.median(writes), 1), "repeat": repeat}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench.llama_speed", description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--json", help="also write the figures here")
    args = p.parse_args(argv)
    result = measure(args.repeat, args.threads)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
