"""The key-figure catalogue for the catalogue pages: every visible figure with its coverage, the search over it,
and the series of one figure for the whole country and the five regions.

Reads dim_noegletal, dim_dataomraade, fct_noegletal, dim_kommune and dim_region, always through the viewer's
scope (VISIBLE_FIGURES / VISIBLE_FACTS): a restricted figure or an embargoed release never shows up here. One
answer looks past the scope's areas: `lukkede_omraader` names the areas it does not open (public metadata), never
what they contain.
"""
from __future__ import annotations

import difflib
import re
import unicodedata

import pandas as pd

from kdk.db import marts
from kdk.queries.cache import cached
from kdk.queries.omraader import alle_dataomraader, dataomraader
from kdk.queries.scope import AREAS, VISIBLE_FACTS, VISIBLE_FIGURES, Scope
from kdk.sprog import N_, gettext

DATATYPER = ("rigtige", "demo")
PERIODICITET = {"aar": N_("Årlig"), "kvartal": N_("Kvartalsvis"), "maaned": N_("Månedlig"),
                "femaar": N_("Rullende femårsperioder")}   # shown with gettext
LIGHED = 0.75   # how alike (difflib's ratio) a word must be to a search word to be suggested for it
DEMO_FORKLARING = N_("Genererede demodata, ikke officiel statistik")
RIGTIG_FORKLARING = N_("Tal fra den officielle kilde")
HELE_LANDET = N_("Hele landet")

# A period of the figure's own periodicity: a yearly figure's years, a monthly figure's months, a five-year figure's
# rolling periods.
OWN_PERIOD = """CASE d.periodicitet WHEN 'aar' THEN length(f.periode) = 4
                                    WHEN 'kvartal' THEN f.periode LIKE '%K%'
                                    WHEN 'femaar' THEN f.periode LIKE '%:%'
                                    ELSE f.periode LIKE '%M%' END"""


@cached
def katalog(scope: Scope) -> pd.DataFrame:
    """One row per key figure the viewer may see, in data-area and catalogue order: the catalogue's columns,
    the data area's name (`omraade_navn`), and the coverage of municipal values:
    `foerste`/`seneste` = first and latest period of the figure's own periodicity with a value,
    `seneste_aar` = latest year with a value, `kommuner_seneste_aar` = municipalities with a value that year,
    `kommuner_i_alt` = all municipalities."""
    return marts().query(f"""
        WITH d AS ({VISIBLE_FIGURES}),
        m AS (   -- municipalities with a value, per key figure and period (the fact key makes count(*) distinct)
            SELECT f.noegletal_id, f.periode, count(*) AS kommuner
            FROM ({VISIBLE_FACTS}) f JOIN dim_kommune k ON k.kommunekode = f.omraade_kode
            WHERE f.vaerdi IS NOT NULL
            GROUP BY f.noegletal_id, f.periode),
        spaend AS (
            SELECT f.noegletal_id, min(f.periode) FILTER (WHERE {OWN_PERIOD}) AS foerste,
                   max(f.periode) FILTER (WHERE {OWN_PERIOD}) AS seneste,
                   max(f.periode) FILTER (WHERE length(f.periode) = 4) AS seneste_aar,
                   arg_max(f.kommuner, f.periode) FILTER (WHERE length(f.periode) = 4) AS kommuner_seneste_aar
            FROM m f JOIN d USING (noegletal_id) GROUP BY f.noegletal_id)
        SELECT d.*, a.navn AS omraade_navn, a.raekkefoelge AS omraade_raekkefoelge,
               spaend.foerste, spaend.seneste, spaend.seneste_aar,
               coalesce(spaend.kommuner_seneste_aar, 0) AS kommuner_seneste_aar,
               (SELECT count(*) FROM dim_kommune) AS kommuner_i_alt
        FROM d JOIN ({AREAS}) a ON a.kode = d.dataomraade
        LEFT JOIN spaend USING (noegletal_id)
        ORDER BY a.raekkefoelge, d.raekkefoelge""", scope.params())


def meta(scope: Scope, noegletal_id: str) -> dict | None:
    """The catalogue row of one key figure, or None when it does not exist or the viewer may not see it:
    the one place that decides whether a figure's page exists (a restricted id is as unknown as a made-up one)."""
    df = katalog(scope)
    row = df[df["noegletal_id"] == str(noegletal_id)]
    return row.iloc[0].to_dict() if len(row) else None


