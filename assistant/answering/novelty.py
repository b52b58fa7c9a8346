"""What a generated sentence adds that its source does not have: names, figures, places, sectors.

The cheap check behind the support gate's `novel` verdict (entity-level faithfulness, Nan et al.
2021): a name, number, place, organisation or sector in the sentence must occur in its cited source,
in the question or draft request, or in a short allowlist. It also catches statements of fact
about a region ("El gobierno de Biobío ha implementado…", "Arica, a country known for…"), which a
draft may name but never describe.

Matching is cross-lingual on purpose: the sources are Spanish and English answers translate them,
so a word also counts as found through the glossary or as a cognate ("European" ~ "europeas").
"""

from __future__ import annotations

import re

from assistant.answering.lexicon import cognate, lexicon
from vectorstore.glossary import expand
from vectorstore.terms import bilingual, fold, tokenize

# Names that need no source: the publisher, the region of the whole corpus, the report.
ALLOWED = bilingual("""
cepal eclac comision economica naciones unidas united nations america latina latin american caribe
caribbean latinoamerica latinoamericano iberoamerica panorama pyme pymes sme smes mipyme msmes i+d r&d
""")
# Places that are facts when a sentence brings them in (cities and regions of the corpus's country,
# the region's countries, continents): also caught at the start of a sentence, where capitals are no sign.
PLACES = {fold(p.strip()) for p in """
argentina, bolivia, brasil, brazil, chile, colombia, costa rica, cuba, ecuador, el salvador, guatemala,
haiti, honduras, jamaica, méxico, mexico, nicaragua, panamá, panama, paraguay, perú, peru, uruguay,
venezuela, república dominicana, dominican republic, trinidad, barbados, bahamas, belice, belize, guyana,
suriname, estados unidos, united states, canadá, canada, china, india, japón, japan, corea, korea,
alemania, germany, españa, spain, francia, france, europa, europe, asia, áfrica, africa, oceanía,
sudamérica, south america, centroamérica, central america, norteamérica, north america, arica,
parinacota, tarapacá, antofagasta, atacama, coquimbo, valparaíso, santiago, o'higgins, maule, ñuble,
biobío, araucanía, los ríos, los lagos, aysén, magallanes, patagonia, antioquia, bogotá, medellín,
nuevo león, jalisco, buenos aires, córdoba, são paulo, sao paulo, lima, montevideo, quito
""".split(",")}
# Sectors and organisations: lowercase words, so capitals do not reveal them.
SECTORS = bilingual("""
agricultura agricola agropecuario agriculture agricultural farming agribusiness agroindustria
mineria minero mining mineral cobre copper litio lithium turismo turistico tourism tourist pesca
pesquero fishing fisheries acuicultura aquaculture salmon forestal forestry madera timber
manufactura manufacturing automotriz automotive textil textile vino wine alimentos food farmaceutica
pharmaceutical construccion construction hidrogeno hydrogen petroleo oil gas solar eolica wind
""")
ORGANISATIONS = bilingual("""
ministerio ministry ministries secretaria secretariat universidad university universities ong ngo
ngos corfo sence bid idb oecd ocde banco banca bank fmi imf
""")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*\s*%?")
_NUMBER_WORDS = bilingual("""percent porcentaje por ciento million millones billion billones
thousand miles mil dozens docena decenas hundreds cientos""")
_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9&+'’-]*[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9&+'’-]*")
# A region described rather than addressed: perfect tenses and state verbs, when no modal says "should".
_FACT = {
    "es": re.compile(r"\b(?:ha|han|había|habían|hemos)\s+\w+(?:ado|ido|to|cho|sto)\b|\b\w{3,}(?:ó|aron|ieron)\b|"
                     r"\b(?:ya|actualmente|hoy)\b|\b(?:es|son|está|están|"
                     r"cuenta|cuentan|posee|poseen|enfrenta|enfrentan|destaca|destacan|se caracteriza|"
                     r"se ubica|se encuentra|se ha|fue|fueron)\b", re.IGNORECASE),
    "en": re.compile(r"\b(?:has|have|had)\s+(?:been\s+)?\w+(?:ed|en|wn|t)\b|\b(?:already|currently|recently)\b|"
                     r"\b(?:is|are|was|were)\s+(?:known|"
                     r"located|home|rich|one|a|an|the|already|currently)\b|\b(?:boasts|faces|possesses|lies)\b",
                     re.IGNORECASE),
}
_MODAL = {
    "es": re.compile(r"\b(?:debe|deben|deberá|deberán|debería|deberían|podrá|podrán|podría|podrían|puede|"
                     r"pueden|requiere|requieren|conviene|se recomienda|recomienda|necesita)\b|^\s*\w+(?:ar|er|ir)\b",
                     re.IGNORECASE),
    "en": re.compile(r"\b(?:should|could|can|will|would|may|might|must|needs? to|is recommended|recommends)\b",
                     re.IGNORECASE),
}


