"""LangChain chat model over llama-cpp-python, streaming, with one lock per process.

A llama.cpp context is not thread-safe: every call goes through one ModelGate per process, so
concurrent users are served one at a time (a few may wait; beyond that they are told to retry).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from assistant.llm.errors import BackendUnavailable
from assistant.llm.gate import ModelGate

GATE = ModelGate(max_waiting=4)
_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LocalLlamaChat(BaseChatModel):
    """Chat with a local GGUF model through llama.cpp."""

    model_path: str
    n_ctx: int = 2048
    max_tokens: int = 320
    temperature: float = 0.0
    threads: int = 2
    _llm: Any = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        """Load the model once (about 1.5 s for the 1.5B on 2 cores)."""
        try:
            from llama_cpp import Llama
        except ImportError:
            raise BackendUnavailable("llama-cpp-python is not installed (pip install '.[llamacpp]')") from None
        self._llm = Llama(model_path=self.model_path, n_ctx=self.n_ctx, n_threads=self.threads,
                          n_batch=512, verbose=False)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _messages(self, messages: list[BaseMessage]) -> list[dict[str, str]]:
        return [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(chunk.message.content for chunk in self._stream(messages, stop, run_manager, **kwargs))  # type: ignore[misc]
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        with GATE.slot():
            stream = self._llm.create_chat_completion(
                messages=self._messages(messages), max_tokens=kwargs.get("max_tokens", self.max_tokens),
                temperature=self.temperature, stop=stop, stream=True)
            for part in stream:
                delta = part["choices"][0]["delta"].get("content") or ""
                if delta:
                    if run_manager:
                        run_manager.on_llm_new_token(delta)
                    yield ChatGenerationChunk(message=AIMessageChunk(content=delta))
