"""Chat: streamed answers with citation chips, memory, feedback, Markdown download."""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from assistant.answering.answer import answer_stream
from assistant.drafting.draft_chat import chat_draft
from assistant.errors import IndexUnavailableError, UserInputError
from assistant.language import has_words
from assistant.llm.gate import ModelBusyError
from assistant.llm.queue import AlreadyQueuedError, RateLimitedError
from assistant.models import Answer, Waiting
from assistant.workspace import sessions
from assistant.workspace.feedback import Feedback, save
from ui import common
from ui.i18n import EXAMPLES, t


def conversation_markdown(messages: list[dict]) -> str:  # type: ignore[type-arg]
    """The conversation as Markdown, each answer followed by its sources (as `sessions export` writes it)."""
    return sessions.markdown_of([sessions.StoredMessage(role=m["role"], content=m["content"],
                                                        answer=Answer.model_validate(m["answer"]) if m.get("answer") else None)
                                 for m in messages])


def _feedback(index: int, ans: Answer) -> None:
    lg = common.lang()
    cols = st.columns([1, 3])
    with cols[0]:
        rating = st.feedback("thumbs", key=f"thumbs-{index}")
    if rating is not None and not st.session_state.get(f"rated-{index}"):
        save(Feedback(question=ans.question, language=ans.language, answer=ans.answer,
                      cited=[c.marker for c in ans.citations], rating="up" if rating == 1 else "down",
                      backend=ans.backend), common.settings())
        st.session_state[f"rated-{index}"] = True
        st.toast(t("thanks", lg))
    if ans.citations:
        with cols[1], st.popover(t("wrong_citation", lg)):
            wrong = st.multiselect(t("which_wrong", lg), [c.marker for c in ans.citations], key=f"wrong-{index}")
            if st.button(t("send", lg), key=f"send-wrong-{index}", disabled=not wrong):
                save(Feedback(question=ans.question, language=ans.language, answer=ans.answer,
                              cited=[c.marker for c in ans.citations], wrong_citations=wrong, backend=ans.backend),
                     common.settings())
                st.toast(t("thanks", lg))


def _source_status(index: int, ans: Answer) -> None:
    """For a reopened answer: say which cited sources have changed or left the index since."""
    if not st.session_state.get("reopened"):
        return
    statuses = st.session_state.setdefault("citation_status", {})
    if index not in statuses:
        statuses[index] = {c.marker: sessions.citation_status(c, common.settings()) for c in ans.citations}
    for marker, status in statuses[index].items():
        if status != "same":
            st.caption("⚠️ " + t(f"source_{status}", common.lang(), marker=marker))


def _show(index: int, ans: Answer, last: bool = False) -> None:
    lg = common.lang()
    if ans.document is not None:  # a whole strategy document asked for in the conversation
        st.caption(t("document_done", lg, chapters=len(ans.document.chapters), n=len(ans.document.references),
                     s=ans.document.timings_ms.get("total", 0) / 1000))
        common.document_view(ans.document, key=f"chat-document-{index}")
    elif ans.draft is not None:  # a section asked for in the conversation
        st.caption(t("draft_in_chat_done", lg, n=len(ans.draft.references)))
        common.draft_view(ans.draft, key=f"chat-draft-{index}")
    else:
        st.markdown(common.safe(ans.answer))
        common.chips(ans.citations, key=f"chips-{index}", answer=ans.answer)
    _source_status(index, ans)
    if ans.refused and ans.suggestions:
        st.caption(t("did_you_mean", lg))
        for k, c in enumerate(ans.suggestions):
            label = f"{c.marker} · {' '.join(c.text.split())[:90]}…"
            if st.button(label, key=f"suggest-{index}-{k}") and c.recommendation:
                st.session_state["pending_question"] = t("ask_recommendation", ans.language, n=c.recommendation)
                st.rerun()
    if ans.cached:
        cols = st.columns([4, 1])
        cols[0].caption(f":material/history: {t('cached', lg)}")
        if last and cols[1].button(t("regenerate", lg), key=f"regen-{index}", icon=":material/refresh:"):
            st.session_state["regenerate"] = index
            st.rerun()
    for notice in ans.notices:
        st.caption(f"ℹ️ {notice}")
    common.unsupported(ans.unsupported_sentences)
    if ans.dropped_citations:
        st.caption("⚠️ " + t("dropped", lg, markers=", ".join(d.marker for d in ans.dropped_citations)))
    if ans.uncited_sentences:
        st.caption("⚠️ " + t("uncited", lg, n=len(ans.uncited_sentences)))
    _feedback(index, ans)


