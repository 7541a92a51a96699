"""Validation rules for key-figure data: the ingest checks a source file with them, the build checks all data.

Reads a DataFrame in the long format of `ingest_reader.read_source` (`linje`/`kolonne` optional), the key-figure
catalogue, the municipality codes and optionally earlier data for the jump rule. Writes nothing; returns findings.
Vectorised: the per-row rules only loop over the rows they report.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable

import numpy as np
import pandas as pd

from kdk import periods
from kdk.marts.findings import ADVARSEL, FEJL, Finding
from kdk.marts.ingest_reader import HELE_LANDET

REGIONSKODER = frozenset({"1081", "1082", "1083", "1084", "1085"})
NOEGLE = ["noegletal_id", "omraade_kode", "periode"]
_HYPPIGHED = {"aar": "pr. år", "kvartal": "pr. kvartal", "maaned": "pr. måned", "femaar": "pr. femårsperiode"}
_PERIODETYPE = {"aar": "et år", "kvartal": "et kvartal", "maaned": "en måned", "femaar": "en femårsperiode"}
_VIS_KOMMUNER = 10
NYT_NOEGLETAL = ("Et nyt nøgletal tilføjes som et [[noegletal]]-afsnit i data/noegletal.toml med felterne id, titel, "
                 "definition, enhed, dataomraade, retning, decimaler, periodicitet, kilde, kilde_id (kildens id i "
                 "data/kilder/kilder.toml), demodata, adgang, "
                 "aggregering (og taeller, naevner og faktor for en brøk), min og max (se forklaringen øverst i "
                 "filen); kør derefter python -m kdk build og indlæs filen igen.")


def validate(data: pd.DataFrame, katalog: dict[str, dict], kommunekoder: set[str], fil: str,
             tidligere: pd.DataFrame | None = None) -> list[Finding]:
    """All findings for `data`: FEJL for rows that must not be loaded, ADVARSEL for values to look at."""
    df = _forbered(data)
    ugyldig_periode = _ugyldig_periode(df["periode"])
    fund = _ukendte_noegletal(df, katalog, fil) + _ukendte_omraader(df, kommunekoder, fil)
    fund += _ugyldige_perioder(df, ugyldig_periode, fil)
    kendt = df[df["noegletal_id"].isin(list(katalog)) & ~ugyldig_periode]
    fund += _periodicitet(kendt, katalog, fil) + _dubletter(df, fil)
    fund += _uden_for_interval(kendt, katalog, kommunekoder, fil)
    fund += _manglende_kommuner(kendt, kommunekoder, fil) + _spring(kendt, katalog, tidligere, fil)
    return fund


def _forbered(data: pd.DataFrame) -> pd.DataFrame:
    """A copy with a plain index, categorical keys (fast grouping) and `linje`/`kolonne` (None where missing)."""
    df = data.reset_index(drop=True).astype({k: "category" for k in NOEGLE})
    for kolonne in ("linje", "kolonne"):
        if kolonne not in df:
            df[kolonne] = None
    return df


def _finding(fil: str, raekke, regel: str, niveau: str, besked: str, om_noegletal: bool = True) -> Finding:
    """A finding at the row `raekke`; about the row's key figure unless `om_noegletal` is False (a finding about an
    area code or a period, which rows of several figures share, or about an id the catalogue does not have)."""
    linje = None if pd.isna(raekke.linje) else int(raekke.linje)
    kolonne = None if pd.isna(raekke.kolonne) else str(raekke.kolonne)
    return Finding(fil, linje, kolonne, regel, niveau, besked, str(raekke.noegletal_id) if om_noegletal else None)


def _foerste(df: pd.DataFrame, maske: pd.Series, efter: list[str]) -> pd.DataFrame:
    """The first row of each group among the rows in `maske`, with the group's row count as `antal`."""
    valgt = df[maske]
    antal = valgt.groupby(efter, observed=True, dropna=False)[efter[0]].transform("size")
    return valgt.assign(antal=antal).drop_duplicates(efter)


def _per_unik(serie: pd.Series, funktion: Callable[[str], object]) -> pd.Series:
    """`funktion` applied once per distinct value (ids and periods repeat thousands of times)."""
    koder, unikke = pd.factorize(serie)
    return pd.Series(np.array([funktion(u) for u in unikke], dtype=object)[koder], index=serie.index)


def _raekker(antal: int) -> str:
    return "1 række" if antal == 1 else f"{antal} rækker"


def _tal(vaerdi: float) -> str:
    """Danish number text with 2 decimals (4 below 1): 1.234,5."""
    tekst = f"{vaerdi:,.{2 if abs(vaerdi) >= 1 else 4}f}".rstrip("0").rstrip(".")
    return tekst.replace(",", "_").replace(".", ",").replace("_", ".")


# --- rules on ids, areas and periods --------------------------------------------------------------------------------

