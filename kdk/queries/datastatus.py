"""Can we trust the data? Per data area: key figures (real or demo), sources, coverage and latest periods; the
releases and the findings of the last validation.

Reads dim_dataomraade, dim_noegletal, fct_noegletal, dim_kommune, kilde (each figure's source by its
`kilde_id`), release, validering (with the revisions
of published values a load made, kdk.marts.revision) and diskretion,
always through the viewer's scope: restricted figures, their areas, the findings about them
(`validering.noegletal_id`) and their disclosure audit, and releases under embargo (with their facts, findings and
audits) are left out, so the counts here never reveal what a viewer may not see.
"""
from __future__ import annotations

import pandas as pd

from kdk.db import marts
from kdk.marts.katalog import DEMO
from kdk.queries.cache import Row, cached
from kdk.queries.katalog import OWN_PERIOD
from kdk.queries.scope import AREAS, SOURCES, VISIBLE_FACTS, VISIBLE_FIGURES, VISIBLE_RELEASES, Scope

# A finding about a key figure (`noegletal_id`) is visible where the figure is, by the rule for its facts; one about
# no single figure (NULL) wherever its release is. Findings of embargoed releases are left out, and so is the
# disclosure audit's summary (niveau info): it counts every figure's cells, restricted ones too; the section of
# its own (`diskretion`) sums the audit over the visible figures instead.
VISIBLE_FINDINGS = f"""
    SELECT v.*, r.loebenummer FROM validering v JOIN ({VISIBLE_RELEASES}) r USING (release_id)
    WHERE v.niveau <> 'info'
      AND (v.noegletal_id IS NULL OR v.noegletal_id IN (SELECT noegletal_id FROM ({VISIBLE_FIGURES})))
"""

# Per visible key figure: municipality × period cells over the periods the figure has (any area code), how many
# hold a value, are suppressed or preliminary; the rest are missing (a 'mangler' row or no row at all). Counted per
# key figure and period first, so the facts are read once.
_PER_FIGURE = f"""
    WITH fig AS ({VISIBLE_FIGURES}),
    per_periode AS (
        SELECT f.noegletal_id, f.periode,
               count(k.kommunekode) FILTER (WHERE f.vaerdi IS NOT NULL) AS med_vaerdi,
               count(k.kommunekode) FILTER (WHERE f.status = 'diskretioneret') AS diskretioneret,
               count(k.kommunekode) FILTER (WHERE f.status = 'foreloebig' AND f.vaerdi IS NOT NULL) AS foreloebig
        FROM ({VISIBLE_FACTS}) f LEFT JOIN dim_kommune k ON k.kommunekode = f.omraade_kode
        GROUP BY f.noegletal_id, f.periode),
    taelling AS (
        SELECT f.noegletal_id, count(*) AS perioder, sum(f.med_vaerdi) AS med_vaerdi,
               sum(f.diskretioneret) AS diskretioneret, sum(f.foreloebig) AS foreloebig,
               min(f.periode) FILTER (WHERE f.med_vaerdi > 0 AND {OWN_PERIOD}) AS foerste_periode,
               max(f.periode) FILTER (WHERE f.med_vaerdi > 0 AND {OWN_PERIOD}) AS seneste_periode
        FROM per_periode f JOIN fig d USING (noegletal_id) GROUP BY f.noegletal_id)
    SELECT fig.noegletal_id, fig.titel, fig.dataomraade, fig.demodata, fig.kilde, fig.periodicitet,
           fig.raekkefoelge, a.raekkefoelge AS omraade_raekkefoelge,
           coalesce(t.perioder, 0) AS perioder,
           coalesce(t.perioder, 0) * (SELECT count(*) FROM dim_kommune) AS celler,
           coalesce(t.med_vaerdi, 0) AS med_vaerdi,
           coalesce(t.diskretioneret, 0) AS diskretioneret,
           coalesce(t.foreloebig, 0) AS foreloebig,
           t.foerste_periode, t.seneste_periode
    FROM fig JOIN dim_dataomraade a ON a.kode = fig.dataomraade
    LEFT JOIN taelling t USING (noegletal_id)
"""

