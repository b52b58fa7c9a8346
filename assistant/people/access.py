"""Who may do what: the three roles, the signed-in user, and the check every guarded facade makes.

A `User` reaches the facades from the app (signed in with OIDC or a local account) or is `None`:
the operator at this machine (the CLI, or the app on loopback with no sign-in configured), who
already holds the data dir and so may do everything. Hiding a button is not access control, so the
facades call `require(user, action)` themselves; the pages only hide what `can` says no to.

OIDC users get their role from the roles file (`<data_dir>/roles.toml` by default):

    default = "reader"            # a signed-in user listed nowhere below ("none" refuses them)
    groups_claim = "groups"       # the ID token claim holding the user's groups
    [users]
    "ana@gore-nuble.cl" = "admin"
    [groups]
    "planificacion" = "editor"

Local accounts carry their role in the account store (`policy-assistant users set-role`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import UserInputError
from assistant.settings import Settings

Role = Literal["reader", "editor", "admin"]
ROLES: tuple[Role, ...] = ("reader", "editor", "admin")
Action = Literal["ask", "upload", "remove", "rebuild", "eval", "users", "audit"]
# The least role that may do each action; every role may do what the ones before it may.
LEAST_ROLE: dict[Action, Role] = {"ask": "reader", "upload": "editor", "remove": "editor", "rebuild": "admin",
                                  "eval": "admin", "users": "admin", "audit": "admin"}
_DOING = {"ask": "ask", "upload": "upload documents", "remove": "remove documents", "rebuild": "rebuild the index",
          "eval": "run evaluations", "users": "manage users", "audit": "read the audit log"}


class PermissionDeniedError(UserInputError):
    """A signed-in user asked for something their role does not allow (one line naming the role needed)."""

    def __init__(self, user: User, action: Action) -> None:
        self.action = action
        self.role = user.role
        need = LEAST_ROLE[action]
        super().__init__(f"{user.name} ({user.role}) may not {_DOING[action]}: that needs the {need} role"
                         f"{' or admin' if need == 'editor' else ''}; ask an admin")


class User(BaseModel):
    """A person signed in to the app; `name` owns their saved sessions and signs their audit lines."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    role: Role
    via: Literal["oidc", "local"]
    detail: str = ""  # how the role was found (a group, the default), for the audit line


def can(user: User | None, action: Action) -> bool:
    """Whether `user` (None: the operator at this machine) may do `action`."""
    return user is None or ROLES.index(user.role) >= ROLES.index(LEAST_ROLE[action])


def require(user: User | None, action: Action) -> None:
    """Refuse `action` to a user whose role does not allow it (PermissionDeniedError)."""
    if not can(user, action):
        raise PermissionDeniedError(user, action)  # type: ignore[arg-type]


def actor(user: User | None) -> str | None:
    """The name an audit line carries (None: the audit module's default, the OS user)."""
    return user.name if user is not None else None


def owner(user: User | None) -> str:
    """Whose saved sessions a user sees: their own, or the single-user store's ('')."""
    return user.name if user is not None else ""


class RolesFile(BaseModel):
    """The roles file's contents."""

    model_config = ConfigDict(extra="forbid")

    default: Literal["reader", "editor", "admin", "none"] = "reader"
    groups_claim: str = "groups"
    users: dict[str, Role] = Field(default_factory=dict)
    groups: dict[str, Role] = Field(default_factory=dict)


def roles_path(settings: Settings) -> Path:
    """The roles file for OIDC users."""
    return Path(settings.auth.roles_file) if settings.auth.roles_file else settings.data_dir / "roles.toml"


def load_roles(settings: Settings) -> RolesFile:
    """The roles file (defaults when there is none); a malformed one is a one-line UserInputError."""
    path = roles_path(settings)
    if not path.is_file():
        return RolesFile()
    try:
        return RolesFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserInputError(f"{path}: not a valid TOML file ({exc})") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise UserInputError(f"{path}: {where}: {err['msg']}") from None


def oidc_user(claims: dict[str, object], roles: RolesFile) -> User | None:
    """The user an identity provider signed in, with the highest role the roles file gives them.

    Their name is their e-mail (lower case), else the subject. None when the file gives them no role.
    """
    email = str(claims.get("email") or "").strip().lower()
    name = email or str(claims.get("sub") or "").strip()
    if not name:
        return None
    listed = {k.strip().lower(): v for k, v in roles.users.items()}
    groups = claims.get(roles.groups_claim) or []
    found: list[tuple[Role, str]] = []
    if name in listed:
        found.append((listed[name], "listed in the roles file"))
    for group in _as_list(groups):
        if group in roles.groups:
            found.append((roles.groups[group], f"group {group}"))
    if not found and roles.default != "none":
        found.append((roles.default, "the default role"))  # type: ignore[arg-type]
    if not found:
        return None
    role, why = max(found, key=lambda f: ROLES.index(f[0]))
    return User(name=name, role=role, via="oidc", detail=why)


def _as_list(value: object) -> Iterable[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


class OidcProvider(BaseModel):
    """One identity provider of the secrets file's [auth] section (the app's sign-in button)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None  # None: the unnamed [auth] provider; else [auth.NAME]
    metadata_url: str


_NEEDED = ("client_id", "client_secret", "server_metadata_url")


def secrets_files(settings: Settings) -> list[Path]:
    """The Streamlit secrets files the app reads, in Streamlit's order (a later one wins)."""
    if settings.auth.secrets_file:
        return [Path(settings.auth.secrets_file)]
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]


def oidc_providers(settings: Settings) -> list[OidcProvider]:
    """The OIDC providers configured for `st.login` ([] when none); an incomplete [auth] is one line."""
    auth: dict[str, object] = {}
    for path in secrets_files(settings):
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserInputError(f"{path}: not a valid TOML file ({exc})") from None
        if isinstance(data.get("auth"), dict):
            auth = data["auth"]  # type: ignore[assignment]
    if not auth:
        return []
    missing = [k for k in ("redirect_uri", "cookie_secret") if not auth.get(k)]
    if missing:
        raise UserInputError(f"the [auth] section of the secrets file lacks {', '.join(missing)} "
                             "(README: Deployment shows a complete one)")
    found = []
    named = {k: v for k, v in auth.items() if isinstance(v, dict)}
    for name, section in [(None, auth), *named.items()]:
        present = [k for k in _NEEDED if section.get(k)]
        if len(present) == len(_NEEDED):
            found.append(OidcProvider(name=name, metadata_url=str(section["server_metadata_url"])))
        elif present and name is not None:
            lacking = ", ".join(k for k in _NEEDED if k not in present)
            raise UserInputError(f"the [auth.{name}] section of the secrets file lacks {lacking}")
    if not found:
        raise UserInputError("the [auth] section of the secrets file names no provider "
                             f"({', '.join(_NEEDED)}; README: Deployment)")
    return found