def found(word: str, vocabulary: set[str]) -> bool:
    """A folded, stemmed word occurs in the vocabulary: itself, a glossary or lexicon equivalent, or a cognate."""
    if word in vocabulary or word in ALLOWED:
        return True
    if any(w in vocabulary for w in expand([word])[1:]) or any(w in vocabulary for w in lexicon().get(word, ())):
        return True
    return any(cognate(word, v) for v in vocabulary)


def _names(sentence: str) -> list[str]:
    """Capitalised words and acronyms that are not merely the first word of the sentence."""
    out = []
    for i, m in enumerate(_WORD.finditer(sentence)):
        word = m.group(0).strip("'’-")
        before = sentence[: m.start()].rstrip()
        starts = i == 0 or before.endswith((":", "«", "\"", "“", "(", "—", "-"))
        acronym = len(word) >= 2 and word.isupper()
        if word[:1].isupper() and (acronym or not starts):
            out.append(word)
    return out


def figures(text: str) -> set[str]:
    """The figures a text states, as digits and separators ("9,0%" -> "9,0"; "19.944" -> "19.944")."""
    return {n.strip().rstrip("%").strip() for n in _NUMBER.findall(text)} - {""}


def novel_terms(sentence: str, source: str, context: str = "", sectors_in_source: bool = False) -> list[str]:
    """Names, figures, places, organisations and sectors of `sentence` found in neither text.

    With `sectors_in_source`, a sector must be in the source itself: an answer to "We want a tourism
    cluster" may not say that the source recommends "tourism clusters" when it speaks of cluster
    initiatives (a draft's topic, by contrast, is where its sentences apply the source).
    """
    own = set(tokenize(source))
    vocabulary = own | set(tokenize(context))
    folded_texts = fold(source + " " + context)
    novel: list[str] = []
    for number in _NUMBER.findall(sentence):
        digits = number.strip().rstrip("%").strip()
        if digits and digits not in source + " " + context:
            novel.append(number.strip())
    for word in _names(sentence):
        stems = tokenize(word)
        if stems and not all(found(s, vocabulary) for s in stems):
            novel.append(word)
    folded = fold(sentence)
    for place in PLACES:
        if re.search(rf"\b{re.escape(place)}\b", folded) and not re.search(rf"\b{re.escape(place)}\b", folded_texts):
            novel.append(place)
    for token in tokenize(sentence):
        if token in SECTORS | ORGANISATIONS | _NUMBER_WORDS and not found(token, vocabulary):
            novel.append(token)
        elif sectors_in_source and token in SECTORS and not found(token, own):
            novel.append(token)
    return list(dict.fromkeys(novel))


def states_region_fact(sentence: str, region: str, lang: str) -> bool:
    """The sentence describes the region: it names it before a tense of fact, and no modal says "should".

    "Biobío ha implementado…", "Arica, a country…, is known for…" describe the region; "Cluster
    initiatives are a key technology in the Antioquia region" describes the initiatives.
    """
    if not region.strip():
        return False
    folded, name = fold(sentence), fold(region).strip()
    named = re.search(rf"\b{re.escape(name)}\b", folded)
    fact = _FACT[lang].search(sentence)
    if not named or not fact or _MODAL[lang].search(sentence):
        return False
    return named.start() < fact.start()  # fold() keeps positions for composed (NFC) text