@cached
def daekning_pr_noegletal(scope: Scope) -> pd.DataFrame:
    """One row per visible key figure, in catalogue order: demo or real, source text, periods held, coverage
    counts (`celler`, `med_vaerdi`, `diskretioneret`, `foreloebig`, `mangler`) and first/latest period with a
    municipality value in the figure's own periodicity."""
    df = marts().query(f"SELECT * FROM ({_PER_FIGURE}) ORDER BY omraade_raekkefoelge, raekkefoelge", scope.params())
    df["mangler"] = df["celler"] - df["med_vaerdi"] - df["diskretioneret"]
    return df


def overblik(scope: Scope) -> dict[str, int]:
    """The short answer's numbers over every visible key figure: how many (`antal`), of these demo data (`demo`),
    municipality × period cells (`celler`) with a value, suppressed or missing, and the newest validation's findings
    by level (`fejl`, `advarsel`)."""
    figures = daekning_pr_noegletal(scope)
    sums = {c: int(figures[c].sum()) for c in ("celler", "med_vaerdi", "diskretioneret", "mangler")}
    return {"antal": len(figures), "demo": int(figures["demodata"].sum()), **sums,
            **antal_pr_niveau(fund_opsummering(scope))}


def antal_pr_niveau(counts: pd.DataFrame) -> dict[str, int]:
    """Findings counted (`antal`) by level (`niveau`): {"fejl": n, "advarsel": m}, 0 for a level without any."""
    by_level = counts.groupby("niveau")["antal"].sum()
    return {niveau: int(by_level.get(niveau, 0)) for niveau in ("fejl", "advarsel")}


@cached
def omraader(scope: Scope) -> pd.DataFrame:
    """One row per visible data area, in catalogue order: key figures (`antal`, `antal_demo`, `andel_demo`) and
    coverage summed over its figures (`daekning` = cells with a value / all cells)."""
    areas = marts().query(f"""
        SELECT a.* FROM ({AREAS}) a
        WHERE EXISTS (SELECT 1 FROM ({VISIBLE_FIGURES}) d WHERE d.dataomraade = a.kode)
        ORDER BY raekkefoelge""", scope.params())
    figures = daekning_pr_noegletal(scope)
    sums = figures.groupby("dataomraade").agg(
        antal=("noegletal_id", "size"), antal_demo=("demodata", "sum"), celler=("celler", "sum"),
        med_vaerdi=("med_vaerdi", "sum"), diskretioneret=("diskretioneret", "sum"),
        foreloebig=("foreloebig", "sum"), mangler=("mangler", "sum"))
    df = areas.merge(sums, left_on="kode", right_index=True, how="left")
    df["antal_demo"] = df["antal_demo"].astype(int)
    df["andel_demo"] = df["antal_demo"] / df["antal"]
    df["daekning"] = (df["med_vaerdi"] / df["celler"]).where(df["celler"] > 0)
    return df.reset_index(drop=True)


