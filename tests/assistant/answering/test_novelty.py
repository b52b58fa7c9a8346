"""What a generated sentence adds that its source does not have."""

from __future__ import annotations

import pytest

from assistant.answering.novelty import novel_terms, states_region_fact

R80 = ("Utilizar las iniciativas clúster como una tecnología institucional clave que permita articular múltiples "
       "intervenciones e instrumentos de desarrollo productivo en los territorios.")
R86 = ("Promover la colaboración con iniciativas de otras regiones, incluidas aquellas de la European Cluster "
       "Collaboration Platform, para intercambiar buenas prácticas.")


@pytest.mark.parametrize(("sentence", "source", "context", "novel"), [
    ("Arica, a country located in the northern part of South America, is known for its rich agricultural "
     "resources.", R80, "Arica experimentalist governance", ["South", "south america", "agricultur"]),
    ("The Ministry of Technology should use cluster initiatives.", R80, "", ["Ministry", "ministri"]),
    ("Invest 100 billion dollars in clusters in Chile.", R80, "", ["100", "Chile", "chile", "billion"]),
    ("La Agencia de Clústeres financia 40 iniciativas en el sector minero.", R80, "", ["40", "Agencia", "miner"]),
])
def test_names_figures_places_and_sectors_not_in_the_source_are_novel(
        sentence: str, source: str, context: str, novel: list[str]) -> None:
    assert novel_terms(sentence, source, context) == novel


@pytest.mark.parametrize(("sentence", "source", "context"), [
    # a faithful translation: cognates and the glossary count as found
    ("Use cluster initiatives as a key institutional technology to articulate multiple productive development "
     "interventions and instruments in the territories.", R80, "How can cluster initiatives help?"),
    ("Promote collaboration with initiatives from other regions, including the European Cluster Collaboration "
     "Platform, to exchange good practices.", R86, ""),
    # the region and the topic come from the request
    ("Utilizar en Biobío las iniciativas clúster para articular los instrumentos de desarrollo productivo.", R80,
     "Biobío iniciativas clúster"),
    # the publisher and the region of the whole corpus need no source
    ("La CEPAL propone para América Latina y el Caribe utilizar las iniciativas clúster.", R80, ""),
])
def test_what_the_source_or_the_request_says_is_not_novel(sentence: str, source: str, context: str) -> None:
    assert novel_terms(sentence, source, context) == []


@pytest.mark.parametrize(("sentence", "region", "lang", "fact"), [
    ("El gobierno regional de Biobío ha implementado iniciativas clúster a nivel local.", "Biobío", "es", True),
    ("El gobierno de Biobío ya implementó iniciativas clúster.", "Biobío", "es", True),
    ("Arica, a country located in the north, is known for its agriculture.", "Arica", "en", True),
    ("Arica has already launched a cluster programme.", "Arica", "en", True),
    ("Fortalecer en Biobío las iniciativas clúster.", "Biobío", "es", False),
    ("Biobío debe fortalecer las iniciativas clúster.", "Biobío", "es", False),
    ("Strengthen cluster initiatives in Arica.", "Arica", "en", False),
    ("Arica should adopt an experimentalist approach.", "Arica", "en", False),
    ("El gobierno ha implementado iniciativas clúster.", "Biobío", "es", False),  # the region is not named
])
def test_a_region_is_addressed_never_described(sentence: str, region: str, lang: str, fact: bool) -> None:
    assert states_region_fact(sentence, region, lang) is fact


def test_a_sentence_about_the_topic_that_mentions_the_region_is_not_a_fact_about_it() -> None:
    assert not states_region_fact("Cluster initiatives are a key institutional technology in the Antioquia region.",
                                  "Antioquia", "en")
    assert states_region_fact("En Biobío, las iniciativas clúster han crecido en los últimos años.", "Biobío", "es")


def test_an_answer_may_not_lend_the_questions_sector_to_its_source() -> None:
    sentence = ("ECLAC recommends using tourism clusters as a key institutional technology to articulate multiple "
                "interventions in the territories.")
    question = "We want a tourism cluster; what does ECLAC recommend?"
    assert novel_terms(sentence, R80, question) == [], "a draft's topic may be applied"
    assert novel_terms(sentence, R80, question, sectors_in_source=True) == ["tourism"]
    sourced = "La CEPAL recomienda apoyar el turismo rural con iniciativas clúster."
    assert novel_terms(sourced, R80 + " Incluye el turismo rural.", "turismo", sectors_in_source=True) == []
