"""Every sentence the product says to a user, in Spanish and English (one place for prompts and tests)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["es", "en"]

REFUSAL = {
    "es": "Los documentos disponibles no tratan este tema, así que no puedo responder con una cita fiable.",
    "en": "The available documents do not cover this topic, so I cannot answer with a reliable citation.",
}
NO_SUCH_RECOMMENDATION = {
    "es": "No existe la recomendación {number}: el documento tiene {total} recomendaciones (R1–R{total}).",
    "en": "There is no recommendation {number}: the document has {total} recommendations (R1–R{total}).",
}
NO_SUCH_GUIDELINE = {
    "es": "No existe el lineamiento {guideline}: hay 14 lineamientos (I–XIV).",
    "en": "There is no guideline {guideline}: there are 14 guidelines (I–XIV).",
}
NO_SUCH_PAGE = {
    "es": "Ninguna recomendación remite a la página {page} del Panorama 2024.",
    "en": "No recommendation refers to page {page} of the Panorama 2024.",
}
EMPTY_INDEX = {
    "es": "El índice está vacío: ejecute `policy-assistant ingest` para indexar los documentos.",
    "en": "The index is empty: run `policy-assistant ingest` to index the documents.",
}
FALLBACK = {
    "es": "El modelo '{backend}' no está disponible ({reason}); se responde en modo extractivo.",
    "en": "The '{backend}' model is not available ({reason}); answering in extractive mode.",
}
MODEL_STOPPED = {  # the reason in FALLBACK when the model's own process crashed or hung (assistant.llm.worker)
    "es": "su proceso se detuvo y se reinicia para la próxima pregunta",
    "en": "its process stopped and is restarted for the next question",
}
HISTORY_CUT = {
    "es": "La conversación previa era demasiado larga: se usaron sus últimos {turns} turnos ({chars} caracteres).",
    "en": "The earlier conversation was too long: its last {turns} turns ({chars} characters) were used.",
}
OUTLINE_CUT = {
    "es": "Algunos títulos del esquema eran demasiado largos y se recortaron a {chars} caracteres.",
    "en": "Some outline headings were too long and were cut to {chars} characters.",
}
# A question in a language the answers are not written in: said in one line before the Spanish answer.
ASKED_IN = {
    "pt": "As respostas são escritas em espanhol ou inglês: esta resposta está em espanhol.",
    "other": ("Las respuestas se escriben en español o inglés; esta va en español. "
              "Answers are written in Spanish or English; this one is in Spanish."),
}
TRUNCATED = {
    "es": "La pregunta era demasiado larga y se recortó a {chars} caracteres.",
    "en": "The question was too long and was cut to {chars} characters.",
}
EXTRACTIVE_LEAD = {
    "es": "Según los documentos disponibles, lo más pertinente para su pregunta es:",
    "en": "According to the available documents, the most relevant points for your question are "
          "(quoted or translated from the source):",
}
LOOKUP_LEAD_REC = {
    "es": "La recomendación {number} (lineamiento {guideline}: {title}) plantea:",
    "en": "Recommendation {number} (guideline {guideline}: {title}) states:",
}
LOOKUP_LEAD_GUIDELINE = {
    "es": "El lineamiento {guideline} («{title}») reúne {count} recomendaciones:",
    "en": "Guideline {guideline} (\"{title}\") groups {count} recommendations:",
}
NO_FIGURE = {
    "es": "Los documentos de su biblioteca no tienen esa cifra (nada sobre {missing}). Si la necesita, suba en "
          "Biblioteca el documento que la contenga, por ejemplo un informe de indicadores o un anuario estadístico.",
    "en": "The documents in your library do not hold that figure (nothing on {missing}). If you need it, upload "
          "the document that does, such as an indicators report or a statistical yearbook, in the Library.",
}
NOT_ADDRESSED = {
    "es": "Sus documentos no tratan {missing}: ninguno de sus pasajes habla de ello. Abajo, lo más cercano que "
          "encontré; si el tema está en otro documento, súbalo en Biblioteca.",
    "en": "Your documents do not address {missing}: none of their passages speaks of it. Below is the closest "
          "I found; if another document covers it, upload it in the Library.",
}
LOOKUP_LEAD_CODE = {
    "es": "{code} en «{doc}»{section}:",
    "en": "{code} in \"{doc}\"{section}:",
}
LOOKUP_LEAD_PAGE = {
    "es": "Estas recomendaciones remiten a la página {page} del Panorama 2024:",
    "en": "These recommendations refer to page {page} of the Panorama 2024:",
}
DRAFT_GENERIC = {
    "es": "Los documentos de la CEPAL no tratan «{topic}» de forma específica; esta sección recoge lo que sus "
          "recomendaciones plantean en general.",
    "en": "The ECLAC documents do not address \"{topic}\" specifically; this section gathers what their "
          "recommendations say in general.",
}
GOAL = {"es": "Meta {n}", "en": "Goal {n}"}
ACTION = {"es": "Línea de acción {n}", "en": "Line of action {n}"}
SLIDE_LEAD = {
    "es": "Como plantea la CEPAL para el fomento productivo regional",
    "en": "As ECLAC frames it for regional productive promotion",
}
CONTEXT_LEAD = {"es": "Entre ellas, la CEPAL recomienda:", "en": "Among them, ECLAC recommends:"}
ECLAC_RECOMMENDS = {"es": "La CEPAL recomienda:", "en": "ECLAC recommends:"}
REGION_CONTEXT = {
    "es": "Esta sección orienta la acción de {region} en materia de {topic}, a partir de los documentos de la "
          "propia región y de las recomendaciones de la CEPAL.",
    "en": "This section guides the action of {region} on {topic}, drawing on the region's own documents and "
          "on ECLAC's recommendations.",
}
REGION_EVIDENCE_LEAD = {"es": "Los documentos de {region} registran:", "en": "The documents of {region} record:"}
NEED_REGION_DOCUMENT = {
    "es": "¿Para qué región es la estrategia? Dígalo en el pedido, por ejemplo: «Redacta una estrategia de fomento "
          "productivo para Los Ríos».",
    "en": "Which region is the strategy for? Say so in the request, for example: \"Draft a productive development "
          "strategy for Los Ríos\".",
}
NEED_REGION = {
    "es": "¿Para qué región es la sección? Dígalo en el pedido, por ejemplo: «Redacta una sección sobre {topic} "
          "para Biobío».",
    "en": "Which region is the section for? Say so in the request, for example: \"Draft a section on {topic} "
          "for Biobío\".",
}
NOT_DRAFTABLE = {
    "es": "No redacto {what}: redacto secciones de una estrategia regional de desarrollo productivo, citadas, por "
          "ejemplo «Redacta una sección sobre talento humano para Biobío».",
    "en": "I do not write {what}: I draft cited sections of a regional productive development strategy, for "
          "example \"Draft a section on talent for Biobío\".",
}
QUOTE_LEAD = {"es": "En palabras de la fuente:", "en": "In the source's own words:"}
# A recommendation's reviewed English rendering, shown in place of its Spanish (assistant.answering.translations).
TRANSLATED = {"en": "translated from the Spanish"}
TRANSLATION_LEAD = {"en": "The source says:"}
