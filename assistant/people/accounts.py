"""Local accounts for an office with no identity provider: bcrypt hashes, roles, slowed failures.

The accounts live in `<data_dir>/users.sqlite` (standard-library sqlite3): a name, a role and a
bcrypt hash (cost 12, salted), never the password. Failed sign-ins are counted per account name,
known or not, over `auth.lockout_s` seconds; after `auth.max_failures` of them the name is refused
without a password check until the window has passed. Every change and every sign-in is audited.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Literal

import bcrypt
from pydantic import BaseModel, ConfigDict

from assistant.errors import UserInputError
from assistant.people import audit
from assistant.people.access import ROLES, Role, User, actor, require
from assistant.settings import Settings

_NAME = re.compile(r"^[a-z0-9][a-z0-9._@+-]{0,63}$")
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; a longer one is refused rather than silently cut
COST = 12
_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL, hash BLOB NOT NULL,
                                     created REAL NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS failures (name TEXT NOT NULL, at REAL NOT NULL, client TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS failures_by_name ON failures(name, at);
"""


class Account(BaseModel):
    """A local account as `users list` shows it (no hash)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    role: Role
    created: float
    updated: float


class SignInError(UserInputError):
    """A refused sign-in: a wrong name or password, or too many failures (`wait_s` to wait)."""

    def __init__(self, reason: Literal["wrong", "locked"], wait_s: int = 0) -> None:
        self.reason = reason
        self.wait_s = wait_s
        super().__init__("wrong user name or password" if reason == "wrong"
                         else f"too many failed sign-ins; try again in {wait_s} s")


def db_path(settings: Settings) -> Path:
    return settings.data_dir / "users.sqlite"


@contextmanager
def _db(settings: Settings) -> Iterator[sqlite3.Connection]:
    path = db_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10)
    try:
        conn.executescript(_SCHEMA)
        with conn:
            yield conn
    finally:
        conn.close()


def check_name(name: str) -> str:
    """The account name in lower case, or a one-line UserInputError saying what a name may hold."""
    clean = name.strip().lower()
    if not _NAME.match(clean):
        raise UserInputError(f"user name {name[:70]!r}: use 1-64 letters, digits and . _ @ + - "
                             "(an e-mail address works)")
    return clean


def check_password(password: str) -> bytes:
    """The password as bytes, or a one-line UserInputError (never echoing it)."""
    try:
        data = password.encode("utf-8")
    except UnicodeEncodeError:
        raise UserInputError("the password holds a character that is not valid text") from None
    if len(password) < MIN_PASSWORD:
        raise UserInputError(f"the password is too short (at least {MIN_PASSWORD} characters)")
    if len(data) > MAX_PASSWORD_BYTES:
        raise UserInputError(f"the password is too long (at most {MAX_PASSWORD_BYTES} bytes)")
    if "\x00" in password or password != password.strip("\r\n"):
        raise UserInputError("the password holds a NUL or line-break character")
    return data


def _role(role: str) -> Role:
    if role not in ROLES:
        raise UserInputError(f"unknown role {role!r} (reader, editor or admin)")
    return role  # type: ignore[return-value]


def _account(row: tuple) -> Account:  # type: ignore[type-arg]
    return Account(name=row[0], role=row[1], created=row[2], updated=row[3])


def _no_user(name: str) -> UserInputError:
    return UserInputError(f"no user {name} (policy-assistant users list shows them)")


def any_accounts(settings: Settings) -> bool:
    """Whether local sign-in is configured (at least one account)."""
    if not db_path(settings).is_file():
        return False
    with _db(settings) as conn:
        return conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None


def account(name: str, settings: Settings) -> Account | None:
    """One account (None if there is none by that name): a signed-in user's role is read afresh from it."""
    if not db_path(settings).is_file():
        return None
    with _db(settings) as conn:
        r = conn.execute("SELECT name, role, created, updated FROM accounts WHERE name = ?", (name,)).fetchone()
    return _account(r) if r else None


def existing(name: str, settings: Settings) -> Account:
    """The account by that name (checked and lower-cased), or a one-line UserInputError."""
    found = account(check_name(name), settings)
    if found is None:
        raise _no_user(check_name(name))
    return found


def list_accounts(settings: Settings, by: User | None = None) -> list[Account]:
    """Every local account, by name."""
    require(by, "users")
    if not db_path(settings).is_file():
        return []
    with _db(settings) as conn:
        rows = conn.execute("SELECT name, role, created, updated FROM accounts ORDER BY name").fetchall()
    return [_account(r) for r in rows]


