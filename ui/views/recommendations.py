"""Recommendations: the 14 guidelines and 113 recommendations, filterable; 'ask about this' opens the chat."""

from __future__ import annotations

import streamlit as st

from assistant.workspace.catalog import guidelines, recommendations
from ui import common
from ui.i18n import t


def render() -> None:
    """The browser page."""
    common.sidebar()
    lg = common.lang()
    st.title(t("recs_title", lg))
    titles = guidelines(common.settings())
    cols = st.columns([2, 2, 1])
    text = cols[0].text_input(t("filter_text", lg), key="rec-text")
    chosen = cols[1].multiselect(t("filter_guidelines", lg), list(titles), key="rec-guidelines",
                                 format_func=lambda g: f"{g}. {titles[g][:40]}", placeholder=t("choose", lg))
    page = cols[2].number_input(t("filter_page", lg), min_value=0, max_value=999, step=1, key="rec-page")
    recs = recommendations(text, chosen, int(page) or None, settings=common.settings())
    st.caption(t("showing", lg, n=len(recs)))
    current = None
    for rec in recs:
        if rec.guideline != current:
            current = rec.guideline
            st.subheader(f"{rec.guideline}. {common.safe(titles.get(rec.guideline, ''))}")
        with st.expander(f"R{rec.number} · {common.safe(rec.text[:110])}…"):
            st.markdown(common.safe(rec.text))
            st.caption(f"{t('panorama_pages', lg)} {', '.join(str(p) for p in rec.panorama_pages)}")
            for note in rec.footnotes:
                st.caption(common.safe(note))
            if st.button(t("ask_about", lg), key=f"ask-{rec.number}"):
                st.session_state["pending_question"] = t("ask_about_q", lg, n=rec.number)
                st.switch_page("views/chat.py")


render()
