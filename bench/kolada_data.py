"""What a marts file of Kolada's size holds: municipalities, key figures and municipal fact rows, generated in
DuckDB SQL from normal marts.

Reads normal marts attached as `base` (the build from the shipped sources); writes temporary tables in the
connection it is given, which bench/kolada_marts.py turns into the marts tables:
- `kommuneplan`: the 98 real municipalities, then generated ones with free 3-digit codes (100-999 minus the real
  codes), Danish-sounding names, a region by hash, a real "twin" and a size factor (log-normal, sd 0,35);
- `figurplan`: the real catalogue first (ids and order unchanged), then generated variants spread evenly over the
  10 data areas; a variant copies a real figure of its area (unit, direction, rule, range, access) and is named
  by a breakdown ("Karaktergennemsnit (kvinder, 6-16 år)"), marked as demo data;
- `kommune_fakta`: every key figure × municipality × year. A real figure for a real municipality in a year the
  source has keeps its value exactly (and in other years the nearest year's, moved by a drift of at most 2 % a
  year per figure). Every other cell is the template figure's value for the twin in the nearest year, times
  log-normal factors per figure (the variant's level, sd 0,2), per figure and municipality (sd 0,12) and per
  year (sd 0,02), kept within the figure's plausible range. Counts grow with the municipality's size; ratios
  keep an integer numerator and denominator, so small municipalities give small numbers that the build's
  suppression hides. Real monthly rows of the real municipalities are kept (the profile's unemployment line).
Why variants of real figures in the real areas: every page (themes, comparison areas, directions, units,
suppression, the demo labels) keeps working and meaning something, and each area gets ~500 figures, which is
what the profile's cap and paging are for. Every draw is a hash of its key, so the same arguments give the same
rows.
"""
from __future__ import annotations

import duckdb

from kdk.marts.katalog import DEMO

LAST_YEAR = 2025
PREFIXES = ["Ny", "Øster", "Vester", "Sønder", "Nørre", "Store", "Lille", "Gammel", "Høj", "Lund", "Skov", "Strand",
            "Bak", "Mose", "Eng", "Sø"]
SUFFIXES = ["by", "rup", "strup", "sted", "lev", "løse", "holm", "bjerg", "havn", "køping", "bæk", "ager"]
KOEN = ["alle", "kvinder", "mænd"]   # variant 0 ("alle, alle aldre") is the template itself: unused
ALDER = ["alle aldre", "0-5 år", "6-16 år", "17-24 år", "25-44 år", "45-64 år", "65-79 år", "80+ år"]
OPGOERELSE = ["", "3-årigt gennemsnit", "standardiseret", "foreløbig opgørelse", "korrigeret", "primo året",
              "ultimo året"]
KILDE = "Genereret til skalatest i Koladas størrelse; ikke officiel statistik"


def _uniform(*key: str) -> str:
    """SQL: a uniform draw in (0, 1) from the hash of `key` (SQL expressions)."""
    return f"((hash({', '.join(key)}) % 1000000)::DOUBLE + 0.5) / 1000000"


def _normal(*key: str) -> str:
    """SQL: a standard normal draw from the hash of `key` (Box-Muller)."""
    u, v = _uniform(*key, "'u'"), _uniform(*key, "'v'")
    return f"(sqrt(-2 * ln({u})) * cos(2 * pi() * {v}))"


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def plan_municipalities(con: duckdb.DuckDBPyConnection, antal: int) -> None:
    """`kommuneplan(kommunekode, navn, regionskode, regionsnavn, tvilling, stoerrelse, genereret)`."""
    names = f"""{_sql_list(PREFIXES)}[g % {len(PREFIXES)} + 1]
                || {_sql_list(SUFFIXES)}[g // {len(PREFIXES)} % {len(SUFFIXES)} + 1]
                || CASE WHEN g >= {len(PREFIXES) * len(SUFFIXES)}
                        THEN ' ' || (g // {len(PREFIXES) * len(SUFFIXES)} + 1) ELSE '' END"""
    con.execute(f"""
        CREATE TEMP TABLE kommuneplan AS
        WITH real AS (SELECT *, row_number() OVER (ORDER BY kommunekode) - 1 AS i, count(*) OVER () AS n
                      FROM base.dim_kommune),
        regions AS (SELECT regionskode, navn, row_number() OVER (ORDER BY regionskode) - 1 AS i,
                           count(*) OVER () AS n FROM base.dim_region),
        free AS (SELECT c::VARCHAR AS kommunekode, row_number() OVER (ORDER BY c) - 1 AS g FROM range(100, 1000) t(c)
                 WHERE c::VARCHAR NOT IN (SELECT kommunekode FROM base.dim_kommune)),
        generated AS (SELECT * FROM free WHERE g < $antal - (SELECT count(*) FROM real))
        SELECT kommunekode, navn, regionskode, regionsnavn, kommunekode AS tvilling, 1.0 AS stoerrelse,
               false AS genereret FROM real
        UNION ALL
        SELECT g.kommunekode, {names}, reg.regionskode, reg.navn, tw.kommunekode,
               exp(0.35 * {_normal("g.kommunekode", "'stoerrelse'")}), true
        FROM generated g
        JOIN regions reg ON reg.i = hash(g.kommunekode, 'region') % reg.n
        JOIN real tw ON tw.i = hash(g.kommunekode, 'tvilling') % tw.n""", {"antal": antal})


