"""What the model writes for one source, cleaned: no markers, labels, headings or unfinished sentences."""

from __future__ import annotations

import pytest

from assistant.answering.writer import clean, messages_for


@pytest.mark.parametrize(("raw", "sentences"), [
    ("Los bancos de desarrollo pueden usar fondos de garantía [R7].", ["Los bancos de desarrollo pueden usar fondos de garantía."]),
    ("**Líneas de acción**\n\n1. Implementar el ciclo completo de diseño y evaluación.",
     ["Implementar el ciclo completo de diseño y evaluación."]),
    ("Action 1: Implement the full cycle of design and evaluation.", ["Implement the full cycle of design and evaluation."]),
    ('"Utilizar las iniciativas clúster como tecnología institucional."', ["Utilizar las iniciativas clúster como tecnología institucional."]),
    ("The source suggests that development banks can co-finance projects.", ["Development banks can co-finance projects."]),
    ("Primera frase completa de la respuesta. Segunda frase cortada por el límite de", ["Primera frase completa de la respuesta."]),
    ("Una. Dos frases. Tres frases aquí. Cuatro frases aquí.", ["Tres frases aquí.", "Cuatro frases aquí."]),
    ("", []),
])
def test_clean(raw: str, sentences: list[str]) -> None:
    assert clean(raw, 2)[0] == sentences


def test_at_most_the_asked_number_of_sentences() -> None:
    kept, cut = clean("Frase uno completa aquí. Frase dos completa aquí. Frase tres completa aquí.", 1)
    assert kept == ["Frase uno completa aquí."] and cut


def test_the_source_comes_before_the_task_so_its_reading_is_shared() -> None:
    answer = messages_for("write_answer", "es", "Texto de la fuente (pág. 232).", 300, question="¿Qué hacer?")
    draft = messages_for("write_draft", "es", "Texto de la fuente (pág. 232).", 300, role="una meta",
                         region="Biobío", topic="clústeres")
    assert answer[0].content == draft[0].content
    shared = "Fuente:\nTexto de la fuente."
    assert str(answer[1].content).startswith(shared) and str(draft[1].content).startswith(shared)
    assert "pág" not in str(answer[1].content), "pages come from metadata, never from the model"