@cached
def kilder(scope: Scope) -> pd.DataFrame:
    """Per visible data area and source (`kilde_id`, the `kilde` table's row: `demo` for demo figures): the number
    of its figures (`antal`), their distinct source texts (`tekster`, in catalogue order) and, for demo figures,
    where their real data will come from (`rigtige_data`, sorted); real sources first, in catalogue order."""
    return marts().query(f"""
        WITH fig AS ({VISIBLE_FIGURES}),
        tekst AS (SELECT dataomraade, kilde_id, kilde AS tekst, rigtige_data, count(*) AS antal,
                         min(raekkefoelge) AS foerste
                  FROM fig GROUP BY ALL)
        SELECT t.dataomraade, t.kilde_id, k.id = '{DEMO}' AS demodata, sum(t.antal)::INT AS antal,
               list(t.tekst ORDER BY t.foerste) AS tekster,
               list(DISTINCT t.rigtige_data ORDER BY t.rigtige_data) FILTER (WHERE t.rigtige_data <> '')
                   AS rigtige_data,
               k.navn AS kilde_navn, k.attribution, k.licens, k.udtraeksdato AS kilde_udtraeksdato, k.filer
        FROM tekst t JOIN ({SOURCES}) k ON k.id = t.kilde_id JOIN dim_dataomraade a ON a.kode = t.dataomraade
        GROUP BY t.dataomraade, t.kilde_id, k.id, k.navn, k.attribution, k.licens, k.udtraeksdato, k.filer,
                 a.raekkefoelge
        ORDER BY a.raekkefoelge, demodata, min(t.foerste)""", scope.params())


@cached
def rigtige_kilder(scope: Scope) -> pd.DataFrame:
    """Every source of real data in the `kilde` table (all but the generated demo data), with its attribution,
    licence and extraction date, and the visible key figures from it (`antal`, `titler` in catalogue order); the
    sources of the most figures first, then by name (map and codes have none)."""
    return marts().query(f"""
        WITH fig AS ({VISIBLE_FIGURES})
        SELECT k.id, k.navn, k.attribution, k.licens, k.udtraeksdato, count(fig.noegletal_id) AS antal,
               coalesce(string_agg(fig.titel, '; ' ORDER BY fig.raekkefoelge), '') AS titler
        FROM ({SOURCES}) k LEFT JOIN fig ON fig.kilde_id = k.id
        WHERE k.id <> '{DEMO}'
        GROUP BY ALL ORDER BY antal DESC, k.navn""", scope.params())


@cached
def releases(scope: Scope) -> pd.DataFrame:
    """The releases the viewer may see, newest (highest `loebenummer`) first, with their visible findings
    counted by level (`fejl`, `advarsler`)."""
    return marts().query(f"""
        WITH fund AS ({VISIBLE_FINDINGS})
        SELECT r.release_id, r.loebenummer, r.udtraeksdato, r.beskrivelse, r.kilde_fil,
               count(fund.regel) FILTER (WHERE fund.niveau = 'fejl') AS fejl,
               count(fund.regel) FILTER (WHERE fund.niveau = 'advarsel') AS advarsler
        FROM ({VISIBLE_RELEASES}) r LEFT JOIN fund USING (release_id)
        GROUP BY ALL ORDER BY r.loebenummer DESC""", scope.params())


def seneste_release(scope: Scope) -> dict | None:
    """The newest release the viewer may see (highest `loebenummer`), or None."""
    df = releases(scope)
    return df.iloc[0].to_dict() if len(df) else None


_LAST_VALIDATED = f"""
    (SELECT release_id FROM ({VISIBLE_FINDINGS}) ORDER BY loebenummer DESC LIMIT 1)
"""


@cached
def fund_opsummering(scope: Scope) -> pd.DataFrame:
    """The findings of the newest visible release that has findings, counted by rule and level (errors first)."""
    return marts().query(f"""
        SELECT release_id, loebenummer, regel, niveau, count(*) AS antal, count(DISTINCT fil) AS filer
        FROM ({VISIBLE_FINDINGS}) WHERE release_id = {_LAST_VALIDATED}
        GROUP BY release_id, loebenummer, regel, niveau
        ORDER BY niveau = 'advarsel', antal DESC, regel""", scope.params())


