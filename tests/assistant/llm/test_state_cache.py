"""Kept prompt states: found again by longest common token prefix, bounded, persisted only when asked."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.llm.state_cache import PromptStates, common_prefix


def _t(*tokens: int) -> np.ndarray:
    return np.array(tokens, dtype=np.int32)


def test_common_prefix() -> None:
    assert common_prefix(_t(1, 2, 3), _t(1, 2, 4)) == 2
    assert common_prefix(_t(1, 2), _t(1, 2, 3)) == 2
    assert common_prefix(_t(), _t(1)) == 0


def test_the_longest_shared_prefix_wins(tmp_path: Path) -> None:
    cache = PromptStates()
    cache.put(_t(1, 2, 3, 4), b"a")          # instructions + source A + question 1
    cache.put(_t(1, 2, 7, 8, 9), b"b")       # instructions + source B + question 2
    n, tokens, state, where = cache.best(_t(1, 2, 7, 8, 5))  # source B again, another question
    assert (n, state, where) == (4, b"b", "ram") and tokens is not None and list(tokens) == [1, 2, 7, 8, 9]
    assert cache.best(_t(9, 9))[0] == 0


def test_memory_is_bounded_least_recently_used_first() -> None:
    cache = PromptStates(ram_bytes=10)
    cache.put(_t(1), b"12345")
    cache.put(_t(2), b"12345")
    cache.best(_t(1))                         # touch 1
    cache.put(_t(3), b"12345")                # evicts 2
    assert cache.best(_t(2))[0] == 0 and cache.best(_t(1))[0] == 1 and cache.best(_t(3))[0] == 1


def test_persisted_states_survive_the_process_and_damage_is_a_miss(tmp_path: Path) -> None:
    PromptStates(disk_dir=tmp_path).put(_t(5, 6, 7), b"system prompt state", persist=True)
    PromptStates(disk_dir=tmp_path).put(_t(5, 6, 8), b"not persisted")
    fresh = PromptStates(disk_dir=tmp_path)  # a new process
    n, _, state, where = fresh.best(_t(5, 6, 7, 1))
    assert (n, state, where) == (3, b"system prompt state", "disk")
    assert len(list(tmp_path.glob("*.state"))) == 1
    path = next(tmp_path.glob("*.state"))
    path.write_bytes(b"garbage")
    assert PromptStates(disk_dir=tmp_path).best(_t(5, 6, 7))[0] == 0
    assert not path.exists(), "a damaged entry is removed"


def test_disk_use_is_bounded(tmp_path: Path) -> None:
    cache = PromptStates(disk_dir=tmp_path, disk_bytes=200)
    for i in range(10):
        cache.put(_t(i, i + 1), b"x" * 60, persist=True)
    assert sum(p.stat().st_size for p in tmp_path.glob("*.state")) <= 200
