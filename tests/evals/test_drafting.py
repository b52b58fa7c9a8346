"""The drafting eval's region-fact check: a figure counts only under a regional passage that holds it."""

from __future__ import annotations

from assistant.models import Citation
from evals.drafting import region_facts


def _cite(marker: str, text: str, doc: str) -> Citation:
    return Citation(marker=marker, doc_id=doc, text=text)


def test_a_figure_is_supported_only_by_a_regional_passage_that_holds_it() -> None:
    refs = [_cite("indicadores § 4", "| Total regional | 224.733 | 236.419 | 5,2% |", "indicadores"),
            _cite("R79", "Desarrollar iniciativas clúster (pág. 232).", "cepal-113-recomendaciones")]
    parts = [("diagnosis", ["- Población: 236.419 [indicadores § 4].",  # held
                            "- Crecimiento de 7,5% [indicadores § 4].",  # not in the passage
                            "- Hay 19.944 empresas [R79].",  # a region figure cited to the booklet only
                            "- Sin cifras aquí [R79]."])]
    report = region_facts(parts, refs)
    assert report["facts"] == 3 and report["uncited"] == 1
    assert report["per_part"] == {"diagnosis": {"facts": 3, "supported": 1, "uncited": 1}}
    assert report["supported"] == 1 / 3
