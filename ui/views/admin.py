"""Administration (admins): the audit log with its CSV, and the local accounts with their roles."""

from __future__ import annotations

import streamlit as st

from assistant.errors import UserInputError
from assistant.people import access, accounts, audit
from ui import common
from ui.i18n import t


def _accounts(lg: str) -> None:
    s, me = common.settings(), common.user()
    st.subheader(t("accounts", lg))
    found = accounts.list_accounts(s, by=me)
    if found:
        st.dataframe([{t("user_name", lg): a.name, t("role", lg): t(f"role_{a.role}", lg)} for a in found],
                     hide_index=True, width="stretch")
        cols = st.columns([2, 1, 1, 1])
        name = cols[0].selectbox(t("user_name", lg), [a.name for a in found], key="admin-account")
        role = cols[1].selectbox(t("role", lg), access.ROLES, key="admin-role",
                                 format_func=lambda r: t(f"role_{r}", lg))
        if cols[2].button(t("set_role", lg), key="admin-set-role"):
            before, after = accounts.set_role(name, role, s, by=me)
            st.toast(t("account_changed", lg, name=name, before=t(f"role_{before}", lg), after=t(f"role_{after}", lg)))
            st.rerun()
        if cols[3].button(t("remove_account", lg), key="admin-remove"):
            accounts.remove(name, s, by=me)
            st.toast(t("account_removed", lg, name=name))
            st.rerun()
    else:
        st.caption(t("no_accounts", lg))
    with st.form("add-account", clear_on_submit=True):
        st.markdown(f"**{t('add_account', lg)}**")
        cols = st.columns([2, 2, 1])
        name = cols[0].text_input(t("user_name", lg), key="new-name")
        password = cols[1].text_input(t("password", lg), type="password", key="new-password")
        role = cols[2].selectbox(t("role", lg), access.ROLES, key="new-role", format_func=lambda r: t(f"role_{r}", lg))
        if st.form_submit_button(t("add_account", lg)):
            try:
                added = accounts.add(name, password, role, s, by=me)
            except UserInputError as exc:
                st.error(str(exc))
            else:
                st.toast(t("account_added", lg, name=added.name, role=t(f"role_{added.role}", lg)))
                st.rerun()
    st.caption(t("roles_file", lg, path=access.roles_path(s)))


def render() -> None:
    """The administration page (listed for admins only; every call below checks the role again)."""
    common.sidebar()
    lg = common.lang()
    st.title(t("admin_title", lg))
    items = audit.entries(common.settings(), by=common.user())
    st.subheader(t("audit_log", lg))
    if items:
        names = {f: t(f"audit_{f}", lg) for f in audit.FIELDS}
        st.dataframe([{names[k]: v for k, v in i.model_dump().items()} for i in reversed(items)], hide_index=True,
                     width="stretch")
        st.download_button(t("download_csv", lg), audit.to_csv(items), file_name="audit.csv", mime="text/csv")
    else:
        st.caption(t("audit_empty", lg))
    _accounts(lg)


render()
