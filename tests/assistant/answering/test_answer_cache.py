"""Stored answers: the same question on the same index and settings comes back at once, and only then."""

from __future__ import annotations

from pathlib import Path

from assistant.answering.answer import answer
from assistant.answering.answer_cache import AnswerCache
from assistant.services import get_store
from assistant.settings import Settings
from ingestion.chunking import chunk_document
from ingestion.loaders import load_document

QUESTION = "¿Cómo fortalecer las iniciativas clúster en mi región?"


def _settings(corpus_settings: Settings, tmp_path: Path) -> Settings:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(corpus_settings.data_dir, data)
    settings = corpus_settings.model_copy(update={"data_dir": data}, deep=True)
    settings.llm.backend = "fake"  # a model backend that needs no model file
    return settings


def test_the_same_question_is_answered_from_the_store(corpus_settings: Settings, tmp_path: Path) -> None:
    settings = _settings(corpus_settings, tmp_path)
    first = answer(QUESTION, settings=settings)
    assert first.backend == "fake" and not first.cached and first.citations
    again = answer("  ¿cómo fortalecer las iniciativas clúster en mi región? ", settings=settings)
    assert again.cached and again.answer == first.answer and again.citations == first.citations
    fresh = answer(QUESTION, settings=settings, use_cache=False)
    assert not fresh.cached and fresh.answer == first.answer


def test_a_change_to_the_index_or_the_settings_is_a_miss(corpus_settings: Settings, tmp_path: Path) -> None:
    settings = _settings(corpus_settings, tmp_path)
    answer(QUESTION, settings=settings)
    other = settings.model_copy(deep=True)
    other.retrieval.k = 5
    assert not answer(QUESTION, settings=other).cached, "another setting"
    note = tmp_path / "nota.txt"
    note.write_text("Una nota breve sobre iniciativas clúster en la región y su gobernanza local.\n" * 3)
    doc = load_document(note)
    get_store(settings).write_document(doc, chunk_document(doc, settings.chunking))
    assert not answer(QUESTION, settings=settings).cached, "another index"


def test_extractive_answers_are_not_stored(corpus_settings: Settings, tmp_path: Path) -> None:
    settings = _settings(corpus_settings, tmp_path)
    settings.llm.backend = "extractive"
    answer(QUESTION, settings=settings)
    assert not answer(QUESTION, settings=settings).cached


def test_an_unreadable_cache_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / "answers.sqlite"
    path.write_bytes(b"this is not a database")
    assert AnswerCache(path).get("k") is None


def test_a_change_to_what_answers_show_is_a_new_key(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from assistant.answering import answer_cache

    before = answer_cache.cache_key("¿Qué dice la R42?", "llamacpp", Settings(), (1, ()))
    monkeypatch.setattr(answer_cache, "FORMAT", answer_cache.FORMAT + 1)
    assert answer_cache.cache_key("¿Qué dice la R42?", "llamacpp", Settings(), (1, ())) != before
