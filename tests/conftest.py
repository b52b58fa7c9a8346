"""Shared fixtures: every test gets its own data dir; the real corpus is indexed once a session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.services import forget_stores, get_store
from assistant.settings import PROJECT_ROOT, Settings
from vectorstore.indexer import ingest
from vectorstore.store import ChunkStore

CORPUS = PROJECT_ROOT / "data" / "corpus"
BOOKLET = CORPUS / "cepal-2025-113-recomendaciones-pdp.md"
SLIDES = CORPUS / "cepal-fomento-productivo-regional-chile.txt"
REGION_PACK = PROJECT_ROOT / "tests" / "data" / "region"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the data dir at a fresh folder so no test touches a user's index."""
    for key in [k for k in os.environ if k.startswith("POLICY_ASSISTANT_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("POLICY_ASSISTANT_LLM_BACKEND", "extractive")
    forget_stores()
    yield
    forget_stores()


@pytest.fixture(name="corpus_dir", scope="session")
def fixture_corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir whose index holds the bundled corpus, built once for the session."""
    data = tmp_path_factory.mktemp("corpus-index")
    settings = Settings(data_dir=data)
    store = get_store(settings)
    report = ingest([CORPUS], store, settings.chunking)
    assert not report.rejected, report.rejected
    forget_stores()
    return data


@pytest.fixture(name="region_dir", scope="session")
def fixture_region_dir(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the corpus plus the fictional region's strategy and indicators (Markdown); read only."""
    data = tmp_path_factory.mktemp("region-index") / "data"
    shutil.copytree(corpus_dir, data)
    settings = Settings(data_dir=data)
    forget_stores()
    report = ingest([REGION_PACK / "erd-los-arrayanes.md", REGION_PACK / "indicadores-los-arrayanes.md"],
                    get_store(settings), settings.chunking)
    assert not report.rejected, report.rejected
    forget_stores()
    return data


@pytest.fixture(name="corpus_settings")
def fixture_corpus_settings(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings (and environment) pointing at the session's indexed corpus."""
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(corpus_dir))
    return Settings()


@pytest.fixture(name="corpus_store")
def fixture_corpus_store(corpus_settings: Settings) -> ChunkStore:
    """The indexed bundled corpus."""
    return get_store(corpus_settings)
