"""A queue-based fake chat model for tests: returns queued replies and records what it was sent."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field


class FakeChatModel(BaseChatModel):
    """Replies from `responses` in order, else from `reply_with(prompt)`, else restates its source."""

    responses: list[str] = Field(default_factory=list)
    received: list[list[BaseMessage]] = Field(default_factory=list)
    reply_with: Callable[[str], str] | None = Field(None, description="Reply computed from the last message.")

    @property
    def _llm_type(self) -> str:
        return "fake"

    def enqueue(self, *replies: str) -> FakeChatModel:
        """Queue replies for the next calls."""
        self.responses.extend(replies)
        return self

    def _reply(self, messages: list[BaseMessage]) -> str:
        self.received.append(list(messages))
        if self.responses:
            return self.responses.pop(0)
        prompt = str(messages[-1].content)
        if self.reply_with is not None:
            return self.reply_with(prompt)
        if source := re.search(r"^(?:Fuente|Source):\n(.+?)\n\n", prompt, re.DOTALL | re.MULTILINE):
            return source.group(1)  # the writer's prompts: repeat the source, a faithful answer
        marker = re.search(r"^\[([^\]]+)\]", prompt, re.MULTILINE)
        return f"Las fuentes responden a esta pregunta [{marker.group(1)}]." if marker else "Sin fuentes."

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for token in re.findall(r"\S+\s*", self._reply(messages)):
            yield ChatGenerationChunk(message=AIMessageChunk(content=token))
