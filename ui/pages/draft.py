"""Draft: a form, an editable outline, progress per section, preview with chips, Word/Markdown downloads."""

from __future__ import annotations

import streamlit as st

from assistant.catalog import guidelines
from assistant.draft import draft
from assistant.errors import IndexUnavailableError
from assistant.draft_template import load_template
from assistant.export import docx_bytes, file_stem, to_markdown
from assistant.llm.gate import ModelBusyError
from assistant.models import Draft, DraftRequest
from ui import common
from ui.i18n import t


def _preview(result: Draft) -> None:
    lg = common.lang()
    if result.generic:
        st.info(t("generic_topic", lg))
    st.header(common.safe(result.title))
    for section in result.sections:
        st.subheader(common.safe(section.heading))
        for p in section.paragraphs:
            if p.flagged:
                st.warning(f"{result.flag_text}\n\n{common.safe(p.text)}")
            else:
                st.markdown(common.safe(p.text))
            common.unsupported(p.unsupported)
    st.subheader(result.references_heading)
    common.chips(result.references, key="draft-refs")
    name = file_stem(result)
    cols = st.columns(2)
    cols[0].download_button(t("download_docx", lg), docx_bytes(result), file_name=f"{name}.docx",
                            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            type="primary", width="stretch")
    cols[1].download_button(t("download_md", lg), to_markdown(result), file_name=f"{name}.md",
                            mime="text/markdown", width="stretch")


def render() -> None:
    """The drafting page."""
    backend = common.sidebar()
    lg = common.lang()
    st.title(t("draft_title", lg))
    common.backend_caption()
    titles = guidelines(common.settings())
    with st.form("draft-form"):
        cols = st.columns(2)
        region = cols[0].text_input(t("region", lg), placeholder="Biobío")
        topic = cols[1].text_input(t("topic", lg), placeholder="iniciativas clúster" if lg == "es" else "cluster initiatives")
        focus = st.multiselect(t("guidelines_focus", lg), list(titles), format_func=lambda g: f"{g}. {titles[g]}",
                               placeholder=t("choose", lg))
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
                                   language=language, outline=outline)
            try:
                result = draft(request, settings=common.settings(), backend=backend,
                               on_section=lambda i, n, h: bar.progress(i / n, text=t("writing_section", lg, heading=h)))
            except ModelBusyError:
                st.warning(t("model_busy", lg), icon=":material/hourglass_top:")
                return
            except IndexUnavailableError as exc:
                st.warning(str(exc))
                return
            bar.progress(1.0, text=t("draft_done", lg, s=result.timings_ms["total"] / 1000, n=len(result.references)))
            st.session_state["draft"] = result.model_dump()
    if st.session_state.get("draft"):
        _preview(Draft.model_validate(st.session_state["draft"]))


render()
