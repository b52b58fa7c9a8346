"""Streamlit entry point: `policy-assistant ui` (or `streamlit run ui/app.py`)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout too

import streamlit as st  # noqa: E402

from ui.i18n import t  # noqa: E402

st.set_page_config(page_title="policy-assistant · CEPAL", page_icon=":material/menu_book:", layout="wide")
lang = st.session_state.get("ui_lang", "es")
pages = [
    st.Page("pages/chat.py", title=t("nav_chat", lang), icon=":material/chat:", default=True),
    st.Page("pages/draft.py", title=t("nav_draft", lang), icon=":material/edit_note:"),
    st.Page("pages/recommendations.py", title=t("nav_recs", lang), icon=":material/menu_book:"),
    st.Page("pages/library.py", title=t("nav_library", lang), icon=":material/folder_open:"),
    st.Page("pages/evaluation.py", title=t("nav_eval", lang), icon=":material/monitoring:"),
]
st.navigation(pages).run()
