"""This process's settings and this browser's interface language: what the sign-in and every page read."""

from __future__ import annotations

import streamlit as st

from assistant.settings import Settings


def settings() -> Settings:
    """Settings for this process (read from the environment once)."""
    return _settings()


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    return Settings()


def lang() -> str:
    """The interface language (es by default)."""
    return st.session_state.get("ui_lang", "es")
