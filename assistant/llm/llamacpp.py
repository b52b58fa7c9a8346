"""LangChain chat model over llama-cpp-python: streaming, prompt states reused, one lock per process.

A llama.cpp context is not thread-safe: every call goes through one ModelGate per process, so
concurrent users are served one at a time (a few may wait; beyond that they are told to retry).

Reading the prompt dominates on 2 cores (about 100 tokens/s, against about 29 tokens/s written), so
the prompt is rendered and tokenized here and evaluated only from the longest prefix already read:
the live context's, or a state kept in `PromptStates` (see there). `stats` counts what was reused.
"""

from __future__ import annotations

import atexit
import ctypes
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from assistant.llm.errors import BackendUnavailable
from assistant.llm.gate import ModelGate
from assistant.llm.state_cache import PromptStates, common_prefix

GATE = ModelGate(max_waiting=4)
_ROLES = {"system": "system", "human": "user", "ai": "assistant"}
STAT_KEYS = ("calls", "prompt_tokens", "reused_tokens", "evaluated_tokens", "state_loads_ram",
             "state_loads_disk", "completion_tokens", "prompt_s", "generate_s")
# Models still open when the interpreter exits are closed before its modules are torn down: llama-cpp's
# own finalizer, run later, would call a freed module global and print a TypeError traceback.
_OPEN: weakref.WeakSet[Any] = weakref.WeakSet()


@atexit.register
def _close_open_models() -> None:
    for llm in list(_OPEN):
        llm.close()


