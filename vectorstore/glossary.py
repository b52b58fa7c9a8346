"""Users' words in the booklet's vocabulary.

`expand`: English -> Spanish policy vocabulary, so BM25 finds the Spanish corpus for English questions.

`subnational`: the planners' "region" for the dense query. A planner's "mi región" or "gobierno
regional" is what the booklet calls "subnacional"; where the booklet itself says "regional" (R56,
R109, R111, R113) it means Latin America and the Caribbean. Dense retrieval took the planners' word
at face value and put those recommendations first ("Nuestra oficina regional de fomento tiene muy
poco personal" led with R56, not R72). Only a possessive or an institution is rewritten: "mi
región", "gobierno regional", "our region", "regional agency"; a bare "la región" or "regional" is
left alone (rewriting every one lost dev citation F1: 0.880 against 0.899, and 0.888 untouched).
"""

from __future__ import annotations

import functools
import re

from vectorstore.terms import tokenize

_PAIRS = """
evaluation:evaluacion|evaluate:evaluacion|evaluations:evaluacion|assessment:evaluacion
monitoring:seguimiento|follow-up:seguimiento|cluster:cluster|clusters:cluster|talent:talento humano
skills:talento competencias|skill:talento competencias|training:formacion|workforce:talento
bank:banca|banks:banca|credit:credito|guarantee:garantia|guarantees:garantia|loans:credito
foreign:extranjera|investment:inversion|investments:inversion|investors:inversionista|fdi:inversion extranjera
export:exportacion|exports:exportacion|exporting:exportacion|internationalization:internacionalizacion
internationalisation:internacionalizacion|markets:mercado|innovation:innovacion|science:ciencia
research:investigacion|researchers:investigador|technology:tecnologia|technologies:tecnologia
digital:digital|entrepreneurship:emprendimiento|entrepreneurs:emprendedor|startups:emprendimiento
informality:informalidad|informal:informal|bureaucracy:trabas burocraticas|tape:trabas burocraticas
governance:gobernanza|coordination:coordinacion|coordinate:coordinacion|multilevel:multinivel
multi-level:multinivel|subnational:subnacional|regions:territorio region subnacional|regional:regional territorio subnacional
territories:territorio|local:local|municipalities:municipio|decentralization:descentralizacion
decentralisation:descentralizacion|priorities:prioridad|prioritize:prioridad|private:privado
academia:academico|universities:academico|civil:civil|continuity:continuidad|capacities:capacidad
capabilities:capacidad|institutions:institucion|institutional:institucional|experimentalist:experimentalista
experimental:experimentalista|suppliers:proveedor|quality:calidad|standards:estandar|infrastructure:infraestructura
financing:financiamiento cofinanciamiento|funding:recurso financiamiento|fund:fondo|funds:fondo|budget:presupuestario
officials:funcionario|servants:funcionario|collaboration:colaboracion|countries:pais|extension:extensionismo
productivity:productividad|value:valor|chains:cadena|incentives:incentivo|conditionality:condicionalidad
conditions:condicionar|goals:meta|targets:meta|strategy:estrategia|strategies:estrategia|diagnosis:diagnostico
gaps:brecha|gap:brecha|policy:politica|policies:politica|productive:productivo|platform:plataforma
networks:red|experiences:experiencia|gender:genero|circular:circular|patents:patente|jobs:empleo
employment:empleo|fairs:feria|relocation:relocalizacion|nearshoring:relocalizacion|semiconductors:semiconductor
leadership:liderazgo|agenda:agenda|agendas:agenda|roadmaps:hojas ruta|learning:aprendizaje|culture:cultura
cost-effective:costo eficacia|efficiency:eficacia|scale:escalar|sustainable:sostenible|companies:empresa
firms:empresa|sme:pyme|smes:pyme|sectors:sector|public:publico|reforms:reingenieria|legal:juridico
transfer:transferencia|resources:recurso|professional:profesional|staff:planta profesional
""".replace("\n", "|")


