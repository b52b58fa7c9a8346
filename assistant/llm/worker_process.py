"""The model's own process: loads the chat model once and serves calls over a socket (assistant.llm.worker).

`python -m assistant.llm.worker_process --fd N --backend llamacpp --models-dir D [...]`, started by
`WorkerChat`, never by hand. A native fault in llama.cpp ends this process only: the app is told,
answers from the sources meanwhile, and starts a new one.

Requests and replies are pickled tuples (multiprocessing.connection framing) between the app and the
process it started itself:
- in: ("stream", id, messages, stop, max_tokens), ("relevance", id, prompts), ("read", id, messages),
  ("stats", id), ("reset_stats", id), ("cancel", id) while a stream runs;
- out: ("ready", pid) once loaded, ("token", id, text), ("done", id, result), ("error", id, "Type: why").
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

_KINDS = {"system": SystemMessage, "human": HumanMessage, "ai": AIMessage}


def to_messages(items: list[tuple[str, str]]) -> list[BaseMessage]:
    """(type, content) pairs back into LangChain messages."""
    return [_KINDS.get(kind, HumanMessage)(content=content) for kind, content in items]


def load(args: argparse.Namespace) -> Any:
    """The chat model this process serves."""
    if args.backend == "fake":
        from assistant.llm.fake import FakeChatModel

        return FakeChatModel()
    from assistant.llm.backends import local_model

    return local_model(args.models_dir, args.max_tokens, args.threads)


def serve_stream(conn: Connection, model: Any, rid: int, messages: list[BaseMessage], stop: list[str] | None,
                 max_tokens: int | None, delay: float) -> None:
    """Send each token as it is written; stop early when the app cancels."""
    kwargs = {"max_tokens": max_tokens} if max_tokens else {}
    with contextlib.closing(model._stream(messages, stop, **kwargs)) as chunks:  # closing runs its `finally`
        for chunk in chunks:
            if delay:
                time.sleep(delay)
            conn.send(("token", rid, str(chunk.message.content)))
            if conn.poll(0) and conn.recv()[0] == "cancel":
                break
    conn.send(("done", rid, None))


def handle(conn: Connection, model: Any, request: tuple[Any, ...], delay: float) -> None:
    """Serve one request; a Python error goes back to the caller as a one-line reply."""
    kind, rid = request[0], request[1]
    try:
        match kind:
            case "stream":
                serve_stream(conn, model, rid, to_messages(request[2]), request[3], request[4], delay)
            case "relevance":
                conn.send(("done", rid, model.relevance(request[2])))
            case "read":
                model.read(to_messages(request[2]))
                conn.send(("done", rid, None))
            case "stats":
                conn.send(("done", rid, model.stats() if hasattr(model, "stats") else {}))
            case "reset_stats":
                if hasattr(model, "reset_stats"):
                    model.reset_stats()
                conn.send(("done", rid, None))
            case "cancel":  # a stream that had already ended
                pass
            case _:
                conn.send(("error", rid, f"ValueError: unknown request {kind!r}"))
    except Exception as exc:  # noqa: BLE001 - the caller decides what the user sees
        conn.send(("error", rid, f"{type(exc).__name__}: {exc}"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m assistant.llm.worker_process")
    p.add_argument("--fd", type=int, required=True, help="the socket to the app")
    p.add_argument("--backend", choices=["llamacpp", "fake"], default="llamacpp")
    p.add_argument("--models-dir", default="")
    p.add_argument("--max-tokens", type=int, default=320)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--fake-delay", type=float, default=0.0, help="seconds per token (the fake backend, for tests)")
    args = p.parse_args(argv)
    conn = Connection(args.fd)
    try:
        model = load(args)
    except Exception as exc:  # noqa: BLE001 - a missing or refused model file: told to the app in one line
        conn.send(("error", 0, f"{type(exc).__name__}: {exc}"))
        return 1
    conn.send(("ready", 0, None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):  # the app is gone: so is its model
            return 0
        handle(conn, model, request, args.fake_delay)


if __name__ == "__main__":
    sys.exit(main())
