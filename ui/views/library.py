"""Library: indexed documents, uploads with validation and progress, removal, rebuild."""

from __future__ import annotations

import streamlit as st

from assistant.errors import DocumentRejectedError
from assistant.people.access import PermissionDeniedError
from assistant.workspace import library
from ui import common
from ui.i18n import t


def render() -> None:
    """The library page."""
    common.sidebar()
    lg = common.lang()
    s = common.settings()
    st.title(t("library_title", lg))
    docs = library.documents(s)
    if docs:
        st.dataframe([{t("col_doc", lg): d.doc_id, t("col_title", lg): d.title, t("col_kind", lg): d.kind,
                       t("col_chunks", lg): d.n_chunks, t("col_recs", lg): d.n_recommendations} for d in docs],
                     hide_index=True, width="stretch")
    else:
        st.info(t("no_documents", lg))
    if not common.can("upload"):
        st.caption(t("library_read_only", lg))
        return
    for kind, message in st.session_state.pop("library_results", []):  # the last upload's (or removal's) outcome
        (st.success if kind == "ok" else st.error)(message)
    nonce = st.session_state.get("uploader_nonce", 0)  # a new key empties the uploader after indexing
    files = st.file_uploader(t("upload", lg), type=["pdf", "docx", "xlsx", "csv", "txt", "md"],
                             accept_multiple_files=True,
                             key=f"uploads-{nonce}")
    if files and len(files) > s.limits.upload_files:
        st.warning(t("too_many_files", lg, n=len(files), limit=s.limits.upload_files))
        files = files[: s.limits.upload_files]
    if files and st.button(t("index_files", lg), type="primary"):
        bar = st.progress(0.0)
        results = []
        for i, f in enumerate(files):
            bar.progress(i / len(files), text=t("indexing", lg, name=f.name))
            try:
                record = library.add_upload(f.name, f.getvalue(), s, user=common.user())
                results.append(("ok", t("indexed", lg, name=f.name, n=record.n_chunks)))
            except DocumentRejectedError as exc:
                results.append(("error", t("rejected", lg, name=f.name, reason=str(exc))))
            except PermissionDeniedError as exc:  # the role changed since the page was drawn
                results.append(("error", t("denied", lg, role=t(f"role_{exc.role}", lg))))
                break
        bar.progress(1.0)
        st.session_state["library_results"] = results
        st.session_state["uploader_nonce"] = nonce + 1
        st.rerun()  # the table, the removal list and the chat's document choice now include the new files
    if docs:
        cols = st.columns([3, 1])
        target = cols[0].selectbox(t("remove", lg), [d.doc_id for d in docs], key="remove-target", index=None,
                                   placeholder=t("choose_document", lg))  # nothing chosen: no stray removal
        if cols[1].button(t("remove", lg), key="remove-button", disabled=target is None):
            library.remove(target, s, user=common.user())
            st.session_state["library_results"] = [("ok", t("removed", lg, doc=target))]  # shown after the rerun
            st.rerun()
    if common.can("rebuild") and st.button(t("rebuild", lg)):
        with st.spinner(t("rebuild", lg)):
            report = library.rebuild(s, user=common.user())
        st.success(t("rebuilt", lg, docs=report.documents, chunks=report.total_chunks))


render()
