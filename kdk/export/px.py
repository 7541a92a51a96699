"""PX (PC-Axis) files, one matrix per key figure and kind of period (a monthly key figure also gets its yearly
values as a second file). Windows-1252, STUB="område", HEADING="tid", data row-major with a decimal point,
suppressed cells as ".." and missing as "...". An estimate keeps its value and gets a CELLNOTE (the footnote a PX
reader shows with the cell; by area name and period as the PX format says, `"*"` for every area when all of a
period's cells are estimates). CREATION-DATE is the release's extraction date, so the same
release gives the same bytes. A demo figure's file says so in its title and in a NOTEX (the note a PX reader must
show): the values are generated demo data, not official statistics. SOURCE is the attribution of the figure's source
(kdk.export.rows).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kdk import periods, status
from kdk.format import rounded

ENCODING = "windows-1252"
TLIST = {"aar": "A1", "kvartal": "Q1", "maaned": "M1"}
MEDIA_TYPE = "text/plain; charset=windows-1252"   # PX has no TLIST for five-year periods: those get no TIMEVAL
DEMO_NOTE = "Værdierne er genererede demodata, ikke officiel statistik."


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
    """One PX matrix for rows of a single key figure and kind of period."""
    first = rows.iloc[0]
    kind = periods.kind(first["periode"])
    areas = rows.drop_duplicates("omraade_kode")[["omraade_kode", "omraade_navn"]]
    times = sorted(rows["periode"].unique())
    decimals = int(first["decimaler"])
    wide = (rows.assign(_cell=cells(rows, decimals)).pivot(index="omraade_kode", columns="periode", values="_cell")
            .reindex(index=areas["omraade_kode"], columns=times).fillna('"..."'))
    title = f"{first['titel']} efter område og tid"
    if first["demodata"]:
        title += " (demodata)"
    lines = [
        'CHARSET="ANSI";', 'AXIS-VERSION="2013";', f'CODEPAGE="{ENCODING}";', 'LANGUAGE="da";',
        f'CREATION-DATE="{created:%Y%m%d} 00:00";', f"DECIMALS={decimals};", f"SHOWDECIMALS={decimals};",
        f"MATRIX={_q(first['noegletal_id'].replace('.', '_').upper())};",
        f"SUBJECT-CODE={_q(first['dataomraade_kode'])};", f"SUBJECT-AREA={_q(first['dataomraade'])};",
        f"TITLE={_q(title)};", f"CONTENTS={_q(first['titel'])};", f"UNITS={_q(first['enhed'])};",
        'STUB="område";', 'HEADING="tid";',
        f'VALUES("område")={_list(areas["omraade_navn"])};', f'VALUES("tid")={_list(times)};',
        f'CODES("område")={_list(areas["omraade_kode"])};', f'CODES("tid")={_list(times)};',
        *([f'TIMEVAL("tid")=TLIST({TLIST[kind]}),{_list(times)};'] if kind in TLIST else []),
        f"SOURCE={_q(first['kildeangivelse'])};",
        *([f"NOTEX={_q(DEMO_NOTE)};"] if first["demodata"] else []),
        f"NOTE={_q(first['definition'])};",
        *_cellnotes(rows),
        "DATA=",
    ]
    lines += [" ".join(row) for row in wide.to_numpy()]
    lines[-1] += ";"
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING, errors="replace")


def _cellnotes(rows: pd.DataFrame) -> list[str]:
    """A CELLNOTE per estimated cell ("område" value, "tid" value), one per period where all its cells are."""
    note = f"{status.ESTIMAT}."
    lines = []
    for periode, group in rows.groupby("periode", sort=True):
        estimat = group["status"] == "estimat"
        if estimat.all():
            lines.append(f"CELLNOTE({_list(['*', periode])})={_q(note)};")
        else:
            lines += [f"CELLNOTE({_list([navn, periode])})={_q(note)};" for navn in group.loc[estimat, "omraade_navn"]]
    return lines
