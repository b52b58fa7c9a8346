"""The embedded model in a process of its own: a crash, a hang or running out of memory ends one call.

`WorkerChat` is a LangChain chat model that forwards every call (streamed answers, the relevance
judge, warming the instructions, the counters) to `assistant.llm.worker_process`. When that process
dies (a segmentation fault in llama.cpp, the kernel's out-of-memory killer) or sends nothing for
`deadline_s`, the call raises `ModelStoppedError` — the answer falls back to the sources' own words
with a one-line notice — and the next call starts a new process. The prompt states stay with the
model, in the worker (and on disk, so a new worker reads them back).
"""

from __future__ import annotations

import atexit
import itertools
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from assistant.llm.errors import BackendUnavailable, ModelStoppedError
from assistant.llm.gate import ModelGate

GATE = ModelGate(max_waiting=4)  # one call at a time per app process, as with the model in process
LOAD_DEADLINE_S = 300.0  # assembling and loading the model file the first time
_LIVE: weakref.WeakValueDictionary[int, WorkerChat] = weakref.WeakValueDictionary()


@atexit.register
def _stop_all() -> None:
    for chat in list(_LIVE.values()):
        chat.close()


def _why(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"signal {-returncode}"
    return f"exit code {returncode}" if returncode is not None else "no reply"


class WorkerChat(BaseChatModel):
    """Chat with the embedded model through its worker process."""

    backend: str = "llamacpp"
    models_dir: str = ""
    max_tokens: int = 320
    threads: int = 2
    deadline_s: float = 120.0
    fake_delay: float = 0.0
    _proc: Any = PrivateAttr(default=None)
    _conn: Any = PrivateAttr(default=None)
    _ids: Any = PrivateAttr(default_factory=itertools.count)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    def model_post_init(self, __context: Any) -> None:
        """Start the worker now, so that a missing model is told at load time, as in process."""
        _LIVE[id(self)] = self
        with GATE.slot():
            self._ensure()

    @property
    def _llm_type(self) -> str:
        return self.backend

    @property
    def pid(self) -> int | None:
        """The worker's process id (None when none runs)."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    # -- the process ---------------------------------------------------------------------------
    def _ensure(self) -> Connection:
        if self._conn is not None and self._proc is not None and self._proc.poll() is None:
            return self._conn
        self.close()
        ours, theirs = socket.socketpair()
        argv = [sys.executable, "-m", "assistant.llm.worker_process", "--fd", str(theirs.fileno()),
                "--backend", self.backend, "--models-dir", self.models_dir, "--max-tokens", str(self.max_tokens),
                "--threads", str(self.threads), "--fake-delay", str(self.fake_delay)]
        self._proc = subprocess.Popen(argv, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        theirs.close()
        self._conn = Connection(ours.detach())
        try:
            reply = self._receive(LOAD_DEADLINE_S)
        except ModelStoppedError as exc:
            raise BackendUnavailable(f"the local model's process did not start ({exc})") from None
        if reply[0] == "error":
            self.close()
            raise BackendUnavailable(reply[2].partition(": ")[2] or reply[2])
        return self._conn

    def close(self) -> None:
        """Stop the worker (the next call starts a new one)."""
        proc, conn, self._proc, self._conn = self._proc, self._conn, None, None
        if conn is not None:
            conn.close()
        if proc is not None and proc.poll() is None:
            proc.kill()
        if proc is not None:
            proc.wait()

    def _stopped(self, why: str) -> ModelStoppedError:
        """Kill what is left of the worker; the error the caller raises."""
        proc = self._proc
        if proc is not None and proc.poll() is None:  # hung, or its socket broke: it is not trusted again
            proc.kill()
        code = proc.wait() if proc is not None else None
        self.close()
        reason = f"no reply in {self.deadline_s:g} s" if why == "timeout" else _why(code)
        return ModelStoppedError(f"the local model stopped ({reason}); it is started again for the next question")

    def _receive(self, deadline: float | None = None) -> tuple[Any, ...]:
        conn = self._conn
        try:
            if not conn.poll(self.deadline_s if deadline is None else deadline):
                raise self._stopped("timeout")
            return conn.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError):
            raise self._stopped("died") from None

    def _request(self, kind: str, *payload: Any) -> Any:
        """One request and its single reply."""
        with GATE.slot():
            conn = self._ensure()
            rid = next(self._ids)
            try:
                conn.send((kind, rid, *payload))
            except OSError:
                raise self._stopped("died") from None
            while True:
                reply = self._receive()
                if reply[1] != rid:
                    continue  # what is left of a call abandoned earlier
                if reply[0] == "error":
                    raise RuntimeError(reply[2])
                return reply[2]

    # -- what the assistant calls ----------------------------------------------------------------
    def relevance(self, prompts: list[tuple[str, str]]) -> list[float]:
        """The judge's yes-vs-no logits (see LocalLlamaChat.relevance)."""
        return self._request("relevance", prompts)  # type: ignore[no-any-return]

    def read(self, messages: list[BaseMessage]) -> None:
        """Read a prompt without writing (warms the instructions)."""
        self._request("read", _plain(messages))

    def stats(self) -> dict[str, float]:
        """The model's counters; empty while no worker runs."""
        return self._request("stats") if self.pid else {}  # type: ignore[no-any-return]

    def reset_stats(self) -> None:
        """Zero the model's counters."""
        self._request("reset_stats")

    # -- LangChain --------------------------------------------------------------------------------
    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(str(c.message.content) for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        with GATE.slot():
            conn = self._ensure()
            rid = next(self._ids)
            try:
                conn.send(("stream", rid, _plain(messages), stop, kwargs.get("max_tokens")))
            except OSError:
                raise self._stopped("died") from None
            finished = False
            try:
                while True:
                    reply = self._receive()
                    if reply[1] != rid:
                        continue
                    if reply[0] == "error":
                        finished = True
                        raise RuntimeError(reply[2])
                    if reply[0] == "done":
                        finished = True
                        return
                    if run_manager:
                        run_manager.on_llm_new_token(reply[2])
                    yield ChatGenerationChunk(message=AIMessageChunk(content=reply[2]))
            finally:
                if not finished and self._conn is not None:  # the reader stopped early: stop the writing too
                    self._cancel(rid)

    def _cancel(self, rid: int) -> None:
        try:
            self._conn.send(("cancel", rid))
            start = time.monotonic()
            while time.monotonic() - start < self.deadline_s:
                reply = self._receive()
                if reply[1] == rid and reply[0] in ("done", "error"):
                    return
        except (ModelStoppedError, OSError):
            pass


def _plain(messages: list[BaseMessage]) -> list[tuple[str, str]]:
    return [(m.type, str(m.content)) for m in messages]