def plan_figures(con: duckdb.DuckDBPyConnection, antal: int) -> None:
    """`figurplan(noegletal_id, skabelon, variant, raekkefoelge, niveau)`: niveau is the variant's log level."""
    combinations = len(KOEN) * len(ALDER) * len(OPGOERELSE)
    label = f"""{_sql_list(KOEN)}[v % {len(KOEN)} + 1]
                || ', ' || {_sql_list(ALDER)}[v // {len(KOEN)} % {len(ALDER)} + 1]
                || CASE WHEN v // {len(KOEN) * len(ALDER)} % {len(OPGOERELSE)} > 0
                        THEN ', ' || {_sql_list(OPGOERELSE)}[v // {len(KOEN) * len(ALDER)} % {len(OPGOERELSE)} + 1]
                        ELSE '' END
                || CASE WHEN v >= {combinations} THEN ', serie ' || (v // {combinations} + 1) ELSE '' END"""
    con.execute(f"""
        CREATE TEMP TABLE figurplan AS
        WITH areas AS (SELECT kode, row_number() OVER (ORDER BY raekkefoelge) - 1 AS a FROM base.dim_dataomraade),
        templates AS (SELECT noegletal_id, dataomraade,
                             row_number() OVER (PARTITION BY dataomraade ORDER BY raekkefoelge) - 1 AS t,
                             count(*) OVER (PARTITION BY dataomraade) AS n
                      FROM base.dim_noegletal   -- a variant is yearly, so its template must have years
                      WHERE noegletal_id IN (SELECT noegletal_id FROM base.fct_noegletal WHERE length(periode) = 4)),
        real AS (SELECT count(*) AS n FROM base.dim_noegletal),
        generated AS (SELECT j, j % (SELECT count(*) FROM areas) AS a, j // (SELECT count(*) FROM areas) AS k
                      FROM range($antal - (SELECT n FROM real)) r(j)),
        variants AS (SELECT g.*, ar.kode, tp.noegletal_id AS skabelon, g.k // tp.n + 1 AS v
                     FROM generated g JOIN areas ar USING (a)
                     JOIN templates tp ON tp.dataomraade = ar.kode AND tp.t = g.k % tp.n)
        SELECT noegletal_id, noegletal_id AS skabelon, NULL AS variant, raekkefoelge, 0.0 AS niveau
        FROM base.dim_noegletal
        UNION ALL
        SELECT kode || '.kolada_' || lpad((k + 1)::VARCHAR, 4, '0'), skabelon, {label},
               (SELECT n FROM real) + j + 1, 0.2 * {_normal("kode", "k")}
        FROM variants""", {"antal": antal})


def catalogue_sql() -> str:
    """SQL: the rows of dim_noegletal for `figurplan` (templates read from `base`)."""
    return f"""
        SELECT p.noegletal_id, t.titel || coalesce(' (' || p.variant || ')', '') AS titel,
               t.definition || coalesce(' Genereret variant til skalatest: ' || p.variant || '.', '') AS definition,
               t.enhed, t.dataomraade, t.retning, t.decimaler,
               CASE WHEN p.variant IS NULL THEN t.periodicitet ELSE 'aar' END AS periodicitet,
               CASE WHEN p.variant IS NULL THEN t.kilde ELSE '{KILDE}' END AS kilde,
               t.demodata OR p.variant IS NOT NULL AS demodata, t.adgang, p.raekkefoelge, t.taeller, t.naevner,
               t.aggregering, t.faktor, t.min, t.max, t.max_spring, t.diskretion,
               CASE WHEN p.variant IS NULL THEN t.taeller_er END AS taeller_er,   -- a variant is generated alone
               CASE WHEN p.variant IS NULL THEN t.naevner_er END AS naevner_er, t.niveau_sammenlignes,
               CASE WHEN p.variant IS NULL THEN t.uden_vaerdi ELSE '' END AS uden_vaerdi,
               CASE WHEN p.variant IS NULL THEN t.forbehold ELSE '' END AS forbehold,
               CASE WHEN p.variant IS NULL THEN t.kilde_id ELSE demo.id END AS kilde_id,
               CASE WHEN p.variant IS NULL OR t.demodata THEN t.rigtige_data ELSE t.kilde END AS rigtige_data,
               CASE WHEN p.variant IS NULL THEN t.kildeangivelse ELSE demo.attribution END AS kildeangivelse
        FROM figurplan p JOIN base.dim_noegletal t ON t.noegletal_id = p.skabelon
        JOIN base.kilde demo ON demo.id = '{DEMO}'
        ORDER BY p.raekkefoelge"""