@cached
def fund(scope: Scope, graense: int = 50) -> pd.DataFrame:
    """Up to `graense` findings of the newest visible release that has findings, with file, line, column, rule,
    level and message, and the key figure it is about (`noegletal_id`, `titel`, `dataomraade`; null when it is about
    none); errors first, then by file, line and rule."""
    return marts().query(f"""
        SELECT v.release_id, v.loebenummer, v.fil, v.linje, v.kolonne, v.regel, v.niveau, v.besked,
               d.noegletal_id, d.titel, d.dataomraade
        FROM ({VISIBLE_FINDINGS}) v
        LEFT JOIN ({VISIBLE_FIGURES}) d USING (noegletal_id)
        WHERE v.release_id = {_LAST_VALIDATED}
        ORDER BY v.niveau = 'advarsel', v.fil, v.linje NULLS FIRST, v.regel, v.besked
        LIMIT $graense""", {**scope.params(), "graense": graense})


@cached
def fund_pr_omraade(scope: Scope) -> pd.DataFrame:
    """The findings of the newest visible release that has findings, counted by the data area of the key figure
    they are about and by level."""
    return marts().query(f"""
        SELECT d.dataomraade, v.niveau, count(*) AS antal
        FROM ({VISIBLE_FINDINGS}) v JOIN ({VISIBLE_FIGURES}) d USING (noegletal_id)
        WHERE v.release_id = {_LAST_VALIDATED}
        GROUP BY d.dataomraade, v.niveau ORDER BY d.dataomraade, v.niveau""", scope.params())


@cached
def diskretion(scope: Scope) -> Row | None:
    """The disclosure audit (table diskretion, kdk/marts/disclosure.py) of the newest visible release that has
    one, summed over the key figures the viewer may see: hidden cells (`skjulte`), of these secondary
    (`sekundaere`), audited counts (`antal`) and the narrowest interval's width (`smalleste`: inf where none is
    bounded above, None where none is audited); None when no visible release has an audit."""
    row = marts().query(f"""
        WITH seneste AS (SELECT release_id FROM diskretion JOIN ({VISIBLE_RELEASES}) USING (release_id)
                         ORDER BY loebenummer DESC LIMIT 1)
        SELECT (SELECT count(*) FROM seneste) AS revideret, coalesce(sum(d.skjulte), 0) AS skjulte,
               coalesce(sum(d.sekundaere), 0) AS sekundaere, coalesce(sum(d.antal), 0) AS antal,
               min(d.smalleste) AS smalleste
        FROM diskretion d JOIN ({VISIBLE_FIGURES}) f USING (noegletal_id)
        WHERE d.release_id = (SELECT release_id FROM seneste)""", scope.params()).iloc[0]
    if not row["revideret"]:
        return None
    return {"skjulte": int(row["skjulte"]), "sekundaere": int(row["sekundaere"]), "antal": int(row["antal"]),
            "smalleste": None if pd.isna(row["smalleste"]) else float(row["smalleste"])}


@cached
def revisioner(scope: Scope) -> pd.DataFrame:
    """The revisions of published values (findings of rule `revision` at level advarsel, kdk.marts.revision) in
    every visible release, about the visible key figures: per figure and release its `titel`, `dataomraade`,
    release number and date, and the message ("Revideret: <begrundelse>. ..."), newest release first, then in
    catalogue order."""
    return marts().query(f"""
        SELECT d.noegletal_id, d.titel, d.dataomraade, v.release_id, v.loebenummer, r.udtraeksdato, v.besked
        FROM ({VISIBLE_FINDINGS}) v JOIN ({VISIBLE_FIGURES}) d USING (noegletal_id)
        JOIN release r USING (release_id)
        WHERE v.regel = 'revision' AND v.niveau = 'advarsel'
        ORDER BY v.loebenummer DESC, d.raekkefoelge""", scope.params())


@cached
def build_fund(scope: Scope) -> pd.DataFrame:
    """The visible findings of the build (`loebenummer` 1) counted by level: one row per level present."""
    return marts().query(f"""
        SELECT niveau, count(*) AS antal FROM ({VISIBLE_FINDINGS}) WHERE loebenummer = 1
        GROUP BY niveau ORDER BY niveau""", scope.params())
