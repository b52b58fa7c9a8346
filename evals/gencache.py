"""A generation cache for evaluation runs: the model is asked again only when its prompt changed.

Every model call of an eval run is stored under the hash of what determines its output: the
rendered messages, the call's arguments, the backend, the model file's sha256 and the decoding
settings. A re-run after a change to the verifier, the gate or the metrics replays the stored text
and re-scores it in seconds; a prompt change re-runs only the calls whose prompt changed. The real
model is loaded at the first miss, so a fully replayed run never loads it.

Stored with each text is the time it took to generate, so latency figures of a replayed run are
those of the generation, not of the replay.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


class CachedChatModel(BaseChatModel):
    """Replays stored generations; asks the real model (built lazily by `factory`) on a miss."""

    path: str
    identity: str
    llm_type: str = "llamacpp"
    _factory: Callable[[], BaseChatModel] = PrivateAttr()
    _inner: BaseChatModel | None = PrivateAttr(default=None)
    _db: sqlite3.Connection = PrivateAttr()
    _lock: Any = PrivateAttr(default_factory=threading.Lock)
    hits: int = 0
    misses: int = 0
    replayed_s: float = 0.0

    def __init__(self, factory: Callable[[], BaseChatModel], **data: Any) -> None:
        super().__init__(**data)
        self._factory = factory
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS generations (key TEXT PRIMARY KEY, text TEXT NOT NULL, "
                         "seconds REAL NOT NULL, created TEXT NOT NULL)")
        self._db.commit()

    @property
    def _llm_type(self) -> str:
        return self.llm_type

    @property
    def inner(self) -> BaseChatModel | None:
        """The real model, if a miss has loaded it."""
        return self._inner

    def key(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
        """The hash of everything that determines the output."""
        payload = json.dumps({"identity": self.identity, "messages": [[m.type, str(m.content)] for m in messages],
                              "kwargs": {k: v for k, v in sorted(kwargs.items()) if k != "run_manager"}},
                             ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(str(c.message.content) for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        key = self.key(messages, {**kwargs, "stop": stop})
        row = self._stored(key)
        if row is not None:
            yield ChatGenerationChunk(message=AIMessageChunk(content=row[0]))
            return
        self.misses += 1
        start, text = time.perf_counter(), ""
        for chunk in self._model().stream(messages, stop=stop, **kwargs):
            text += str(chunk.content)
            yield ChatGenerationChunk(message=AIMessageChunk(content=chunk.content))
        self._store({key: text}, time.perf_counter() - start)

    def _stored(self, key: str) -> tuple[str, float] | None:
        """(text, seconds) stored under `key`, counted as a hit, or None."""
        with self._lock:
            row = self._db.execute("SELECT text, seconds FROM generations WHERE key = ?", (key,)).fetchone()
        if row is not None:
            self.hits += 1
            self.replayed_s += row[1]
        return row

    def _store(self, texts: dict[str, str], seconds: float) -> None:
        """Keep each text under its key, with the seconds one of them took."""
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO generations VALUES (?, ?, ?, ?)",
                                 [(key, text, seconds, time.strftime("%Y-%m-%dT%H:%M:%S"))
                                  for key, text in texts.items()])
            self._db.commit()

    def _model(self) -> BaseChatModel:
        """The real model, built at the first miss."""
        if self._inner is None:
            self._inner = self._factory()
        return self._inner

    def relevance(self, prompts: list[tuple[str, str]]) -> list[float]:
        """The relevance judge's verdicts (`assistant.answering.relevance`), replayed or asked of the real model.

        A backend that cannot judge raises NotImplementedError, and the answer keeps the reranker's order."""
        if self.llm_type != "llamacpp":
            raise NotImplementedError(f"{self.llm_type} does not judge relevance")
        keys = [self.key([SystemMessage(content=system), HumanMessage(content=user)], {"task": "relevance"})
                for system, user in prompts]
        verdicts = {k: row[0] for k in keys if (row := self._stored(k)) is not None}
        missing = [i for i, k in enumerate(keys) if k not in verdicts]
        if missing:
            self.misses += len(missing)
            judge = getattr(self._model(), "relevance", None)
            if judge is None:
                raise NotImplementedError(f"{self.llm_type} does not judge relevance")
            start = time.perf_counter()
            fresh = {keys[i]: repr(value) for i, value in zip(missing, judge([prompts[i] for i in missing]),
                                                              strict=True)}
            self._store(fresh, (time.perf_counter() - start) / len(missing))
            verdicts.update(fresh)
        return [float(verdicts[k]) for k in keys]


def identity_of(backend: str, settings: Any) -> str:
    """Backend, model file hash and decoding settings: a change to any of them is a new cache."""
    parts: dict[str, Any] = {"backend": backend,
                             "llm": settings.llm.model_dump(include={"model", "base_url", "threads"})}
    if backend == "llamacpp":
        from assistant.llm.llamacpp import LocalLlamaChat
        from assistant.llm.model_file import MODEL_SHA256

        parts["model_sha256"] = MODEL_SHA256
        parts["decoding"] = {k: LocalLlamaChat.model_fields[k].default for k in ("temperature", "n_ctx", "n_batch")}
    return json.dumps(parts, sort_keys=True, default=str)
