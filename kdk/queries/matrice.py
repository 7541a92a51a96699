"""The comparison matrix's cells as rows, in the matrix's order: the heatmap on /sammenligning
(components/sammenligning.matrice_figur) and its downloads and table (/api/v1/sammenligning) both read them here,
so the chart and its data cannot disagree.

Reads kdk.queries.sammenligning (the ranks and distances of the newest release the viewer may see, in an area they
may see every key figure of) and the municipalities' names; writes nothing.
"""
from __future__ import annotations

import pandas as pd

from kdk.queries import omraader
from kdk.queries import sammenligning as s
from kdk.queries.scope import Scope

ORDEN = {"region": ["regionskode", "navn"], "navn": ["navn"]}   # the matrix's orders: by region, or by name
STANDARD_ORDEN = "region"


def orden(kommuner: pd.DataFrame, sorter: str) -> list[str]:
    """The municipalities' codes in the matrix's order (`sorter`, a key of ORDEN): its rows, and its columns."""
    return kommuner.sort_values(ORDEN[sorter])["kommunekode"].tolist()


def raekker(scope: Scope, sammenligningsomraade: str, aar: int, sorter: str) -> pd.DataFrame:
    """One row per cell of the matrix, row by row and each row left to right: kommunekode, kommune, regionsnavn,
    sammenligningskode, sammenlignet (the compared municipality's name), rang (1 = the most comparable) and afstand.
    The diagonal (a municipality against itself) has no cell."""
    kommuner = omraader.kommuner(scope)
    codes = orden(kommuner, sorter)
    position = {code: i for i, code in enumerate(codes)}
    names = kommuner.set_index("kommunekode")
    cells = s.matrice(scope, sammenligningsomraade, aar)
    cells = cells.assign(_r=cells["kommunekode"].map(position), _k=cells["sammenligningskode"].map(position))
    cells = cells.sort_values(["_r", "_k"]).drop(columns=["_r", "_k"]).reset_index(drop=True)
    return pd.DataFrame({
        "kommunekode": cells["kommunekode"], "kommune": cells["kommunekode"].map(names["navn"]),
        "regionsnavn": cells["kommunekode"].map(names["regionsnavn"]),
        "sammenligningskode": cells["sammenligningskode"],
        "sammenlignet": cells["sammenligningskode"].map(names["navn"]),
        "rang": cells["rang"].astype(int), "afstand": cells["afstand"].astype(float)})


def demodata(scope: Scope, sammenligningsomraade: str, aar: int) -> bool:
    """Whether the area's groups rest on generated demo data: its outcome or any candidate used that year."""
    return bool(s.udfald(scope, sammenligningsomraade)["demodata"]) or any(
        bool(r["demodata"]) for r in s.model(scope, sammenligningsomraade, aar))
