"""What every page shares: settings, language, the user, backend, warm-up, safe text, citation chips."""

from __future__ import annotations

import base64
import html
import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import streamlit as st

from assistant.models import Citation, Draft, StrategyDocument, UnsupportedSentence
from assistant.people import access
from assistant.people.access import User
from ui.i18n import t
from ui.signin import account_box, gate
from ui.state import lang, settings

if TYPE_CHECKING:
    from assistant.workspace.sources import SourceView

BACKENDS = ["llamacpp", "extractive", "ollama", "openai"]
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~$])")
QUOTED_ROW_STYLE = "background-color: #fff3b0; color: #1a1a1a; font-weight: 600"  # a highlighter's yellow, dark text in either theme


@st.cache_resource(show_spinner="Preparando los documentos y el modelo… / Preparing documents and model…")
def warm_up(backend: str) -> tuple[str, str | None]:
    """Index the bundled corpus if needed and load the backend once per process (shared by sessions)."""
    from assistant.answering.answer import prepare_backend
    from assistant.services import get_retriever
    from assistant.workspace.library import ensure_corpus

    s = settings()
    ensure_corpus(s)
    get_retriever(s)._refresh()
    return prepare_backend(backend, s)


def document_choices() -> dict[str, str]:
    """The indexed documents a question or a draft can be limited to: doc_id -> title."""
    from assistant.errors import IndexUnavailableError
    from assistant.workspace.library import documents

    try:
        return {r.doc_id: r.title for r in documents(settings())}
    except IndexUnavailableError:  # an unreachable index shows its warning where the answer is asked
        return {}


def user() -> User | None:
    """The signed-in user (None: no sign-in configured, the single user of a loopback app).

    app.py signs the user in before any page runs. If a page runs without it, None is not taken to
    mean the laptop's single user: the gate runs here, and shows the sign-in page when sign-in is
    configured and nobody is signed in.
    """
    signed = st.session_state.get("signed_in")
    if signed is not None:
        return signed  # type: ignore[no-any-return]
    return gate()


def owner() -> str:
    """Whose saved sessions this browser sees."""
    return access.owner(user())


def queue_user() -> str:
    """Who a question waits as in the model's queue: the signed-in account, else this browser session."""
    signed = user()
    if signed is not None:
        return "user:" + access.owner(signed)
    if "queue_id" not in st.session_state:
        st.session_state["queue_id"] = "session:" + uuid.uuid4().hex
    return str(st.session_state["queue_id"])


def can(action: access.Action) -> bool:
    """Whether the signed-in user's role allows `action` (the pages hide what it does not)."""
    return access.can(user(), action)


def sidebar() -> str:
    """Language switch and backend choice; returns the backend in use."""
    with st.sidebar:
        st.segmented_control(t("language", lang()), ["es", "en"], key="ui_lang", default="es",
                             format_func=lambda code: {"es": "Español", "en": "English"}[code])
        if (who := user()) is not None:
            account_box(who)
        default = settings().llm.backend  # the configured backend, listed first if it is not a usual one
        options = BACKENDS if default in BACKENDS else [default, *BACKENDS]
        choice = st.selectbox(t("backend", lang()), options, index=options.index(default), key="backend",
                              format_func=backend_label)
    name, notice = warm_up(choice)
    st.session_state["backend_in_use"] = name
    st.session_state["backend_notice"] = notice
    return name


def backend_label(name: str) -> str:
    """Readable name of a backend."""
    key = f"backend_{name}"
    return t(key, lang()) if key in ("backend_llamacpp", "backend_extractive") else t("backend_other", lang(), name=name)


def backend_caption() -> None:
    """Which engine answers, and why if it fell back."""
    st.caption(t("in_use", lang(), name=backend_label(st.session_state.get("backend_in_use", "extractive"))))
    if st.session_state.get("backend_notice"):
        st.info(st.session_state["backend_notice"])


def safe(text: str) -> str:
    """Text from a document or a model, shown as text: Markdown and HTML characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def chips(citations: list[Citation], key: str, answer: str = "") -> None:
    """One chip per citation; clicking it shows the source's full text and metadata (and, given the
    answer, a table's rows that it quoted, highlighted)."""
    if not citations:
        return
    per_row = 6
    for start in range(0, len(citations), per_row):
        cols = st.columns(per_row)
        for col, cit in zip(cols, citations[start : start + per_row], strict=False):
            with col, st.popover(chip_label(cit), width="stretch"):
                source_card(cit, answer)


