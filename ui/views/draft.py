"""Draft: a section (form, editable outline) or a whole strategy document (progress per chapter, one
chapter written again on demand); every version kept, Word/Markdown downloads."""

from __future__ import annotations

import streamlit as st

from assistant.drafting.document import draft_document, redo_chapter
from assistant.drafting.draft import draft
from assistant.drafting.draft_chat import as_answer, document_answer
from assistant.drafting.draft_template import load_template
from assistant.errors import IndexUnavailableError, UserInputError
from assistant.llm.gate import ModelBusyError
from assistant.models import Answer, Chapter, DocumentRequest, DraftRequest, StrategyDocument
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


def _keep(label: str, kept: Answer) -> None:
    """Store this version: in the open draft's session (regenerating keeps the older text) or a new one."""
    settings, me = common.settings(), common.owner()
    sid = st.session_state.get("draft_session")
    if sid is None or not any(i.id == sid for i in sessions.list_sessions(settings, kind="draft", owner=me)):
        sid = sessions.create(label, settings, kind="draft", owner=me).id
        st.session_state["draft_session"] = sid
    sessions.append(sid, settings, "user", label, owner=me)
    sessions.append(sid, settings, "assistant", kept.answer, answer=kept, index_version=sessions.index_version(settings),
                    owner=me)
    st.session_state.pop("draft_version", None)


def _document_form(lg: str, backend: str | None) -> None:
    """The whole-document form: region, topics, documents, language; chapters shown as they are written."""
    docs = common.document_choices()
    with st.form("document-form"):
        cols = st.columns(2)
        region = cols[0].text_input(t("region", lg), placeholder="Los Ríos", key="document-region")
        topics = cols[1].text_input(t("topics", lg), key="document-topics",
                                    placeholder="turismo, capital humano" if lg == "es" else "tourism, human capital")
        chosen = st.multiselect(t("limit_docs", lg), list(docs), format_func=lambda d: docs[d],
                                placeholder=t("all_docs", lg), key="document-docs")
        language = st.radio(t("draft_language", lg), ["es", "en"], index=0 if lg == "es" else 1, horizontal=True,
                            format_func=lambda c: {"es": "Español", "en": "English"}[c], key="document-language")
        submitted = st.form_submit_button(t("generate_document", lg), type="primary")
    if not submitted:
        _partial(lg)
        return
    if not region.strip():
        st.error(t("need_region", lg))
        return
    request = DocumentRequest(region=region.strip(), topics=[x.strip() for x in topics.split(",") if x.strip()],
                              language=language, docs=chosen)  # type: ignore[arg-type]
    bar, shown = st.progress(0.0), st.container()
    partial: list[dict] = []  # type: ignore[type-arg]
    st.session_state["document_partial"] = partial  # what a stopped run keeps on screen

    def ready(chapter: Chapter) -> None:
        partial.append(chapter.model_dump())
        with shown:
            st.markdown(_chapter_markdown(chapter))

    try:
        result = draft_document(request, settings=common.settings(), backend=backend, on_ready=ready,
                                on_chapter=lambda i, n, h: bar.progress(i / n, text=t("writing_chapter", lg, i=i + 1,
                                                                                         n=n, heading=h)))
    except ModelBusyError:
        st.warning(t("model_busy", lg), icon=":material/hourglass_top:")
        return
    except (IndexUnavailableError, UserInputError) as exc:
        st.warning(str(exc))
        return
    st.session_state.pop("document_partial", None)
    bar.progress(1.0, text=t("document_done", lg, chapters=len(result.chapters), n=len(result.references),
                             s=result.timings_ms["total"] / 1000))
    shown.empty()
    _keep(f"{result.title}", document_answer(result.title, result))


def _chapter_markdown(chapter: Chapter) -> str:
    """A finished chapter, shown while the next ones are written."""
    lines = [f"### {chapter.heading}"]
    for section in chapter.sections:
        lines += [f"**{section.heading}**"] if section.heading else []
        lines += [common.safe(p.text) for p in section.paragraphs]
        lines += [f"*{common.safe(table.caption)}* ({len(table.rows)})" for table in section.tables]
    return "\n\n".join(lines)


def _partial(lg: str) -> None:
    """Chapters a stopped generation had finished: shown, with their Markdown, rather than lost."""
    partial = st.session_state.get("document_partial")
    if not partial:
        return
    chapters = [Chapter.model_validate(c) for c in partial]
    st.warning(t("document_partial", lg, done=len(chapters), n=7))
    text = "\n\n".join(_chapter_markdown(c) for c in chapters)
    st.markdown(text)
    st.download_button(t("download_md", lg), text, file_name="estrategia-parcial.md", mime="text/markdown")


def _redo(lg: str, result: StrategyDocument, backend: str | None) -> None:
    """Write one chapter of a document again, keeping the others, as a new version."""
    with st.form("redo-form"):
        picked = st.selectbox(t("redo_chapter", lg), [c.key for c in result.chapters],
                              format_func=lambda k: next(c.heading for c in result.chapters if c.key == k))
        if st.form_submit_button(t("redo", lg)):
            try:
                again = redo_chapter(result, picked, settings=common.settings(), backend=backend)
            except ModelBusyError:
                st.warning(t("model_busy", lg), icon=":material/hourglass_top:")
                return
            _keep(again.title, document_answer(again.title, again))
            st.rerun()


def render() -> None:
    """The drafting page."""
    backend = common.sidebar()
    lg = common.lang()
    with st.sidebar:
        _saved(lg)
    mode = st.segmented_control(t("draft_mode", lg), ["section", "document"], default="section", key="draft-mode",
                                format_func=lambda m: t(f"mode_{m}", lg)) or "section"
    st.title(t("document_title" if mode == "document" else "draft_title", lg))
    common.backend_caption()
    if mode == "document":
        _document_form(lg, backend)
    else:
        _section_form(lg, backend)
    _versions(lg, backend)


def _section_form(lg: str, backend: str | None) -> None:
    """The section form: region, topic, guidelines, documents, language, editable outline."""
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
            label = f"{request.topic} — {request.region}"
            _keep(label, as_answer(label, result))


def _versions(lg: str, backend: str | None) -> None:
    """The open draft's versions (sections or whole documents), the latest first shown."""
    sid = st.session_state.get("draft_session")
    if not sid:
        return
    try:
        versions = sessions.versions(sessions.load(sid, common.settings(), owner=common.owner()))
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
    shown = versions[index]
    if isinstance(shown, StrategyDocument):
        common.document_view(shown, key=f"document-{sid}-{index}")
        _redo(lg, shown, backend)
    else:
        common.draft_view(shown, key=f"draft-{sid}-{index}")


render()
