"""Property-based fuzz of the command line: generated arguments and environment values for every command.

Whatever is generated, nothing prints a traceback, nothing exits 1 (that code is for faults such as
an unreachable server, never for input) and an exit 2 says why in one line. Paths are generated
inside an empty folder so a fuzzed `ingest` or `backup` never reaches the user's files.
"""

from __future__ import annotations

import builtins
import io
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.cli import main
from assistant.services import forget_stores

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
NUMBER = st.one_of(st.integers(-10**7, 10**7).map(str), TEXT)
VALUE = st.one_of(TEXT, NUMBER, st.sampled_from(["", "0", "-1", "1e9", "nan", "true", "{}", "[]", "{", "null"]))

# Variables a user may set, with the real ones of each section (paths, hosts and the embedder are in the table).
VARIABLES = ["POLICY_ASSISTANT_RETRIEVAL_K", "POLICY_ASSISTANT_RETRIEVAL_CANDIDATES", "POLICY_ASSISTANT_RETRIEVAL_RRF_K",
             "POLICY_ASSISTANT_RETRIEVAL_SCOPE_ACCEPT", "POLICY_ASSISTANT_LLM_TIMEOUT_S",
             "POLICY_ASSISTANT_LLM_MAX_TOKENS", "POLICY_ASSISTANT_LLM_ANSWER_CACHE", "POLICY_ASSISTANT_MAX_QUESTION_CHARS",
             "POLICY_ASSISTANT_LIMITS_HISTORY_TURNS", "POLICY_ASSISTANT_LIMITS_HISTORY_CHARS",
             "POLICY_ASSISTANT_LIMITS_OUTLINE_CHARS", "POLICY_ASSISTANT_LIMITS_EVAL_ITEMS",
             "POLICY_ASSISTANT_SUPPORT_SIMILARITY", "POLICY_ASSISTANT_AUTH_MAX_FAILURES",
             "POLICY_ASSISTANT_AUTH_LOCKOUT_S", "POLICY_ASSISTANT_AUTH_SECRETS_FILE", "POLICY_ASSISTANT_CHUNKING_MAX_FILE_MB", "POLICY_ASSISTANT_RETRIEVAL"]


class _Exec(BaseException):
    """Raised instead of replacing the test process with Streamlit."""


def _path(root: Path) -> st.SearchStrategy[str]:
    name = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="/\x00"),
                   min_size=1, max_size=30).filter(lambda n: n not in (".", ".."))
    return name.map(lambda n: str(root / n))


def _argv(root: Path) -> st.SearchStrategy[list[str]]:
    path = _path(root)
    k = st.one_of(st.just([]), NUMBER.map(lambda v: ["--k", v]))
    llm = st.just(["--llm", "extractive"])
    commands = [
        st.tuples(st.just(["ask"]), TEXT.map(lambda q: [q]), k, llm),
        st.tuples(st.just(["search"]), TEXT.map(lambda q: [q]), k, st.sampled_from([[], ["--json"]])),
        st.tuples(st.just(["rec"]), NUMBER.map(lambda n: [n]), st.sampled_from([[], ["--json"]])),
        st.tuples(st.just(["draft"]), st.tuples(TEXT, TEXT).map(lambda rt: ["--region", rt[0], "--topic", rt[1]]),
                  st.one_of(st.just([]), TEXT.map(lambda g: ["--guidelines", g])),
                  st.one_of(st.just([]), path.map(lambda p: ["--format", "docx", "--out", p])), llm),
        st.tuples(st.just(["eval", "--llm", "extractive"]), path.map(lambda p: ["--dataset", p]),
                  st.one_of(st.just([]), TEXT.map(lambda s: ["--split", s]))),
        st.tuples(st.just(["ingest"]), st.lists(path, max_size=2)),
        st.tuples(st.just(["backup"]), st.one_of(path, st.just("")).map(lambda p: [p])),
        st.tuples(st.just(["restore"]), path.map(lambda p: [p])),
        st.tuples(st.just(["ui"]), NUMBER.map(lambda p: ["--port", p]), st.sampled_from([[], ["--host", "127.0.0.1"]])),
        st.tuples(st.just(["chat"]), llm),
        st.tuples(st.just(["ask"]), TEXT.map(lambda q: [q]), TEXT.map(lambda d: ["--doc", d]), llm),
        st.tuples(st.just(["sessions"]), st.one_of(
            st.sampled_from([["list"], ["list", "--json"]]),
            st.tuples(st.sampled_from(["export", "delete"]), TEXT).map(list),
            st.tuples(st.just("rename"), TEXT, TEXT).map(list),
            st.tuples(st.just("export"), TEXT, st.sampled_from(["md", "json", "docx"]), path).map(
                lambda e: [e[0], e[1], "--format", e[2], "--out", e[3]]))),
        st.tuples(st.just(["audit"]), st.one_of(st.just([]), path.map(lambda p: ["--csv", p]))),
        st.tuples(st.just(["users"]), st.one_of(
            st.sampled_from([["list"], ["list", "--json"]]),
            st.tuples(st.sampled_from(["add", "remove", "passwd"]), TEXT).map(list),
            st.tuples(st.just("add"), TEXT, st.sampled_from(["--role"]), TEXT).map(list),
            st.tuples(st.just("set-role"), TEXT, TEXT).map(list))),
        st.lists(TEXT, max_size=3).map(lambda a: (a,)),  # anything at all
    ]
    return st.one_of(commands).map(lambda parts: [a for part in parts for a in part])


@pytest.fixture(name="fuzz_root", scope="module")
def fixture_fuzz_root(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(corpus_dir, root / "data")
    (root / "files").mkdir()
    return root


def test_no_generated_command_line_exits_1_or_prints_a_traceback(
        fuzz_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    files = fuzz_root / "files"
    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(fuzz_root / "data"))
    monkeypatch.setattr(os, "execv", lambda *a: (_ for _ in ()).throw(_Exec()))
    monkeypatch.setattr(builtins, "input", lambda *_: (_ for _ in ()).throw(EOFError()))
    seen: dict[int, int] = {}

    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None, derandomize=os.environ.get("FUZZ_RANDOM") is None,
              suppress_health_check=list(HealthCheck))
    @given(argv=_argv(files), env=st.dictionaries(st.sampled_from(VARIABLES), VALUE, max_size=2), stdin=TEXT)
    def run(argv: list[str], env: dict[str, str], stdin: str) -> None:
        with monkeypatch.context() as m:
            m.setattr(sys, "stdin", io.StringIO(stdin))  # a password piped to `users add` or `users passwd`
            for key, value in env.items():
                m.setenv(key, value.replace("\x00", ""))
            forget_stores()
            capsys.readouterr()
            try:
                code = main(argv)
            except _Exec:
                code = 0  # a valid `ui` would now become the server
            err = capsys.readouterr().err
        seen[code] = seen.get(code, 0) + 1
        assert "Traceback" not in err, (argv, env, err)
        assert code in (0, 2), (argv, env, err)
        if code == 2:
            reasons = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith(("rejected: ", "skipped: "))]
            assert len(reasons) == 1 and reasons[0].startswith("policy-assistant"), (argv, env, err)

    run()
    print(f"fuzz: {sum(seen.values())} examples, exit codes {dict(sorted(seen.items()))}")
    assert seen.get(0) and seen.get(2), seen  # both accepted and refused inputs were generated