# The words of a region's indicator tables (censuses, surveys, registries), for English questions over
# Spanish tables: which row and column a question names. Used to pick rows, not to retrieve.
_INDICATOR_PAIRS = """
population:poblacion habitantes|inhabitants:habitantes|people:personas|persons:personas|households:hogares
women:mujeres|woman:mujeres|female:mujeres femenina|men:hombres|male:hombres masculina|sex:sexo
urban:urbana urbano|rural:rural|commune:comuna|communes:comuna|municipality:comuna|total:total
poverty:pobreza|poor:pobreza|income:ingresos|multidimensional:multidimensional|rate:tasa|share:participacion
percentage:porcentaje participacion|growth:variacion crecimiento|change:variacion|unemployment:desocupacion
unemployed:desocupados|employed:ocupados|employment:ocupados empleo|workers:trabajadores ocupados
participation:participacion|labour:laboral trabajo|labor:laboral trabajo|informal:informal|gap:brecha
firms:empresas|companies:empresas|enterprises:empresas|businesses:empresas|micro:micro microempresas
micro-enterprises:micro|microenterprises:micro|small:pequena pequenas|medium:mediana medianas|medium-sized:mediana
large:grande grandes|size:tamano|sales:ventas|exports:exportaciones|exported:exportaciones|export:exportaciones
salmon:salmon|trout:trucha|mussels:chorito mejillon|mussel:chorito mejillon|fishing:pesca|fisheries:pesca
aquaculture:acuicultura acuicola|harvest:cosecha|species:especie|agriculture:agricultura agricola|farming:agricultura
livestock:ganaderia|forestry:silvicultura forestal|wood:madera|crops:cultivo|crop:cultivo|area:superficie
hectares:hectareas|blueberries:arandano|blueberry:arandano|hazelnut:avellano|grassland:praderas|pasture:praderas
dairy:leche lecheria lactea lacteos|milk:leche|producers:productores|producer:productores|plants:plantas
delivering:entregan|received:recibida recepcion|price:precio|litres:litros|liters:litros|cheese:queso
tourists:turistas|tourist:turistas turistico|tourism:turismo|arrivals:llegadas|overnight:pernoctaciones
nights:noches pernoctaciones|stays:pernoctaciones estadia|stay:estadia|accommodation:alojamiento
students:estudiantes matricula|enrolment:matricula|enrollment:matricula|schools:liceos|technical:tecnico
vocational:tecnico-profesional profesional|education:educacion|internet:internet|broadband:internet banda ancha
connection:conexion accesos|access:accesos|fixed:fija fijos|residential:residenciales|trade:comercio
commerce:comercio|retail:comercio|construction:construccion|manufacturing:industria manufacturera
industry:industria|mining:mineria|services:servicios|health:salud|energy:energia|water:agua|transport:transporte
public:publica administracion|administration:administracion|teaching:ensenanza|hotels:alojamiento
restaurants:comidas|census:censo|survey:encuesta|year:ano|thousands:miles|millions:millones|dollars:dolares
training:formacion capacitacion cft|centre:centro|center:centro
"""


def parse_pairs(pairs: str) -> dict[str, list[str]]:
    """'english:spanish words|…' -> folded, stemmed English token -> folded, stemmed Spanish tokens."""
    out: dict[str, list[str]] = {}
    for pair in filter(None, pairs.split("|")):
        en, es = pair.split(":")
        for token in tokenize(en, "en"):
            out.setdefault(token, []).extend(tokenize(es, "es"))
    return out


@functools.cache
def glossary() -> dict[str, list[str]]:
    """Folded, stemmed English token -> folded, stemmed Spanish tokens."""
    return parse_pairs(_PAIRS)


def expand(tokens: list[str]) -> list[str]:
    """The tokens plus the Spanish equivalents of English ones."""
    table = glossary()
    return tokens + [es for t in tokens for es in table.get(t, [])]


@functools.cache
def indicator_glossary() -> dict[str, list[str]]:
    """Folded, stemmed English token -> the Spanish words a region's indicator tables use for it."""
    return parse_pairs(_INDICATOR_PAIRS.replace("\n", "|"))


def expand_indicators(tokens: list[str]) -> list[str]:
    """The tokens plus the Spanish words of indicator tables for English ones (rows and columns named)."""
    table = indicator_glossary()
    return tokens + [es for t in tokens for es in table.get(t, [])]


_INSTITUTIONS = (r"oficina|agencia|secretar[ií]a|unidad|departamento|equipo|estrategia|nivel")
_SUBNATIONAL = [(re.compile(p, re.IGNORECASE), r) for p, r in (
    (r"\b(mi|mis|nuestra|nuestras|esta|tu|su)\s+regi[oó]n\b", r"\1 región subnacional"),
    (r"\bgobiernos?\s+regional(es)?\b", "gobierno subnacional"),
    (rf"\b({_INSTITUTIONS})\s+regional\b", r"\1 subnacional"),
    (r"\b(my|our|this|your|their)\s+region\b", r"\1 subnational region"),
    (r"\bregional\s+(government|office|agency|department|team|strategy|level|authorit(?:y|ies))\b",
     r"subnational \1"),
)]


def subnational(query: str) -> str:
    """The question as dense retrieval embeds it: a planner's own region named as the booklet does."""
    for pattern, replacement in _SUBNATIONAL:
        query = pattern.sub(replacement, query)
    return query
