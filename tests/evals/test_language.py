"""The language report: shown sentences in the answer's language, and marked translations."""

from __future__ import annotations

from evals.language import count, shown_sentences


def test_translations_are_english_and_marked_spanish_quotes_are_not_english() -> None:
    text = ("According to the available documents, the most relevant points for your question are "
            "(quoted or translated from the source):\n"
            "- «Use cluster initiatives as a key institutional technology to articulate interventions.» "
            "(translated from the Spanish) [R80].\n"
            "- «Dialogar con la estrategia productiva nacional y con las entidades encargadas» "
            "[cepal-fomento-regional-chile p. 4].\n- R7.")
    sentences = shown_sentences(text)
    assert [marked for _, marked in sentences] == [False, True, False]  # "- R7." is too short to judge
    got = count(text, "en")
    assert (got.sentences, got.in_language, got.translated) == (3, 2, 1)
