"""PX (PC-Axis) files, one matrix per key figure and kind of period (a monthly key figure also gets its yearly
values as a second file). Windows-1252, STUB="område", HEADING="tid", data row-major with a decimal point,
suppressed cells as ".." and missing as "...". An estimate keeps its value and gets a CELLNOTE (the footnote a PX
reader shows with the cell; by area name and period as the PX format says, `"*"` for every area when all of a
period's cells are estimates). CREATION-DATE is the release's extraction date, so the same
release gives the same bytes. A demo figure's file says so in its title and in a NOTEX (the note a PX reader must
show): the values are generated demo data, not official statistics. SOURCE is the attribution of the figure's source
(kdk.export.rows).

One file serves both languages, as the PX format allows: `LANGUAGE="da"` is the default and `LANGUAGES="da","en"`
lists both; every keyword whose text depends on the language is written in Danish and, right after it, as
`KEYWORD[en]` (the variables are "område"/"area" and "tid"/"time", so VALUES, CODES, TIMEVAL and CELLNOTE name them
in each language). The catalogue's English texts come from kdk.export.rows (`i_sprog`), the fixed ones from the
gettext catalogues; the data are written once.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kdk import periods, sprog, status
from kdk.export.rows import i_sprog
from kdk.format import rounded
from kdk.sprog import N_, gettext

ENCODING = "windows-1252"
TLIST = {"aar": "A1", "kvartal": "Q1", "maaned": "M1"}
MEDIA_TYPE = "text/plain; charset=windows-1252"   # PX has no TLIST for five-year periods: those get no TIMEVAL
DEMO_NOTE = N_("Værdierne er genererede demodata, ikke officiel statistik.")
OMRAADE, TID = N_("område"), N_("tid")   # the variables (STUB and HEADING)


def _q(text: str) -> str:
    return '"' + str(text).replace('"', "'") + '"'


def _list(values) -> str:
    return ",".join(_q(v) for v in values)


def cells(rows: pd.DataFrame, decimals: int) -> pd.Series:
    """The DATA token of each row: the value with a decimal point, or the quoted dot code."""
    shown = [status.vises(s, v) for s, v in zip(rows["status"], rows["vaerdi"])]
    text = rows["vaerdi"].map(lambda v: str(rounded(v, decimals)) if status.kendt(v) else "")
    return text.where(shown, rows["status"].map(lambda s: '".."' if s == "diskretioneret" else '"..."'))


def matrices(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """(file name, rows) per key figure and kind of period, in the export's order."""
    kind = rows["periode"].map(periods.kind)
    out = []
    for (fid, k), group in rows.assign(_kind=kind).groupby(["noegletal_id", "_kind"], sort=False):
        suffix = "" if k == "aar" else f"_{k}"
        out.append((f"{fid.replace('.', '_')}{suffix}.px", group.drop(columns="_kind")))
    return out


