"""The eval generation cache: unchanged prompts are replayed, changed ones generated, nothing loaded early."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.llm.fake import FakeChatModel
from evals.gencache import CachedChatModel


def test_a_prompt_is_generated_once_and_replayed_after(tmp_path: Path) -> None:
    built: list[FakeChatModel] = []

    def factory() -> FakeChatModel:
        built.append(FakeChatModel(reply_with=lambda prompt: f"eco: {prompt}"))
        return built[-1]

    path = tmp_path / "gen.sqlite"
    first = CachedChatModel(factory, path=str(path), identity="m1", llm_type="fake")
    msgs = [SystemMessage("instrucciones"), HumanMessage("pregunta A")]
    assert first.invoke(msgs, max_tokens=10).content == "eco: pregunta A"
    assert (first.hits, first.misses, len(built)) == (0, 1, 1)

    again = CachedChatModel(factory, path=str(path), identity="m1", llm_type="fake")  # a new process
    assert again.invoke(msgs, max_tokens=10).content == "eco: pregunta A"
    assert (again.hits, again.misses, len(built)) == (1, 0, 1), "a replay never loads the model"
    assert again.replayed_s >= 0

    assert again.invoke([SystemMessage("instrucciones"), HumanMessage("pregunta B")], max_tokens=10).content == \
        "eco: pregunta B"
    assert again.misses == 1 and len(built) == 2, "a changed prompt is generated"
    assert again.invoke(msgs, max_tokens=11).content and again.misses == 2, "so are changed decoding arguments"

    other_model = CachedChatModel(factory, path=str(path), identity="m2", llm_type="fake")
    other_model.invoke(msgs, max_tokens=10)
    assert other_model.misses == 1, "another model or settings is another cache"


class _Judging(FakeChatModel):
    """A fake model that also judges relevance: a verdict from the prompt's length."""

    def relevance(self, prompts: list[tuple[str, str]]) -> list[float]:
        return [len(user) / 10 for _, user in prompts]


def test_relevance_verdicts_are_judged_once_and_replayed_after(tmp_path: Path) -> None:
    built: list[_Judging] = []

    def factory() -> _Judging:
        built.append(_Judging())
        return built[-1]

    path = tmp_path / "gen.sqlite"
    prompts = [("sys", "pregunta y pasaje A"), ("sys", "pasaje B")]
    first = CachedChatModel(factory, path=str(path), identity="m1", llm_type="llamacpp")
    assert first.relevance(prompts) == [1.9, 0.8]
    assert (first.hits, first.misses, len(built)) == (0, 2, 1)

    again = CachedChatModel(factory, path=str(path), identity="m1", llm_type="llamacpp")
    assert again.relevance(prompts[::-1] + [("sys", "nuevo")]) == [0.8, 1.9, 0.5]
    assert (again.hits, again.misses, len(built)) == (2, 1, 2), "only the new prompt is judged"

    other_backend = CachedChatModel(factory, path=str(path), identity="m1", llm_type="fake")
    with pytest.raises(NotImplementedError):
        other_backend.relevance(prompts)