def _ukendte_noegletal(df: pd.DataFrame, katalog: dict[str, dict], fil: str) -> list[Finding]:
    fund = []
    for r in _foerste(df, ~df["noegletal_id"].isin(list(katalog)), ["noegletal_id"]).itertuples():
        besked = f"Ukendt nøgletal '{r.noegletal_id}' ({_raekker(r.antal)}); det findes ikke i kataloget."
        if forslag := difflib.get_close_matches(str(r.noegletal_id), list(katalog), n=3, cutoff=0.6):
            besked += " Mente du " + " eller ".join(f"'{f}'" for f in forslag) + "?"
        besked += f" {NYT_NOEGLETAL}"
        fund.append(_finding(fil, r, "ukendt_noegletal", FEJL, besked, om_noegletal=False))
    return fund


def _ukendte_omraader(df: pd.DataFrame, kommunekoder: set[str], fil: str) -> list[Finding]:
    gyldige = list(kommunekoder | REGIONSKODER | {HELE_LANDET})
    return [_finding(fil, r, "ukendt_kommune", FEJL,
                     f"Ukendt områdekode '{r.omraade_kode}' ({_raekker(r.antal)}). Gyldige koder er 000 (hele "
                     f"landet), 1081-1085 (regioner) og de {len(kommunekoder)} kommunekoder.", om_noegletal=False)
            for r in _foerste(df, ~df["omraade_kode"].isin(gyldige), ["omraade_kode"]).itertuples()]


def _ugyldig_periode(periode: pd.Series) -> pd.Series:
    """True where the period is not a StatBank code (2024, 2024K1, 2024M01, 2021:2025)."""
    return _per_unik(periode, lambda p: periods.normalise(str(p)) != p).astype(bool)


def _ugyldige_perioder(df: pd.DataFrame, ugyldig: pd.Series, fil: str) -> list[Finding]:
    return [_finding(fil, r, "ugyldig_periode", FEJL,
                     f"Ugyldig periode '{r.periode}' ({_raekker(r.antal)}). {periods.gyldige()}",
                     om_noegletal=False)
            for r in _foerste(df, ugyldig, ["periode"]).itertuples()]


def _periodicitet(df: pd.DataFrame, katalog: dict[str, dict], fil: str) -> list[Finding]:
    """A period must have the key figure's kind; a year is also allowed for quarterly and monthly figures."""
    forventet = _per_unik(df["noegletal_id"], lambda n: katalog[n].get("periodicitet"))
    type_ = _per_unik(df["periode"], periods.kind)
    forkert = forventet.notna() & (type_ != forventet) & (type_ != "aar")
    return [_finding(fil, r, "periodicitet", FEJL,
                     f"Perioden '{r.periode}' er {_PERIODETYPE[periods.kind(r.periode)]}, men nøgletallet "
                     f"'{r.noegletal_id}' opgøres {_HYPPIGHED[katalog[r.noegletal_id]['periodicitet']]} "
                     f"({_raekker(r.antal)}).")
            for r in _foerste(df, forkert, ["noegletal_id", "periode"]).itertuples()]


# --- rules on rows -------------------------------------------------------------------------------------------------

def _dubletter(df: pd.DataFrame, fil: str) -> list[Finding]:
    """Every repeat of (key figure, area, period) names the line of the first occurrence."""
    gentaget = df.duplicated(NOEGLE, keep="first")
    if not gentaget.any():
        return []
    foerste_linje = df.groupby(NOEGLE, observed=True)["linje"].transform("first")
    fund = []
    for r, foerste in zip(df[gentaget].itertuples(), foerste_linje[gentaget]):
        besked = f"Dublet: nøgletal '{r.noegletal_id}', område {r.omraade_kode}, periode {r.periode} "
        besked += f"står også på linje {int(foerste)}." if pd.notna(foerste) else "forekommer mere end én gang."
        fund.append(_finding(fil, r, "dublet", FEJL, besked))
    return fund


def _graense(df: pd.DataFrame, katalog: dict[str, dict], felt: str) -> pd.Series:
    """A catalogue field per row as float (NaN where the catalogue has none)."""
    return pd.to_numeric(_per_unik(df["noegletal_id"], lambda n: katalog[n].get(felt)),
                         errors="coerce").astype("float64")


