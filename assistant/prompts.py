"""Load prompt files from the `prompts` package and check their placeholders at load time."""

from __future__ import annotations

import functools
import string
from importlib import resources

from pydantic import BaseModel, ConfigDict

from assistant.messages import Lang

_SECTIONS = ("---system---", "---user---")
EXPECTED = {"write_answer": (set(), {"source", "question"}),
            "write_draft": (set(), {"source", "region"}),
            "translate": (set(), {"text"}),
            "judge_support": (set(), {"sources", "sentence"}),
            "judge_relevance": (set(), {"question", "passage"})}


class PromptError(ValueError):
    """A prompt file is missing, malformed, or its placeholders differ from what the code fills."""


class ChatPrompt(BaseModel):
    """A system and a user template with known placeholders."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    system: str
    user: str

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) with placeholders filled."""
        return self.system.format(**values), self.user.format(**values)


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def parse_prompt(name: str, text: str, expected: tuple[set[str], set[str]]) -> ChatPrompt:
    """Split a prompt file into its sections and validate the placeholders of each."""
    if not all(marker in text for marker in _SECTIONS):
        raise PromptError(f"prompt {name}: needs '---system---' and '---user---' sections")
    system, user = text.split(_SECTIONS[1], 1)
    system = system.split(_SECTIONS[0], 1)[1].strip()
    user = user.strip()
    for part, got, want in (("system", _fields(system), expected[0]), ("user", _fields(user), expected[1])):
        if got != want:
            raise PromptError(f"prompt {name} ({part}): placeholders {sorted(got)} != expected {sorted(want)}")
    return ChatPrompt(name=name, system=system, user=user)


@functools.cache
def load_prompt(task: str, lang: Lang) -> ChatPrompt:
    """The validated prompt for a task ('answer') in a language."""
    name = f"{task}_{lang}.md"
    try:
        text = resources.files("prompts").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"prompt file prompts/{name} is missing") from None
    return parse_prompt(name, text, EXPECTED[task])


def validate_all() -> None:
    """Load every prompt once (called at start so a broken file fails early).

    The writer's prompts must share their system text: answers and drafts then share the model's
    read prefix (instructions, then the source), so a source read for one is not read again.
    """
    for task in EXPECTED:
        for lang in ("es", "en"):
            load_prompt(task, lang)  # type: ignore[arg-type]
    for lang in ("es", "en"):
        if load_prompt("write_answer", lang).system != load_prompt("write_draft", lang).system:  # type: ignore[arg-type]
            raise PromptError(f"prompts write_answer_{lang}.md and write_draft_{lang}.md: system sections differ")
