"""The embedded model, for real: assembled from its parts, sha256-verified, streaming, cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import answer_stream
from assistant.language import detect_language
from assistant.llm.errors import BackendUnavailable
from assistant.llm.model_file import MODEL_NAME, ensure_model_file
from assistant.models import Answer
from assistant.settings import Settings

pytestmark = pytest.mark.llm


@pytest.fixture(name="llm_settings")
def fixture_llm_settings(corpus_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = corpus_settings.model_copy(deep=True)
    settings.llm.backend = "llamacpp"
    settings.llm.max_tokens = 90
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
    assert final.language == lang and detect_language(final.answer) == lang, final.answer
    assert [c.recommendation for c in final.citations] == [rec]
    retrieved = {r.recommendation for r in final.retrieved}
    assert all(c.recommendation in retrieved for c in final.citations)
    assert final.timings_ms["first_token"] > 0


def test_model_file_with_wrong_hash_is_refused(tmp_path: Path) -> None:
    (tmp_path / MODEL_NAME).write_bytes(b"not a gguf")
    with pytest.raises(BackendUnavailable, match="sha256"):
        ensure_model_file(tmp_path)


def test_real_model_drafts_a_section_with_verified_references(llm_settings: Settings) -> None:
    from assistant.draft import draft
    from assistant.models import DraftRequest

    llm_settings.llm.max_tokens = 70
    sections: list[str] = []
    tokens: list[str] = []
    result = draft(DraftRequest(region="Biobío", topic="iniciativas clúster"), settings=llm_settings,
                   on_section=lambda i, n, h: sections.append(h), on_token=tokens.append)
    assert result.backend == "llamacpp" and len(sections) == 5 and tokens
    assert [s.key for s in result.sections] == ["context", "goals", "actions", "governance", "monitoring"]
    cited = {m for s in result.sections for p in s.paragraphs for m in p.citations}
    assert cited and cited == {r.marker for r in result.references}
    assert all(r.recommendation is None or 1 <= r.recommendation <= 113 for r in result.references)
