"""`policy-assistant ui` stops when its own PID is signalled, as a process manager does it.

The command used to wrap Streamlit in a child process and forward nothing: SIGTERM to the PID it
started left the server holding the port. Each case starts the real command on a free port, waits
for the app's health check, signals that PID only, and checks that the port is free within 10 s
and that no process of that run is left.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    """Nothing accepts on the port and a new server could bind it."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Streamlit's own server does
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _group_members(pgid: int) -> list[int]:
    """PIDs still alive in a process group (zombies excluded)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signal_to_ui_pid_frees_the_port(corpus_dir: Path, tmp_path: Path, signum: int) -> None:
    port = _free_port()
    env = {**os.environ, "POLICY_ASSISTANT_DATA_DIR": str(corpus_dir), "POLICY_ASSISTANT_LLM_BACKEND": "extractive"}
    log = (tmp_path / "ui.log").open("w")
    # Its own process group, so the test can find (and finally kill) anything the command leaves behind.
    # A run under nohup ignores SIGHUP, and children inherit that: the server starts with the default.
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "ui", "--port", str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL))
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the app did not start: " + (tmp_path / "ui.log").read_text())
        os.kill(proc.pid, signum)
        start = time.time()
        while time.time() - start < 10 and not _port_free(port):
            time.sleep(0.2)
        assert _port_free(port), f"port {port} still served {time.time() - start:.1f} s after {signum!r}"
        proc.wait(timeout=10)
        assert _group_members(proc.pid) == [], "a process of the ui run outlived the signal"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
