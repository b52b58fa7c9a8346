"""Pick the chat model by a string; `extractive` needs none. Unavailable backends raise BackendUnavailable."""

from __future__ import annotations

import threading
import urllib.request
from pathlib import Path

from langchain_core.language_models.chat_models import BaseChatModel

from assistant.llm.errors import BackendUnavailable
from assistant.settings import LLMConfig, Settings

_lock = threading.Lock()


def load_chat_model(backend: str, settings: Settings) -> BaseChatModel | None:
    """The LangChain chat model for `backend` (None for extractive)."""
    cfg = settings.llm
    match backend:
        case "extractive":
            return None
        case "fake":
            from assistant.llm.fake import FakeChatModel

            return FakeChatModel()
        case "llamacpp":
            return _llamacpp(str(settings.data_dir / "models"), cfg.max_tokens, cfg.threads,
                             cfg.timeout_s if cfg.worker else 0.0)
        case "ollama":
            try:
                from langchain_ollama import ChatOllama
            except ImportError:
                raise BackendUnavailable("langchain-ollama is not installed (pip install '.[ollama]')") from None
            url = cfg.base_url or "http://127.0.0.1:11434"
            _check_server(url, cfg)
            return ChatOllama(model=cfg.model or "qwen2.5:1.5b", base_url=url, num_predict=cfg.max_tokens,
                              temperature=0.1, client_kwargs={"timeout": cfg.timeout_s})
        case "openai":
            try:
                from assistant.llm.server import ServerChat
            except ImportError:
                raise BackendUnavailable("langchain-openai is not installed (pip install '.[openai]')") from None
            url = cfg.base_url or "http://127.0.0.1:8080/v1"
            _check_server(url.rstrip("/") + "/models", cfg)
            return ServerChat(model=cfg.model or "local", base_url=url, api_key=cfg.api_key,  # type: ignore[arg-type]
                              timeout=cfg.timeout_s, max_retries=0, max_tokens=cfg.max_tokens, temperature=0.1)
        case _:
            raise BackendUnavailable(f"unknown backend '{backend}' (extractive, llamacpp, ollama, openai, fake)")


def _check_server(url: str, cfg: LLMConfig) -> None:
    try:
        urllib.request.urlopen(url, timeout=min(cfg.timeout_s, 5.0)).close()  # noqa: S310 - local server
    except urllib.error.HTTPError:
        return  # the server answers; the route may need auth
    except OSError as exc:
        raise BackendUnavailable(f"server {url} is not reachable ({type(exc).__name__})") from None


def local_model(models_dir: str, max_tokens: int, threads: int) -> BaseChatModel:
    """The embedded model in this process (the worker process serves one of these)."""
    import llama_cpp

    from assistant.llm.llamacpp import LocalLlamaChat
    from assistant.llm.model_file import MODEL_SHA256, ensure_model_file

    path = ensure_model_file(Path(models_dir))
    # Read system prompts are kept beside the model, per model hash and runtime version.
    states = Path(models_dir) / "states" / f"{MODEL_SHA256[:12]}-llama{llama_cpp.__version__}"
    return LocalLlamaChat(model_path=str(path), max_tokens=max_tokens, threads=threads, state_dir=str(states))


_models: dict[tuple[str, int, int, float], BaseChatModel] = {}


def _llamacpp(models_dir: str, max_tokens: int, threads: int, worker_deadline_s: float) -> BaseChatModel:
    """One embedded model per process (loading it twice would double 1.1 GB of memory); in a worker
    process of its own unless `worker_deadline_s` is 0."""
    key = (models_dir, max_tokens, threads, worker_deadline_s)
    with _lock:
        if key not in _models:
            if not worker_deadline_s:
                _models[key] = local_model(models_dir, max_tokens, threads)
            else:
                from assistant.llm.model_file import ensure_model_file
                from assistant.llm.worker import WorkerChat

                ensure_model_file(Path(models_dir))  # assembled and checked here: the worker only loads it
                _models[key] = WorkerChat(models_dir=models_dir, max_tokens=max_tokens, threads=threads,
                                          deadline_s=worker_deadline_s)
        return _models[key]


def model_file_intact(settings: Settings) -> str | None:
    """None while the loaded embedded model's file is as verified; else why it must no longer be used.

    A stat per answer: only a file whose size, mtime or inode changed since its check is hashed again.
    A file that fails drops the loaded model (llama.cpp maps the file, so a changed file changes it too).
    """
    from assistant.llm.model_file import ensure_model_file

    try:
        ensure_model_file(settings.data_dir / "models")
        return None
    except (BackendUnavailable, OSError) as exc:
        forget_models()
        return str(exc) if isinstance(exc, BackendUnavailable) else f"the model file cannot be read ({exc.strerror})"


def forget_models() -> None:
    """Drop the loaded embedded models, stopping their worker processes (the next call loads again)."""
    with _lock:
        models = list(_models.values())
        _models.clear()
    for model in models:
        if hasattr(model, "pid"):  # a WorkerChat
            model.close()  # type: ignore[attr-defined]
