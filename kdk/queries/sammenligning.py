"""Comparison groups for pages: the k most comparable municipalities, why, the method, the matrix, and
each key figure's value for a group.

Reads bm_definition, bm_sammenligning, bm_model, bm_variabel, dim_kommune, dim_noegletal and (through the
viewer's scope, also via kdk.queries.noegletal) fct_noegletal. A key figure's data area uses the comparison area
of the same code where one exists (skole, dagtilbud, ubu, aeldre, handicap, sundhed), otherwise `tvaergaaende`.
"""
from __future__ import annotations

import pandas as pd

from kdk.db import marts
from kdk.queries import noegletal as q
from kdk.queries import omraader as dims
from kdk.queries.cache import cached
from kdk.queries.scope import VISIBLE_FACTS, Scope
from kdk.similarity import contributions

TVAERGAAENDE = "tvaergaaende"
K_VALG = (5, 10, 15)
STANDARD_K = 10


@cached
def omraader(scope: Scope) -> pd.DataFrame:
    return marts().query("""SELECT DISTINCT omraade, navn, beskrivelse, raekkefoelge FROM bm_definition
                            ORDER BY raekkefoelge""")


@cached
def aar(scope: Scope, omraade: str) -> list[int]:
    df = marts().query("SELECT DISTINCT aar FROM bm_model WHERE omraade = $o ORDER BY aar DESC", {"o": omraade})
    return df["aar"].tolist()


def omraade_for(dataomraade: str, kendte: set[str]) -> str:
    return dataomraade if dataomraade in kendte else TVAERGAAENDE


@cached
def grupper(scope: Scope, kode: str, k: int, fra_aar: int, til_aar: int) -> pd.DataFrame:
    """The k most comparable municipalities of `kode` in every comparison area and every year from `fra_aar` to
    `til_aar`: omraade, aar, rang, kode, navn, regionsnavn, afstand."""
    return marts().query("""
        SELECT b.omraade, b.aar, b.rang, b.sammenligningskode AS kode, k.navn, k.regionsnavn, b.afstand
        FROM bm_sammenligning b JOIN dim_kommune k ON k.kommunekode = b.sammenligningskode
        WHERE b.kommunekode = $kode AND b.rang <= $k AND b.aar BETWEEN $fra AND $til
        ORDER BY b.omraade, b.aar, b.rang""", {"kode": kode, "k": k, "fra": fra_aar, "til": til_aar})


def gruppe(scope: Scope, omraade: str, aar_: int, kode: str, k: int) -> pd.DataFrame:
    """The k most comparable municipalities: rang, kode, navn, region, afstand."""
    df = grupper(scope, kode, k, aar_, aar_)
    return df[df["omraade"] == omraade].drop(columns=["omraade", "aar"]).reset_index(drop=True)


@cached
def model(scope: Scope, omraade: str, aar_: int) -> pd.DataFrame:
    """The published method: each candidate with coefficient, p-value, weight, kept, R², title and transformation."""
    return marts().query("""
        SELECT m.*, n.titel, n.enhed, d.transformation
        FROM bm_model m JOIN dim_noegletal n ON n.noegletal_id = m.variabel
        JOIN bm_definition d ON d.omraade = m.omraade AND d.noegletal_id = m.variabel AND d.rolle = 'kandidat'
        WHERE m.omraade = $o AND m.aar = $aar
        ORDER BY m.vaegt DESC, m.p_vaerdi""", {"o": omraade, "aar": aar_})


@cached
def udfald(scope: Scope, omraade: str) -> dict:
    """The outcome key figure of a comparison area (id, title, unit)."""
    df = marts().query("""SELECT d.noegletal_id, n.titel, n.enhed FROM bm_definition d
                          JOIN dim_noegletal n USING (noegletal_id)
                          WHERE d.omraade = $o AND d.rolle = 'udfald'""", {"o": omraade})
    return df.iloc[0].to_dict()


@cached
def variabler(scope: Scope, omraade: str, aar_: int, koder: tuple[str, ...]) -> pd.DataFrame:
    """Values and standardised values of every candidate for the given municipalities."""
    return marts().query("""
        SELECT v.kommunekode, v.variabel, v.vaerdi, v.z, v.imputeret, v.kilde_aar
        FROM bm_variabel v WHERE v.omraade = $o AND v.aar = $aar AND list_contains($koder::VARCHAR[], v.kommunekode)
        ORDER BY v.kommunekode, v.variabel""", {"o": omraade, "aar": aar_, "koder": list(koder)})


