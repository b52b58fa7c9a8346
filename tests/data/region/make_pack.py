"""Generate the fixture pack for the fictional "Región de Los Arrayanes".

Run with the project's interpreter:

    .venv/bin/python tests/data/region/make_pack.py

It writes, next to this script:

* erd-los-arrayanes.{md,docx,pdf}: "Estrategia Regional de Desarrollo de
  Los Arrayanes 2025-2035" (4 axes, 12 strategic lines, 44 objectives).
* indicadores-los-arrayanes.{md,docx,pdf,xlsx} and indicadores-poblacion.csv:
  "Reporte de indicadores regionales" (17 tables).
* questions.jsonl: evaluation questions over the pack.

Everything is fictional. All numbers are defined once in the data structures
below and rendered to every format, so the formats agree with each other.
The script is deterministic: no randomness, fixed document dates, and the
zip containers (docx, xlsx) are rewritten with fixed member timestamps.
Before writing questions.jsonl it checks every question against the
generated Markdown and fails (AssertionError) if a figure, row, column or
objective code cannot be found where the question says it is.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_DT = datetime(2024, 12, 16, 12, 0, 0, tzinfo=timezone.utc)
FIXED_ZIP_DT = (2024, 12, 16, 12, 0, 0)
AUTHOR = "Gobierno Regional de Los Arrayanes"
DATE_LINE = "Diciembre de 2024"

ERD_STEM = "erd-los-arrayanes"
IND_STEM = "indicadores-los-arrayanes"
ERD_TITLE = "Estrategia Regional de Desarrollo de Los Arrayanes 2025-2035"
IND_TITLE = "Reporte de indicadores regionales, Región de Los Arrayanes"

COMUNAS = [
    "Puerto Arrayán",
    "Los Canelos",
    "Río Claro",
    "Santa Inés",
    "Villa Alerce",
    "Quebrada Honda",
    "San Fermín",
    "Laguna Verde",
]
TOTAL = "Total regional"


# --------------------------------------------------------------------------
# Number formatting (Spanish: thousands ".", decimals ",")
# --------------------------------------------------------------------------

def fmt_num(value: float, dec: int = 0) -> str:
    text = f"{abs(value):,.{dec}f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if value < 0 and float(f"{abs(value):.{dec}f}") != 0:
        text = "-" + text
    return text


def fmt_cell(value: float, kind: str) -> str:
    if kind == "int":
        return fmt_num(value, 0)
    if kind == "d1":
        return fmt_num(value, 1)
    if kind == "d2":
        return fmt_num(value, 2)
    if kind == "pct":
        return fmt_num(value, 1) + "%"
    raise ValueError(kind)


XLSX_FORMATS = {"int": "#,##0", "d1": "#,##0.0", "d2": "0.00", "pct": "0.0%"}


def r1(x: float) -> float:
    return round(x + 0.0, 1)


def r2(x: float) -> float:
    return round(x + 0.0, 2)


# --------------------------------------------------------------------------
# Indicator data (defined once)
# --------------------------------------------------------------------------

POP = {  # comuna: (2017, 2024)
    "Puerto Arrayán": (98415, 104220),
    "Los Canelos": (38902, 41377),
    "Río Claro": (27614, 28905),
    "Santa Inés": (19230, 19018),
    "Villa Alerce": (14087, 15612),
    "Quebrada Honda": (8941, 8512),
    "San Fermín": (11326, 12044),
    "Laguna Verde": (6218, 6731),
}
POP24 = {c: POP[c][1] for c in COMUNAS}
POP_TOT17 = sum(POP[c][0] for c in COMUNAS)
POP_TOT24 = sum(POP24.values())


def weighted(values: dict[str, float], weights: dict[str, float]) -> float:
    num = sum(values[c] * weights[c] for c in values)
    return r1(num / sum(weights[c] for c in values))


class Table:
    def __init__(self, num, sheet, title, header, kinds, rows, source,
                 row_kinds=None, csv_name=None):
        self.num = num
        self.sheet = sheet
        self.title = title
        self.header = header
        self.kinds = kinds  # one per data column
        self.rows = rows  # list of (label, [values])
        self.source = source
        self.row_kinds = row_kinds or {}
        self.csv_name = csv_name
        assert len(sheet) <= 31, sheet
        for label, vals in rows:
            assert len(vals) == len(header) - 1, (num, label)
        assert len(set(header)) == len(header), num

    @property
    def caption(self) -> str:
        return f"Tabla {self.num}. {self.title}"

    def kind(self, label: str, j: int) -> str:
        return self.row_kinds.get(label, self.kinds[j])

    def text_rows(self) -> list[list[str]]:
        out = []
        for label, vals in self.rows:
            out.append([label] + [fmt_cell(v, self.kind(label, j)) for j, v in enumerate(vals)])
        return out

    def value(self, row: str, col: str) -> float:
        j = self.header.index(col) - 1
        for label, vals in self.rows:
            if label == row:
                return vals[j]
        raise KeyError((self.num, row, col))

    def cell(self, row: str, col: str) -> str:
        j = self.header.index(col) - 1
        return fmt_cell(self.value(row, col), self.kind(row, j))


def build_tables() -> dict[int, Table]:
    t: dict[int, Table] = {}

    # T1 population
    rows = []
    for c in COMUNAS:
        a, b = POP[c]
        rows.append((c, [a, b, r1((b / a - 1) * 100)]))
    rows.append((TOTAL, [POP_TOT17, POP_TOT24, r1((POP_TOT24 / POP_TOT17 - 1) * 100)]))
    t[1] = Table(1, "T1 Población",
                 "Población por comuna, censos 2017 y 2024 (habitantes)",
                 ["Comuna", "2017", "2024", "Variación 2017-2024 (%)"],
                 ["int", "int", "pct"], rows,
                 "Fuente: INE, Censo de Población y Vivienda 2017 y 2024.",
                 csv_name="indicadores-poblacion.csv")

    # T2 urban / rural
    urb = {"Puerto Arrayán": 94.1, "Los Canelos": 78.4, "Río Claro": 61.2, "Santa Inés": 48.7,
           "Villa Alerce": 52.3, "Quebrada Honda": 31.5, "San Fermín": 39.8, "Laguna Verde": 27.6}
    rows = [(c, [urb[c], r1(100 - urb[c])]) for c in COMUNAS]
    u_tot = weighted(urb, POP24)
    rows.append((TOTAL, [u_tot, r1(100 - u_tot)]))
    t[2] = Table(2, "T2 Urbano-rural",
                 "Distribución de la población urbana y rural por comuna, 2024 (% de la población comunal)",
                 ["Comuna", "Urbana (%)", "Rural (%)"], ["pct", "pct"], rows,
                 "Fuente: INE, Censo de Población y Vivienda 2024.")

    # T3 income poverty
    pov = {
        "Puerto Arrayán": (8.9, 10.4, 6.1), "Los Canelos": (11.7, 13.2, 8.4),
        "Río Claro": (14.2, 15.8, 10.9), "Santa Inés": (16.8, 18.1, 12.3),
        "Villa Alerce": (13.5, 14.9, 9.7), "Quebrada Honda": (19.4, 21.0, 15.2),
        "San Fermín": (17.2, 19.3, 13.6), "Laguna Verde": (20.1, 22.6, 16.4),
    }
    rows = [(c, list(pov[c])) for c in COMUNAS]
    rows.append((TOTAL, [weighted({c: pov[c][k] for c in COMUNAS}, POP24) for k in range(3)]))
    t[3] = Table(3, "T3 Pobreza ingresos",
                 "Tasa de pobreza por ingresos por comuna, 2017, 2020 y 2022 (% de personas)",
                 ["Comuna", "2017", "2020", "2022"], ["pct"] * 3, rows,
                 "Fuente: Ministerio de Desarrollo Social y Familia, Encuesta Casen 2017, 2020 y 2022; "
                 "estimaciones comunales con metodología de áreas pequeñas.")

    # T4 multidimensional poverty
    mdp = {
        "Puerto Arrayán": (14.8, 12.9), "Los Canelos": (19.6, 17.1), "Río Claro": (23.4, 20.2),
        "Santa Inés": (25.9, 22.7), "Villa Alerce": (21.3, 18.8), "Quebrada Honda": (31.7, 27.4),
        "San Fermín": (27.5, 24.0), "Laguna Verde": (33.2, 29.1),
    }
    rows = [(c, list(mdp[c])) for c in COMUNAS]
    rows.append((TOTAL, [weighted({c: mdp[c][k] for c in COMUNAS}, POP24) for k in range(2)]))
    t[4] = Table(4, "T4 Pobreza multidim.",
                 "Tasa de pobreza multidimensional por comuna, 2017 y 2022 (% de personas)",
                 ["Comuna", "2017", "2022"], ["pct"] * 2, rows,
                 "Fuente: Ministerio de Desarrollo Social y Familia, Encuesta Casen 2017 y 2022; "
                 "estimaciones comunales con metodología de áreas pequeñas.")

    # T5 firms by size
    firms = {
        "Micro": [14812, 14390, 15106, 15583, 15927],
        "Pequeña": [3204, 3051, 3187, 3342, 3410],
        "Mediana": [418, 401, 427, 446, 452],
        "Grande": [142, 139, 146, 151, 155],
    }
    rows = [(k, v) for k, v in firms.items()]
    rows.append((TOTAL, [sum(firms[k][i] for k in firms) for i in range(5)]))
    t[5] = Table(5, "T5 Empresas",
                 "Número de empresas por tamaño según ventas, 2019-2023",
                 ["Tamaño de empresa", "2019", "2020", "2021", "2022", "2023"], ["int"] * 5, rows,
                 "Fuente: Servicio de Impuestos Internos (SII), estadísticas de empresas por región, 2019-2023.")

    # T6 dependent workers by firm size, 2023
    workers = {"Micro": 9846, "Pequeña": 21573, "Mediana": 18920, "Grande": 41266}
    wtot = sum(workers.values())
    rows = [(k, [v, r1(v / wtot * 100)]) for k, v in workers.items()]
    rows.append((TOTAL, [wtot, 100.0]))
    t[6] = Table(6, "T6 Trabajadores",
                 "Trabajadores dependientes informados por tamaño de empresa, 2023 (número y %)",
                 ["Tamaño de empresa", "Trabajadores dependientes", "Participación (%)"],
                 ["int", "pct"], rows,
                 "Fuente: Servicio de Impuestos Internos (SII), trabajadores dependientes informados, 2023.")

    # T7 employed by sector 2023 (thousands)
    emp = {
        "Agricultura, ganadería y silvicultura": 14.8,
        "Pesca y acuicultura": 9.6,
        "Industria manufacturera": 13.1,
        "Construcción": 8.7,
        "Comercio": 17.4,
        "Transporte y almacenamiento": 6.2,
        "Alojamiento y servicios de comida": 5.9,
        "Enseñanza": 8.3,
        "Salud y asistencia social": 7.1,
        "Administración pública y defensa": 5.4,
        "Otros servicios": 10.5,
    }
    etot = r1(sum(emp.values()))
    rows = [(k, [v, r1(v / etot * 100)]) for k, v in emp.items()]
    rows.append((TOTAL, [etot, 100.0]))
    t[7] = Table(7, "T7 Ocupados rama",
                 "Ocupados por rama de actividad económica, 2023 (miles de personas y %)",
                 ["Rama de actividad", "Ocupados (miles)", "Participación (%)"], ["d1", "pct"], rows,
                 "Fuente: INE, Encuesta Nacional de Empleo (ENE), promedio anual 2023.")

    # T8 unemployment by sex
    rows = [
        ("Hombres", [6.8, 5.9, 6.1, 5.7]),
        ("Mujeres", [9.4, 8.2, 8.5, 7.9]),
        ("Ambos sexos", [7.9, 6.9, 7.1, 6.6]),
    ]
    t[8] = Table(8, "T8 Desocupación",
                 "Tasa de desocupación regional por sexo, 2021-2024 (% de la fuerza de trabajo)",
                 ["Sexo", "2021", "2022", "2023", "2024"], ["pct"] * 4, rows,
                 "Fuente: INE, Encuesta Nacional de Empleo (ENE), promedios anuales 2021-2024.")

    # T9 labour participation by commune and sex 2022
    part = {
        "Puerto Arrayán": (53.4, 72.1), "Los Canelos": (49.8, 71.5), "Río Claro": (45.2, 70.3),
        "Santa Inés": (41.7, 69.4), "Villa Alerce": (47.9, 71.0), "Quebrada Honda": (38.6, 68.2),
        "San Fermín": (40.3, 69.8), "Laguna Verde": (36.9, 67.5),
    }
    rows = [(c, [part[c][0], part[c][1], r1(part[c][1] - part[c][0])]) for c in COMUNAS]
    fw = weighted({c: part[c][0] for c in COMUNAS}, POP24)
    mw = weighted({c: part[c][1] for c in COMUNAS}, POP24)
    rows.append((TOTAL, [fw, mw, r1(mw - fw)]))
    t[9] = Table(9, "T9 Participación laboral",
                 "Tasa de participación laboral por sexo y comuna, 2022 (% de la población de 15 años y más)",
                 ["Comuna", "Mujeres (%)", "Hombres (%)", "Brecha (puntos porcentuales)"],
                 ["pct", "pct", "d1"], rows,
                 "Fuente: Ministerio de Desarrollo Social y Familia, Encuesta Casen 2022, estimaciones comunales.")

    # T10 exports by sector (million USD FOB)
    exp = {
        "Salmón y trucha": [1184.6, 1352.9, 1721.4, 1648.2],
        "Mejillones y otros moluscos": [128.3, 141.7, 166.5, 158.9],
        "Celulosa, madera y productos forestales": [214.8, 268.1, 301.6, 247.3],
        "Berries y fruta": [62.4, 71.9, 68.2, 79.5],
        "Productos lácteos": [18.7, 21.3, 26.8, 29.4],
        "Otros productos": [35.2, 38.6, 41.1, 44.7],
    }
    rows = [(k, v) for k, v in exp.items()]
    rows.append((TOTAL, [r1(sum(exp[k][i] for k in exp)) for i in range(4)]))
    t[10] = Table(10, "T10 Exportaciones",
                  "Exportaciones por sector, 2020-2023 (millones de dólares FOB)",
                  ["Sector exportador", "2020", "2021", "2022", "2023"], ["d1"] * 4, rows,
                  "Fuente: Banco Central de Chile y Servicio Nacional de Aduanas, exportaciones por región de origen.")

    # T11 tourist arrivals
    arr = {
        "Puerto Arrayán": (142318, 118604, 151227), "Los Canelos": (31905, 27412, 34118),
        "Río Claro": (12447, 10930, 13802), "Santa Inés": (6214, 5387, 7026),
        "Villa Alerce": (24876, 22145, 28391), "Quebrada Honda": (3102, 2876, 3541),
        "San Fermín": (4590, 4012, 5103), "Laguna Verde": (9738, 9105, 11264),
    }
    rows = [(c, list(arr[c])) for c in COMUNAS]
    rows.append((TOTAL, [sum(arr[c][k] for c in COMUNAS) for k in range(3)]))
    t[11] = Table(11, "T11 Llegadas turistas",
                  "Llegadas de turistas a establecimientos de alojamiento turístico por comuna, 2019, 2022 y 2023 (número)",
                  ["Comuna", "2019", "2022", "2023"], ["int"] * 3, rows,
                  "Fuente: INE, Encuesta Mensual de Alojamiento Turístico (EMAT), 2019, 2022 y 2023.")

    # T12 overnight stays, beds, average stay 2023
    nights = {"Puerto Arrayán": 268934, "Los Canelos": 61540, "Río Claro": 24118, "Santa Inés": 11972,
              "Villa Alerce": 67233, "Quebrada Honda": 7409, "San Fermín": 8846, "Laguna Verde": 25107}
    beds = {"Puerto Arrayán": 4812, "Los Canelos": 1236, "Río Claro": 548, "Santa Inés": 310,
            "Villa Alerce": 1402, "Quebrada Honda": 186, "San Fermín": 244, "Laguna Verde": 692}
    rows = [(c, [nights[c], beds[c], r2(nights[c] / arr[c][2])]) for c in COMUNAS]
    ntot, btot, atot = sum(nights.values()), sum(beds.values()), sum(arr[c][2] for c in COMUNAS)
    rows.append((TOTAL, [ntot, btot, r2(ntot / atot)]))
    t[12] = Table(12, "T12 Pernoctaciones",
                  "Pernoctaciones, plazas y estadía promedio en alojamiento turístico por comuna, 2023",
                  ["Comuna", "Pernoctaciones", "Plazas", "Estadía promedio (noches)"],
                  ["int", "int", "d2"], rows,
                  "Fuente: INE, Encuesta Mensual de Alojamiento Turístico (EMAT), 2023. "
                  "La estadía promedio corresponde a pernoctaciones divididas por llegadas.")

    # T13 technical-professional enrolment 2023
    tp = {
        "Puerto Arrayán": (3418, 46.2, 9), "Los Canelos": (1276, 43.8, 4), "Río Claro": (902, 41.5, 3),
        "Santa Inés": (514, 39.7, 2), "Villa Alerce": (437, 48.1, 2), "Quebrada Honda": (168, 35.1, 1),
        "San Fermín": (301, 40.2, 1), "Laguna Verde": (122, 37.7, 1),
    }
    rows = [(c, list(tp[c])) for c in COMUNAS]
    rows.append((TOTAL, [sum(tp[c][0] for c in COMUNAS),
                         weighted({c: tp[c][1] for c in COMUNAS}, {c: tp[c][0] for c in COMUNAS}),
                         sum(tp[c][2] for c in COMUNAS)]))
    t[13] = Table(13, "T13 Matrícula TP",
                  "Matrícula de educación media técnico-profesional por comuna, 2023",
                  ["Comuna", "Matrícula técnico-profesional", "Mujeres (%)", "Liceos técnico-profesionales"],
                  ["int", "pct", "int"], rows,
                  "Fuente: Ministerio de Educación, Centro de Estudios, matrícula oficial 2023.")

    # T14 agricultural area by crop 2021
    area = {
        "Praderas permanentes y de rotación": 148620,
        "Cereales (trigo y avena)": 12480,
        "Papa": 4915,
        "Arándano": 3362,
        "Frambuesa": 1148,
        "Avellano europeo": 2706,
        "Hortalizas": 1037,
        "Otros cultivos": 2184,
    }
    atot_ha = sum(area.values())
    rows = [(k, [v, r1(v / atot_ha * 100)]) for k, v in area.items()]
    rows.append((TOTAL, [atot_ha, 100.0]))
    t[14] = Table(14, "T14 Superficie agrícola",
                  "Superficie agrícola por cultivo, 2021 (hectáreas y %)",
                  ["Cultivo", "Superficie (ha)", "Participación (%)"], ["int", "pct"], rows,
                  "Fuente: INE, VIII Censo Agropecuario y Forestal 2021.")

    # T15 aquaculture harvest by species (t)
    harv = {
        "Salmón del Atlántico": [198412, 211908, 204315, 219774, 208106],
        "Salmón coho": [41260, 38905, 44712, 40118, 42893],
        "Trucha arcoíris": [18774, 16230, 14902, 15661, 13985],
        "Chorito (mejillón)": [96318, 102447, 99806, 108932, 104275],
        "Ostra y ostión": [1126, 1048, 1213, 1307, 1392],
        "Algas (pelillo)": [12905, 11732, 13418, 12264, 14037],
    }
    rows = [(k, v) for k, v in harv.items()]
    rows.append((TOTAL, [sum(harv[k][i] for k in harv) for i in range(5)]))
    t[15] = Table(15, "T15 Cosecha acuícola",
                  "Cosecha de centros de acuicultura por especie, 2019-2023 (toneladas)",
                  ["Especie", "2019", "2020", "2021", "2022", "2023"], ["int"] * 5, rows,
                  "Fuente: Sernapesca, Anuario Estadístico de Pesca y Acuicultura, 2019-2023.")

    # T16 dairy
    milk_l = "Leche recibida en plantas (millones de litros)"
    milk_p = "Productores que entregan leche (número)"
    milk_price = "Precio pagado a productor ($ por litro)"
    rows = [
        (milk_l, [412.6, 418.3, 405.9, 389.2, 397.8]),
        (milk_p, [1842, 1796, 1731, 1664, 1618]),
        (milk_price, [258.4, 272.1, 301.7, 389.5, 372.6]),
    ]
    t[16] = Table(16, "T16 Lechería",
                  "Recepción de leche en plantas, productores y precio a productor, 2019-2023",
                  ["Indicador", "2019", "2020", "2021", "2022", "2023"], ["d1"] * 5, rows,
                  "Fuente: ODEPA, Boletín de la leche, recepción en plantas de la región, 2019-2023.",
                  row_kinds={milk_p: "int"})

    # T17 fixed internet 2023
    net = {"Puerto Arrayán": 78.6, "Los Canelos": 64.3, "Río Claro": 52.8, "Santa Inés": 44.1,
           "Villa Alerce": 57.9, "Quebrada Honda": 29.4, "San Fermín": 38.2, "Laguna Verde": 31.7}
    acc = {c: int(round(POP24[c] / 2.9 * net[c] / 100)) for c in COMUNAS}
    rows = [(c, [acc[c], net[c]]) for c in COMUNAS]
    rows.append((TOTAL, [sum(acc.values()), weighted(net, POP24)]))
    t[17] = Table(17, "T17 Internet fija",
                  "Hogares con conexión a internet fija por comuna, 2023 (accesos y % de hogares)",
                  ["Comuna", "Accesos fijos residenciales", "Hogares con internet fija (%)"],
                  ["int", "pct"], rows,
                  "Fuente: Subtel, series de accesos a internet fija, diciembre de 2023; INE, proyección de hogares 2023.")
    return t


TABLES = build_tables()
T = TABLES
P = fmt_cell  # short alias for prose


def pct(v: float) -> str:
    return fmt_cell(v, "pct")


# --------------------------------------------------------------------------
# Document model: list of (kind, payload) blocks
#   title, subtitle, h1 (##), h2 (###), h3 (####), p, li, meta, table,
#   cols_on / cols_off (PDF two-column region)
# --------------------------------------------------------------------------

def indicators_blocks() -> list[tuple]:
    t1, t5, t7, t8, t9, t10, t11, t12 = T[1], T[5], T[7], T[8], T[9], T[10], T[11], T[12]
    share_pa = r1(POP24["Puerto Arrayán"] / POP_TOT24 * 100)
    micro_share = r1(t5.value("Micro", "2023") / t5.value(TOTAL, "2023") * 100)
    exp22, exp23 = t10.value(TOTAL, "2022"), t10.value(TOTAL, "2023")
    exp_var = r1((exp23 / exp22 - 1) * 100)
    assert exp_var < 0
    salmon_share = r1(t10.value("Salmón y trucha", "2023") / exp23 * 100)
    pa_tour = r1(t11.value("Puerto Arrayán", "2023") / t11.value(TOTAL, "2023") * 100)
    assert t11.value(TOTAL, "2023") > t11.value(TOTAL, "2019")
    pasture_share = T[14].value("Praderas permanentes y de rotación", "Participación (%)")

    b: list[tuple] = [
        ("title", IND_TITLE),
        ("subtitle", "Gobierno Regional de Los Arrayanes, División de Planificación y Desarrollo Regional"),
        ("subtitle", DATE_LINE),
        ("h1", "Presentación"),
        ("p", "Este reporte reúne los principales indicadores sociales, económicos y territoriales de la "
              "Región de Los Arrayanes y de sus ocho comunas. Acompaña a la Estrategia Regional de Desarrollo "
              "2025-2035 y sirve como línea de base para el seguimiento de sus metas al 2030."),
        ("p", "Las cifras provienen de fuentes oficiales. Las tasas comunales de pobreza y de participación "
              "laboral son estimaciones para áreas pequeñas y deben interpretarse con cautela en las comunas "
              "de menor población. Salvo indicación contraria, los porcentajes se expresan con un decimal."),
        ("h1", "1. Población"),
        ("p", f"La población regional alcanzó {P(POP_TOT24, 'int')} habitantes en el Censo 2024, con un "
              f"crecimiento de {pct(t1.value(TOTAL, 'Variación 2017-2024 (%)'))} respecto de 2017. Puerto Arrayán "
              f"concentra el {pct(share_pa)} de los habitantes y explica la mayor parte del aumento, mientras "
              f"que Santa Inés y Quebrada Honda registraron caídas de población."),
        ("table", 1),
        ("p", "La región mantiene una alta proporción de población rural. En Laguna Verde y Quebrada Honda "
              "más de dos tercios de los habitantes viven en zonas rurales, lo que encarece la provisión de "
              "servicios y la conectividad."),
        ("table", 2),
        ("h1", "2. Pobreza"),
        ("p", f"La pobreza por ingresos aumentó en 2020 por los efectos de la pandemia y se redujo en 2022 en "
              f"todas las comunas. La tasa regional pasó de {T[3].cell(TOTAL, '2017')} en 2017 a "
              f"{T[3].cell(TOTAL, '2022')} en 2022. Las comunas rurales del litoral, Laguna Verde y Quebrada "
              f"Honda, presentan las tasas más altas."),
        ("table", 3),
        ("p", "La pobreza multidimensional, que considera educación, salud, trabajo y seguridad social, "
              "vivienda y entorno, y redes y cohesión social, también disminuyó entre 2017 y 2022, aunque en "
              "Laguna Verde todavía afecta a cerca de tres de cada diez personas."),
        ("table", 4),
        ("h1", "3. Estructura empresarial"),
        ("p", f"El número de empresas cayó en 2020 y se recuperó desde 2021. En 2023 la región registró "
              f"{t5.cell(TOTAL, '2023')} empresas, de las cuales el {pct(micro_share)} eran microempresas."),
        ("table", 5),
        ("p", f"Aunque las grandes empresas son una fracción mínima del total, concentran el "
              f"{T[6].cell('Grande', 'Participación (%)')} del empleo dependiente formal, principalmente en la "
              f"salmonicultura, las plantas de proceso y el sector forestal."),
        ("table", 6),
        ("h1", "4. Mercado laboral"),
        ("p", f"En 2023 la región promedió {t7.cell(TOTAL, 'Ocupados (miles)')} mil ocupados. El comercio, la "
              f"agricultura, ganadería y silvicultura, y la industria manufacturera, que incluye las plantas de "
              f"proceso de salmón y mitílidos, son las ramas con más ocupados."),
        ("table", 7),
        ("p", f"La tasa de desocupación regional se redujo de {t8.cell('Ambos sexos', '2021')} en 2021 a "
              f"{t8.cell('Ambos sexos', '2024')} en 2024. La desocupación de las mujeres se mantiene "
              f"sistemáticamente por sobre la de los hombres."),
        ("table", 8),
        ("p", f"La participación laboral de las mujeres alcanzó {t9.cell(TOTAL, 'Mujeres (%)')} en 2022, con una "
              f"brecha de {t9.cell(TOTAL, 'Brecha (puntos porcentuales)')} puntos porcentuales respecto de los "
              f"hombres. Las comunas rurales presentan las tasas femeninas más bajas."),
        ("table", 9),
        ("h1", "5. Comercio exterior"),
        ("p", f"Las exportaciones regionales sumaron {P(exp23, 'd1')} millones de dólares en 2023, una caída de "
              f"{pct(-exp_var)} respecto de 2022, por menores precios de la celulosa y del salmón. El salmón y la "
              f"trucha representaron el {pct(salmon_share)} del valor exportado, mientras que los berries y los "
              f"productos lácteos aumentaron sus envíos."),
        ("table", 10),
        ("h1", "6. Turismo"),
        ("p", f"Las llegadas de turistas a establecimientos de alojamiento se recuperaron en 2023 y superaron el "
              f"nivel previo a la pandemia. Puerto Arrayán recibe el {pct(pa_tour)} de las llegadas, seguido de "
              f"Los Canelos y Villa Alerce."),
        ("table", 11),
        ("p", f"La estadía promedio regional es de {t12.cell(TOTAL, 'Estadía promedio (noches)')} noches. Villa "
              f"Alerce, puerta de entrada al Parque Nacional Alerces, y Laguna Verde registran estadías más "
              f"largas que la capital regional."),
        ("table", 12),
        ("h1", "7. Educación técnico-profesional"),
        ("p", f"En 2023 la región tenía {T[13].cell(TOTAL, 'Matrícula técnico-profesional')} estudiantes en la "
              f"educación media técnico-profesional, en {T[13].cell(TOTAL, 'Liceos técnico-profesionales')} "
              f"liceos. La participación de mujeres en esta modalidad es menor en las comunas rurales."),
        ("table", 13),
        ("h1", "8. Sector silvoagropecuario y acuícola"),
        ("p", f"Las praderas permanentes y de rotación, base de la lechería, ocupan el {pct(pasture_share)} de "
              f"la superficie agrícola censada. El arándano y el avellano europeo son los cultivos frutales de "
              f"mayor superficie."),
        ("table", 14),
        ("p", f"La cosecha acuícola está dominada por el salmón del Atlántico y el chorito. En 2023 la cosecha "
              f"total alcanzó {T[15].cell(TOTAL, '2023')} toneladas."),
        ("table", 15),
        ("p", "La recepción de leche en plantas alcanzó su máximo en 2020, cayó hasta 2022 y se recuperó "
              "parcialmente en 2023, en un contexto de disminución sostenida del número de productores que "
              "entregan leche."),
        ("table", 16),
        ("h1", "9. Conectividad digital"),
        ("p", f"La conectividad digital presenta fuertes brechas territoriales: mientras en Puerto Arrayán el "
              f"{T[17].cell('Puerto Arrayán', 'Hogares con internet fija (%)')} de los hogares tiene internet "
              f"fija, en Quebrada Honda la proporción es de "
              f"{T[17].cell('Quebrada Honda', 'Hogares con internet fija (%)')}."),
        ("table", 17),
    ]
    return b


ABBREVIATIONS = [
    "ERD: Estrategia Regional de Desarrollo",
    "LE: Lineamiento Estratégico",
    "OE: Objetivo Estratégico",
    "AE: Acción Estratégica",
    "AFC: Agricultura Familiar Campesina",
    "APL: Acuerdo de Producción Limpia",
    "APR: Agua Potable Rural",
    "CFT: Centro de Formación Técnica",
    "CORFO: Corporación de Fomento de la Producción",
    "FIC-R: Fondo de Innovación para la Competitividad regional",
    "INDAP: Instituto de Desarrollo Agropecuario",
    "INE: Instituto Nacional de Estadísticas",
    "SAG: Servicio Agrícola y Ganadero",
    "SENCE: Servicio Nacional de Capacitación y Empleo",
    "SERCOTEC: Servicio de Cooperación Técnica",
    "SERNATUR: Servicio Nacional de Turismo",
    "Sernapesca: Servicio Nacional de Pesca y Acuicultura",
    "SII: Servicio de Impuestos Internos",
    "Subtel: Subsecretaría de Telecomunicaciones",
]

# Strategy: axes -> lines -> objectives -> (text, [actions], meta)
AXES = [
    ("Eje 1: Diversificación productiva e innovación",
     "La economía de Los Arrayanes depende en alto grado de la salmonicultura y de la exportación de materias "
     "primas. Este eje busca ampliar la base productiva regional, incorporar conocimiento a los sectores "
     "tradicionales y abrir espacio a actividades de mayor valor agregado.",
     [
         ("Innovación y transferencia tecnológica", [
             ("Fortalecer la transferencia tecnológica desde universidades y centros de investigación hacia las pymes agroalimentarias de la región.",
              ["Crear una oficina regional de transferencia tecnológica con sede en Puerto Arrayán y antenas territoriales en Los Canelos y Río Claro.",
               "Cofinanciar con CORFO programas de extensionismo tecnológico para queserías, plantas de berries congelados y productores hortícolas.",
               "Realizar giras tecnológicas anuales de productores a centros de referencia nacionales."],
              "200 pymes agroalimentarias con al menos un proyecto de transferencia tecnológica ejecutado."),
             ("Incrementar la investigación aplicada a la sanidad y el bienestar animal en la acuicultura de salmónidos y mitílidos.",
              ["Destinar una línea permanente del FIC-R a proyectos de investigación y desarrollo en sanidad acuícola.",
               "Habilitar en Quebrada Honda un laboratorio regional de diagnóstico de enfermedades de peces y moluscos."],
              "12 proyectos de investigación en sanidad acuícola adjudicados y un laboratorio de diagnóstico operando en Quebrada Honda."),
             ("Acelerar la adopción de herramientas digitales de gestión, trazabilidad y comercio electrónico en micro y pequeñas empresas.",
              ["Implementar con SERCOTEC el programa de asesoría «Pyme Arrayán Digital».",
               "Subsidiar la incorporación de sistemas de trazabilidad en productores de leche, carne y berries.",
               "Habilitar una plataforma regional de comercio electrónico para productos con sello de origen."],
              "1.500 micro y pequeñas empresas con al menos una herramienta digital incorporada y en uso."),
             ("Impulsar emprendimientos de base científico-tecnológica vinculados a los recursos naturales de la región.",
              ["Crear una incubadora regional de negocios de base científica en alianza con las universidades con sede en Puerto Arrayán.",
               "Financiar asesoría en propiedad intelectual, patentes y registro de variedades vegetales."],
              "30 emprendimientos de base tecnológica incubados y 10 solicitudes de patente o de registro de variedades presentadas."),
         ]),
         ("Valor agregado silvoagropecuario", [
             ("Aumentar el valor agregado de la producción lechera mediante quesos maduros, derivados lácteos y sellos de origen.",
              ["Apoyar la inversión en salas de maduración y envasado de quesos en plantas pequeñas y medianas.",
               "Tramitar un sello de origen para el queso de campo de Los Arrayanes.",
               "Fortalecer con INDAP y el SAG los programas de mejoramiento genético del rebaño y de praderas."],
              "30% de la leche recibida en plantas regionales destinada a quesos maduros y derivados de mayor valor."),
             ("Consolidar la cadena de los berries mediante renovación varietal, certificación de buenas prácticas y centros de acopio con frío.",
              ["Construir centros de acopio con cadena de frío en Río Claro, Santa Inés y San Fermín.",
               "Cofinanciar la renovación de huertos de arándano con variedades adaptadas y de cosecha tardía."],
              "120 productores de berries certificados en Buenas Prácticas Agrícolas y tres centros de acopio en funcionamiento."),
             ("Orientar el sector forestal hacia el manejo sustentable y la fabricación de productos de madera de mayor valor para la construcción.",
              ["Promover la certificación de manejo forestal sustentable en pequeños y medianos propietarios.",
               "Atraer inversión en plantas de madera laminada y paneles para construcción industrializada en madera.",
               "Apoyar la restauración de bosque nativo en las cuencas que abastecen de agua a las ciudades."],
              "25.000 hectáreas con certificación de manejo forestal sustentable y dos plantas de madera de ingeniería operando."),
             ("Ampliar el acceso de la agricultura familiar campesina a mercados locales, compras públicas y circuitos cortos de comercialización.",
              ["Crear ferias campesinas permanentes en Puerto Arrayán, Los Canelos y Villa Alerce.",
               "Establecer convenios de abastecimiento con los programas de alimentación escolar y los hospitales públicos de la región."],
              "400 productores de la AFC vendiendo regularmente a compras públicas o a ferias permanentes."),
         ]),
         ("Acuicultura y economía del mar", [
             ("Reducir el impacto ambiental de la salmonicultura en fiordos y canales mediante acuerdos de producción limpia y monitoreo de fondos marinos.",
              ["Suscribir un APL regional entre las empresas salmonicultoras, Sernapesca y el Gobierno Regional.",
               "Instalar una red pública de monitoreo de oxígeno disuelto y sedimentos en cuatro bahías de uso acuícola.",
               "Publicar cada año un reporte de escapes, mortalidades y uso de antibióticos por barrio acuícola."],
              "100% de los centros de cultivo de salmónidos adheridos al APL y red de monitoreo operando en cuatro bahías."),
             ("Diversificar la acuicultura de pequeña escala (mitilicultura, ostricultura y cultivo de algas) en las caletas de Quebrada Honda y Laguna Verde.",
              ["Acompañar a las organizaciones de pescadores artesanales en la tramitación de concesiones de acuicultura de pequeña escala.",
               "Cofinanciar semilla, sistemas de cultivo suspendido y embarcaciones de trabajo."],
              "60 organizaciones de pescadores artesanales con cultivos de pequeña escala en producción."),
             ("Desarrollar una industria de valorización de residuos y coproductos del mar, como conchas de chorito, ensilaje y aceites.",
              ["Instalar una planta de procesamiento de conchas de mitílidos para producir carbonato de calcio y enmiendas agrícolas.",
               "Financiar estudios de mercado para harinas y aceites obtenidos de los descartes de las plantas de proceso."],
              "70% de las conchas de mitílidos generadas en la región valorizadas como materia prima."),
         ]),
     ]),
    ("Eje 2: Turismo, cultura y territorio",
     "Los Arrayanes cuenta con fiordos, lagos, bosques templados y un patrimonio cultural de raíz mapuche-huilliche "
     "y colona. Este eje busca convertir esos activos en una actividad turística de calidad y distribuida en el "
     "territorio, y mejorar la conectividad física y digital de las localidades aisladas.",
     [
         ("Turismo de naturaleza y destinos", [
             ("Posicionar el destino «Fiordos y Lagos de Los Arrayanes» en los mercados nacional e internacional de turismo de naturaleza.",
              ["Diseñar con SERNATUR una marca de destino y una campaña de promoción plurianual.",
               "Participar en ferias internacionales de turismo aventura y de observación de fauna.",
               "Habilitar un sistema regional de información turística en línea y oficinas en Puerto Arrayán y Villa Alerce."],
              "350.000 llegadas anuales de turistas a establecimientos de alojamiento turístico."),
             ("Dotar a las áreas protegidas de infraestructura de uso público, como senderos, miradores y centros de visitantes.",
              ["Construir un centro de visitantes en el acceso norte del Parque Nacional Alerces, en Villa Alerce.",
               "Habilitar y señalizar senderos con accesibilidad universal en la Reserva Nacional Laguna Verde."],
              "120 kilómetros de senderos habilitados y señalizados en las áreas protegidas de la región."),
             ("Elevar la calidad de los servicios turísticos mediante la formalización de prestadores y la certificación de calidad y sustentabilidad.",
              ["Realizar jornadas de formalización y registro de prestadores turísticos en todas las comunas.",
               "Cofinanciar la obtención del Sello Q de calidad y del Sello S de sustentabilidad turística."],
              "180 prestadores de servicios turísticos registrados y con Sello Q o Sello S vigente."),
             ("Reducir la estacionalidad del turismo con productos para la temporada baja, como termas, gastronomía, observación de fauna y turismo de reuniones.",
              ["Desarrollar un calendario regional de eventos gastronómicos y culturales entre mayo y septiembre.",
               "Habilitar en Puerto Arrayán un centro de convenciones de escala media.",
               "Apoyar la puesta en valor de las termas de Río Claro."],
              "tasa de ocupación de plazas entre mayo y septiembre de 35%, frente a 22% en 2023."),
         ]),
         ("Turismo rural, patrimonio y cultura", [
             ("Desarrollar el turismo rural y el agroturismo en Los Canelos, Santa Inés y San Fermín, en vínculo con la agricultura familiar campesina.",
              ["Crear una ruta agroturística de lecherías, huertos de berries y cocinerías rurales.",
               "Capacitar a familias campesinas en hospitalidad, inocuidad alimentaria y gestión de reservas."],
              "90 emprendimientos de turismo rural apoyados por INDAP y SERCOTEC y operando de forma regular."),
             ("Poner en valor el patrimonio cultural material e inmaterial, incluidas las iglesias de madera, las fiestas costumbristas y la cultura mapuche-huilliche.",
              ["Restaurar iglesias y capillas de madera declaradas monumento histórico.",
               "Apoyar iniciativas de turismo mapuche-huilliche gestionadas por las propias comunidades.",
               "Diseñar rutas patrimoniales señalizadas con información bilingüe."],
              "15 rutas patrimoniales señalizadas y 10 iglesias de madera restauradas."),
             ("Fortalecer las industrias creativas regionales, como la artesanía en lana y madera, la música y el audiovisual, y su comercialización.",
              ["Crear un registro regional de artesanos y un sello de autenticidad de la artesanía local.",
               "Habilitar tiendas colectivas de artesanía en el terminal de pasajeros del puerto y en el aeródromo regional."],
              "250 artesanos registrados con acceso a canales de venta permanentes."),
         ]),
         ("Conectividad y ordenamiento territorial", [
             ("Mejorar la conectividad vial y marítima de las localidades aisladas mediante caminos rurales y rutas de barcaza subsidiadas.",
              ["Mejorar con soluciones básicas de pavimento los caminos rurales que unen Quebrada Honda y Laguna Verde con la red vial principal.",
               "Licitar dos nuevos servicios subsidiados de barcaza hacia islas y caletas."],
              "180 kilómetros de caminos rurales con carpeta mejorada y dos nuevas rutas de barcaza en operación."),
             ("Modernizar la logística del puerto de Puerto Arrayán y su conexión con los centros productivos.",
              ["Ampliar el frente de atraque y la zona de respaldo para carga refrigerada.",
               "Implementar un sistema de comunidad portuaria con ventanilla única para los trámites de carga.",
               "Construir un acceso alternativo al puerto que evite el paso de camiones por el centro de la ciudad."],
              "reducción de 36 a 24 horas en el tiempo promedio de permanencia de las naves en el puerto."),
             ("Cerrar la brecha de conectividad digital mediante el despliegue de banda ancha fija y móvil en zonas rurales.",
              ["Cofinanciar con Subtel proyectos de fibra óptica hasta las cabeceras comunales de Quebrada Honda, San Fermín y Laguna Verde.",
               "Instalar puntos de acceso público gratuito a internet en escuelas rurales y postas de salud."],
              "al menos 60% de los hogares con internet fija en cada comuna de la región."),
         ]),
     ]),
    ("Eje 3: Capital humano y empleo",
     "La región enfrenta brechas de calificación, una baja participación laboral de las mujeres y una alta "
     "informalidad en sectores como el comercio y la pesca artesanal. Este eje busca formar las competencias que "
     "demandan los sectores productivos, mejorar la calidad del empleo y fortalecer a las empresas de menor tamaño.",
     [
         ("Formación técnica y competencias laborales", [
             ("Articular la educación media técnico-profesional con las necesidades de la acuicultura, la agroindustria y el turismo.",
              ["Actualizar las especialidades de los liceos técnico-profesionales con participación de las empresas.",
               "Implementar la formación dual con prácticas en centros de cultivo, plantas lecheras y hoteles."],
              "60% de los liceos técnico-profesionales de la región con convenios de formación dual vigentes."),
             ("Consolidar el CFT estatal de la región, con sede en Río Claro, y extender su oferta a las comunas rurales.",
              ["Abrir carreras técnicas en acuicultura, mantenimiento industrial, enfermería y gastronomía.",
               "Crear sedes satélite en Villa Alerce y San Fermín con modalidad semipresencial."],
              "1.200 estudiantes matriculados en el CFT estatal."),
             ("Certificar las competencias laborales de trabajadores con experiencia que no cuentan con títulos formales.",
              ["Levantar perfiles ocupacionales para operarios de centros de cultivo, maestros queseros y guías de turismo.",
               "Financiar procesos de evaluación y certificación de competencias con ChileValora y SENCE."],
              "3.000 trabajadores con competencias laborales certificadas."),
             ("Mejorar el dominio del inglés y las habilidades digitales de quienes trabajan en turismo y servicios.",
              ["Ofrecer cursos de inglés aplicado al turismo en horarios compatibles con la temporada alta.",
               "Impartir talleres de alfabetización digital para trabajadores del comercio y los servicios."],
              "800 trabajadores del turismo con nivel B1 de inglés acreditado."),
         ]),
         ("Empleo de calidad e inclusión laboral", [
             ("Aumentar la participación laboral de las mujeres mediante servicios de cuidado, transporte rural y programas de empleabilidad.",
              ["Ampliar la cobertura de salas cuna y jardines infantiles con horario extendido en las comunas rurales.",
               "Subsidiar el transporte de trabajadoras de plantas de proceso y del agro en horarios de turno.",
               "Ejecutar programas de formación en oficios no tradicionales para mujeres."],
              "tasa de participación laboral femenina regional de 55%."),
             ("Facilitar la inserción laboral de los jóvenes que no estudian ni trabajan.",
              ["Crear un programa de primer empleo con bonificación a la contratación en pymes.",
               "Establecer servicios de orientación laboral juvenil en los liceos y en las oficinas municipales de intermediación laboral."],
              "reducción en un tercio del número de jóvenes de 18 a 24 años que no estudian ni trabajan."),
             ("Reducir la informalidad laboral en el comercio, la construcción y la pesca artesanal.",
              ["Acompañar la formalización tributaria y previsional de trabajadores por cuenta propia.",
               "Difundir los beneficios de la seguridad social entre pescadores artesanales y trabajadores de la construcción."],
              "reducción de la tasa de ocupación informal regional en cinco puntos porcentuales."),
             ("Mejorar la seguridad y salud en el trabajo en centros de cultivo, plantas de proceso y faenas forestales.",
              ["Implementar un programa regional de prevención de accidentes de buceo en la acuicultura.",
               "Fiscalizar junto con la Dirección del Trabajo las condiciones laborales en las faenas forestales."],
              "tasa de accidentabilidad en acuicultura y silvicultura inferior a 2,5 accidentes por cada 100 trabajadores."),
         ]),
         ("Emprendimiento, pymes y mercados externos", [
             ("Ampliar la cobertura de los Centros de Negocios de SERCOTEC hacia las comunas rurales.",
              ["Instalar puntos de atención itinerantes en Quebrada Honda, San Fermín y Laguna Verde.",
               "Ofrecer asesoría especializada a emprendimientos liderados por mujeres."],
              "2.500 empresas de menor tamaño asesoradas por un Centro de Negocios."),
             ("Facilitar el acceso de las pymes al financiamiento mediante garantías, fondos regionales y microcrédito.",
              ["Crear un fondo regional de garantías en alianza con CORFO.",
               "Promover el microcrédito y el ahorro en las cooperativas de ahorro y crédito locales."],
              "1.000 operaciones de crédito a pymes respaldadas por el fondo regional de garantías."),
             ("Fomentar la asociatividad empresarial mediante cooperativas y redes de proveedores locales de las grandes empresas.",
              ["Ejecutar programas de desarrollo de proveedores con las empresas salmonicultoras y forestales.",
               "Apoyar la constitución y la gestión de cooperativas campesinas y de pescadores."],
              "40 cooperativas activas y 150 pymes proveedoras de grandes empresas regionales."),
             ("Promover las exportaciones de pymes regionales distintas del salmón, en especial lácteos, berries procesados y alimentos del mar de pequeña escala.",
              ["Ejecutar con ProChile un programa de preparación exportadora para pymes.",
               "Organizar misiones comerciales a mercados de Asia y Norteamérica."],
              "80 pymes exportadoras y el doble del valor exportado de productos lácteos respecto de 2023."),
         ]),
     ]),
    ("Eje 4: Gobernanza, energía y agua",
     "El desarrollo de la región requiere instituciones capaces de coordinar a los actores públicos y privados, una "
     "matriz energética más limpia y una gestión del agua que anticipe la mayor frecuencia de veranos secos.",
     [
         ("Gobernanza y articulación público-privada", [
             ("Implementar iniciativas clúster en acuicultura, lechería y turismo con gobernanza público-privada.",
              ["Constituir mesas clúster con hoja de ruta y gerencia técnica financiadas por el Gobierno Regional y CORFO.",
               "Evaluar cada dos años el avance de las hojas de ruta con indicadores compartidos."],
              "tres iniciativas clúster operando con hoja de ruta aprobada y al menos 30% de financiamiento privado."),
             ("Crear un observatorio regional de indicadores para planificar, monitorear y evaluar la estrategia.",
              ["Establecer convenios de intercambio de datos con el INE, el SII y los servicios públicos regionales.",
               "Publicar cada año un reporte de indicadores regionales con datos por comuna."],
              "observatorio en funcionamiento y seis reportes anuales de indicadores publicados."),
             ("Fortalecer las capacidades de fomento productivo de los municipios, en particular de las comunas rurales.",
              ["Cofinanciar oficinas municipales de desarrollo económico local con profesionales permanentes.",
               "Capacitar a funcionarios municipales en formulación de proyectos y atracción de inversiones."],
              "las ocho comunas con una oficina de desarrollo económico local con al menos dos profesionales de planta."),
             ("Incorporar la participación ciudadana y de las comunidades indígenas en las decisiones de inversión regional.",
              ["Realizar cabildos territoriales para priorizar las iniciativas de inversión de cada comuna.",
               "Aplicar procesos de consulta a las comunidades mapuche-huilliche en los proyectos que les afecten."],
              "100% de las carteras de inversión comunales priorizadas mediante procesos participativos."),
         ]),
         ("Transición energética", [
             ("Aumentar la generación distribuida con energías renovables, como la solar, la minihidráulica y el biogás, en los sectores productivos.",
              ["Cofinanciar sistemas fotovoltaicos y biodigestores en lecherías y agroindustrias.",
               "Identificar y promover proyectos minihidráulicos de pasada con participación de las comunidades locales."],
              "40 MW de capacidad instalada de generación distribuida renovable."),
             ("Reducir la contaminación atmosférica causada por la leña húmeda en hogares y pymes mediante leña seca certificada y calefacción eficiente.",
              ["Ejecutar un programa de recambio de calefactores en Puerto Arrayán y Los Canelos.",
               "Apoyar centros de secado y acopio de leña certificada.",
               "Subsidiar el aislamiento térmico de las viviendas de familias vulnerables."],
              "6.000 calefactores reemplazados y 20 centros de acopio de leña seca certificados."),
             ("Reducir las emisiones de la acuicultura mediante la electrificación de pontones y embarcaciones de servicio.",
              ["Cofinanciar pilotos de pontones de alimentación con sistemas híbridos solar-eólicos y baterías.",
               "Apoyar la conversión de embarcaciones de servicio a propulsión eléctrica."],
              "50% de los pontones de alimentación con sistemas híbridos de energía."),
         ]),
         ("Seguridad hídrica y gestión del agua", [
             ("Asegurar el abastecimiento de agua potable en las localidades rurales con déficit hídrico en verano.",
              ["Construir y ampliar sistemas de APR con fuentes de respaldo.",
               "Fortalecer la gestión técnica y financiera de los comités de APR."],
              "35 sistemas de APR nuevos o ampliados y ninguna localidad abastecida con camiones aljibe."),
             ("Implementar la gestión integrada de las cuencas del río Claro y de Laguna Verde con participación de los usuarios del agua.",
              ["Constituir consejos de cuenca con usuarios agrícolas, sanitarios, acuícolas y comunidades.",
               "Instalar estaciones de monitoreo de caudal y calidad del agua."],
              "dos consejos de cuenca funcionando con un plan estratégico aprobado."),
             ("Tecnificar el riego agrícola para enfrentar la mayor frecuencia de sequías estivales.",
              ["Cofinanciar riego por goteo y microaspersión en huertos de berries y avellano europeo.",
               "Construir acumuladores de agua intraprediales en predios lecheros."],
              "4.500 hectáreas con riego tecnificado."),
             ("Proteger la calidad del agua de lagos y bahías frente a la contaminación de origen urbano, agrícola y acuícola.",
              ["Completar el tratamiento de aguas servidas en todas las localidades urbanas.",
               "Promover planes de manejo de purines en las lecherías cercanas a lagos."],
              "100% de las localidades urbanas con tratamiento de aguas servidas."),
         ]),
     ]),
]


def objectives() -> dict[str, dict]:
    """code -> {text, actions: [(code, text)], meta, line, axis}"""
    out: dict[str, dict] = {}
    for i, (axis, _intro, lines) in enumerate(AXES, 1):
        for j, (line, objs) in enumerate(lines, 1):
            for k, (text, actions, meta) in enumerate(objs, 1):
                code = f"OE {i}.{j}.{k}"
                out[code] = {
                    "text": text,
                    "actions": [(f"AE {i}.{j}.{k}.{n}", a) for n, a in enumerate(actions, 1)],
                    "meta": meta,
                    "line": f"LE {i}.{j} {line}",
                    "axis": axis,
                }
    return out


OBJ = objectives()


def erd_blocks() -> list[tuple]:
    t1, t3, t5, t8, t9, t10, t17 = T[1], T[3], T[5], T[8], T[9], T[10], T[17]
    share_pa = r1(POP24["Puerto Arrayán"] / POP_TOT24 * 100)
    exp23 = t10.value(TOTAL, "2023")
    salmon_share = r1(t10.value("Salmón y trucha", "2023") / exp23 * 100)
    col_net = "Hogares con internet fija (%)"
    b: list[tuple] = [
        ("title", ERD_TITLE),
        ("subtitle", AUTHOR),
        ("subtitle", DATE_LINE),
        ("h1", "Siglas y abreviaturas"),
    ]
    b += [("li", a) for a in ABBREVIATIONS]
    b += [
        ("h1", "1. Presentación"),
        ("p", "La ERD de Los Arrayanes 2025-2035 es el principal instrumento de planificación del Gobierno "
              "Regional. Fue elaborada entre 2023 y 2024 mediante un proceso participativo que incluyó cabildos "
              "en las ocho comunas de la región, mesas sectoriales con gremios productivos y diálogos con "
              "comunidades mapuche-huilliche."),
        ("p", f"La estrategia se organiza en cuatro ejes, doce lineamientos estratégicos (LE) y {len(OBJ)} "
              f"objetivos estratégicos (OE). Cada objetivo se despliega en acciones estratégicas (AE) y tiene una "
              f"meta al 2030, que permitirá una evaluación de mitad de período antes del horizonte de 2035."),
        ("h1", "2. Diagnóstico resumido"),
        ("p", f"Según el Censo de Población y Vivienda 2024, la región tiene {P(POP_TOT24, 'int')} habitantes, "
              f"un {t1.cell(TOTAL, 'Variación 2017-2024 (%)')} más que en 2017. La capital regional, Puerto "
              f"Arrayán, concentra {P(POP24['Puerto Arrayán'], 'int')} habitantes, equivalentes al "
              f"{pct(share_pa)} de la población regional, mientras que Santa Inés y Quebrada Honda perdieron "
              f"población en el período intercensal."),
        ("p", f"La economía regional se apoya en la salmonicultura, la mitilicultura, la lechería, los berries y "
              f"el sector forestal. En 2023 las exportaciones regionales alcanzaron {P(exp23, 'd1')} millones de "
              f"dólares, de los cuales el salmón y la trucha representaron el {pct(salmon_share)}. La estructura "
              f"empresarial está dominada por microempresas, que en 2023 sumaban {t5.cell('Micro', '2023')} de "
              f"un total de {t5.cell(TOTAL, '2023')} empresas."),
        ("p", f"La pobreza por ingresos bajó de {t3.cell(TOTAL, '2017')} en 2017 a {t3.cell(TOTAL, '2022')} en "
              f"2022, pero sigue siendo más alta en las comunas rurales, en particular en Laguna Verde "
              f"({t3.cell('Laguna Verde', '2022')}) y Quebrada Honda ({t3.cell('Quebrada Honda', '2022')}). La "
              f"tasa de desocupación regional fue de {t8.cell('Ambos sexos', '2024')} en 2024 y la participación "
              f"laboral femenina, de {t9.cell(TOTAL, 'Mujeres (%)')} en 2022, muy por debajo de la masculina. "
              f"La brecha digital también es marcada: la proporción de hogares con internet fija va de "
              f"{t17.cell('Quebrada Honda', col_net)} en Quebrada Honda a {t17.cell('Puerto Arrayán', col_net)} "
              f"en Puerto Arrayán."),
        ("cols_on", None),
    ]
    for i, (axis, intro, lines) in enumerate(AXES, 1):
        b.append(("h1", axis))
        b.append(("p", intro))
        for j, (line, objs) in enumerate(lines, 1):
            b.append(("h2", f"LE {i}.{j} {line}"))
            for k in range(1, len(objs) + 1):
                code = f"OE {i}.{j}.{k}"
                o = OBJ[code]
                b.append(("h3", f"{code} {o['text']}"))
                b += [("li", f"{ac} {at}") for ac, at in o["actions"]]
                b.append(("meta", f"Meta al 2030: {o['meta']}"))
    b += [
        ("cols_off", None),
        ("h1", "Seguimiento y evaluación"),
        ("p", "El Gobierno Regional hará el seguimiento de la estrategia mediante el observatorio regional de "
              "indicadores (OE 4.1.2), que publicará cada año un reporte con datos por comuna. En 2030 se "
              "realizará una evaluación intermedia basada en las metas de cada objetivo, y en 2035 una "
              "evaluación final que servirá de base para la siguiente estrategia."),
    ]
    return b


# --------------------------------------------------------------------------
# Renderers
# --------------------------------------------------------------------------

def render_md(blocks: list[tuple]) -> str:
    parts: list[str] = []
    prev = None
    for kind, val in blocks:
        if kind in ("cols_on", "cols_off"):
            continue
        if kind == "title":
            s = f"# {val}"
        elif kind == "h1":
            s = f"## {val}"
        elif kind == "h2":
            s = f"### {val}"
        elif kind == "h3":
            s = f"#### {val}"
        elif kind in ("p", "subtitle", "meta"):
            s = val
        elif kind == "li":
            s = f"- {val}"
        elif kind == "table":
            t = T[val]
            widths = None  # plain pipes, no padding
            lines = [t.caption, "", "| " + " | ".join(t.header) + " |",
                     "|" + "|".join(["---"] + ["---:"] * (len(t.header) - 1)) + "|"]
            for r in t.text_rows():
                lines.append("| " + " | ".join(r) + " |")
            lines += ["", t.source]
            s = "\n".join(lines)
            del widths
        else:
            raise ValueError(kind)
        if parts:
            parts.append("\n" if (kind == "li" and prev == "li") else "\n\n")
        parts.append(s)
        prev = kind
    return "".join(parts) + "\n"


def set_core_props(props, title: str, subject: str) -> None:
    props.title = title
    props.subject = subject
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = FIXED_DT.replace(tzinfo=None)
    props.modified = FIXED_DT.replace(tzinfo=None)
    props.language = "es-CL"


def render_docx(blocks: list[tuple], path: Path, title: str) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    cp = doc.core_properties
    set_core_props(cp, title, "Fixture ficticio para pruebas")
    cp.revision = 1
    cp.last_printed = FIXED_DT.replace(tzinfo=None)
    cp.keywords = "Los Arrayanes; desarrollo regional"
    cp.comments = "Documento ficticio generado por make_pack.py"
    cp.category = "Planificación regional"
    for kind, val in blocks:
        if kind in ("cols_on", "cols_off"):
            continue
        if kind == "title":
            doc.add_heading(val, level=0)
        elif kind == "subtitle":
            doc.add_paragraph(val, style="Subtitle")
        elif kind == "h1":
            doc.add_heading(val, level=1)
        elif kind == "h2":
            doc.add_heading(val, level=2)
        elif kind == "h3":
            doc.add_heading(val, level=3)
        elif kind == "p":
            doc.add_paragraph(val)
        elif kind == "li":
            doc.add_paragraph(val, style="List Bullet")
        elif kind == "meta":
            head, rest = val.split(": ", 1)
            para = doc.add_paragraph()
            para.add_run(head + ": ").bold = True
            para.add_run(rest)
        elif kind == "table":
            t = T[val]
            doc.add_paragraph(t.caption, style="Caption")
            rows = t.text_rows()
            table = doc.add_table(rows=1 + len(rows), cols=len(t.header))
            table.style = "Table Grid"
            for j, h in enumerate(t.header):
                cell = table.rows[0].cells[j]
                cell.text = ""
                run = cell.paragraphs[0].add_run(h)
                run.bold = True
                if j:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for i, r in enumerate(rows, 1):
                for j, v in enumerate(r):
                    cell = table.rows[i].cells[j]
                    cell.text = v
                    if j:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            para = doc.add_paragraph()
            para.add_run(t.source).italic = True
        else:
            raise ValueError(kind)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(normalize_zip(buf.getvalue()))


def normalize_zip(data: bytes) -> bytes:
    """Rewrite an OOXML zip with fixed member timestamps and fixed core dates."""
    stamp = FIXED_DT.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                for tag in (rb"dcterms:created", rb"dcterms:modified"):
                    blob = re.sub(rb"(<" + tag + rb"[^>]*>)[^<]*(</" + tag + rb">)",
                                  rb"\g<1>" + stamp + rb"\g<2>", blob)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, blob)
    return out.getvalue()


def make_pdf_class():
    from fpdf import FPDF

    class PackPDF(FPDF):
        short_title = ""

        def header(self):
            if self.page_no() > 1:
                self.set_font("helvetica", "I", 8)
                self.set_text_color(110, 110, 110)
                self.cell(0, 5, self.short_title, align="R", new_x="LMARGIN", new_y="NEXT")
                self.set_text_color(0, 0, 0)
                self.ln(2)

        def footer(self):
            self.set_y(-14)
            self.set_font("helvetica", "", 8)
            self.set_text_color(110, 110, 110)
            self.cell(0, 8, f"Página {self.page_no()} de {{nb}}", align="C")
            self.set_text_color(0, 0, 0)

    return PackPDF


def new_pdf(title: str, short_title: str):
    PackPDF = make_pdf_class()
    pdf = PackPDF(format="A4")
    pdf.short_title = short_title
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(title)
    pdf.set_author(AUTHOR)
    pdf.set_subject("Documento ficticio para pruebas")
    pdf.set_creator("make_pack.py")
    pdf.set_producer("fpdf2")
    pdf.set_lang("es-CL")
    pdf.set_creation_date(FIXED_DT)
    pdf.add_page()
    return pdf


PDF_STYLE = {  # kind: (style, size, space_before, space_after)
    "title": ("B", 19, 0, 4),
    "subtitle": ("", 12, 0, 1.5),
    "h1": ("B", 14, 5, 2),
    "h2": ("B", 11.5, 3.5, 1.5),
    "h3": ("B", 9.5, 2.5, 1),
    "p": ("", 10, 0, 2.5),
    "li": ("", 9.5, 0, 0.8),
    "meta": ("I", 9.5, 0.5, 1.5),
}


def pdf_single(pdf, kind: str, text: str) -> None:
    style, size, before, after = PDF_STYLE[kind]
    pdf.set_font("helvetica", style, size)
    if before and pdf.y > pdf.t_margin + 10:
        pdf.ln(before)
    if kind == "li":
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(pdf.epw - 4, size * 0.5, "- " + text, new_x="LMARGIN", new_y="NEXT")
    else:
        align = "J" if kind == "p" else "L"
        pdf.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(after)


def render_pdf(blocks: list[tuple], path: Path, title: str, short_title: str) -> None:
    from fpdf.fonts import FontFace

    pdf = new_pdf(title, short_title)
    cols = None
    for kind, val in blocks:
        if kind == "cols_on":
            pdf.ln(4)
            cols = pdf.text_columns(ncols=2, gutter=7, text_align="LEFT", line_height=1.15)
            cols.__enter__()
            continue
        if kind == "cols_off":
            cols.__exit__(None, None, None)
            cols = None
            pdf.ln(4)
            continue
        if kind == "table":
            t = T[val]
            need = 14 + 6.2 * (len(t.rows) + 1)
            if pdf.y + need > pdf.page_break_trigger:
                pdf.add_page()
            pdf.set_font("helvetica", "B", 10)
            pdf.ln(1.5)
            pdf.multi_cell(0, 5, t.caption, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
            pdf.set_font("helvetica", "", 8.5)
            first = 3.0 if len(t.header) <= 4 else 2.6
            widths = (first,) + (1.2,) * (len(t.header) - 1)
            with pdf.table(col_widths=widths, text_align=("LEFT",) + ("RIGHT",) * (len(t.header) - 1),
                           headings_style=FontFace(emphasis="BOLD", fill_color=(222, 231, 240)),
                           line_height=4.6, padding=(0.8, 1.5), width=pdf.epw) as table:
                table.row(t.header)
                for r in t.text_rows():
                    table.row(r)
            pdf.ln(1)
            pdf.set_font("helvetica", "I", 8)
            pdf.multi_cell(0, 4, t.source, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
            continue
        if cols is None:
            pdf_single(pdf, kind, val)
            continue
        style, size, before, after = PDF_STYLE[kind]
        pdf.set_font("helvetica", style, size)
        if kind == "li":
            with cols.paragraph(bottom_margin=after, indent=3.5, bullet_string="-", bullet_r_margin=1.5) as par:
                par.write(val)
        else:
            with cols.paragraph(top_margin=before, bottom_margin=after) as par:
                par.write(val)
    assert cols is None
    pdf.output(str(path))


def render_xlsx(tables: list[Table], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    props = wb.properties
    props.title = IND_TITLE
    props.creator = AUTHOR
    props.lastModifiedBy = AUTHOR
    props.created = FIXED_DT.replace(tzinfo=None)
    props.modified = FIXED_DT.replace(tzinfo=None)
    props.subject = "Documento ficticio para pruebas"
    for t in tables:
        ws = wb.create_sheet(t.sheet)
        ws.cell(row=1, column=1, value=t.caption).font = Font(bold=True)
        for j, h in enumerate(t.header, 1):
            c = ws.cell(row=2, column=j, value=h)
            c.font = Font(bold=True)
            c.alignment = Alignment(horizontal="left" if j == 1 else "right", wrap_text=True)
        r = 3
        for label, vals in t.rows:
            ws.cell(row=r, column=1, value=label)
            for j, v in enumerate(vals):
                kind = t.kind(label, j)
                if kind == "pct":
                    v = round(v / 100, 6)
                elif kind == "int":
                    v = int(v)
                c = ws.cell(row=r, column=j + 2, value=v)
                c.number_format = XLSX_FORMATS[kind]
            r += 1
        ws.cell(row=r, column=1, value=t.source).font = Font(italic=True)
        ws.column_dimensions["A"].width = max(16, min(44, max(len(l) for l, _ in t.rows) + 2))
        for j in range(2, len(t.header) + 1):
            ws.column_dimensions[chr(ord("A") + j - 1)].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(normalize_zip(buf.getvalue()))


def render_csv(t: Table, path: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(t.header)
    for label, vals in t.rows:
        w.writerow([label] + [int(v) if t.kind(label, j) == "int" else v for j, v in enumerate(vals)])
    path.write_text(buf.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------
# figure / cross questions name (table number, row, column); the figure string
# is taken from the data and then verified against the generated Markdown.

IND, ERD = IND_STEM, ERD_STEM
NC = "Hogares con internet fija (%)"

QUESTIONS = [
    # ---- figure ----
    ("figure", "es", "¿Cuántos habitantes tenía Los Canelos en el censo 2024?", (1, "Los Canelos", "2024"), None),
    ("figure", "en", "What was the population of Puerto Arrayán in the 2017 census?", (1, "Puerto Arrayán", "2017"), None),
    ("figure", "es", "¿Cuánto varió la población de Quebrada Honda entre los censos 2017 y 2024?", (1, "Quebrada Honda", "Variación 2017-2024 (%)"), None),
    ("figure", "es", "¿Qué porcentaje de la población de Laguna Verde vive en zonas rurales según el censo 2024?", (2, "Laguna Verde", "Rural (%)"), None),
    ("figure", "es", "¿Cuál era la tasa de pobreza por ingresos de Santa Inés en 2022?", (3, "Santa Inés", "2022"), None),
    ("figure", "en", "What was the regional income poverty rate in 2020?", (3, TOTAL, "2020"), None),
    ("figure", "es", "¿Qué porcentaje de personas estaba en pobreza multidimensional en San Fermín en 2017?", (4, "San Fermín", "2017"), None),
    ("figure", "es", "¿Cuántas empresas medianas había en la región en 2023?", (5, "Mediana", "2023"), None),
    ("figure", "en", "How many micro-enterprises were there in the region in 2020?", (5, "Micro", "2020"), None),
    ("figure", "es", "¿Cuántos trabajadores dependientes informaban las grandes empresas en 2023?", (6, "Grande", "Trabajadores dependientes"), None),
    ("figure", "es", "¿Cuántos ocupados, en miles, tenía el comercio en 2023?", (7, "Comercio", "Ocupados (miles)"), None),
    ("figure", "en", "What share of regional employment did fishing and aquaculture account for in 2023?", (7, "Pesca y acuicultura", "Participación (%)"), None),
    ("figure", "es", "¿Cuál fue la tasa de desocupación de las mujeres en 2024?", (8, "Mujeres", "2024"), None),
    ("figure", "en", "What was the overall regional unemployment rate in 2021?", (8, "Ambos sexos", "2021"), None),
    ("figure", "en", "What was the female labour participation rate in Villa Alerce in 2022?", (9, "Villa Alerce", "Mujeres (%)"), None),
    ("figure", "es", "¿Cuál era la brecha de participación laboral entre hombres y mujeres en Quebrada Honda en 2022?", (9, "Quebrada Honda", "Brecha (puntos porcentuales)"), None),
    ("figure", "es", "¿Cuánto exportó la región en salmón y trucha en 2022, en millones de dólares?", (10, "Salmón y trucha", "2022"), None),
    ("figure", "en", "What was the total value of regional exports in 2023?", (10, TOTAL, "2023"), None),
    ("figure", "es", "¿Cuántas llegadas de turistas registró Villa Alerce en 2023?", (11, "Villa Alerce", "2023"), None),
    ("figure", "en", "How many tourist arrivals did Laguna Verde record in 2019?", (11, "Laguna Verde", "2019"), None),
    ("figure", "es", "¿Cuántas pernoctaciones hubo en Puerto Arrayán en 2023?", (12, "Puerto Arrayán", "Pernoctaciones"), None),
    ("figure", "es", "¿Cuántas plazas de alojamiento turístico había en Los Canelos en 2023?", (12, "Los Canelos", "Plazas"), None),
    ("figure", "es", "¿Cuántos estudiantes de educación media técnico-profesional había en Río Claro en 2023?", (13, "Río Claro", "Matrícula técnico-profesional"), None),
    ("figure", "es", "¿Cuántas hectáreas de arándano había en la región en 2021?", (14, "Arándano", "Superficie (ha)"), None),
    ("figure", "en", "How many tonnes of coho salmon were harvested in 2021?", (15, "Salmón coho", "2021"), None),
    ("figure", "es", "¿Qué porcentaje de los hogares de San Fermín tenía internet fija en 2023?", (17, "San Fermín", NC), None),
    ("figure", "en", "How many dairy producers were delivering milk to processing plants in 2023?", (16, "Productores que entregan leche (número)", "2023"), None),
    # ---- objective ----
    ("objective", "es", "¿Qué dice el objetivo OE 2.2.3?", None, "OE 2.2.3"),
    ("objective", "es", "¿Qué objetivo de la estrategia aborda el turismo rural?", None, "OE 2.2.1"),
    ("objective", "en", "Which strategic objective addresses women's participation in the labour market?", None, "OE 3.2.1"),
    ("objective", "es", "¿Cuál es la meta al 2030 del OE 1.2.2?", None, "OE 1.2.2"),
    ("objective", "en", "What actions does the strategy set out under OE 4.3.1?", None, "OE 4.3.1"),
    ("objective", "es", "¿Qué objetivo busca reducir la contaminación por leña húmeda?", None, "OE 4.2.2"),
    ("objective", "en", "Which objective deals with the port logistics of Puerto Arrayán?", None, "OE 2.3.2"),
    ("objective", "es", "¿Qué objetivo se refiere a la certificación de competencias laborales?", None, "OE 3.1.3"),
    ("objective", "es", "¿Qué plantea el OE 1.1.2?", None, "OE 1.1.2"),
    ("objective", "en", "What is the 2030 target of OE 4.1.1?", None, "OE 4.1.1"),
    ("objective", "es", "¿Qué objetivo aborda la banda ancha en zonas rurales?", None, "OE 2.3.3"),
    ("objective", "es", "¿Qué objetivo de la estrategia trata sobre las iniciativas clúster?", None, "OE 4.1.1"),
    ("objective", "es", "¿Qué acciones contempla el OE 3.3.2?", None, "OE 3.3.2"),
    ("objective", "en", "Which objective deals with drinking water supply in rural areas?", None, "OE 4.3.1"),
    ("objective", "es", "¿Qué objetivo se propone reducir la estacionalidad del turismo?", None, "OE 2.1.4"),
    ("objective", "es", "¿Qué dice el OE 3.2.2?", None, "OE 3.2.2"),
    # ---- sector ----
    ("sector", "es", "¿Qué dice la estrategia sobre la salmonicultura?", None, "OE 1.3.1"),
    ("sector", "en", "What does the strategy say about the dairy sector?", None, "OE 1.2.1"),
    ("sector", "es", "¿Qué plantea la estrategia para el sector forestal?", None, "OE 1.2.3"),
    ("sector", "es", "¿Qué dice la estrategia sobre los berries?", None, "OE 1.2.2"),
    ("sector", "en", "What does the strategy propose on renewable energy?", None, "OE 4.2.1"),
    ("sector", "es", "¿Qué dice la estrategia sobre el turismo de naturaleza?", None, "OE 2.1.1"),
    ("sector", "es", "¿Qué propone la estrategia para la pesca artesanal y la mitilicultura de pequeña escala?", None, "OE 1.3.2"),
    ("sector", "en", "What does the strategy say about handicrafts and the creative industries?", None, "OE 2.2.3"),
    # ---- cross ----
    ("cross", "es", "La estrategia quiere aumentar la participación laboral de las mujeres. ¿Cuál era la tasa de participación laboral femenina regional en 2022?", (9, TOTAL, "Mujeres (%)"), "OE 3.2.1"),
    ("cross", "es", "La estrategia busca cerrar la brecha de conectividad digital en zonas rurales. ¿Qué porcentaje de los hogares de Quebrada Honda tenía internet fija en 2023?", (17, "Quebrada Honda", NC), "OE 2.3.3"),
    ("cross", "en", "The strategy aims to link technical-professional secondary education with the needs of aquaculture, agribusiness and tourism. How many students were enrolled in technical-professional secondary education in the region in 2023?", (13, TOTAL, "Matrícula técnico-profesional"), "OE 3.1.1"),
    ("cross", "es", "La estrategia se propone llegar a 350.000 llegadas anuales de turistas. ¿Cuántas llegadas de turistas registró la región en 2023?", (11, TOTAL, "2023"), "OE 2.1.1"),
    ("cross", "es", "La estrategia quiere aumentar el valor agregado de la lechería. ¿Cuántos millones de litros de leche se recibieron en plantas en 2023?", (16, "Leche recibida en plantas (millones de litros)", "2023"), "OE 1.2.1"),
    ("cross", "en", "The strategy wants to diversify small-scale aquaculture such as mussel farming. How many tonnes of mussels (chorito) were harvested in 2023?", (15, "Chorito (mejillón)", "2023"), "OE 1.3.2"),
    ("cross", "es", "La estrategia busca duplicar el valor exportado de productos lácteos. ¿Cuánto exportó la región en productos lácteos en 2023?", (10, "Productos lácteos", "2023"), "OE 3.3.4"),
    # ---- none ----
    ("none", "es", "¿Cuál fue el PIB de la región en 2022?", None, None),
    ("none", "es", "¿Cuál fue la tasa de desocupación de Santa Inés en 2023?", None, None),
    ("none", "en", "What was the income poverty rate in Los Canelos in 2015?", None, None),
    ("none", "es", "¿Qué dice la estrategia sobre el hidrógeno verde?", None, None),
    ("none", "en", "How many hospital beds are there in Puerto Arrayán?", None, None),
    ("none", "es", "¿Cuál es el presupuesto total de la estrategia para el período 2025-2035?", None, None),
    ("none", "en", "What is the average annual rainfall in Laguna Verde?", None, None),
]

# Goal questions: an objective's 2030 target asked by its topic ("¿Qué meta fija la estrategia para…?").
# Written after the others, with their splits chosen by hand (appended: the earlier ids and splits stay):
# (lang, question, code, figure in the objective's "Meta al 2030" line, split).
GOALS = [
    ("es", "¿Qué meta fija la estrategia para el turismo rural y en qué comunas?", "OE 2.2.1", "90", "dev"),
    ("en", "What target does the strategy set for certifying workers' labour competencies?", "OE 3.1.3", "3.000", "dev"),
    ("es", "¿Cuál es la meta de la estrategia para reemplazar calefactores a leña?", "OE 4.2.2", "6.000", "dev"),
    ("es", "¿Qué meta se propone la estrategia en riego tecnificado?", "OE 4.3.3", "4.500", "dev"),
    ("en", "What goal does the strategy set for the state technical training centre?", "OE 3.1.2", "1.200", "dev"),
    ("es", "¿Qué meta tiene la estrategia para los senderos de las áreas protegidas?", "OE 2.1.2", "120", "test"),
    ("en", "What is the strategy's 2030 goal for women's labour force participation?", "OE 3.2.1", "55%", "test"),
    ("es", "¿Cuál es la meta de la estrategia sobre cooperativas y pymes proveedoras?", "OE 3.3.3", "40", "test"),
    ("en", "What target does the strategy set for rural drinking water systems?", "OE 4.3.1", "35", "test"),
    ("es", "¿Cuántos kilómetros de caminos rurales espera mejorar la estrategia al 2030?", "OE 2.3.1", "180", "test"),
]

# Strings whose absence from BOTH Markdown files makes each "none" question unanswerable.
NONE_ABSENT = {
    "¿Cuál fue el PIB de la región en 2022?": ["PIB", "producto interno", "producto regional"],
    "What was the income poverty rate in Los Canelos in 2015?": ["2015"],
    "¿Qué dice la estrategia sobre el hidrógeno verde?": ["hidrógeno", "hidrogeno"],
    "How many hospital beds are there in Puerto Arrayán?": ["cama", "hospitalari"],
    "¿Cuál es el presupuesto total de la estrategia para el período 2025-2035?": ["presupuest", "millones de pesos", "MM$", "financiamiento total"],
    "What is the average annual rainfall in Laguna Verde?": ["precipitac", "lluvia", "pluviom", "milímetros"],
}


def build_questions() -> list[dict]:
    qs = []
    for n, (kind, lang, text, ref, code) in enumerate(QUESTIONS, 1):
        q = {"id": f"r{n:03d}", "question": text, "lang": lang, "split": None, "kind": kind,
             "doc": None, "figure": None, "row": None, "column": None, "code": code}
        if kind in ("figure", "cross"):
            tnum, row, col = ref
            q.update(doc=IND, figure=T[tnum].cell(row, col), row=row, column=col)
        elif kind in ("objective", "sector"):
            q["doc"] = ERD
        qs.append(q)
    # split: alternate within each kind (stable, grouped by language), so that
    # dev/test are balanced by kind and by language.
    flip = 0
    for kind in ("figure", "objective", "sector", "cross", "none"):
        group = [q for q in qs if q["kind"] == kind]
        group.sort(key=lambda q: q["lang"])  # stable
        for i, q in enumerate(group):
            q["split"] = "dev" if (i + flip) % 2 == 0 else "test"
        if len(group) % 2:
            flip ^= 1
    for lang, text, code, figure, split in GOALS:
        qs.append({"id": f"r{len(qs) + 1:03d}", "question": text, "lang": lang, "split": split, "kind": "goal",
                   "doc": ERD, "figure": figure, "row": "Meta al 2030", "column": None, "code": code})
    return qs


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------

def parse_md_tables(md: str) -> list[dict]:
    lines = md.split("\n")
    out = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("|"):
            start = i
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i])
                i += 1
            cells = [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in block]
            caption = next(lines[k] for k in range(start - 1, -1, -1) if lines[k].strip())
            after = next(lines[k] for k in range(i, len(lines)) if lines[k].strip())
            out.append({"caption": caption, "source": after, "header": cells[0], "rows": cells[2:]})
        else:
            i += 1
    return out


def md_find(tables: list[dict], row: str, col: str, figure: str) -> bool:
    for t in tables:
        if col not in t["header"]:
            continue
        j = t["header"].index(col)
        for r in t["rows"]:
            if r[0] == row and r[j] == figure:
                return True
    return False


def check_all(md: dict[str, str], qs: list[dict]) -> None:
    erd, ind = md[ERD], md[IND]
    # ---- strategy structure
    codes = re.findall(r"^#### (OE \d+\.\d+\.\d+) ", erd, flags=re.M)
    assert len(codes) == len(set(codes)) == len(OBJ) >= 40, len(codes)
    assert len({o["text"] for o in OBJ.values()}) == len(OBJ), "duplicate objective text"
    for code, o in OBJ.items():
        assert 2 <= len(o["actions"]) <= 3, code
        for ac, _ in o["actions"]:
            assert re.search(rf"^- {re.escape(ac)} ", erd, flags=re.M), ac
        assert f"#### {code} {o['text']}\n\n- {o['actions'][0][0]}" in erd, code
    assert erd.count("Meta al 2030: ") == len(OBJ)
    assert len(re.findall(r"^### LE \d+\.\d+ ", erd, flags=re.M)) == 12
    assert len(re.findall(r"^## Eje \d: ", erd, flags=re.M)) == 4
    # ---- indicators structure
    tabs = parse_md_tables(ind)
    assert len(tabs) == len(T) >= 15
    for k, t in enumerate(tabs, 1):
        assert t["caption"].startswith(f"Tabla {k}. "), t["caption"]
        assert t["source"].startswith("Fuente:"), t["source"]
        assert all(len(r) == len(t["header"]) for r in t["rows"])
    # ---- latin-1 (PDF core font) and no typographic dashes
    for text in md.values():
        text.encode("latin-1")
    # ---- questions
    assert len(qs) >= 60
    assert len({q["id"] for q in qs}) == len(qs)
    assert len({q["question"] for q in qs}) == len(qs)
    for q in qs:
        assert q["lang"] in ("es", "en") and q["split"] in ("dev", "test")
        if q["code"] is not None:
            assert q["code"] in OBJ and re.search(rf"^#### {re.escape(q['code'])} ", erd, flags=re.M), q
        if q["kind"] in ("figure", "cross"):
            assert q["doc"] == IND and q["figure"] and q["row"] and q["column"], q
            assert q["figure"] in md[q["doc"]], q
            assert md_find(tabs, q["row"], q["column"], q["figure"]), q
        if q["kind"] == "cross":
            assert q["code"], q
        if q["kind"] in ("objective", "sector"):
            assert q["doc"] == ERD and q["code"] and q["figure"] is None, q
        if q["kind"] == "goal":
            assert q["doc"] == ERD and q["code"] and q["figure"] in OBJ[q["code"]]["meta"], q
        if q["kind"] == "none":
            assert q["doc"] is None and q["figure"] is None and q["code"] is None, q
    both = (erd + "\n" + ind).lower()
    for text, words in NONE_ABSENT.items():
        assert any(q["question"] == text and q["kind"] == "none" for q in qs), text
        for w in words:
            assert w.lower() not in both, (text, w)
    # Unemployment is only published for the region as a whole (no commune rows).
    for t in tabs:
        if "desocupación" in t["caption"].lower():
            assert not any(r[0] in COMUNAS for r in t["rows"]), t["caption"]
    assert not re.search(r"desocupaci[oó]n[^.\n]{0,80}Santa Inés|Santa Inés[^.\n]{0,80}desocupaci", erd + ind)
    # Balanced splits
    for kind in ("figure", "objective", "sector", "cross", "none", "goal"):
        g = [q for q in qs if q["kind"] == kind]
        d = sum(q["split"] == "dev" for q in g)
        assert abs(2 * d - len(g)) <= 1, kind


# --------------------------------------------------------------------------

def main() -> None:
    erd_b, ind_b = erd_blocks(), indicators_blocks()
    md = {ERD: render_md(erd_b), IND: render_md(ind_b)}
    qs = build_questions()
    check_all(md, qs)

    for stem, text in md.items():
        (HERE / f"{stem}.md").write_text(text, encoding="utf-8")
    render_docx(erd_b, HERE / f"{ERD}.docx", ERD_TITLE)
    render_docx(ind_b, HERE / f"{IND}.docx", IND_TITLE)
    render_pdf(erd_b, HERE / f"{ERD}.pdf", ERD_TITLE, "ERD Los Arrayanes 2025-2035")
    render_pdf(ind_b, HERE / f"{IND}.pdf", IND_TITLE, "Indicadores regionales, Los Arrayanes")
    render_xlsx([T[k] for k in sorted(T)], HERE / f"{IND}.xlsx")
    render_csv(T[1], HERE / T[1].csv_name)
    with open(HERE / "questions.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for q in qs:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    n_act = sum(len(o["actions"]) for o in OBJ.values())
    print(f"objectives={len(OBJ)} actions={n_act} tables={len(T)} questions={len(qs)}")


if __name__ == "__main__":
    main()
