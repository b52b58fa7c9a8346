"""Draft: a form, an editable outline, progress per section, versions kept, Word/Markdown downloads."""

from __future__ import annotations

import streamlit as st

from assistant.drafting.draft import draft
from assistant.drafting.draft_chat import as_answer
from assistant.drafting.draft_template import load_template
from assistant.errors import IndexUnavailableError, UserInputError
from assistant.llm.gate import ModelBusyError
from assistant.models import Draft, DraftRequest
from assistant.workspace import sessions
from assistant.workspace.catalog import guidelines
from ui import common
from ui.i18n import t


def _new() -> None:
    st.session_state.pop("draft_session", None)
    st.session_state.pop("draft_version", None)


def _open(sid: str) -> None:
    st.session_state["draft_session"] = sid
    st.session_state.pop("draft_version", None)


def _saved(lg: str) -> None:
    """The saved drafts, most recent first; each keeps every version generated."""
    st.button(t("new_draft", lg), on_click=_new, width="stretch", icon=":material/add:")
    st.subheader(t("saved_drafts", lg))
    current = st.session_state.get("draft_session")
    infos = common.saved_list("draft", current, _open, "open-draft", t("no_saved_drafts", lg))
    if current and any(i.id == current for i in infos):
        with st.popover(t("manage_draft", lg), width="stretch"):
            if st.button(t("delete_draft", lg), key="delete-draft", type="primary"):
                sessions.delete(current, common.settings(), owner=common.owner())
                _new()
                st.rerun()


def _keep(request: DraftRequest, result: Draft) -> None:
    """Store this version: in the open draft's session (regenerating keeps the older text) or a new one."""
    settings, me = common.settings(), common.owner()
    sid = st.session_state.get("draft_session")
    label = f"{request.topic} — {request.region}"
    if sid is None or not any(i.id == sid for i in sessions.list_sessions(settings, kind="draft", owner=me)):
        sid = sessions.create(label, settings, kind="draft", owner=me).id
        st.session_state["draft_session"] = sid
    kept = as_answer(label, result)
    sessions.append(sid, settings, "user", label, owner=me)
    sessions.append(sid, settings, "assistant", kept.answer, answer=kept, index_version=sessions.index_version(settings),
                    owner=me)
    st.session_state.pop("draft_version", None)


def render() -> None:
    """The drafting page."""
    backend = common.sidebar()
    lg = common.lang()
    with st.sidebar:
        _saved(lg)
    st.title(t("draft_title", lg))
    common.backend_caption()
    titles = guidelines(common.settings())
    docs = common.document_choices()
    with st.form("draft-form"):
        cols = st.columns(2)
        region = cols[0].text_input(t("region", lg), placeholder="Biobío")
        topic = cols[1].text_input(t("topic", lg), placeholder="iniciativas clúster" if lg == "es" else "cluster initiatives")
        focus = st.multiselect(t("guidelines_focus", lg), list(titles), format_func=lambda g: f"{g}. {titles[g]}",
                               placeholder=t("choose", lg))
        chosen = st.multiselect(t("limit_docs", lg), list(docs), format_func=lambda d: docs[d],
                                placeholder=t("all_docs", lg), key="draft-docs")
        language = st.radio(t("draft_language", lg), ["es", "en"], index=0 if lg == "es" else 1, horizontal=True,
                            format_func=lambda c: {"es": "Español", "en": "English"}[c])
        with st.expander(t("outline", lg)):
            template = load_template(language)  # type: ignore[arg-type]
            outline = [st.text_input(f"{i + 1}", value=s.heading, key=f"outline-{language}-{i}")
                       for i, s in enumerate(template.sections)]
        submitted = st.form_submit_button(t("generate", lg), type="primary")
    if submitted:
        if not region.strip() or not topic.strip():
            st.error(t("need_region_topic", lg))
        else:
            bar = st.progress(0.0)
            request = DraftRequest(region=region.strip(), topic=topic.strip(), guidelines=focus,
                                   language=language, outline=outline, docs=chosen)
            try:
                result = draft(request, settings=common.settings(), backend=backend,
                               on_section=lambda i, n, h: bar.progress(i / n, text=t("writing_section", lg, heading=h)))
            except ModelBusyError:
                st.warning(t("model_busy", lg), icon=":material/hourglass_top:")
                return
            except (IndexUnavailableError, UserInputError) as exc:
                st.warning(str(exc))
                return
            bar.progress(1.0, text=t("draft_done", lg, s=result.timings_ms["total"] / 1000, n=len(result.references)))
            _keep(request, result)
    sid = st.session_state.get("draft_session")
    if sid:
        try:
            versions = sessions.drafts(sessions.load(sid, common.settings(), owner=common.owner()))
        except UserInputError:
            _new()
            return
        if not versions:
            return
        index = len(versions) - 1
        if len(versions) > 1:
            picked = st.segmented_control(t("versions", lg), list(range(len(versions))), default=index,
                                          key="draft_version", format_func=lambda i: t("version_n", lg, n=i + 1))
            index = index if picked is None else picked
            if index != len(versions) - 1:
                st.caption(t("older_version", lg, n=index + 1, total=len(versions)))
        common.draft_view(versions[index], key=f"draft-{sid}-{index}")


render()