def _uden_for_interval(df: pd.DataFrame, katalog: dict[str, dict], kommunekoder: set[str],
                       fil: str) -> list[Finding]:
    """Every area's value within the key figure's plausible range. The range is a municipality's: a region's or
    the whole country's rate or mean lies within it too, and a count's total (aggregering `sum`) lies between the
    minimum and the maximum of all municipalities together."""
    mindst, hoejst = _graense(df, katalog, "min"), _graense(df, katalog, "max")
    total = ~df["omraade_kode"].astype(str).isin(kommunekoder)
    total &= _per_unik(df["noegletal_id"], lambda n: katalog[n].get("aggregering") == "sum").astype(bool)
    hoejst = hoejst.where(~total, hoejst * len(kommunekoder))
    under, over = df["vaerdi"] < mindst, df["vaerdi"] > hoejst
    fund = []
    for r, lav, graense, sum_ in zip(df[under | over].itertuples(), under[under | over],
                                     mindst.where(under, hoejst)[under | over], total[under | over]):
        retning = "mindre end minimum" if lav else "større end maksimum"
        hvorfor = f" (summen af {len(kommunekoder)} kommuners maksimum)" if sum_ and not lav else ""
        fund.append(_finding(fil, r, "uden_for_interval", FEJL,
                             f"Værdien {_tal(r.vaerdi)} er {retning} {_tal(graense)}{hvorfor} for nøgletallet "
                             f"'{r.noegletal_id}' (område {r.omraade_kode}, periode {r.periode})."))
    return fund


def _spring(df: pd.DataFrame, katalog: dict[str, dict], tidligere: pd.DataFrame | None,
            fil: str) -> list[Finding]:
    """|value / value of the previous period - 1| above the key figure's max_spring (previous from the data itself
    or from `tidligere`; the data wins where both have it)."""
    forrige = _forrige_vaerdier(df, tidligere)
    graense = _graense(df, katalog, "max_spring")
    aendring = df["vaerdi"] / forrige["vaerdi"].where(forrige["vaerdi"] != 0) - 1
    spring = (graense > 0) & (aendring.abs() > graense)  # max_spring 0 = no jump check
    return [_finding(fil, r, "spring", ADVARSEL,
                     f"Værdien for område {r.omraade_kode} ændrer sig {_procent(a)} fra {p} ({_tal(v)}) til "
                     f"{r.periode} ({_tal(r.vaerdi)}); grænsen for nøgletallet '{r.noegletal_id}' er "
                     f"{_procent(g).lstrip('+')}")   # 'pct.' ends the sentence
            for r, a, p, v, g in zip(df[spring].itertuples(), aendring[spring], forrige["periode"][spring],
                                     forrige["vaerdi"][spring], graense[spring])]


def _forrige_vaerdier(df: pd.DataFrame, tidligere: pd.DataFrame | None) -> pd.DataFrame:
    """Per row of `df` the previous period and its value for the same key figure and area (NaN if none)."""
    forrige = _per_unik(df["periode"], periods.previous)
    kilder = [df[NOEGLE + ["vaerdi"]].astype({k: str for k in NOEGLE})]
    if tidligere is not None:
        kilder.append(tidligere[NOEGLE + ["vaerdi"]].astype({k: str for k in NOEGLE}))
    opslag = pd.concat(kilder).drop_duplicates(NOEGLE, keep="first").set_index(NOEGLE)["vaerdi"]
    noegler = pd.MultiIndex.from_arrays([df["noegletal_id"].astype(str), df["omraade_kode"].astype(str), forrige])
    return pd.DataFrame({"periode": forrige, "vaerdi": opslag.reindex(noegler).to_numpy()}, index=df.index)


def _procent(andel: float) -> str:
    return f"{andel * 100:+.1f}".replace(".", ",") + " pct."


# --- rules on sets of rows -----------------------------------------------------------------------------------------

def _manglende_kommuner(df: pd.DataFrame, kommunekoder: set[str], fil: str) -> list[Finding]:
    """Per key figure and period with municipality rows: the municipalities without a row; one finding per key
    figure when the same municipalities are missing in all its periods."""
    kommuner = df[df["omraade_kode"].isin(list(kommunekoder))].drop_duplicates(NOEGLE)
    koder = np.array(sorted(kommunekoder, key=int))
    mangler = (kommuner.assign(til_stede=True)
               .pivot(index=["noegletal_id", "periode"], columns="omraade_kode", values="til_stede")
               .reindex(columns=koder).isna())
    fund = []
    for noegletal, gruppe in mangler.groupby(level="noegletal_id", sort=False):
        saet = {periode: tuple(koder[raekke]) for (_, periode), raekke in zip(gruppe.index, gruppe.to_numpy())}
        if len(saet) > 1 and len(set(saet.values())) == 1 and next(iter(saet.values())):
            fund.append(_mangler(fil, noegletal, f"i alle {len(saet)} perioder", next(iter(saet.values()))))
        else:
            fund += [_mangler(fil, noegletal, f"i perioden {p}", m) for p, m in saet.items() if m]
    return fund


def _mangler(fil: str, noegletal: str, hvornaar: str, koder: tuple[str, ...]) -> Finding:
    vist = ", ".join(koder[:_VIS_KOMMUNER])
    if len(koder) > _VIS_KOMMUNER:
        vist += f" og {len(koder) - _VIS_KOMMUNER} flere"
    antal = "1 kommune" if len(koder) == 1 else f"{len(koder)} kommuner"
    return Finding(fil, None, None, "manglende_kommuner", ADVARSEL,
                   f"Nøgletallet '{noegletal}' mangler {antal} {hvornaar}: {vist}.", str(noegletal))
