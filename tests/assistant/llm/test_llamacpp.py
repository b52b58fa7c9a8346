"""The embedded model, for real: assembled from its parts, sha256-verified, streaming, cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.answer import answer_stream
from assistant.answering.writer import drifted
from assistant.llm.errors import BackendUnavailable
from assistant.llm.model_file import MODEL_NAME, ensure_model_file
from assistant.models import Answer
from assistant.settings import Settings

pytestmark = pytest.mark.llm


@pytest.fixture(name="llm_settings")
def fixture_llm_settings(corpus_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = corpus_settings.model_copy(deep=True)
    settings.llm.backend = "llamacpp"
    settings.llm.source_tokens = 80
    settings.llm.item_tokens = 60
    settings.llm.answer_cache = False
    return settings


@pytest.mark.parametrize(("question", "lang", "rec"), [
    ("¿Qué dice la recomendación 42?", "es", 42),
    ("What does recommendation 7 say?", "en", 7),
])
def test_real_model_answers_in_the_question_language_with_verified_citations(
        llm_settings: Settings, question: str, lang: str, rec: int) -> None:
    tokens, final = [], None
    for item in answer_stream(question, settings=llm_settings):
        if isinstance(item, Answer):
            final = item
        else:
            tokens.append(item)
    assert final is not None
    assert final.backend == "llamacpp", final.notices
    assert len(tokens) > 3, "tokens are streamed"
    assert final.language == lang
    assert final.checks, "the model's sentences were judged"
    for check in final.checks:  # a sentence shown as the model wrote it is in the question's language
        assert not check.ok or not drifted(check.text, "", lang), check.text
    assert [c.recommendation for c in final.citations] == [rec]
    retrieved = {r.recommendation for r in final.retrieved}
    assert all(c.recommendation in retrieved for c in final.citations)
    assert final.timings_ms["first_token"] > 0


def test_model_file_with_wrong_hash_is_refused(tmp_path: Path) -> None:
    (tmp_path / MODEL_NAME).write_bytes(b"not a gguf")
    with pytest.raises(BackendUnavailable, match="sha256"):
        ensure_model_file(tmp_path)


def test_real_model_drafts_a_section_with_verified_references(llm_settings: Settings) -> None:
    from assistant.drafting.draft import draft
    from assistant.models import DraftRequest

    sections: list[str] = []
    tokens: list[str] = []
    result = draft(DraftRequest(region="Biobío", topic="iniciativas clúster"), settings=llm_settings,
                   on_section=lambda i, n, h: sections.append(h), on_token=tokens.append)
    assert result.backend == "llamacpp" and len(sections) == 5 and tokens
    assert [s.key for s in result.sections] == ["context", "goals", "actions", "governance", "monitoring"]
    cited = {m for s in result.sections for p in s.paragraphs for m in p.citations}
    assert cited and cited == {r.marker for r in result.references}
    assert all(r.recommendation is None or 1 <= r.recommendation <= 113 for r in result.references)


def test_instructions_are_read_once_and_kept_on_disk(llm_settings: Settings, tmp_path: Path) -> None:
    """Prefix reuse, measured by the model's own counters (not by timing)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from assistant.llm.llamacpp import LocalLlamaChat

    path = ensure_model_file(llm_settings.data_dir / "models")
    first = LocalLlamaChat(model_path=str(path), state_dir=str(tmp_path / "states"), max_tokens=4)
    system = SystemMessage("Eres un asistente de la CEPAL. " * 12)
    first.invoke([system, HumanMessage("¿Qué es un clúster?")])
    first.invoke([system, HumanMessage("¿Qué es la CEPAL?")])
    stats = first.stats()
    assert stats["reused_tokens"] >= 12 * 8, "the second call did not read the instructions again"
    fresh = LocalLlamaChat(model_path=str(path), state_dir=str(tmp_path / "states"), max_tokens=4)  # a new process
    fresh.invoke([system, HumanMessage("¿Qué es una política productiva?")])
    assert fresh.stats()["state_loads_disk"] == 1 and fresh.stats()["reused_tokens"] >= 12 * 8


def test_a_model_file_corrupted_while_serving_falls_back_then_recovers(llm_settings: Settings, tmp_path: Path) -> None:
    from assistant.answering import answer as answer_module
    from assistant.answering.answer import answer
    from assistant.llm import backends

    settings = llm_settings.model_copy(deep=True)
    settings.data_dir = tmp_path / "data"
    settings.chroma.path = str(llm_settings.index_dir)
    model = ensure_model_file(settings.data_dir / "models")  # its own copy: no other test's file is touched
    answer_module._resolved.clear()
    backends.forget_models()
    try:
        assert answer("¿Qué dice la recomendación 42?", settings=settings).backend == "llamacpp"
        with model.open("r+b") as fh:  # corrupt it in place, as a failing disk or a bad copy would
            fh.seek(4096)
            original = fh.read(64)
            fh.seek(4096)
            fh.write(b"\xff" * 64)
        fallen = answer("¿Qué dice la recomendación 42?", settings=settings)
        assert fallen.backend == "extractive" and [c.marker for c in fallen.citations] == ["R42"]
        assert any("sha256" in n for n in fallen.notices), fallen.notices
        with model.open("r+b") as fh:  # the file is put right: the next answer loads it again
            fh.seek(4096)
            fh.write(original)
        assert answer("¿Qué dice la recomendación 42?", settings=settings).backend == "llamacpp"
    finally:
        answer_module._resolved.clear()
        backends.forget_models()