@cached
def serier(scope: Scope, noegletal_id: str) -> pd.DataFrame:
    """Every period's value of one key figure for the whole country ('000', first) and the five regions:
    omraade_kode, navn, periode, vaerdi, status."""
    params = {**scope.params(), "id": noegletal_id, "hele_landet": gettext(HELE_LANDET)}
    return marts().query(f"""
        SELECT f.omraade_kode, coalesce(r.navn, $hele_landet) AS navn, f.periode, f.vaerdi, f.status
        FROM ({VISIBLE_FACTS}) f LEFT JOIN dim_region r ON r.regionskode = f.omraade_kode
        WHERE f.noegletal_id = $id AND (f.omraade_kode = '000' OR r.regionskode IS NOT NULL)
        ORDER BY f.omraade_kode, f.periode""", params)


_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def fold(text: str) -> str:
    """Text as the search compares it: case-folded, æ/ø/å spelled ae/oe/aa, other accents dropped, so
    'Ældre', 'ældre' and 'aeldre' are the same word."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_DANISH)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def soegeord(q: str | None) -> list[str]:
    return fold(q).split() if q else []


def filtrer(scope: Scope, q: str | None = None, omraade: str | None = None, data: str | None = None) -> pd.DataFrame:
    """The catalogue rows whose title or definition contain every word of `q`, in the data area `omraade`,
    and real (`data='rigtige'`) or demo (`data='demo'`) only; None or '' = no filter."""
    df = katalog(scope)
    if omraade:
        df = df[df["dataomraade"] == omraade]
    if data in DATATYPER:
        df = df[df["demodata"] == (data == "demo")]
    words = soegeord(q)
    if words:
        text = (df["titel"] + " " + df["definition"]).map(fold)
        df = df[text.map(lambda t: all(w in t for w in words))]
    return df


def lukkede_omraader(scope: Scope) -> tuple[str, ...]:
    """The names of the data areas the scope does not open (restricted areas it is not granted), lower-case: public
    metadata, like /brug-i-excel's note on closed data. Never their figures' titles: a search hint built on those
    would let a visitor test their words one by one."""
    shown = {a["kode"] for a in dataomraader(scope)}
    granted = Scope(omraader=alle_dataomraader(), se_embargo=scope.se_embargo)   # the same releases, every area
    return tuple(a["navn"].lower() for a in dataomraader(granted) if a["kode"] not in shown)


def forslag(scope: Scope, q: str | None, antal: int = 3) -> tuple[str | None, pd.DataFrame]:
    """For a search without hits: each search word's nearest word in the visible figures' titles and definitions
    (difflib's similarity, at least LIGHED; a word with none is left out), and up to `antal` visible figures with the
    most of those words, then those with them in the title. The first is the search spelled with those words when
    a figure has them all (else None); no rows when no word is near enough."""
    df = katalog(scope)
    text = df["titel"] + " " + df["definition"]
    spelled = {fold(w): w.lower() for w in re.findall(r"\w{3,}", " ".join(text))}   # folded word: as written
    words = [near[0] for word in soegeord(q) if (near := difflib.get_close_matches(word, list(spelled), n=1,
                                                                                    cutoff=LIGHED))]
    hits = text.map(fold).map(lambda t: sum(w in t for w in words))
    in_title = df["titel"].map(fold).map(lambda t: sum(w in t for w in words))
    rows = df.assign(_hits=hits, _titel=in_title)[hits > 0].sort_values(["_hits", "_titel"], ascending=False,
                                                                         kind="stable")
    whole = bool(words) and (hits == len(words)).any()
    return (" ".join(spelled[w] for w in words) if whole else None), rows.drop(columns=["_hits", "_titel"]).head(antal)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")


def uddrag(definition: str, q: str | None = None, laengde: int = 150) -> str:
    """One sentence of a definition for a list: the first, or when searching, the first that contains a search
    word; cut at a word boundary to at most `laengde` characters."""
    sentences = _SENTENCE_END.split(definition.strip())
    words = soegeord(q)
    chosen = next((s for s in sentences if any(w in fold(s) for w in words)), sentences[0])
    if len(chosen) <= laengde:
        return chosen
    return chosen[:laengde].rsplit(" ", 1)[0].rstrip(",;:") + " …"