class LocalLlamaChat(BaseChatModel):
    """Chat with a local GGUF model through llama.cpp."""

    model_path: str
    n_ctx: int = 2048
    # Logits are kept for n_batch tokens (n_batch x 152k floats): 128 reads prompts as fast as 512
    # on 2 cores (97-101 tokens/s measured) with a quarter of the memory.
    n_batch: int = 128
    max_tokens: int = 320
    temperature: float = 0.0
    threads: int = 2
    state_dir: str | None = None
    _llm: Any = PrivateAttr(default=None)
    _format: Any = PrivateAttr(default=None)
    _states: PromptStates = PrivateAttr(default=None)
    _stats: dict[str, float] = PrivateAttr(default_factory=dict)
    _stats_lock: Any = PrivateAttr(default_factory=threading.Lock)
    _yes_no: Any = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        """Load the model once (about 2 s for the 1.5B on 2 cores)."""
        try:
            from llama_cpp import Llama
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter
        except ImportError:
            raise BackendUnavailable("llama-cpp-python is not installed (pip install '.[llamacpp]')") from None
        self._llm = Llama(model_path=self.model_path, n_ctx=self.n_ctx, n_threads=self.threads,
                          n_batch=self.n_batch, verbose=False)
        _OPEN.add(self._llm)
        template = self._llm.metadata.get("tokenizer.chat_template")
        if not template:
            raise BackendUnavailable(f"{Path(self.model_path).name} has no chat template")
        eos = self._llm.detokenize([self._llm.token_eos()], special=True).decode("utf-8", "ignore")
        self._format = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token="")
        self._states = PromptStates(disk_dir=Path(self.state_dir) / f"ctx{self.n_ctx}" if self.state_dir else None)
        self.reset_stats()

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    # -- statistics -------------------------------------------------------------------------------
    def reset_stats(self) -> None:
        """Zero the counters (bench and eval read them around a run)."""
        with self._stats_lock:
            self._stats = dict.fromkeys(STAT_KEYS, 0.0)

    def stats(self) -> dict[str, float]:
        """Counters since the last reset: calls, prompt tokens reused from a state or read, timings."""
        with self._stats_lock:
            return dict(self._stats)

    def _count(self, **values: float) -> None:
        with self._stats_lock:
            for key, value in values.items():
                self._stats[key] += value

    # -- prompt -----------------------------------------------------------------------------------
    def _messages(self, messages: list[BaseMessage]) -> list[dict[str, str]]:
        return [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]

    def _tokens(self, text: str) -> np.ndarray:
        return np.array(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True), dtype=np.int32)

    def render(self, messages: list[BaseMessage]) -> tuple[np.ndarray, int, list[str]]:
        """(prompt tokens, length of the system prompt's prefix, stop strings) by the model's own template."""
        msgs = self._messages(messages)
        full = self._format(messages=msgs)
        tokens = self._tokens(full.prompt)
        boundary = 0
        if msgs and msgs[0]["role"] == "system" and len(msgs) > 1:
            head = self._format(messages=msgs[:1])  # ends with the generation prompt after the system turn
            boundary = common_prefix(self._tokens(head.prompt), tokens)
        stops = [full.stop] if isinstance(full.stop, str) else list(full.stop or [])
        return tokens, boundary, stops

    def _load(self, tokens: np.ndarray, state: bytes) -> None:
        import llama_cpp

        buf = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
        if not llama_cpp.llama_state_set_data(self._llm._ctx.ctx, buf, len(state)):
            raise RuntimeError("state not loaded")
        self._llm.input_ids[: len(tokens)] = tokens
        self._llm.n_tokens = len(tokens)

    def _save(self) -> bytes:
        import llama_cpp

        ctx = self._llm._ctx.ctx
        size = llama_cpp.llama_state_get_size(ctx)
        buf = (ctypes.c_uint8 * size)()
        n = llama_cpp.llama_state_get_data(ctx, buf, size)
        return ctypes.string_at(buf, n)  # slicing the array instead builds a list of ints: 0.3 s and 130 MB

    def _read_prompt(self, tokens: np.ndarray, boundary: int) -> None:
        """Leave the context holding exactly `tokens`, read from the longest prefix already known."""
        llm = self._llm
        live = common_prefix(llm.input_ids[: llm.n_tokens], tokens)
        cached, cached_tokens, state, where = self._states.best(tokens)
        if cached > live and state is not None and cached_tokens is not None:
            try:
                self._load(cached_tokens, state)
                live = cached
                self._count(**{f"state_loads_{where}": 1})
            except RuntimeError:
                llm.n_tokens = 0
                live = 0
        # Keep at least one token to read, so that the last position has fresh logits.
        start = min(live, len(tokens) - 1)
        self._count(prompt_tokens=len(tokens), reused_tokens=start, evaluated_tokens=len(tokens) - start)
        if boundary and start < boundary < len(tokens):
            llm.n_tokens = start
            llm.eval(tokens[start:boundary].tolist())
            self._states.put(tokens[:boundary], self._save(), persist=True)
            start = boundary
        llm.n_tokens = start
        llm.eval(tokens[start:].tolist())

    def _keep(self) -> None:
        """Keep what the context holds now (prompt and reply) for the next prompt that shares its start."""
        llm = self._llm
        self._states.put(np.array(llm.input_ids[: llm.n_tokens], dtype=np.int32), self._save())

    def read(self, messages: list[BaseMessage]) -> None:
        """Read a prompt without writing anything (warms the instructions: kept in memory and on disk)."""
        with GATE.slot():
            tokens, boundary, _ = self.render(messages)
            self._read_prompt(tokens, boundary)
            self._keep()

    def relevance(self, prompts: list[tuple[str, str]]) -> list[float]:
        """log P(yes) - log P(no) of the reply's first token, for each (system, user) prompt.

        Nothing is written: each prompt is read from the longest prefix the context already holds
        (prompts that share their start, as `assistant.answering.relevance` builds them, cost only their tail)."""
        with GATE.slot():
            if self._yes_no is None:
                first = [self._llm.tokenize(t.encode("utf-8"), add_bos=False, special=False)[0]
                         for t in ("Sí", "Si", "Yes", "No")]
                self._yes_no = (first[:3], first[3])
            yes, no = self._yes_no
            out = []
            for system, user in prompts:
                tokens, boundary, _ = self.render([SystemMessage(content=system), HumanMessage(content=user)])
                self._read_prompt(tokens, boundary)
                logits = np.ctypeslib.as_array(self._llm._ctx.get_logits(), shape=(self._llm.n_vocab(),))
                out.append(float(np.logaddexp.reduce(logits[yes]) - logits[no]))
            return out

    # -- LangChain --------------------------------------------------------------------------------
    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(chunk.message.content for chunk in self._stream(messages, stop, run_manager, **kwargs))  # type: ignore[misc]
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        with GATE.slot():
            t0 = time.perf_counter()
            tokens, boundary, stops = self.render(messages)
            self._read_prompt(tokens, boundary)
            t1 = time.perf_counter()
            self._count(calls=1, prompt_s=t1 - t0)
            written = ""
            try:
                stream = self._llm.create_completion(
                    prompt=tokens.tolist(), max_tokens=kwargs.get("max_tokens", self.max_tokens),
                    temperature=self.temperature, stop=stops + list(stop or []), stream=True)
                for part in stream:
                    delta = part["choices"][0]["text"] or ""
                    written += delta
                    if delta:
                        if run_manager:
                            run_manager.on_llm_new_token(delta)
                        yield ChatGenerationChunk(message=AIMessageChunk(content=delta))
            finally:
                self._count(completion_tokens=len(self._tokens(written)) if written else 0,
                            generate_s=time.perf_counter() - t1)
                self._keep()  # after the reply, so that keeping it never delays the first token