@cached
def matrice(scope: Scope, omraade: str, aar_: int) -> pd.DataFrame:
    """All ranks: kommunekode × sammenligningskode with names and regions (long format)."""
    return marts().query("""
        SELECT b.kommunekode, b.sammenligningskode, b.rang, b.afstand
        FROM bm_sammenligning b WHERE b.omraade = $o AND b.aar = $aar""", {"o": omraade, "aar": aar_})


@cached
def _aarsspaend(scope: Scope) -> tuple[int, int] | None:
    """The first and last year with comparison groups, or None when there are none."""
    lo, hi = marts().query("SELECT min(aar) AS lo, max(aar) AS hi FROM bm_sammenligning").iloc[0]
    return None if pd.isna(lo) else (int(lo), int(hi))


@cached
def gruppevaerdier(scope: Scope, kode: str, aar_: str | None, k: int, saet: tuple[str, ...] | None,
                   noegletal_ids: tuple[str, ...]) -> pd.DataFrame:
    """For every visible key figure among `noegletal_ids` in its profile period: the unweighted mean of the
    comparison group's members (the municipality itself never a member), how many members have a value, and how
    many lie below and above the municipality. The group is the figure's comparison area's top k in the period's
    year (the nearest year with groups), or the custom set `saet` when given. Built from the shared ranking
    (every municipality's value in each figure's period) and the municipality's own groups."""
    columns = ["noegletal_id", "sammenligningsomraade", "bm_aar", "gruppe_vaerdi", "gruppe_n", "under", "over"]
    ranks = q.rangering(scope, aar_, noegletal_ids)
    span = _aarsspaend(scope)
    figures = ranks.drop_duplicates("noegletal_id")[["noegletal_id", "periode"]].dropna()
    if span is None or figures.empty:
        return pd.DataFrame(columns=columns)
    figures = figures.merge(dims.noegletal_af(scope, noegletal_ids)[["noegletal_id", "dataomraade"]],
                            on="noegletal_id")
    known = set(omraader(scope)["omraade"])
    figures["sammenligningsomraade"] = [omraade_for(d, known) for d in figures["dataomraade"]]
    figures["bm_aar"] = figures["periode"].astype(int).clip(*span)
    if saet is None:
        groups = grupper(scope, kode, k, int(figures["bm_aar"].min()), int(figures["bm_aar"].max())).rename(
            columns={"omraade": "sammenligningsomraade", "aar": "bm_aar"})
        members = figures.merge(groups, on=["sammenligningsomraade", "bm_aar"])[["noegletal_id", "kode"]]
    else:
        members = figures[["noegletal_id"]].merge(pd.DataFrame({"kode": [c for c in saet if c != kode]}),
                                                  how="cross")
    values = ranks.dropna(subset=["omraade_kode"]).set_index(["noegletal_id", "omraade_kode"])["vaerdi"]
    members["vaerdi"] = values.reindex(pd.MultiIndex.from_frame(members[["noegletal_id", "kode"]])).to_numpy()
    mine = members["noegletal_id"].map(ranks[ranks["omraade_kode"] == kode].set_index("noegletal_id")["vaerdi"])
    members["under"], members["over"] = members["vaerdi"] < mine, members["vaerdi"] > mine
    summary = members.groupby("noegletal_id").agg(gruppe_vaerdi=("vaerdi", "mean"), gruppe_n=("vaerdi", "count"),
                                                  under=("under", "sum"), over=("over", "sum")).reset_index()
    return figures.merge(summary, on="noegletal_id")[columns]


@cached
def gruppeserie(scope: Scope, noegletal_id: str, medlemmer: tuple[str, ...]) -> pd.DataFrame:
    """The unweighted yearly mean of a set of municipalities for one key figure."""
    params = {**scope.params(), "id": noegletal_id, "koder": list(medlemmer)}
    return marts().query(f"""
        SELECT periode, avg(vaerdi) AS vaerdi, count(vaerdi) AS n FROM ({VISIBLE_FACTS})
        WHERE noegletal_id = $id AND length(periode) = 4 AND list_contains($koder::VARCHAR[], omraade_kode)
        GROUP BY periode ORDER BY periode""", params)


def hvorfor(scope: Scope, omraade: str, aar_: int, kode: str, koder: tuple[str, ...]) -> pd.DataFrame:
    """Each kept variable's share of the distance between `kode` and each of `koder` (rows: koder)."""
    weights = model(scope, omraade, aar_).query("beholdt").set_index("variabel")["vaegt"]
    z = variabler(scope, omraade, aar_, (kode, *koder)).pivot(index="kommunekode", columns="variabel", values="z")
    return pd.DataFrame({j: contributions(z, weights, kode, j) for j in koder}).T