def chip_label(cit: Citation) -> str:
    """R79 for a recommendation; a shortened doc_id and page for other documents; a source shown in
    translation says so."""
    label = _place_label(cit)
    return f"{label} · {t('translation_chip', lang())}" if cit.translation else label


def _place_label(cit: Citation) -> str:
    if cit.recommendation is not None:
        return cit.marker
    name = cit.doc_id if len(cit.doc_id) <= 24 else cit.doc_id[:22] + "…"
    if cit.page:  # a PDF page may hold several cited parts: a table's chip names it ("Tabla 5")
        table = cit.table.split(".")[0][:16] if cit.table else ""
        return f"{name} p. {cit.page} · {table}" if table else f"{name} p. {cit.page}"
    where = cit.section.rpartition(" › ")[2] if cit.section else ""
    return f"{name} · {where[:28]}" if where else name


def source_card(cit: Citation, answer: str = "") -> None:
    """The source viewer: metadata from the store, the text, and where it lives (neighbours, the PDF page);
    a table's rows that the answer quoted are highlighted."""
    from assistant.errors import DocumentRejectedError, IndexUnavailableError
    from assistant.workspace.sources import view_source

    lg = lang()
    try:
        view = view_source(cit, settings(), answer=answer)
    except (IndexUnavailableError, DocumentRejectedError) as exc:  # an unreachable index; a PDF damaged on disk
        st.warning(str(exc))
        return
    if view.status != "same":
        st.caption("⚠️ " + t(f"source_{view.status}", lg, marker=cit.marker))
    if cit.recommendation is not None:
        st.markdown(f"**R{cit.recommendation}** · {t('guideline', lg)} {cit.guideline}: {safe(cit.guideline_title or '')}")
        st.markdown(f"{t('panorama_pages', lg)} {', '.join(str(p) for p in cit.panorama_pages)}")
    elif cit.page or not cit.section:
        label = t("slide", lg) if view.kind == "slide" else t("page", lg)
        st.markdown(f"**{safe(cit.doc_id)}** · {label} {safe(str(cit.page))}")
    if cit.section and cit.recommendation is None:  # a user document read by its sections: where it sits
        st.markdown(f"**{safe(cit.doc_id)}** · {safe(cit.section)}")
    if view.page_image:  # the page first: the passage is seen where it lives, then read as text
        page_image(view.page_image, t("page_highlighted" if view.highlighted else "page_not_located", lg,
                                      page=cit.page or ""))
    if view.table is not None:  # rows with their column labels, as the document lays them out
        st.caption(safe(cit.table or ""))
        if view.quoted_rows:
            st.caption(t("rows_quoted", lg, n=len(view.quoted_rows)))
        st.table(_table_frame(view))
        if view.table.note:
            st.caption(safe(view.table.note))
    elif cit.translation:  # the translation the answer showed, marked; the Spanish original one click away
        st.caption(t("translation_note", lg))
        st.markdown(safe(cit.translation))
        with st.expander(t("spanish_original", lg)):
            st.markdown(safe(cit.text))
    else:
        st.markdown(safe(cit.text))
    if view.neighbours:
        st.caption(t("neighbours", lg))
        for near in view.neighbours:
            st.markdown(f"- **{near.marker}** · {safe(' '.join(near.text.split())[:160])}…")


def _table_frame(view: SourceView) -> Any:
    """The cited table as a pandas Styler, the rows the answer quoted on a highlighter's yellow."""
    import pandas as pd

    table = view.table
    assert table is not None
    frame = pd.DataFrame([[row[j] if j < len(row) else "" for j in range(len(table.header))] for row in table.rows],
                         columns=_unique(table.header))
    marked = set(view.quoted_rows)
    return frame.style.apply(
        lambda r: [QUOTED_ROW_STYLE if r.name in marked else "" for _ in r], axis=1).hide(axis="index")


