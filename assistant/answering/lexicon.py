"""English words of policy prose and their Spanish equivalents, for the support gate's word overlap.

The sources are Spanish and English answers translate them, so "strengthen" must count as found
when the source says "fortalecer". This list is the gate's, not retrieval's: it only decides whether
a sentence's words are in its source. It was written by hand from the words most often left
unmatched in the embedded model's English sentences (eval_v1 run, 2026-11-22); spelling-level
cognates ("system" ~ "sistema", "effectiveness" ~ "efectividad") are matched in `cognate` instead.
"""

from __future__ import annotations

import functools
import re
from difflib import SequenceMatcher

# English function words and modals that carry no claim (the BM25 stop list lacks some).
_STOP_EN = set("""
among through between within across without upon onto toward towards via while whereas also
must should shall will would may might can could need needs ensure ensures ensuring make makes
making use uses using based including include includes such other others each every various
thereby therefore thus well more most very just only yes no further particularly especially
""".split())

_PAIRS = """
development:desarrollo|develop:desarrollar|developing:desarrollar|government:gobierno|governments:gobierno
strengthen:fortalecer|strengthening:fortalecer|strengthened:fortalecer|enhance:mejorar potenciar fortalecer
enhancing:mejorar potenciar|improve:mejorar|improving:mejorar|improvement:mejora|level:nivel|levels:nivel
effort:esfuerzo|efforts:esfuerzo|tracking:seguimiento|monitoring:seguimiento monitoreo|focus:focalizar centrar
focusing:focalizar centrar|create:crear|creating:crear|creation:creacion|work:trabajo trabajar|working:trabajar
countries:pais|country:pais|shared:compartida compartido|share:compartir|term:plazo termino|terms:plazo termino
best:mejor|close:cerrar|closing:cerrar|align:alinear|alignment:alineacion|approach:enfoque|together:conjunto
export:exportacion|exports:exportacion|skill:competencia talento|skills:competencia talento|management:gestion
manage:gestionar|establish:establecer|establishing:establecer|new:nuevo|offer:ofrecer|offering:ofrecer
engage:dialogar participar|engaging:dialogar participar|make:realizar|different:distinto diferente
bottleneck:cuello botella|bottlenecks:cuello botella|analyze:analizar|analyse:analizar|exchange:intercambiar
opportunities:oportunidad|knowledge:conocimiento|set:establecer definir|available:disponible
responsible:encargado responsable|task:tarea|gap:brecha|plan:plan|view:vision|firm:empresa|firms:empresa
big:macrodato|data:dato macrodato|shortage:brecha|shortages:brecha|change:cambio|changes:cambio
long:largo|promote:promover fomentar|promoting:promover fomentar|promotion:fomento promocion|good:buena bien
goods:bien|collaborate:colaborar colaboracion|collaboration:colaboracion|synergies:sinergia|leader:lider
leaders:lider|address:abordar atender|addressing:abordar atender|leverage:aprovechar|leveraging:aprovechar
entire:completo todo|entirety:conjunto|increase:aumentar incrementar|increasing:aumentar incrementar
assess:evaluar|evaluate:evaluar|evaluating:evaluar|tool:herramienta|tools:herramienta|process:proceso
processes:proceso|rationing:racionamiento|cheaply:costo|cheaper:costo|cheap:costo|cost:costo|costs:costo
identify:identificar|cause:causa|causes:causa|funding:financiamiento cofinanciamiento inversion|stability:estabilidad
survive:continuidad|commitment:compromiso|commitments:compromiso|ongoing:permanente|build:construir constituir
building:construir|agency:agencia entidad|agencies:agencia entidad organismo|economic:economico|cooperation:cooperacion
disseminate:difundir|area:ambito area|areas:ambito area|achieve:lograr|achieved:lograr|specific:especifico
performance:desempeno resultado|greater:mayor|accelerate:acelerar|small:menor pequena|smaller:menor|ability:capacidad
adjustment:ajuste|cycle:ciclo|resource:recurso|search:busqueda buscar|key:clave|deepen:profundizar
strategic:estrategico|domain:ambito|domains:ambito|guidance:orientacion|business:empresa empresarial
businesses:empresa|direct:directa|method:metodo|methods:metodologia metodo|adoption:adopcion|diagnose:diagnostico
intelligence:inteligencia|artificial:artificial|opening:creacion|red:trabas|bureaucratic:burocratica
applied:aplicada|balance:equilibrio|research:investigacion ciencia|involvement:participacion|expand:ampliar
team:equipo|teams:equipo|test:probar|department:departamento|access:acceso|solution:solucion|solutions:solucion
easy:facilidad|conditioned:condicionar|growth:crecimiento|required:requerir|enable:permitir|stimulate:estimular
municipalities:municipio|meet:encuentro|meeting:encuentro|regularly:permanente|supply:oferta|demand:demanda
foster:fomentar|fostering:fomentar|allocation:asignacion|integration:integracion articulacion|integrate:integrar articular
involve:participar involucrar|involving:participar involucrar|regarding:respecto relacion|sector:sector
private:privado|participation:participacion|training:formacion|human:humano|talent:talento|capital:talento
suppliers:proveedor|local:local|value:valor|added:agregado|structure:estructura|change:cambio|future:futuro
world:mundo|international:internacional|relations:relacionamiento|trade:comercio|quality:calidad
standards:estandar norma|rules:regulacion norma|regulations:regulacion|sanitary:sanitaria|public:publico
officials:funcionario|practices:practica|virtual:virtual|community:comunidad|dialogue:dialogo
experiences:experiencia|instruments:instrumento|interventions:intervencion|territories:territorio
territorial:territorial|agenda:agenda|agendas:agenda|roadmaps:hoja ruta|co-financing:cofinanciamiento
cofinancing:cofinanciamiento|legitimize:legitimar|agreements:acuerdo|support:apoyo respaldo apoyar
""".replace("\n", "|")


@functools.cache
def stop_en() -> frozenset[str]:
    """The English function words, folded and stemmed as the gate's tokens are."""
    from vectorstore.terms import tokenize

    return frozenset(t for w in _STOP_EN for t in tokenize(w, "en"))


@functools.cache
def lexicon() -> dict[str, list[str]]:
    """Folded, stemmed English token -> folded, stemmed Spanish tokens."""
    from vectorstore.glossary import parse_pairs

    return parse_pairs(_PAIRS)


def _spelling(word: str) -> str:
    """English and Spanish spellings brought together: ph->f, th->t, y->i, k->c, no double letters."""
    word = word.replace("ph", "f").replace("th", "t").replace("y", "i").replace("k", "c").replace("qu", "c")
    return re.sub(r"(.)\1", r"\1", word)


def cognate(a: str, b: str) -> bool:
    """Two folded words that are spellings of one root: same 5-letter start, or close once respelled."""
    if len(a) < 5 or len(b) < 5:
        return False
    if a[:5] == b[:5]:
        return True
    x, y = _spelling(a), _spelling(b)
    return x[:5] == y[:5] or (len(x) >= 6 and SequenceMatcher(None, x, y).ratio() >= 0.8)
