"""Comparison groups for pages: the k most comparable municipalities, why, how stable, the method and the matrix.

Reads bm_definition, dim_kommune and dim_noegletal, and bm_sammenligning, bm_model and bm_variabel of the newest
release the viewer may see (kdk.queries.scope.groups), so a release under embargo shows nowhere. A key figure's data
area uses the comparison area of the same code where one exists (skole, dagtilbud, ubu, aeldre, handicap, sundhed),
otherwise `tvaergaaende` (the group's values for key figures are in kdk.queries.profil).

An area is built from its outcome and every candidate variable: the model is fitted on all of them, and the groups,
distances and ranks come from the kept ones. So a viewer sees an area only if they may see every key figure it is
built from, by the rule for facts (VISIBLE_FIGURES); to anyone else it is as unknown as an area that does not exist.
Leaving out only a restricted variable would not do: a member's distance and the other variables' weights, both
shown, give that variable's weighted squared difference, and so its values.
"""
from __future__ import annotations

import statistics
from collections.abc import Mapping
from types import MappingProxyType

import pandas as pd

from kdk.db import marts
from kdk.queries.cache import Row, cached
from kdk.queries.scope import VISIBLE_FIGURES, Scope, groups
from kdk.similarity import contributions
from kdk.sprog import katalogtekst

TVAERGAAENDE = "tvaergaaende"
K_VALG = (5, 10, 15)
STANDARD_K = 10

# The areas whose outcome and candidates the viewer may all see.
VISIBLE_AREAS = f"""
    SELECT d.sammenligningsomraade FROM bm_definition d LEFT JOIN ({VISIBLE_FIGURES}) v USING (noegletal_id)
    GROUP BY d.sammenligningsomraade HAVING count(*) = count(v.noegletal_id)
"""


@cached
def omraader(scope: Scope) -> pd.DataFrame:
    """The areas the viewer may see (sammenligningsomraade, navn, beskrivelse, raekkefoelge), in catalogue order;
    name and description in the active language (kdk.sprog.katalogtekst)."""
    df = marts().query(f"""SELECT DISTINCT sammenligningsomraade, navn, beskrivelse, navn_en, beskrivelse_en,
                                  raekkefoelge FROM bm_definition
                           WHERE sammenligningsomraade IN ({VISIBLE_AREAS}) ORDER BY raekkefoelge""", scope.params())
    for felt in ("navn", "beskrivelse"):
        df[felt] = [katalogtekst(da, en) for da, en in zip(df[felt], df[f"{felt}_en"], strict=True)]
    return df.drop(columns=["navn_en", "beskrivelse_en"])


def standard(scope: Scope) -> str | None:
    """The area a page opens on: `tvaergaaende`, else the first the viewer may see; None when they may see none."""
    kendte = list(omraader(scope)["sammenligningsomraade"])
    return TVAERGAAENDE if TVAERGAAENDE in kendte else next(iter(kendte), None)


@cached
def aar(scope: Scope, sammenligningsomraade: str | None) -> tuple[int, ...]:
    """The years with groups in an area the viewer may see, newest first (none for any other area)."""
    df = marts().query(f"""SELECT DISTINCT aar FROM {groups('bm_model')}
                           WHERE sammenligningsomraade = $o AND sammenligningsomraade IN ({VISIBLE_AREAS})
                           ORDER BY aar DESC""",
                       {**scope.params(), "o": sammenligningsomraade})
    return tuple(df["aar"].tolist())


def omraade_for(dataomraade: str, kendte: set[str]) -> str | None:
    """The comparison area of a data area among the `kendte` (those the viewer may see, `omraader`): its own, else
    `tvaergaaende`; None when neither is known."""
    if dataomraade in kendte:
        return dataomraade
    return TVAERGAAENDE if TVAERGAAENDE in kendte else None


def gruppe(scope: Scope, sammenligningsomraade: str, aar_: int, kode: str, k: int) -> tuple[Row, ...]:
    """The k most comparable municipalities (rang, kode, navn, regionsnavn, afstand), the most comparable first;
    none where the area has no groups that year."""
    return _grupper(scope, sammenligningsomraade, aar_, k).get(kode, ())


@cached
def _grupper(scope: Scope, sammenligningsomraade: str, aar_: int, k: int) -> Mapping[str, tuple[Row, ...]]:
    """Every municipality's group in one area and year, by its code: one query reads the area's and year's top k
    ranks (the table is sorted so), and serves every municipality's group there."""
    rows = marts().records(f"""
        SELECT b.kommunekode, b.rang, b.sammenligningskode AS kode, k.navn, k.regionsnavn, b.afstand
        FROM {groups("bm_sammenligning")} b JOIN dim_kommune k ON k.kommunekode = b.sammenligningskode
        WHERE b.sammenligningsomraade = $o AND b.aar = $aar AND b.rang <= $k
          AND b.sammenligningsomraade IN ({VISIBLE_AREAS})
        ORDER BY b.kommunekode, b.rang""", {**scope.params(), "o": sammenligningsomraade, "aar": aar_, "k": k})
    by_kode: dict[str, list[dict]] = {}
    for row in rows:
        by_kode.setdefault(row.pop("kommunekode"), []).append(row)
    return MappingProxyType({kode: tuple(members) for kode, members in by_kode.items()})


def medlemmer(scope: Scope, sammenligningsomraade: str, aar_: int, kode: str, k: int) -> tuple[str, ...]:
    """The codes of the k most comparable municipalities, the most comparable first."""
    return tuple(m["kode"] for m in gruppe(scope, sammenligningsomraade, aar_, kode, k))


