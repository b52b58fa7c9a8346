"""Lexical terms: folded, Snowball-stemmed in the text's language."""

from __future__ import annotations

import threading

from vectorstore.terms import bilingual, text_language, tokenize


def test_spanish_word_families_meet() -> None:
    assert tokenize("evaluar") == tokenize("evaluación") == tokenize("Evaluaciones")
    assert tokenize("iniciativas clúster") == tokenize("Iniciativa CLUSTER")


def test_english_word_families_meet() -> None:
    assert tokenize("innovate", "en") == tokenize("innovation", "en")
    assert tokenize("How should regions evaluate innovation policies?") == ["region", "evalu", "innov", "polici"]


def test_a_text_is_stemmed_in_its_language() -> None:
    assert text_language("the regions and their policies") == "en"
    assert text_language("Iniciativas clúster en las regiones") == "es"
    assert tokenize("innovation", "en") == ["innov"] and tokenize("innovation", "es") == ["innovation"]
    assert bilingual("innovation") == {"innov", "innovation"}


def test_stemming_is_safe_across_threads() -> None:
    words = "evaluación innovación políticas regiones iniciativas empresas capacidades " * 200
    want = tokenize(words)
    got: list[list[str]] = []

    def work() -> None:
        for _ in range(20):
            got.append(tokenize(words))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(got) == 160 and all(g == want for g in got)
