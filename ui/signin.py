"""Sign-in for a shared server: Streamlit's OIDC (`st.login`) and/or local accounts, before any page.

With neither configured (a laptop on loopback) the app has one user and no sign-in, as before.
The signed-in user is kept in `st.session_state["signed_in"]`; the pages read it through
`common.user()`, hide what the role cannot do, and hand it to the facades, which refuse it too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

import streamlit as st

from assistant.errors import UserInputError
from assistant.people import access, accounts, audit
from assistant.people.access import OidcProvider, User
from ui import state
from ui.i18n import t


def gate() -> User | None:
    """The user this browser is signed in as (None when no sign-in is configured); else the sign-in page."""
    settings = state.settings()
    try:
        providers = access.oidc_providers(settings)
        local = accounts.any_accounts(settings)
    except UserInputError as exc:  # a broken secrets file: say so, serve nothing
        message = str(exc)  # bound now: `exc` is unset once the except block ends
        _only(lambda: st.error(message))
    if not providers and not local:
        st.session_state.pop("signed_in", None)
        return None
    signed = st.session_state.get("signed_in")
    if providers and st.user.is_logged_in:
        return _oidc_user(settings)
    if signed is not None and signed.via == "local":
        current = accounts.account(signed.name, settings)  # a role changed or an account removed applies now
        if current is not None:
            st.session_state["signed_in"] = signed.model_copy(update={"role": current.role})
            return st.session_state["signed_in"]  # type: ignore[no-any-return]
        st.session_state.pop("signed_in", None)
    _only(lambda: _page(providers, local))


def _only(show: Callable[[], None]) -> NoReturn:
    """Show one page and nothing else, through st.navigation.

    The app's pages live in ui/views/, not ui/pages/: Streamlit would list and serve a pages/ folder
    by itself whenever a run stops before st.navigation (a page's address opened before signing in
    ran that page with nobody signed in). With one hidden-navigation page nothing else is listed.
    """

    def sign_in() -> None:
        show()

    st.navigation([st.Page(sign_in, title=t("sign_in", state.lang()), default=True)], position="hidden").run()
    st.stop()


def _oidc_user(settings) -> User:  # type: ignore[no-untyped-def]
    """The provider's user with their role from the roles file; a user it gives no role is turned away."""
    lg = state.lang()
    try:
        user = access.oidc_user(st.user.to_dict(), access.load_roles(settings))
    except UserInputError as exc:  # a malformed roles file
        message = str(exc)
        _only(lambda: st.error(message))
    if user is None:
        _only(lambda: _no_role(lg))
    if getattr(st.session_state.get("signed_in"), "name", None) != user.name:  # once per browser session
        audit.record(settings, "sign-in", actor=user.name, detail=f"oidc, {user.role} ({user.detail}){_where()}")
    st.session_state["signed_in"] = user
    return user


def _no_role(lg: str) -> None:
    st.error(t("no_role", lg, name=st.user.get("email") or st.user.get("sub") or "?"))
    if st.button(t("sign_out", lg)):
        st.logout()


def _where() -> str:
    ip = getattr(st.context, "ip_address", None)
    return f" from {ip}" if ip else ""


def _page(providers: list[OidcProvider], local: bool) -> None:
    """The sign-in page: a button per identity provider, and the local account form."""
    lg = state.lang()
    with st.sidebar:
        st.segmented_control(t("language", lg), ["es", "en"], key="ui_lang", default="es",
                             format_func=lambda code: {"es": "Español", "en": "English"}[code])
    st.title(t("app_title", lg))
    st.subheader(t("sign_in_title", lg))
    for p in providers:
        label = t("sign_in_with", lg, name=p.name or _host(p.metadata_url))
        if st.button(label, key=f"login-{p.name or 'default'}", type="primary", icon=":material/login:"):
            st.login(p.name)
    if local:
        if providers:
            st.caption(t("or_local", lg))
        with st.form("local-sign-in"):
            name = st.text_input(t("user_name", lg), key="signin-name")
            password = st.text_input(t("password", lg), type="password", key="signin-password")
            submitted = st.form_submit_button(t("sign_in", lg), type="primary")
        if submitted:
            try:
                st.session_state["signed_in"] = accounts.sign_in(name, password, state.settings(),
                                                                 client=_where().removeprefix(" from "))
            except accounts.SignInError as exc:
                st.error(t("sign_in_wrong", lg) if exc.reason == "wrong" else t("sign_in_locked", lg, s=exc.wait_s))
            else:
                st.rerun()


def _host(url: str) -> str:
    from urllib.parse import urlparse

    return urlparse(url).netloc or url


def account_box(user: User) -> None:
    """Who is signed in, with which role, and the sign-out button (in the sidebar)."""
    lg = state.lang()
    st.caption(t("signed_in_as", lg, name=user.name, role=t(f"role_{user.role}", lg)))  # name in backticks: no mailto link
    if st.button(t("sign_out", lg), key="sign-out", icon=":material/logout:"):
        sign_out(user)


def sign_out(user: User) -> None:
    """Forget this browser's user (and the provider's cookie); the next run shows the sign-in page."""
    audit.record(state.settings(), "sign-out", actor=user.name, detail=user.via)
    for key in list(st.session_state.keys()):
        if key != "ui_lang":
            del st.session_state[key]
    if user.via == "oidc":
        st.logout()  # deletes the identity cookie and reloads the app
    else:
        st.rerun()
