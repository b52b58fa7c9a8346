"""The OpenAI-compatible backend against a real server: llama-cpp-python's own, on the same GGUF file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answering.answer import answer_stream
from assistant.answering.relevance import prompts
from assistant.llm.backends import load_chat_model
from assistant.llm.model_file import ensure_model_file
from assistant.llm.server import ServerChat, log_odds, start_server
from assistant.models import Answer
from assistant.settings import Settings
from assistant.workspace.search import search
from evals.bench.load import free_port

pytestmark = pytest.mark.llm


@pytest.fixture(name="server_url", scope="module")
def fixture_server_url(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m llama_cpp.server` on the embedded model's file, as docs/deployment.md starts it."""
    port = free_port()
    proc = start_server(ensure_model_file(corpus_dir / "models"), port, tmp_path_factory.mktemp("server") / "server.log")
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(name="server_settings")
def fixture_server_settings(corpus_settings: Settings, server_url: str) -> Settings:
    settings = corpus_settings.model_copy(deep=True)
    settings.llm.backend = "openai"
    settings.llm.base_url = server_url
    settings.llm.source_tokens = 80
    settings.llm.item_tokens = 60
    settings.llm.answer_cache = False
    return settings


def test_an_answer_through_the_server_is_streamed_gated_and_cited_from_the_retrieved_passages(
        server_settings: Settings) -> None:
    tokens, final = [], None
    for item in answer_stream("¿Qué dice la recomendación 42?", settings=server_settings):
        if isinstance(item, Answer):
            final = item
        else:
            tokens.append(item)
    assert final is not None
    assert final.backend == "openai", final.notices
    assert len(tokens) > 3, "tokens are streamed"
    assert final.checks, "the server's sentences went through the support gate"
    assert [c.recommendation for c in final.citations] == [42]
    assert {c.recommendation for c in final.citations} <= {r.recommendation for r in final.retrieved}
    assert final.timings_ms["first_token"] > 0


def test_the_length_cap_reaches_the_server(server_settings: Settings) -> None:
    # ChatOpenAI sends it as max_completion_tokens, which llama-cpp-python's server ignores.
    model = load_chat_model("openai", server_settings)
    reply = model.invoke([HumanMessage(content="Escribe un párrafo largo sobre la política productiva regional.")],
                         max_tokens=5)
    assert 0 < reply.response_metadata["token_usage"]["completion_tokens"] <= 5


def test_the_judge_reads_the_servers_log_probabilities(server_settings: Settings) -> None:
    model = load_chat_model("openai", server_settings)
    assert isinstance(model, ServerChat)
    question = "¿Cómo fortalecer las iniciativas clúster?"
    hits = search(question, k=40, settings=server_settings)
    on_topic = next(h for h in hits if "clúster" in h.chunk.text.lower())
    off_topic = next(h for h in reversed(hits) if "clúster" not in h.chunk.text.lower())
    near, far = model.relevance(prompts(question, [on_topic, off_topic]))
    assert near > far, (near, far)


def test_log_odds_bound_a_side_missing_from_the_top_tokens() -> None:
    assert log_odds([("S", -0.1), ("No", -2.4)]) == pytest.approx(2.3)
    assert log_odds([("No", -0.05), ("N", -4.0)]) == pytest.approx(-3.95)  # yes is at most as likely as "N"
    assert log_odds([("Hmm", -0.5), ("S", -1.0), ("Si", -1.0)]) > 0
    with pytest.raises(ValueError, match="log-probabilities"):
        log_odds([])


def test_a_message_pair_renders_for_the_server(server_settings: Settings) -> None:
    model = load_chat_model("openai", server_settings)
    text = "".join(str(c.content) for c in model.stream([SystemMessage(content="Responde en una palabra."),
                                                         HumanMessage(content="¿Capital de Chile?")], max_tokens=4))
    assert "Santiago" in text
