"""Every input surface of the command line, one row each: the exit code, one line on stderr, the index as it was.

A row is (argv, environment, exit code, a pattern the last stderr line must contain). `{T}` in an
argument or a value is the row's folder of prepared bad files (see `bad_files`). Rows that exit 0
are bounded-work cases: they answer, with a notice. The README's reliability table is this list.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.services import forget_stores, get_store
from assistant.settings import Settings
from tests.pdfs import write_pdf

DRAFT = ["draft", "--region", "Biobío", "--topic", "talento", "--llm", "extractive"]
ASK = ["ask", "¿Cómo fortalecer las iniciativas clúster?", "--llm", "extractive"]
DATASET = ["eval", "--llm", "extractive", "--dataset"]

ROWS: list[tuple[str, list[str], dict[str, str], int, str]] = [
    # usage: commands, arguments and their ranges
    ("no command", [], {}, 2, "required: command"),
    ("unknown command", ["bogus"], {}, 2, "invalid choice: 'bogus'"),
    ("ask without a question", ["ask"], {}, 2, "required: question"),
    ("ask --k 0", [*ASK, "--k", "0"], {}, 2, "--k accepts 1-50"),
    ("ask --k -1", [*ASK, "--k", "-1"], {}, 2, "--k accepts 1-50"),
    ("ask --k 1000000", [*ASK, "--k", "1000000"], {}, 2, "--k accepts 1-50"),
    ("ask --k abc", [*ASK, "--k", "abc"], {}, 2, "is not an integer"),
    ("search --k 51", ["search", "clúster", "--k", "51"], {}, 2, "--k accepts 1-50"),
    ("ask --llm unknown", ["ask", "x", "--llm", "gpt-5"], {}, 2, "invalid choice: 'gpt-5'"),
    ("unknown flag", [*ASK, "--temperature", "2"], {}, 2, "unrecognized arguments"),
    ("rec 0", ["rec", "0"], {}, 2, "N accepts 1-10000"),
    ("rec abc", ["rec", "abc"], {}, 2, "is not an integer"),
    ("rec 114 (none)", ["rec", "114"], {}, 2, "there is no recommendation 114 (1-113)"),
    ("rec 9999", ["rec", "9999"], {}, 2, "there is no recommendation 9999"),
    ("empty question", ["ask", "   "], {}, 2, "the question is empty"),
    ("emoji only", ["ask", "🙂🙂🙂"], {}, 2, "the question has no words: ask a question"),
    ("NUL in the question", ["ask", "clúster\x00R42"], {}, 2, "contains a NUL character"),
    ("empty query", ["search", ""], {}, 2, "the query is empty"),
    ("blank query", ["search", "  \t "], {}, 2, "the query is empty"),
    ("NUL in the query", ["search", "a\x00b"], {}, 2, "contains a NUL character"),
    ("50,000-character question", ["ask", "¿Cómo fortalecer las iniciativas clúster? " * 1200, "--llm", "extractive"],
     {}, 0, "se recortó a 4000 caracteres"),
    # draft
    ("draft without arguments", ["draft"], {}, 2, "required: --region"),
    ("draft without a topic", ["draft", "--region", "Biobío"], {}, 2,
     "draft needs --topic TOPIC (or --document for a whole strategy)"),
    ("draft --document with --topic", ["draft", "--document", "--region", "Biobío", "--topic", "talento"], {}, 2,
     "--document takes --topics T1,T2 (not --topic or --guidelines)"),
    ("draft --document as Word without --out", ["draft", "--document", "--region", "Biobío", "--format", "docx"], {}, 2,
     "--format docx needs --out FILE.docx"),
    ("draft --document blank region", ["draft", "--document", "--region", " "], {}, 2,
     "invalid document request: region"),
    ("draft --document with seven topics", ["draft", "--document", "--region", "B", "--topics", "a,b,c,d,e,f,g"], {}, 2,
     "invalid document request: topics"),
    ("draft blank region", ["draft", "--region", " ", "--topic", "talento"], {}, 2, "invalid draft request: region"),
    ("draft region of 121 characters", ["draft", "--region", "x" * 121, "--topic", "t"], {}, 2,
     "region String should have at most 120 characters"),
    ("draft topic of 301 characters", ["draft", "--region", "B", "--topic", "t" * 301], {}, 2, "topic String should"),
    ("draft unknown guideline", [*DRAFT, "--guidelines", "VIII,XX"], {}, 2, "unknown guideline(s) XX (I-XIV)"),
    ("draft --format pdf", [*DRAFT, "--format", "pdf"], {}, 2, "invalid choice: 'pdf'"),
    ("draft --language fr", [*DRAFT, "--language", "fr"], {}, 2, "invalid choice: 'fr'"),
    ("draft docx without --out", [*DRAFT, "--format", "docx"], {}, 2, "--format docx needs --out"),
    ("draft --out /", [*DRAFT, "--format", "docx", "--out", "/"], {}, 2, "is a folder"),
    ("draft --out a folder", [*DRAFT, "--out", "{T}"], {}, 2, "is a folder"),
    ("draft --out in a missing folder", [*DRAFT, "--out", "{T}/no/such/x.md"], {}, 2, "does not exist"),
    ("draft --out an unwritable file", [*DRAFT, "--out", "/proc/version"], {}, 2, "could not write"),
    # history files
    ("history not JSON", [*ASK, "--history", "{T}/h.json"], {}, 2, "not valid JSON"),
    ("history not a list", [*ASK, "--history", "{T}/object.json"], {}, 2, "expected a JSON list"),
    ("history unknown role", [*ASK, "--history", "{T}/role.json"], {}, 2, "each turn needs role"),
    ("history extra key", [*ASK, "--history", "{T}/extra.json"], {}, 2, "each turn needs role"),
    ("history content a number", [*ASK, "--history", "{T}/number.json"], {}, 2, "each turn needs role"),
    ("history missing", [*ASK, "--history", "{T}/missing.json"], {}, 2, "no such file"),
    ("history a folder", [*ASK, "--history", "{T}"], {}, 2, "is a folder"),
    ("history empty file", [*ASK, "--history", "{T}/empty.txt"], {}, 2, "not valid JSON"),
    ("history binary", [*ASK, "--history", "{T}/binary.txt"], {}, 2, "not valid JSON"),
    ("history over its size limit", [*ASK, "--history", "{T}/long.json"],
     {"POLICY_ASSISTANT_LIMITS_HISTORY_FILE_MB": "0.5"}, 2, "over the 0.5 MB limit"),
    ("history with a 2 MB turn", ["ask", "¿y cómo se financian?", "--history", "{T}/long.json", "--llm", "extractive"],
     {}, 0, "se usaron sus últimos 2 turnos"),
    ("history of 500 turns", [*ASK, "--history", "{T}/many.json"], {}, 0, "se usaron sus últimos 8 turnos"),
    # eval datasets and outputs
    ("eval dataset missing", [*DATASET, "{T}/missing.jsonl"], {}, 2, "no such file"),
    ("eval dataset bad line", [*DATASET, "{T}/bad.jsonl"], {}, 2, "line 2: not valid JSON"),
    ("eval dataset empty", [*DATASET, "{T}/empty.txt"], {}, 2, "no items"),
    ("eval dataset binary", [*DATASET, "{T}/binary.txt"], {}, 2, "not UTF-8 text"),
    ("eval dataset missing fields", [*DATASET, "{T}/fields.jsonl"], {}, 2, "line 1: question Field required"),
    ("eval dataset over its size limit", [*DATASET, "{T}/ok.jsonl"], {"POLICY_ASSISTANT_LIMITS_EVAL_FILE_MB": "0.0001"},
     2, "over the 0.0001 MB limit"),
    ("eval --split train", [*DATASET, "{T}/ok.jsonl", "--split", "train"], {}, 2, "invalid choice: 'train'"),
    ("eval split with no items", [*DATASET, "{T}/ok.jsonl", "--split", "test"], {}, 2, "has no items in split test"),
    ("eval --json /", [*DATASET, "{T}/ok.jsonl", "--json", "/"], {}, 2, "--json /: is a folder"),
    ("eval --report in a missing folder", [*DATASET, "{T}/ok.jsonl", "--report", "{T}/no/r.md"], {}, 2, "does not exist"),
    # ingest
    ("ingest a missing file", ["ingest", "{T}/missing.pdf"], {}, 2, "no such file"),
    ("ingest an empty path", ["ingest", ""], {}, 2, "an empty path was given"),
    ("ingest an empty file", ["ingest", "{T}/empty.txt"], {}, 2, "empty"),
    ("ingest a binary .txt", ["ingest", "{T}/binary.txt"], {}, 2, "looks like a binary file"),
    ("ingest a corrupt PDF", ["ingest", "{T}/corrupt.pdf"], {}, 2, "corrupt.pdf"),
    ("ingest a PDF without text", ["ingest", "{T}/blank.pdf"], {}, 2, "blank.pdf"),
    ("ingest an unsupported type", ["ingest", "{T}/notes.pptx"], {}, 2, "unsupported"),
    ("ingest a 200 MB PDF", ["ingest", "{T}/grande.pdf"], {}, 2, "over the 50 MB limit"),
    ("ingest a folder of bad files", ["ingest", "{T}/badfolder"], {}, 2, "2 files rejected"),
    ("ingest a folder that links to itself", ["ingest", "{T}/loop"], {}, 2, "files rejected"),
    ("ingest a manifest without file names", ["ingest", "{T}/manifest"], {}, 2, "not a valid manifest"),
    # environment
    ("RETRIEVAL_K=abc", ["search", "clúster"], {"POLICY_ASSISTANT_RETRIEVAL_K": "abc"}, 2,
     "POLICY_ASSISTANT_RETRIEVAL_K='abc': Input should be a valid integer"),
    ("RETRIEVAL_K=0", ["search", "clúster"], {"POLICY_ASSISTANT_RETRIEVAL_K": "0"}, 2, ">= 1 and <= 50"),
    ("LLM_BACKEND unknown", ["search", "clúster"], {"POLICY_ASSISTANT_LLM_BACKEND": "gpt"}, 2,
     "POLICY_ASSISTANT_LLM_BACKEND='gpt': Input should be 'extractive'"),
    ("EMBEDDING_MODEL unknown", ["search", "x"], {"POLICY_ASSISTANT_EMBEDDING_MODEL": "bert"}, 2, "'usem3' or 'e5-small'"),
    ("CHROMA_PORT=x", ["search", "x"], {"POLICY_ASSISTANT_CHROMA_PORT": "x"}, 2, "POLICY_ASSISTANT_CHROMA_PORT='x'"),
    ("LLM_ANSWER_CACHE=maybe", ["search", "x"], {"POLICY_ASSISTANT_LLM_ANSWER_CACHE": "maybe"}, 2, "valid boolean"),
    ("RETRIEVAL as broken JSON", ["search", "x"], {"POLICY_ASSISTANT_RETRIEVAL": "{"}, 2, "error parsing value"),
    ("RETRIEVAL unknown field", ["search", "x"], {"POLICY_ASSISTANT_RETRIEVAL_BOGUS": "1"}, 2, "Extra inputs"),
    ("MAX_QUESTION_CHARS=5", ["search", "x"], {"POLICY_ASSISTANT_MAX_QUESTION_CHARS": "5"}, 2, ">= 100"),
    ("LIMITS_HISTORY_TURNS=-1", ["search", "x"], {"POLICY_ASSISTANT_LIMITS_HISTORY_TURNS": "-1"}, 2, ">= 0"),
    ("LLM_TIMEOUT_S=0", ["search", "x"], {"POLICY_ASSISTANT_LLM_TIMEOUT_S": "0"}, 2, "> 0"),
    ("LLM_THREADS=1000", ["search", "x"], {"POLICY_ASSISTANT_LLM_THREADS": "1000"}, 2, "<= 64"),
    ("CHUNKING_MAX_FILE_MB=-5", ["search", "x"], {"POLICY_ASSISTANT_CHUNKING_MAX_FILE_MB": "-5"}, 2, "> 0"),
    ("DATA_DIR is a file", ["search", "x"], {"POLICY_ASSISTANT_DATA_DIR": "{T}/empty.txt"}, 2, "is a file, expected a folder"),
    # backup, restore, ui
    ("backup to /", ["backup", "/"], {}, 2, "is a folder"),
    ("backup into a missing folder", ["backup", "{T}/no/b.tar.gz"], {}, 2, "does not exist"),
    ("restore a missing file", ["restore", "{T}/missing.tar.gz"], {}, 2, "no such file"),
    ("restore a folder", ["restore", "{T}"], {}, 2, "is a folder"),
    ("restore a PDF", ["restore", "{T}/corrupt.pdf"], {}, 2, "not a policy-assistant backup"),
    # saved conversations
    ("sessions without an action", ["sessions"], {}, 2, "required: action"),
    ("sessions export of no such id", ["sessions", "export", "nope"], {}, 2, "no saved conversation 'nope'"),
    ("sessions export --format pdf", ["sessions", "export", "1", "--format", "pdf"], {}, 2, "invalid choice: 'pdf'"),
    ("sessions export --format docx without --out", ["sessions", "export", "1", "--format", "docx"], {}, 2,
     "needs --out"),
    ("sessions export --out /", ["sessions", "export", "1", "--out", "/"], {}, 2, "is a folder"),
    ("sessions rename to a blank title", ["sessions", "rename", "1", " "], {}, 2, "title cannot be empty"),
    ("sessions delete of no such id", ["sessions", "delete", "999"], {}, 2, "no saved conversation '999'"),
    ("ui on every address without sign-in", ["ui", "--host", "0.0.0.0"], {}, 2,
     "refusing to serve 0.0.0.0 without sign-in"),
    ("audit --csv /", ["audit", "--csv", "/"], {}, 2, "is a folder"),
    # local accounts and sign-in settings
    ("users without an action", ["users"], {}, 2, "required: action"),
    ("users add a name with a space", ["users", "add", "ana maría"], {}, 2, "user name 'ana maría': use 1-64"),
    ("users add --role owner", ["users", "add", "ana", "--role", "owner"], {}, 2, "invalid choice: 'owner'"),
    ("users add a short password", ["users", "add", "ana"], {"STDIN": "corta"}, 2, "password is too short"),
    ("users add a 100-byte password", ["users", "add", "ana"], {"STDIN": "ñ" * 50}, 2, "at most 72 bytes"),
    ("users set-role of no such user", ["users", "set-role", "nadie", "admin"], {}, 2, "no user nadie"),
    ("users set-role to an unknown role", ["users", "set-role", "ana", "root"], {}, 2, "invalid choice: 'root'"),
    ("users remove of no such user", ["users", "remove", "nadie"], {}, 2, "no user nadie"),
    ("users passwd of no such user", ["users", "passwd", "nadie"], {"STDIN": "larga-y-segura"}, 2, "no user nadie"),
    ("AUTH_MAX_FAILURES=0", ["users", "list"], {"POLICY_ASSISTANT_AUTH_MAX_FAILURES": "0"}, 2, ">= 1"),
    ("AUTH_LOCKOUT_S=abc", ["users", "list"], {"POLICY_ASSISTANT_AUTH_LOCKOUT_S": "abc"}, 2, "valid number"),
    ("ui with a secrets file that is not TOML", ["ui"], {"POLICY_ASSISTANT_AUTH_SECRETS_FILE": "{T}/h.json"}, 2,
     "not a valid TOML file"),
    ("ui with an [auth] section lacking its secret", ["ui", "--host", "0.0.0.0"],
     {"POLICY_ASSISTANT_AUTH_SECRETS_FILE": "{T}/auth-partial.toml"}, 2, "lacks cookie_secret"),
    ("ui with an [auth] provider lacking its client", ["ui"],
     {"POLICY_ASSISTANT_AUTH_SECRETS_FILE": "{T}/auth-provider.toml"}, 2, "[auth.keycloak] section of the secrets "
     "file lacks client_secret"),
    ("audit --csv into a missing folder", ["audit", "--csv", "{T}/no/a.csv"], {}, 2, "does not exist"),
    ("ui --port 0", ["ui", "--port", "0"], {}, 2, "--port accepts 1-65535"),
    ("ui --port 70000", ["ui", "--port", "70000"], {}, 2, "--port accepts 1-65535"),
    ("ui --host that does not resolve", ["ui", "--host", "no-such-host.invalid"], {}, 2, "cannot serve on"),
    ("ui on a port in use", ["ui", "--port", "{BUSY}"], {}, 2, "Address already in use"),
]


@pytest.fixture(name="index_copy", scope="module")
def fixture_index_copy(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the indexed corpus that every row runs against (and must leave as it was)."""
    data = tmp_path_factory.mktemp("table") / "data"
    shutil.copytree(corpus_dir, data)
    return data


