"""Chroma plumbing: the client (embedded or server), our embedding-function adapter, filters, and
turning a lost server connection into one clear error."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from vectorstore.config import ChromaConfig


class StoreUnavailableError(RuntimeError):
    """The Chroma server cannot be reached; the message says where and what to do."""


class StoreFullError(StoreUnavailableError):
    """The disk holding an embedded index is full; nothing can be written (or repaired) until space is freed."""


FULL_BELOW_MB = 32  # an embedded store's error with less free space than this is reported as a full disk


def _disk_full(folder: Path | None, exc: BaseException) -> str | None:
    """A one-line reason when `exc` looks like the disk under `folder` filled up, else None."""
    import errno
    import shutil

    text = str(exc).lower()
    said = (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "no space left" in text or "disk is full" in text
    free_mb = None
    if folder is not None:
        try:
            free_mb = shutil.disk_usage(folder).free / 2**20
        except OSError:
            pass
    if said or (free_mb is not None and free_mb < FULL_BELOW_MB):
        where = f" ({free_mb:.1f} MB free in {folder})" if free_mb is not None else ""
        return f"the disk holding the index is full{where}: free some space and run the command again"
    return None


def chroma_where(where: dict[str, Any] | None) -> dict[str, Any] | None:
    """Chroma wants one operator per filter: several conditions become an explicit $and."""
    if where and len(where) > 1:
        return {"$and": [{k: v} for k, v in where.items()]}
    return where or None


def make_ef(name: str, embed_docs: Callable[[list[str]], list[list[float]]],
             embed_query: Callable[[str], list[float]]) -> Any:
    """A chromadb EmbeddingFunction over our callables: never chromadb's downloading default."""
    from chromadb.api.types import EmbeddingFunction

    class _Adapter(EmbeddingFunction):  # type: ignore[type-arg]
        def __init__(self) -> None:
            pass

        def __call__(self, input: Sequence[str]) -> list[list[float]]:  # noqa: A002
            return embed_docs(list(input))

        def embed_query(self, input: Sequence[str]) -> list[list[float]]:  # noqa: A002
            return [embed_query(t) for t in input]

        @staticmethod
        def name() -> str:
            return name

        def get_config(self) -> dict[str, Any]:
            return {"name": name}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> _Adapter:
            return _Adapter()

    return _Adapter()


def make_client(config: ChromaConfig, default_path: Path) -> Any:
    """Chroma client: a `chroma run` server when a host is set, else an embedded folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if config.host:
        try:
            client = chromadb.HttpClient(host=config.host, port=config.port, settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            raise StoreUnavailableError(
                f"Chroma server at {config.host}:{config.port} is not reachable ({type(exc).__name__}); "
                "start it with `chroma run` or unset POLICY_ASSISTANT_CHROMA_HOST"
            ) from None
        return client
    path = Path(config.path) if config.path else default_path
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a lost connection to a Chroma server into StoreUnavailableError (one clear line).

    Decorates methods of an object whose `server` attribute is "host:port" in server mode, else None.
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreUnavailableError:
            raise
        except Exception as exc:
            if self.server is None:
                lock = getattr(self, "lock_path", None)
                full = _disk_full(lock.parent if lock is not None else None, exc)
                if full:
                    raise StoreFullError(full) from None
                raise
            if not _is_connection_error(exc):
                raise
            raise StoreUnavailableError(
                f"Chroma server at {self.server} is not reachable ({type(exc).__name__}); "
                "check that `chroma run` is up — the assistant reconnects when it returns"
            ) from None

    return wrapper


def _is_connection_error(exc: BaseException) -> bool:
    names = {type(e).__name__ for e in (exc, exc.__cause__, exc.__context__) if e is not None}
    text = str(exc).lower()
    return bool(names & {"ConnectError", "ConnectTimeout", "ReadTimeout", "ReadError", "RemoteProtocolError",
                         "ConnectionError", "ConnectionRefusedError", "WriteError", "PoolTimeout"}) \
        or "connect" in text or "connection" in text
