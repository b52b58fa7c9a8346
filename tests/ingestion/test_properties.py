"""Property-based tests (hypothesis) of the recommendation parser and the citation verifier."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.answering.citations import verify
from ingestion.booklet import ROMANS, parse_page_refs, parse_units
from ingestion.models import Chunk
from vectorstore.models import Hit

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúñ ", min_size=5, max_size=60).map(str.strip).filter(bool)
pages = st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=2, unique=True)


def _ref(ps: list[int], style: int) -> str:
    if len(ps) == 2:
        return f"(págs. {ps[0]} y {ps[1]})"
    return f"([pág. {ps[0]}](#))" if style else f"(pág. {ps[0]})"


@st.composite
def booklets(draw: st.DrawFn) -> tuple[str, list[tuple[int, str, list[int]]]]:
    n_guidelines = draw(st.integers(min_value=1, max_value=5))
    lines, expected, number = ["Introducción del documento."], [], 0
    for g in range(n_guidelines):
        lines += ["", f"{ROMANS[g]}. {draw(words).capitalize()}", ""]
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            number += 1
            ps = draw(pages)
            wrap = draw(st.booleans())
            body = draw(words)
            text = f"{body}\n{draw(words)}" if wrap else body
            lines.append(f"{number}. {text.capitalize()} {_ref(ps, draw(st.integers(0, 1)))}.")
            expected.append((number, ROMANS[g], ps))
    return "\n".join(lines), expected


@given(booklets())
@settings(max_examples=60, deadline=None)
def test_parser_finds_every_generated_recommendation(case: tuple[str, list[tuple[int, str, list[int]]]]) -> None:
    text, expected = case
    parsed = parse_units(text)
    got = [(u.number, u.guideline, parse_page_refs(u.text)) for u in parsed.recommendations]
    assert got == expected


@given(st.lists(st.integers(min_value=1, max_value=2000), max_size=8), st.sets(st.integers(1, 113), max_size=6),
       st.lists(words, min_size=1, max_size=6))
@settings(max_examples=150, deadline=None)
def test_verifier_keeps_only_given_existing_sources(cited: list[int], given_numbers: set[int], sentences: list[str]) -> None:
    hits = [Hit(id=str(n), chunk=Chunk(doc_id="b", kind="recommendation", text=f"t{n}", source="b", ordinal=n,
                                       recommendation=n, guideline="I", panorama_pages=[n])) for n in given_numbers]
    text = " ".join(f"{s} [R{c}]." for s, c in zip(sentences, cited, strict=False)) or "nada."
    out = verify(text, hits, existing=set(range(1, 114)))
    kept = {c.recommendation for c in out.citations}
    assert kept <= given_numbers
    assert kept == {c for c in cited[: len(sentences)] if c in given_numbers}
    for d in out.dropped:
        assert f"[{d.marker}]" not in out.text
    assert all(c.panorama_pages == [c.recommendation] for c in out.citations), "pages come from the source"