@pytest.fixture(name="bad_files", scope="module")
def fixture_bad_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    t = tmp_path_factory.mktemp("bad")
    (t / "h.json").write_text("{not json")
    (t / "object.json").write_text('{"role": "user"}')
    (t / "role.json").write_text('[{"role": "robot", "content": "x"}]')
    (t / "extra.json").write_text('[{"role": "user", "content": "x", "name": "y"}]')
    (t / "number.json").write_text('[{"role": "user", "content": 42}]')
    (t / "empty.txt").write_text("")
    (t / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (t / "long.json").write_text(json.dumps([{"role": "user", "content": "clúster " * 250_000},
                                             {"role": "assistant", "content": "Las iniciativas clúster [R80]."}]))
    (t / "many.json").write_text(json.dumps([{"role": "user" if i % 2 == 0 else "assistant", "content": f"turno {i}"}
                                             for i in range(500)]))
    (t / "bad.jsonl").write_text('{"id": "a", "question": "q", "lang": "es", "task": "qa"}\n{oops\n')
    (t / "fields.jsonl").write_text('{"id": "a", "lang": "es", "task": "qa"}\n')
    (t / "ok.jsonl").write_text('{"id": "a", "question": "¿Qué dice la recomendación 42?", "lang": "es", "task": "lookup", '
                                '"gold": [42], "split": "dev"}\n')
    (t / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage without xref\n")
    write_pdf(t / "blank.pdf", [""], labels=False, footer=False)
    (t / "notes.pptx").write_bytes(b"PK\x03\x04 not a format it reads")
    with (t / "grande.pdf").open("wb") as fh:  # 200 MB, sparse: costs no disk
        fh.truncate(200 * 1024 * 1024)
    (t / "badfolder").mkdir()
    (t / "badfolder" / "a.txt").write_text("")
    (t / "badfolder" / "b.pdf").write_bytes(b"%PDF-1.4 broken")
    (t / "loop").mkdir()
    (t / "loop" / "vacío.txt").write_text("  ")
    (t / "loop" / "corrupto.pdf").write_bytes(b"%PDF-1.4 broken")
    os.symlink(t / "loop", t / "loop" / "again")
    os.symlink(".", t / "loop" / "self")
    (t / "auth-partial.toml").write_text('[auth]\nredirect_uri = "http://127.0.0.1:8501/oauth2callback"\n')
    (t / "auth-provider.toml").write_text('[auth]\nredirect_uri = "http://x/oauth2callback"\ncookie_secret = "s"\n'
                                          '[auth.keycloak]\nclient_id = "pa"\nserver_metadata_url = "http://k/"\n')
    (t / "manifest").mkdir()
    (t / "manifest" / "manifest.json").write_text('{"documents": [{"id": "x"}]}')
    (t / "manifest" / "a.txt").write_text("Texto.")
    return t


@pytest.fixture(name="busy_port")
def fixture_busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield int(sock.getsockname()[1])


def _ids(data: Path) -> list[str]:
    forget_stores()
    ids = sorted(h.id for h in get_store(Settings(data_dir=data)).get())
    forget_stores()
    return ids


@pytest.mark.parametrize(("argv", "env", "code", "pattern"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_each_bad_input_is_one_line_and_leaves_the_index(
        argv: list[str], env: dict[str, str], code: int, pattern: str, index_copy: Path, bad_files: Path,
        busy_port: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def fill(text: str) -> str:
        return text.replace("{T}", str(bad_files)).replace("{BUSY}", str(busy_port))

    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(index_copy))
    before = _ids(index_copy)
    with monkeypatch.context() as row_env:
        for key, value in env.items():
            if key == "STDIN":  # what a script pipes in (a password)
                row_env.setattr("sys.stdin", io.StringIO(value + "\n"))
            else:
                row_env.setenv(key, fill(value))
        row_env.setattr(os, "execv", lambda *a: pytest.fail("ui reached exec on bad input"))
        capsys.readouterr()
        assert main([fill(a) for a in argv]) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    if code == 2:  # one reason; an ingest may list each rejected file and skipped link before it
        assert len([line for line in lines if not line.startswith(("rejected: ", "skipped: "))]) == 1, err
        assert lines[-1].startswith("policy-assistant"), err
    assert lines and pattern in lines[-1], err
    assert _ids(index_copy) == before


def test_the_table_covers_every_command_and_at_least_sixty_inputs() -> None:
    from assistant.cli.main import commands

    assert len(ROWS) >= 60
    named = {argv[0] for _, argv, _, _, _ in ROWS if argv}
    assert set(commands()) - {"chat"} <= named  # chat reads stdin: see test_chat_survives_bad_lines


def test_chat_survives_bad_lines(index_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    lines = iter(["clúster " * 10_000, "\x00\x01", "/borrar", "¿y eso?", "R999", "¿Qué dice la recomendación 42?"])

    def fake_input(_prompt: str = "") -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setenv("POLICY_ASSISTANT_DATA_DIR", str(index_copy))
    monkeypatch.setattr("builtins.input", fake_input)
    before = _ids(index_copy)
    assert main(["chat", "--llm", "extractive"]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "se recortó a 4000" in err
    assert "the question has no words" in err  # the control characters, and the chat went on
    assert "(conversación borrada)" in out and "[R42]" in out and "999" in out
    assert _ids(index_copy) == before