def write(rows: pd.DataFrame, created: dt.date) -> bytes:
    """One PX matrix for rows of a single key figure and kind of period, in Danish and English."""
    first = rows.iloc[0]
    kind = periods.kind(first["periode"])
    codes = list(dict.fromkeys(rows["omraade_kode"]))
    times = sorted(rows["periode"].unique())
    decimals = int(first["decimaler"])
    wide = (rows.assign(_cell=cells(rows, decimals)).pivot(index="omraade_kode", columns="periode", values="_cell")
            .reindex(index=codes, columns=times).fillna('"..."'))
    texts = [_texts(rows, language) for language in sprog.SPROG]
    lines = [
        'CHARSET="ANSI";', 'AXIS-VERSION="2013";', f'CODEPAGE="{ENCODING}";', f'LANGUAGE="{sprog.DANSK}";',
        f"LANGUAGES={_list(sprog.SPROG)};",
        f'CREATION-DATE="{created:%Y%m%d} 00:00";', f"DECIMALS={decimals};", f"SHOWDECIMALS={decimals};",
        f"MATRIX={_q(first['noegletal_id'].replace('.', '_').upper())};",
        f"SUBJECT-CODE={_q(first['dataomraade_kode'])};",
        *_each(texts, lambda t, k: f"SUBJECT-AREA{k}={_q(t['dataomraade'])};"),
        *_each(texts, lambda t, k: f"TITLE{k}={_q(t['titel_px'])};"),
        *_each(texts, lambda t, k: f"CONTENTS{k}={_q(t['titel'])};"),
        *_each(texts, lambda t, k: f"UNITS{k}={_q(t['enhed'])};"),
        *_each(texts, lambda t, k: f"STUB{k}={_q(t['omraade'])};"),
        *_each(texts, lambda t, k: f"HEADING{k}={_q(t['tid'])};"),
        *_each(texts, lambda t, k: f'VALUES{k}({_q(t["omraade"])})={_list(t["navne"])};'),
        *_each(texts, lambda t, k: f"VALUES{k}({_q(t['tid'])})={_list(times)};"),
        *_each(texts, lambda t, k: f"CODES{k}({_q(t['omraade'])})={_list(codes)};"),
        *_each(texts, lambda t, k: f"CODES{k}({_q(t['tid'])})={_list(times)};"),
        *(_each(texts, lambda t, k: f"TIMEVAL{k}({_q(t['tid'])})=TLIST({TLIST[kind]}),{_list(times)};")
          if kind in TLIST else []),
        *_each(texts, lambda t, k: f"SOURCE{k}={_q(t['kildeangivelse'])};"),
        *(_each(texts, lambda t, k: f"NOTEX{k}={_q(t['demo'])};") if first["demodata"] else []),
        *_each(texts, lambda t, k: f"NOTE{k}={_q(t['definition'])};"),
        *_cellnotes(_estimates(rows), texts),
        "DATA=",
    ]
    lines += [" ".join(row) for row in wide.to_numpy()]
    lines[-1] += ";"
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING, errors="replace")


def _texts(rows: pd.DataFrame, language: str) -> dict:
    """The matrix's language-dependent texts in `language`: the catalogue's (kdk.export.rows) and the fixed ones."""
    named = i_sprog(rows.drop_duplicates("omraade_kode"), language)   # one key figure: its texts once per area
    first = named.iloc[0]
    with sprog.brug(language):
        title = (gettext("{titel} efter område og tid (demodata)") if first["demodata"]
                 else gettext("{titel} efter område og tid")).format(titel=first["titel"])
        return {**{felt: first[felt] for felt in ("titel", "dataomraade", "enhed", "kildeangivelse", "definition")},
                "titel_px": title, "omraade": gettext(OMRAADE), "tid": gettext(TID), "demo": gettext(DEMO_NOTE),
                "estimat": f"{gettext(status.ESTIMAT)}.",
                "navne": list(named["omraade_navn"]),
                "navn": dict(zip(named["omraade_kode"], named["omraade_navn"]))}


def _keys(texts: list[dict]) -> list[tuple[dict, str]]:
    """Each language's texts with its keyword suffix: none for the default language (Danish), `[en]` for English."""
    return [(t, "" if language == sprog.DANSK else f"[{language}]") for t, language in zip(texts, sprog.SPROG)]


def _each(texts: list[dict], line) -> list[str]:
    """The keyword `line` makes of a language's texts and its suffix, in each language, the default first."""
    return [line(t, k) for t, k in _keys(texts)]


def _estimates(rows: pd.DataFrame) -> list[tuple[str | None, str]]:
    """The estimated cells as (area code, period), the area None where all of the period's cells are estimates."""
    cells: list[tuple[str | None, str]] = []
    estimated = rows[rows["status"] == "estimat"]
    counts = rows.groupby("periode")["status"].size()
    for periode, group in estimated.groupby("periode", sort=True):
        cells += [(None, periode)] if len(group) == counts[periode] else [(kode, periode)
                                                                          for kode in group["omraade_kode"]]
    return cells


def _cellnotes(cells: list[tuple[str | None, str]], texts: list[dict]) -> list[str]:
    """A CELLNOTE per estimated cell ("område" value, "tid" value; `"*"` for every area), in each language."""
    lines = []
    for kode, periode in cells:
        for t, k in _keys(texts):
            cell = _list(["*" if kode is None else t["navn"][kode], periode])
            lines.append(f"CELLNOTE{k}({cell})={_q(t['estimat'])};")
    return lines