def _ask(question: str, messages: list[dict], use_cache: bool = True) -> None:  # type: ignore[type-arg]
    history = [{"role": m["role"], "content": m["content"]} for m in messages]
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(common.safe(question))
    with st.chat_message("assistant"):
        final: dict[str, Answer] = {}
        docs = st.session_state.get("chat_docs") or []
        previous = next((Answer.model_validate(m["answer"]).draft for m in reversed(messages)
                         if m["role"] == "assistant" and m.get("answer", {}).get("draft")), None)
        bar = None

        def progress(i: int, n: int, heading: str) -> None:
            nonlocal bar
            bar = bar or st.progress(0.0)
            bar.progress(i / n, text=t("writing_section", common.lang(), heading=heading))

        try:
            drafted = chat_draft(question, previous, settings=common.settings(), docs=docs,
                                 backend=st.session_state.get("backend_in_use"), on_section=progress)
        except ModelBusyError as exc:
            messages.pop()
            st.session_state["busy_question"] = question
            st.session_state["busy_why"] = _busy_why(exc)
            st.rerun()
        except (IndexUnavailableError, UserInputError) as exc:
            messages.pop()
            st.warning(str(exc))
            return
        if drafted is not None:
            _save(question, drafted, len(messages) - 1)
            messages.append({"role": "assistant", "content": drafted.answer, "answer": drafted.model_dump()})
            st.rerun()

        waiting, meanwhile = st.empty(), st.container()  # the place in the model's queue; the sources meanwhile

        def tokens():  # type: ignore[no-untyped-def]
            streamed = False
            for item in answer_stream(question, history, settings=common.settings(), docs=docs,
                                      backend=st.session_state.get("backend_in_use"), use_cache=use_cache,
                                      user=common.queue_user(), quick=st.session_state.get("quick_sources", True)):
                if isinstance(item, Waiting):
                    _waiting(waiting, meanwhile, item, len(messages))
                elif isinstance(item, Answer):
                    final["answer"] = item
                else:
                    if not streamed:
                        waiting.empty()  # its turn came: the model's answer replaces the wait
                    streamed = True
                    yield common.safe(item)
            if not streamed:  # extractive answers arrive whole: show them word by word
                yield from (common.safe(w) for w in re.findall(r"\S+\s*", final["answer"].answer))

        try:
            with st.spinner(t("thinking", common.lang())):
                st.write_stream(tokens())
        except ModelBusyError as exc:
            messages.pop()
            st.session_state["busy_question"] = question  # kept: one click asks it again
            st.session_state["busy_why"] = _busy_why(exc)
            st.rerun()
        except (IndexUnavailableError, UserInputError) as exc:
            messages.pop()
            st.warning(str(exc))
            return
    ans = final["answer"]
    _save(question, ans, len(messages) - 1)
    messages.append({"role": "assistant", "content": ans.answer, "answer": ans.model_dump()})
    st.rerun()  # show the verified answer with its chips


def _waiting(place: Any, meanwhile: Any, wait: Waiting, index: int) -> None:
    """Where the question stands in the model's queue; the sources' own words at once, if offered."""
    lg = common.lang()
    place.info(t("queue_place", lg, n=wait.ahead, s=max(1, round(wait.seconds))), icon=":material/hourglass_top:")
    if wait.quick is not None:  # offered once, and kept in view while the model's answer is written
        with meanwhile:
            st.caption(t("quick_meanwhile", lg))
            st.markdown(common.safe(wait.quick.answer))
            common.chips(wait.quick.citations, key=f"quick-{index}", answer=wait.quick.answer)


def _busy_why(exc: ModelBusyError) -> dict[str, object]:
    """Why a question was not queued, for the notice: a second question, the rate, or a full queue."""
    if isinstance(exc, RateLimitedError):
        return {"key": "model_rate", "s": max(1, round(exc.retry_s)), "n": common.settings().limits.model_per_minute}
    if isinstance(exc, AlreadyQueuedError):
        return {"key": "model_queued"}
    return {"key": "model_busy"}


def _save(question: str, ans: Answer, position: int) -> None:
    """Keep the question and its answer as shown, before the page shows it as final."""
    settings, me = common.settings(), common.owner()
    sid = st.session_state.get("session_id")
    if sid is None:
        sid = sessions.create(question, settings, owner=me).id
        st.session_state["session_id"] = sid
    sessions.truncate(sid, settings, position, owner=me)  # an answer asked again replaces the old pair
    sessions.append(sid, settings, "user", question, owner=me)
    sessions.append(sid, settings, "assistant", ans.answer, answer=ans, index_version=sessions.index_version(settings),
                    owner=me)


