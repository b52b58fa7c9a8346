"""A reader that closes the pipe early (`policy-assistant ask … | head -3`) ends the command quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_a_closed_pipe_ends_ask_quietly(corpus_dir: Path) -> None:
    env = {**os.environ, "POLICY_ASSISTANT_DATA_DIR": str(corpus_dir), "POLICY_ASSISTANT_LLM_BACKEND": "extractive"}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ask", "¿Cómo fortalecer las iniciativas clúster?"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert err == ""
