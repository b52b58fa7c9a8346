"""The lexical support judge: which sentences it judges and what it calls supported."""

from __future__ import annotations

from assistant.models import Answer, Citation
from evals.support import cited_sentences, judge, lexical_supported, support

R80 = ("Promover las iniciativas clúster como instrumento de articulación entre empresas, "
       "academia y gobierno regional en torno a agendas de competitividad.")


def _answer(text: str) -> Answer:
    return Answer(question="q", language="es", answer=text, backend="fake",
                  citations=[Citation(marker="R80", doc_id="booklet", recommendation=80, text=R80)])


def test_only_sentences_with_a_verified_marker_are_judged() -> None:
    ans = _answer("Las iniciativas clúster articulan empresas y academia [R80]. Esto es clave. "
                  "Otra idea cualquiera de varias palabras [R999].")
    assert cited_sentences(ans.answer, {"R80"}) == [("Las iniciativas clúster articulan empresas y academia [R80].", ["R80"])]


def test_paraphrase_is_supported_and_an_unrelated_claim_is_not() -> None:
    assert lexical_supported("Las iniciativas clúster articulan a las empresas con la academia [R80].", R80)
    assert not lexical_supported("El turismo espacial crecerá un 40% en Marte durante 2030 [R80].", R80)


def test_english_sentence_counts_through_the_glossary() -> None:
    assert lexical_supported("Cluster initiatives bring companies, academia and the regional government together.", R80)


def test_support_is_the_share_of_supported_sentences() -> None:
    ans = _answer("Las iniciativas clúster articulan empresas, academia y gobierno [R80].\n"
                  "Los volcanes de Marte producen cobre barato [R80].")
    judged = judge(ans)
    assert [j.lexical for j in judged] == [True, False]
    assert support(judged) == 0.5
    assert support([]) is None


def test_reference_entries_are_not_claims_and_doc_markers_stay_whole() -> None:
    ans = Answer(question="q", language="es", backend="fake", answer=(
        "## Referencias\n\n- **[R80]** lineamiento VIII: Crear iniciativas clúster; Panorama 2024, pág. 232. «texto»\n"
        "Las metas de gestión se fijan con los actores locales [slides p. 4]. Y los clústeres articulan empresas [R80]."),
        citations=[Citation(marker="R80", doc_id="booklet", recommendation=80, text=R80),
                   Citation(marker="slides p. 4", doc_id="slides", page="4", text="metas de gestión con actores locales")])
    assert cited_sentences(ans.answer, {"R80", "slides p. 4"}) == [("Las metas de gestión se fijan con los actores locales [slides p. 4].", ["slides p. 4"]),
                                    ("Y los clústeres articulan empresas [R80].", ["R80"])]
