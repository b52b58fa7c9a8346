"""A model behind an OpenAI-compatible server: llama-cpp-python's own (`python -m llama_cpp.server`), vLLM, Ollama.

The chat goes through LangChain's ChatOpenAI with two changes that make such servers behave as the
embedded model does:
- the reply's length cap is sent as `max_tokens`: ChatOpenAI renames it `max_completion_tokens`,
  which llama-cpp-python's server ignores (a one-sentence translation then ran to the context's end);
- `relevance`, the judge's log-odds of "Sí"/"Yes" against "No" for the reply's first token, read from
  the server's `top_logprobs` (llama-cpp-python's server gives them by default, `logits_all`).
"""

from __future__ import annotations

import math
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from langchain_openai import ChatOpenAI

# The first token of each answer word, as the embedded judge reads them (Qwen splits "Sí" into "S", "í").
YES = frozenset({"S", "Sí", "Si", "Yes", "SI", "YES"})
NO = frozenset({"No", "NO"})
TOP = 10


def server_command(model: Path, port: int, host: str = "127.0.0.1", threads: int = 2) -> list[str]:
    """llama-cpp-python's server on the embedded model's file, read as the embedded model reads it.

    Same context and batch as `LocalLlamaChat`; its prompt cache on (a prompt that shares its start
    with the last one is read from there); the model named "local", the backend's default name.
    """
    return [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "local",
            "--host", host, "--port", str(port), "--n_ctx", "2048", "--n_batch", "128",
            "--n_threads", str(threads), "--cache", "true"]


def start_server(model: Path, port: int, log: Path, timeout_s: float = 120) -> subprocess.Popen[bytes]:
    """`server_command` started with its output in `log`, once its `/v1/models` answers.

    Raises RuntimeError with the log's tail if the server ends or does not answer within `timeout_s`.
    """
    with log.open("wb") as out:
        proc = subprocess.Popen(server_command(model, port), stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout_s
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2).close()  # noqa: S310 - local
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    proc.wait(timeout=30)
    raise RuntimeError(f"the model server did not answer in {timeout_s:.0f} s: "
                       + log.read_text(errors="replace")[-2000:])


def log_odds(top: list[tuple[str, float]]) -> float:
    """log P(yes) - log P(no) from a first token's top log-probabilities.

    A side that is not among them is bounded by the least probable one listed (its probability is
    at most that), so the verdict stays finite and errs towards no change.
    """
    if not top:
        raise ValueError("the server gave no log-probabilities")
    floor = min(lp for _, lp in top)
    yes = [lp for tok, lp in top if tok in YES]
    no = [lp for tok, lp in top if tok in NO]
    log_yes = math.log(sum(math.exp(lp) for lp in yes)) if yes else floor
    log_no = math.log(sum(math.exp(lp) for lp in no)) if no else floor
    return log_yes - log_no


class ServerChat(ChatOpenAI):
    """ChatOpenAI for self-hosted OpenAI-compatible servers, with the relevance judge."""

    def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any) -> dict:
        payload = super()._get_request_payload(input_, stop=stop, **kwargs)
        if "max_completion_tokens" in payload:  # the name every self-hosted server reads
            payload["max_tokens"] = payload.pop("max_completion_tokens")
        return payload

    def relevance(self, prompts: list[tuple[str, str]]) -> list[float]:
        """log P(yes) - log P(no) of the reply's first token, for each (system, user) prompt."""
        out = []
        for system, user in prompts:
            reply = self.root_client.chat.completions.create(
                model=self.model_name, messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
                max_tokens=1, temperature=0, logprobs=True, top_logprobs=TOP)
            content = reply.choices[0].logprobs.content if reply.choices and reply.choices[0].logprobs else None
            first = content[0].top_logprobs if content else []
            out.append(log_odds([(t.token, t.logprob) for t in first]))
        return out


def main(argv: list[str] | None = None) -> int:
    """Serve the embedded model's file for a team: `python -m assistant.llm.server [--host H] [--port P]`."""
    import argparse
    import os

    from assistant.llm.errors import BackendUnavailable
    from assistant.llm.model_file import ensure_model_file
    from assistant.settings import Settings

    p = argparse.ArgumentParser(prog="python -m assistant.llm.server", description=main.__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    args = p.parse_args(argv)
    try:
        model = ensure_model_file(Settings().data_dir / "models")  # assembled from its parts and checked
    except BackendUnavailable as exc:
        print(f"assistant.llm.server: {exc}", file=sys.stderr)
        return 1
    argv = server_command(model, args.port, args.host, args.threads)
    os.execv(argv[0], argv)  # the server in this process's place: signals and exit status are its own
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
