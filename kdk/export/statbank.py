"""The StatBank-style long CSV of the spec: UTF-8 with BOM, `;`, CRLF, decimal comma, no thousands separator.

Columns NOEGLETAL_ID;NOEGLETAL;DATAOMRAADE;ENHED;OMRAADE;OMRAADE_NAVN;TID;INDHOLD;STATUS;DEMODATA;KILDE. OMRAADE
is text (`101`, `000`, `1081`); INDHOLD has the key figure's decimals and is empty when not shown; STATUS is empty
for a normal value, `..` suppressed, `...` not available, `F` preliminary, `E` an estimate (recalculated to today's
municipalities; the value is given). DEMODATA and KILDE are added after the spec's columns, so a reader of those keeps
them where they were: DEMODATA is `Ja` for generated demo data and `Nej` for real data, KILDE the attribution of the
figure's source (kdk.export.rows). Text cells go through kdk.export.sikker, so no spreadsheet runs them as formulas.
"""
from __future__ import annotations

import csv
import io

import pandas as pd

from kdk import status
from kdk.export.rows import STATUS_KODE
from kdk.export.sikker import tekst
from kdk.format import rounded

HEADER = ["NOEGLETAL_ID", "NOEGLETAL", "DATAOMRAADE", "ENHED", "OMRAADE", "OMRAADE_NAVN", "TID", "INDHOLD", "STATUS",
          "DEMODATA", "KILDE"]
DEMO = {True: "Ja", False: "Nej"}
MEDIA_TYPE = "text/csv; charset=utf-8"


def cell(value: float | None, decimals: int) -> str:
    if not status.kendt(value):
        return ""
    return str(rounded(value, decimals)).replace(".", ",")


def labels(r) -> list:
    """A row's text cells before INDHOLD (NOEGLETAL_ID to TID), safe for spreadsheets."""
    return [tekst(v) for v in (r.noegletal_id, r.titel, r.dataomraade, r.enhed, r.omraade_kode, r.omraade_navn,
                               r.periode)]


def write(rows: pd.DataFrame) -> bytes:
    return table([HEADER, *(_line(r) for r in rows.itertuples(index=False))])


def _line(r) -> list:
    shown = status.vises(r.status, r.vaerdi)
    return [*labels(r), cell(r.vaerdi, r.decimaler) if shown else "", STATUS_KODE.get(r.status, "..."),
            DEMO[bool(r.demodata)], tekst(r.kildeangivelse)]


def table(lines) -> bytes:
    """Lines of cells as this CSV format writes them (BOM, `;`, CRLF; a cell quoted where it holds `;`, a quote
    or a line break); the caller passes text cells through kdk.export.sikker."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(lines)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