@cached
def model(scope: Scope, sammenligningsomraade: str, aar_: int) -> tuple[Row, ...]:
    """The published method, the heaviest first: each candidate used that year (variabel; `udeladte` names the
    others) with koefficient, p_vaerdi, vaegt, beholdt, r2, n, ingen_signifikante, kilde_aar (the year its values
    are from), titel, enhed, decimaler (the key figure's, at which its values are shown), demodata and
    transformation."""
    return tuple(marts().records(f"""
        SELECT m.*, n.titel, n.enhed, n.decimaler, n.demodata, d.transformation
        FROM {groups("bm_model")} m JOIN dim_noegletal n ON n.noegletal_id = m.variabel
        JOIN bm_definition d ON d.sammenligningsomraade = m.sammenligningsomraade AND d.noegletal_id = m.variabel
                                AND d.rolle = 'kandidat'
        WHERE m.sammenligningsomraade = $o AND m.aar = $aar AND m.sammenligningsomraade IN ({VISIBLE_AREAS})
        ORDER BY m.vaegt DESC, m.p_vaerdi""", {**scope.params(), "o": sammenligningsomraade, "aar": aar_}))


@cached
def udeladte(scope: Scope, sammenligningsomraade: str, aar_: int) -> tuple[str, ...]:
    """The titles of the area's candidates left out of the year's model, having no value from that year or before
    (a later year's never stands in)."""
    df = marts().query(f"""
        SELECT n.titel FROM bm_definition d JOIN dim_noegletal n USING (noegletal_id)
        WHERE d.sammenligningsomraade = $o AND d.rolle = 'kandidat' AND d.sammenligningsomraade IN ({VISIBLE_AREAS})
          AND d.noegletal_id NOT IN (SELECT variabel FROM {groups("bm_model")}
                                     WHERE sammenligningsomraade = $o AND aar = $aar)
        ORDER BY n.raekkefoelge""", {**scope.params(), "o": sammenligningsomraade, "aar": aar_})
    return tuple(df["titel"])


def stabilitet(scope: Scope, sammenligningsomraade: str, aar_: int, kode: str, k: int) -> dict:
    """How many of the k most comparable in the area's previous year with groups are among the year's k (igen),
    that year (forrige_aar), and the mean of that count over every municipality (gennemsnit); in the area's first
    year all three are None."""
    forrige = max((y for y in aar(scope, sammenligningsomraade) if y < aar_), default=None)
    if forrige is None:
        return {"forrige_aar": None, "igen": None, "gennemsnit": None}
    before, now = _grupper(scope, sammenligningsomraade, forrige, k), _grupper(scope, sammenligningsomraade, aar_, k)
    igen = {c: len({m["kode"] for m in members} & {m["kode"] for m in now.get(c, ())})
            for c, members in before.items()}
    return {"forrige_aar": forrige, "igen": igen.get(kode, 0), "gennemsnit": statistics.mean(igen.values())}


@cached
def udfald(scope: Scope, sammenligningsomraade: str) -> Row:
    """The outcome key figure of a comparison area (id, title, unit, whether it is generated demo data)."""
    df = marts().query(f"""SELECT d.noegletal_id, n.titel, n.enhed, n.demodata FROM bm_definition d
                           JOIN dim_noegletal n USING (noegletal_id)
                           WHERE d.sammenligningsomraade = $o AND d.rolle = 'udfald'
                             AND d.sammenligningsomraade IN ({VISIBLE_AREAS})""",
                       {**scope.params(), "o": sammenligningsomraade})
    return df.iloc[0].to_dict()


@cached
def variabler(scope: Scope, sammenligningsomraade: str, aar_: int) -> pd.DataFrame:
    """Every municipality's value (vaerdi) and standardised value (z) of every candidate: kommunekode, variabel,
    vaerdi, z, imputeret, kilde_aar."""
    return marts().query(f"""
        SELECT v.kommunekode, v.variabel, v.vaerdi, v.z, v.imputeret, v.kilde_aar
        FROM {groups("bm_variabel")} v
        WHERE v.sammenligningsomraade = $o AND v.aar = $aar AND v.sammenligningsomraade IN ({VISIBLE_AREAS})
        ORDER BY v.kommunekode, v.variabel""", {**scope.params(), "o": sammenligningsomraade, "aar": aar_})


@cached
def matrice(scope: Scope, sammenligningsomraade: str, aar_: int) -> pd.DataFrame:
    """All ranks: kommunekode × sammenligningskode with names and regions (long format)."""
    return marts().query(f"""
        SELECT b.kommunekode, b.sammenligningskode, b.rang, b.afstand
        FROM {groups("bm_sammenligning")} b
        WHERE b.sammenligningsomraade = $o AND b.aar = $aar AND b.sammenligningsomraade IN ({VISIBLE_AREAS})""",
                         {**scope.params(), "o": sammenligningsomraade, "aar": aar_})


def hvorfor(scope: Scope, sammenligningsomraade: str, aar_: int, kode: str, koder: tuple[str, ...]) -> pd.DataFrame:
    """Each kept variable's share of the distance between `kode` and each of `koder` (rows: koder)."""
    weights = pd.Series({r["variabel"]: r["vaegt"] for r in model(scope, sammenligningsomraade, aar_) if r["beholdt"]})
    z = variabler(scope, sammenligningsomraade, aar_).pivot(index="kommunekode", columns="variabel", values="z")
    return contributions(z, weights, kode, list(koder))