def generate_facts(con: duckdb.DuckDBPyConnection, foerste_aar: int) -> None:
    """`kommune_fakta` (the fact columns) and the view `kommune_fakta_vaegt` (plus `vaegt`, the population of the
    municipality and year: the weight of `vaegtet` figures, as the ingest uses). Needs the out file's
    dim_noegletal (written from catalogue_sql) and the plans."""
    con.execute(f"""
        CREATE TEMP TABLE aar AS SELECT y, y::VARCHAR AS periode FROM range({foerste_aar}, {LAST_YEAR + 1}) t(y)""")
    con.execute("""
        CREATE TEMP TABLE skabelon AS
        WITH yearly AS (
            SELECT f.noegletal_id, f.omraade_kode, f.periode::INTEGER AS y, f.vaerdi, f.taeller, f.naevner, f.status
            FROM base.fct_noegletal f JOIN base.dim_kommune k ON k.kommunekode = f.omraade_kode
            WHERE length(f.periode) = 4),
        span AS (SELECT noegletal_id, min(y) AS lo, max(y) AS hi,
                        ((hash(noegletal_id, 'drift') % 2001)::BIGINT - 1000) / 50000 AS drift
                 FROM yearly GROUP BY noegletal_id)
        SELECT s.noegletal_id, k.kommunekode AS tvilling, a.y, a.y = v.y AS kopi,
               pow(1 + s.drift, a.y - v.y) AS d, v.vaerdi, v.taeller, v.naevner, v.status
        FROM span s CROSS JOIN base.dim_kommune k CROSS JOIN aar a
        LEFT JOIN yearly v ON v.noegletal_id = s.noegletal_id AND v.omraade_kode = k.kommunekode
             AND v.y = least(greatest(a.y, s.lo), s.hi)""")
    clip = "CASE WHEN vaerdi IS NOT NULL THEN greatest(min, least(max, {})) END"   # least() skips NULLs
    raw = "vaerdi * drift_faktor * factor"
    con.execute(f"""
        CREATE TEMP TABLE kommune_fakta AS
        WITH cells AS (
            SELECT p.noegletal_id, k.kommunekode AS omraade_kode, a.periode, d.aggregering, d.faktor, d.min, d.max,
                   k.stoerrelse, s.d AS drift_faktor, s.vaerdi, s.taeller, s.naevner, s.status,
                   p.variant IS NULL AND NOT k.genereret AND s.kopi AS aegte,
                   CASE WHEN p.variant IS NULL AND NOT k.genereret THEN 1.0
                        ELSE exp(p.niveau + 0.12 * {_normal("p.noegletal_id", "k.kommunekode")}
                                 + 0.02 * {_normal("p.noegletal_id", "k.kommunekode", "a.periode")}) END AS factor
            FROM figurplan p JOIN dim_noegletal d USING (noegletal_id)
            CROSS JOIN kommuneplan k CROSS JOIN aar a
            JOIN skabelon s ON s.noegletal_id = p.skabelon AND s.tvilling = k.tvilling AND s.y = a.y),
        counted AS (
            SELECT *, CASE aggregering WHEN 'kvote' THEN greatest(round(naevner * stoerrelse), 1) END AS ny_naevner,
                   CASE aggregering WHEN 'sum' THEN round({clip.format(raw + " * stoerrelse")})
                                    ELSE {clip.format(raw)} END AS ny_vaerdi
            FROM cells),
        valued AS (
            SELECT noegletal_id, omraade_kode, periode, aegte, status,
                   CASE WHEN aegte THEN vaerdi
                        WHEN aggregering = 'kvote' THEN faktor * round(ny_vaerdi * ny_naevner / faktor) / ny_naevner
                        ELSE ny_vaerdi END AS vaerdi,
                   CASE WHEN aegte THEN taeller
                        WHEN aggregering = 'kvote' THEN round(ny_vaerdi * ny_naevner / faktor) END AS taeller,
                   CASE WHEN aegte THEN naevner WHEN ny_vaerdi IS NOT NULL THEN ny_naevner END AS naevner
            FROM counted)
        SELECT noegletal_id, omraade_kode, periode, vaerdi, taeller, naevner,
               CASE WHEN aegte THEN status WHEN vaerdi IS NULL THEN 'mangler' ELSE 'normal' END AS status
        FROM valued""")
    con.execute("""
        INSERT INTO kommune_fakta
        SELECT f.noegletal_id, f.omraade_kode, f.periode, f.vaerdi, f.taeller, f.naevner, f.status
        FROM base.fct_noegletal f JOIN base.dim_kommune k ON k.kommunekode = f.omraade_kode
        WHERE length(f.periode) > 4""")
    con.execute("""
        CREATE TEMP VIEW kommune_fakta_vaegt AS
        SELECT f.*, p.vaerdi AS vaegt FROM kommune_fakta f
        LEFT JOIN (SELECT omraade_kode, periode, vaerdi FROM kommune_fakta
                   WHERE noegletal_id = 'befolkning.indbyggere') p USING (omraade_kode, periode)""")
