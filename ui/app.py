"""Streamlit entry point: `policy-assistant ui` (or `streamlit run ui/app.py`)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout too

import streamlit as st  # noqa: E402

from assistant.people.access import can  # noqa: E402
from ui.i18n import t  # noqa: E402
from ui.signin import gate  # noqa: E402

st.set_page_config(page_title="policy-assistant · CEPAL", page_icon=":material/menu_book:", layout="wide")
user = gate()  # the sign-in page, when sign-in is configured and nobody is signed in here yet
lang = st.session_state.get("ui_lang", "es")
pages = [
    st.Page("views/chat.py", title=t("nav_chat", lang), icon=":material/chat:", default=True),
    st.Page("views/draft.py", title=t("nav_draft", lang), icon=":material/edit_note:"),
    st.Page("views/recommendations.py", title=t("nav_recs", lang), icon=":material/menu_book:"),
    st.Page("views/library.py", title=t("nav_library", lang), icon=":material/folder_open:"),
]
if can(user, "eval"):  # a page a role cannot use is not listed (and its facade refuses the role anyway)
    pages.append(st.Page("views/evaluation.py", title=t("nav_eval", lang), icon=":material/monitoring:"))
if user is not None and can(user, "audit"):
    pages.append(st.Page("views/admin.py", title=t("nav_admin", lang), icon=":material/admin_panel_settings:"))
st.navigation(pages).run()
