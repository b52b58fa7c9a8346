"""Evaluated prompt states of the embedded model, kept so the same prompt text is never read twice.

On 2 cores llama.cpp reads a prompt at about 100 tokens/s, so a 150-token instruction block costs
1.5 s on every call that does not reuse it. llama-cpp-python reuses the prefix of the *last* prompt
only, and its own LlamaCache copies a (n_batch x vocabulary) logits array with every state (300 MB
at n_batch 512). This cache keeps just llama.cpp's state bytes and the token ids:

- in memory, an LRU of recent prompts (bounded in bytes): a source, a question or a system prompt
  read once is found again by longest common token prefix, whichever prompt it came from;
- on disk (optional), the states of system prompts only (a few MB each), so that a fresh process,
  a CLI `ask` for instance, starts with its instructions already read.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

_MAGIC = b"PAST1\n"


def common_prefix(a: np.ndarray, b: np.ndarray) -> int:
    """Length of the longest common prefix of two token arrays."""
    n = min(len(a), len(b))
    if n == 0:
        return 0
    diff = np.flatnonzero(a[:n] != b[:n])
    return int(diff[0]) if len(diff) else n


class PromptStates:
    """Token-prefix -> llama.cpp state bytes, in RAM (LRU) and, for persisted entries, on disk."""

    def __init__(self, ram_bytes: int = 256 << 20, disk_dir: Path | None = None,
                 disk_bytes: int = 64 << 20) -> None:
        self.ram_bytes = ram_bytes
        self.disk_dir = disk_dir
        self.disk_bytes = disk_bytes
        self._ram: OrderedDict[bytes, tuple[np.ndarray, bytes]] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()
        self._disk_index: dict[Path, np.ndarray] | None = None

    @staticmethod
    def _key(tokens: np.ndarray) -> bytes:
        return hashlib.sha1(tokens.astype(np.int32).tobytes()).digest()

    def best(self, tokens: np.ndarray) -> tuple[int, np.ndarray | None, bytes | None, str]:
        """(shared prefix length, the entry's tokens, its state, 'ram'|'disk'|'') of the best entry."""
        with self._lock:
            best_n, best_key = 0, None
            for key, (toks, _) in self._ram.items():
                n = common_prefix(toks, tokens)
                if n > best_n:
                    best_n, best_key = n, key
            disk_n, disk_path = 0, None
            for path, toks in self._disk().items():
                n = common_prefix(toks, tokens)
                if n > disk_n:
                    disk_n, disk_path = n, path
            if best_key is not None and best_n >= disk_n:
                self._ram.move_to_end(best_key)
                toks, state = self._ram[best_key]
                return best_n, toks, state, "ram"
        if disk_path is not None:
            loaded = self._read(disk_path)
            if loaded is not None:
                toks, state = loaded
                self.put(toks, state)  # next time from RAM
                return disk_n, toks, state, "disk"
        return 0, None, None, ""

    def put(self, tokens: np.ndarray, state: bytes, persist: bool = False) -> None:
        """Keep a state; `persist` also writes it to disk (system prompts only: a few per model)."""
        tokens = tokens.astype(np.int32).copy()
        key = self._key(tokens)
        with self._lock:
            if key in self._ram:
                self._ram.move_to_end(key)
            else:
                self._ram[key] = (tokens, state)
                self._used += len(state)
                while self._used > self.ram_bytes and len(self._ram) > 1:
                    _, (_, old) = self._ram.popitem(last=False)
                    self._used -= len(old)
        if persist and self.disk_dir is not None:
            self._write(tokens, state)

    def clear(self) -> None:
        """Forget the in-memory states (the disk entries stay)."""
        with self._lock:
            self._ram.clear()
            self._used = 0

    # -- disk -------------------------------------------------------------------------------------
    def _disk(self) -> dict[Path, np.ndarray]:
        if self.disk_dir is None:
            return {}
        if self._disk_index is None:
            self._disk_index = {}
            for path in sorted(self.disk_dir.glob("*.state")):
                header = self._read(path, header_only=True)
                if header is not None:
                    self._disk_index[path] = header[0]
        return self._disk_index

    def _read(self, path: Path, header_only: bool = False) -> tuple[np.ndarray, bytes] | None:
        try:
            with path.open("rb") as fh:
                if fh.read(len(_MAGIC)) != _MAGIC:
                    raise ValueError("not a state file")
                n = int.from_bytes(fh.read(4), "little")
                tokens = np.frombuffer(fh.read(4 * n), dtype=np.int32)
                if len(tokens) != n:
                    raise ValueError("truncated")
                return tokens, (b"" if header_only else fh.read())
        except (OSError, ValueError):
            path.unlink(missing_ok=True)  # a damaged entry is only a cache miss
            if self._disk_index is not None:
                self._disk_index.pop(path, None)
            return None

    def _write(self, tokens: np.ndarray, state: bytes) -> None:
        assert self.disk_dir is not None
        try:
            self.disk_dir.mkdir(parents=True, exist_ok=True)
            path = self.disk_dir / f"{self._key(tokens).hex()}.state"
            if path.exists():
                return
            tmp = path.with_suffix(f".tmp-{os.getpid()}")
            with tmp.open("wb") as fh:
                fh.write(_MAGIC + len(tokens).to_bytes(4, "little") + tokens.tobytes() + state)
            tmp.replace(path)  # a reader never sees half a state
            self._disk()[path] = tokens
            self._trim_disk()
        except OSError:
            return  # a read-only or full disk only costs speed

    def _trim_disk(self) -> None:
        assert self.disk_dir is not None
        files = sorted(self.disk_dir.glob("*.state"), key=lambda p: p.stat().st_mtime)
        total = sum(p.stat().st_size for p in files)
        while files and total > self.disk_bytes:
            old = files.pop(0)
            total -= old.stat().st_size
            old.unlink(missing_ok=True)
            self._disk().pop(old, None)