def _unique(header: list[str]) -> list[str]:
    """Column labels made unique (a Styler needs it), an empty label shown as a space."""
    seen: dict[str, int] = {}
    out = []
    for head in header:
        label = head or " "
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def page_image(png: bytes, caption: str) -> None:
    """A rendered page, sent inside the session's own messages as a data URI.

    `st.image` would put it on Streamlit's media endpoint (`/media/<hash>.png`), which answers anyone
    holding the URL, signed in or not; inline, only the session that opened the source receives it.
    """
    data = base64.b64encode(png).decode("ascii")
    label = html.escape(caption)
    st.html(f'<figure style="margin:0"><img src="data:image/png;base64,{data}" alt="{label}" '
            f'style="max-width:100%;height:auto"><figcaption style="font-size:0.85rem;opacity:0.7">{label}'
            "</figcaption></figure>")


def unsupported(items: list[UnsupportedSentence]) -> None:
    """What the model wrote that its source does not say (replaced by the source's words), and why."""
    if items:
        with st.expander("⚠️ " + t("unsupported", lang(), n=len(items))):
            for u in items:
                st.markdown(f"- {safe(u.text)} — *{t('reason_' + u.reason, lang())}*")


def draft_view(result: Draft, key: str) -> None:
    """A draft with its citation chips and its Word and Markdown downloads."""
    from assistant.drafting.export import docx_bytes, file_stem, to_markdown

    lg = lang()
    if result.generic:
        st.info(t("generic_topic", lg))
    st.header(safe(result.title))
    for section in result.sections:
        st.subheader(safe(section.heading))
        for p in section.paragraphs:
            if p.flagged:
                st.warning(f"{result.flag_text}\n\n{safe(p.text)}")
            else:
                st.markdown(safe(p.text))
            unsupported(p.unsupported)
    st.subheader(result.references_heading)
    markdown = to_markdown(result)
    chips(result.references, key=f"{key}-refs", answer=markdown)
    name = file_stem(result)
    cols = st.columns(2)
    cols[0].download_button(t("download_docx", lg), docx_bytes(result), file_name=f"{name}.docx", key=f"{key}-docx",
                            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            type="primary", width="stretch")
    cols[1].download_button(t("download_md", lg), markdown, file_name=f"{name}.md", key=f"{key}-md",
                            mime="text/markdown", width="stretch")


def document_view(result: StrategyDocument, key: str) -> None:
    """A whole strategy document: chapters with their tables, citation chips, Word and Markdown downloads."""
    import pandas as pd

    from assistant.drafting.export import document_docx_bytes, document_file_stem, document_markdown

    lg = lang()
    st.header(safe(result.title))
    st.caption(safe(result.subtitle))
    if not result.region_docs:
        st.info(t("document_no_region_docs", lg, region=result.region))
    for number, chapter in enumerate(result.chapters, 1):
        st.subheader(f"{number}. {safe(chapter.heading)}")
        for section in chapter.sections:
            if section.heading:
                st.markdown(f"**{safe(section.heading)}**")
            for p in section.paragraphs:
                if p.flagged and "[" in p.text:
                    st.warning(f"{result.flag_text}\n\n{safe(p.text)}")
                else:
                    st.markdown(safe(p.text))
                unsupported(p.unsupported)
            for table in section.tables:
                st.caption(safe(table.caption))
                st.dataframe(pd.DataFrame(table.rows, columns=table.header), hide_index=True, width="stretch")
    st.subheader(result.references_heading)
    markdown = document_markdown(result)
    chips(result.references, key=f"{key}-refs", answer=markdown)
    name = document_file_stem(result)
    cols = st.columns(2)
    cols[0].download_button(t("download_docx", lg), document_docx_bytes(result), file_name=f"{name}.docx",
                            key=f"{key}-docx", type="primary", width="stretch",
                            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    cols[1].download_button(t("download_md", lg), markdown, file_name=f"{name}.md", key=f"{key}-md",
                            mime="text/markdown", width="stretch")


def saved_list(kind: str, current: str | None, on_open: Callable[[str], None], key: str, empty: str) -> list:  # type: ignore[type-arg]
    """The saved conversations or drafts of `kind`, most recent first, each a button that opens it."""
    import datetime

    from assistant.workspace import sessions

    infos = sessions.list_sessions(settings(), kind=kind, owner=owner())
    if not infos:
        st.caption(empty)
    for info in infos[:30]:
        when = datetime.datetime.fromtimestamp(info.updated).strftime("%d/%m %H:%M")
        st.button(f"{info.title} · {when}", key=f"{key}-{info.id}", on_click=on_open, args=(info.id,),
                  width="stretch", type="primary" if info.id == current else "secondary")
    return infos