def _open(sid: str) -> None:
    """Load a saved conversation into the page, exactly as it was shown."""
    session = sessions.load(sid, common.settings(), owner=common.owner())
    st.session_state["messages"] = [
        {"role": m.role, "content": m.content, **({"answer": m.answer.model_dump()} if m.answer else {})}
        for m in session.messages]
    st.session_state["session_id"] = sid
    st.session_state["reopened"] = True
    st.session_state.pop("citation_status", None)


def _new() -> None:
    st.session_state["messages"] = []
    for key in ("session_id", "reopened", "citation_status", "busy_question"):
        st.session_state.pop(key, None)


def _saved_sidebar(lg: str) -> None:
    """The saved conversations, most recent first; the open one can be renamed or deleted."""
    settings = common.settings()
    st.button(t("new_chat", lg), on_click=_new, width="stretch", icon=":material/add:")
    st.subheader(t("saved_chats", lg))
    current = st.session_state.get("session_id")
    infos = common.saved_list("chat", current, _open, "open", t("no_saved_chats", lg))
    if current and any(i.id == current for i in infos):
        with st.popover(t("manage_chat", lg), width="stretch"):
            title = next(i.title for i in infos if i.id == current)
            new_title = st.text_input(t("chat_title_field", lg), value=title, key=f"title-{current}")
            if st.button(t("rename", lg), key="rename-chat"):
                try:
                    sessions.rename(current, new_title, settings, owner=common.owner())
                except UserInputError as exc:
                    st.warning(str(exc))
                else:
                    st.rerun()
            if st.button(t("delete_chat", lg), key="delete-chat", type="primary"):
                sessions.delete(current, settings, owner=common.owner())
                _new()
                st.toast(t("deleted_chat", lg))
                st.rerun()


def render() -> None:
    """The landing page."""
    common.sidebar()
    lg = common.lang()
    messages: list[dict] = st.session_state.setdefault("messages", [])  # type: ignore[type-arg]
    st.title(t("chat_title", lg))
    st.caption(t("chat_intro", lg))
    common.backend_caption()
    with st.sidebar:
        st.download_button(t("download_chat", lg), conversation_markdown(messages), file_name="conversacion.md",
                           mime="text/markdown", disabled=not messages, width="stretch")
        docs = common.document_choices()
        st.multiselect(t("limit_docs", lg), list(docs), format_func=lambda d: docs.get(d, d), key="chat_docs",
                       placeholder=t("all_docs", lg))
        if st.session_state.get("backend_in_use", "extractive") != "extractive":
            st.toggle(t("quick_sources", lg), value=True, key="quick_sources", help=t("quick_sources_help", lg))
        _saved_sidebar(lg)
    pending = st.session_state.pop("pending_question", None)
    fresh = False
    regen = st.session_state.pop("regenerate", None)
    if regen is not None and 0 < regen < len(messages) and messages[regen - 1]["role"] == "user":
        pending, fresh = messages[regen - 1]["content"], True  # ask again, bypassing the stored answer
        del messages[regen - 1 :]
    if not messages and not pending:
        st.markdown(t("examples", lg))
        for i, example in enumerate(EXAMPLES[lg]):
            if st.button(example, key=f"example-{i}"):
                pending = example
    for index, msg in enumerate(messages):
        with st.chat_message(msg["role"]):
            if msg["role"] == "user":
                st.markdown(common.safe(msg["content"]))
            else:
                _show(index, Answer.model_validate(msg["answer"]), last=index == len(messages) - 1)
    busy = st.session_state.get("busy_question")
    if busy:
        why = dict(st.session_state.get("busy_why") or {"key": "model_busy"})
        st.warning(t(str(why.pop("key")), lg, **why), icon=":material/hourglass_top:")
        if st.button(t("retry", lg), key="retry-busy", icon=":material/refresh:"):
            pending = st.session_state.pop("busy_question")
    question = st.chat_input(t("placeholder", lg)) or pending
    if question and not has_words(question):  # emoji or punctuation alone: nothing to search for
        st.info(t("ask_a_question", lg))
    elif question:
        st.session_state.pop("busy_question", None)
        _ask(question, messages, use_cache=not fresh)


render()