def add(name: str, password: str, role: str, settings: Settings, by: User | None = None) -> Account:
    """Create an account (its name must be new). Audited."""
    require(by, "users")
    name, data, role = check_name(name), check_password(password), _role(role)
    digest = bcrypt.hashpw(data, bcrypt.gensalt(COST))
    now = time.time()
    with _db(settings) as conn:
        try:
            conn.execute("INSERT INTO accounts VALUES (?, ?, ?, ?, ?)", (name, role, digest, now, now))
        except sqlite3.IntegrityError:
            raise UserInputError(f"user {name} already exists (users set-role or users passwd change it)") from None
    audit.record(settings, "user-add", actor=actor(by), detail=f"{name} as {role}")
    return Account(name=name, role=role, created=now, updated=now)


def remove(name: str, settings: Settings, by: User | None = None) -> None:
    """Delete an account (its saved sessions stay, readable by the CLI). Audited."""
    require(by, "users")
    name = check_name(name)
    with _db(settings) as conn:
        if conn.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount == 0:
            raise _no_user(name)
    audit.record(settings, "user-remove", actor=actor(by), detail=name)


def set_role(name: str, role: str, settings: Settings, by: User | None = None) -> tuple[Role, Role]:
    """Change an account's role; returns (before, after). Audited."""
    require(by, "users")
    name, role = check_name(name), _role(role)
    with _db(settings) as conn:
        row = conn.execute("SELECT role FROM accounts WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise _no_user(name)
        conn.execute("UPDATE accounts SET role = ?, updated = ? WHERE name = ?", (role, time.time(), name))
    audit.record(settings, "role-change", actor=actor(by), detail=f"{name}: {row[0]} -> {role}")
    return row[0], role


def set_password(name: str, password: str, settings: Settings, by: User | None = None) -> None:
    """Give an account a new password. Audited (without the password)."""
    require(by, "users")
    name, data = check_name(name), check_password(password)
    digest = bcrypt.hashpw(data, bcrypt.gensalt(COST))
    with _db(settings) as conn:
        if conn.execute("UPDATE accounts SET hash = ?, updated = ? WHERE name = ?",
                        (digest, time.time(), name)).rowcount == 0:
            raise _no_user(name)
        conn.execute("DELETE FROM failures WHERE name = ?", (name,))
    audit.record(settings, "password-change", actor=actor(by), detail=name)


@cache
def _decoy() -> bytes:
    """A hash to check unknown names against, so they take as long as known ones."""
    return bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(COST))


def sign_in(name: str, password: str, settings: Settings, client: str = "") -> User:
    """The account's user if the password matches; SignInError otherwise. Audited, failures slowed."""
    clean = " ".join(name.split()).lower()[:64]
    window, limit = settings.auth.lockout_s, settings.auth.max_failures
    now = time.time()
    with _db(settings) as conn:
        conn.execute("DELETE FROM failures WHERE at < ?", (now - window,))
        recent = [r[0] for r in conn.execute("SELECT at FROM failures WHERE name = ? ORDER BY at", (clean,))]
        row = conn.execute("SELECT role, hash FROM accounts WHERE name = ?", (clean,)).fetchone()
    where = f" from {client}" if client else ""
    if len(recent) >= limit:
        wait = max(1, int(recent[-limit] + window - now + 0.999))
        audit.record(settings, "sign-in-failed", actor=clean or "?", detail=f"refused{where}: {len(recent)} "
                     f"failures in {int(window)} s, waits {wait} s")
        raise SignInError("locked", wait)
    data = password.encode("utf-8", "replace")[:MAX_PASSWORD_BYTES]
    ok = bcrypt.checkpw(data, row[1] if row else _decoy()) and row is not None
    if not ok:
        with _db(settings) as conn:
            conn.execute("INSERT INTO failures VALUES (?, ?, ?)", (clean, time.time(), client[:64]))
        audit.record(settings, "sign-in-failed", actor=clean or "?",
                     detail=f"{'wrong password' if row else 'no such user'}{where} ({len(recent) + 1} of {limit})")
        raise SignInError("wrong")
    with _db(settings) as conn:
        conn.execute("DELETE FROM failures WHERE name = ?", (clean,))
    audit.record(settings, "sign-in", actor=clean, detail=f"local account, {row[0]}{where}")
    return User(name=clean, role=row[0], via="local")
