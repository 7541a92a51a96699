"""The StatBank-style long CSV of the spec: UTF-8 with BOM, `;`, CRLF, decimal comma, no thousands separator.

Columns NOEGLETAL_ID;NOEGLETAL;DATAOMRAADE;ENHED;OMRAADE;OMRAADE_NAVN;TID;INDHOLD;STATUS;DEMODATA;KILDE. OMRAADE
is text (`101`, `000`, `1081`); INDHOLD has the key figure's decimals and is empty when not shown; STATUS is empty
for a normal value, `..` suppressed, `...` not available, `F` preliminary, `E` an estimate (recalculated to today's
municipalities; the value is given). DEMODATA and KILDE are added after the spec's columns, so a reader of those keeps
them where they were: DEMODATA is `Ja` for generated demo data and `Nej` for real data, KILDE the attribution of the
figure's source (kdk.export.rows). Text cells go through kdk.export.sikker, so no spreadsheet runs them as formulas.

In English (kdk.sprog, `lang=en` on the API) the same file with English column names (`header`), `Yes`/`No`, a
decimal point, and the catalogue's texts in English (kdk.export.rows); codes and status codes are the same.
"""
from __future__ import annotations

import csv
import io

import pandas as pd

from kdk import sprog, status
from kdk.export.rows import STATUS_KODE
from kdk.export.sikker import tekst
from kdk.format import rounded
from kdk.sprog import N_, gettext

HEADER = [N_("NOEGLETAL_ID"), N_("NOEGLETAL"), N_("DATAOMRAADE"), N_("ENHED"), N_("OMRAADE"), N_("OMRAADE_NAVN"),
          N_("TID"), N_("INDHOLD"), N_("STATUS"), N_("DEMODATA"), N_("KILDE")]
DEMO = {True: N_("Ja"), False: N_("Nej")}
MEDIA_TYPE = "text/csv; charset=utf-8"
DECIMALTEGN = {language: locale.number_symbols["latn"]["decimal"] for language, locale in sprog.LOCALES.items()}


def header(names: list[str] = HEADER) -> list[str]:
    """Column names in the active language."""
    return [gettext(name) for name in names]


def demo(flag: bool) -> str:
    """The DEMODATA cell in the active language."""
    return gettext(DEMO[bool(flag)])


def cell(value: float | None, decimals: int) -> str:
    if not status.kendt(value):
        return ""
    return str(rounded(value, decimals)).replace(".", DECIMALTEGN[sprog.aktivt()])


def labels(r) -> list:
    """A row's text cells before INDHOLD (NOEGLETAL_ID to TID), safe for spreadsheets."""
    return [tekst(v) for v in (r.noegletal_id, r.titel, r.dataomraade, r.enhed, r.omraade_kode, r.omraade_navn,
                               r.periode)]


def write(rows: pd.DataFrame) -> bytes:
    return table([header(), *(_line(r) for r in rows.itertuples(index=False))])


def _line(r) -> list:
    shown = status.vises(r.status, r.vaerdi)
    return [*labels(r), cell(r.vaerdi, r.decimaler) if shown else "", STATUS_KODE.get(r.status, "..."),
            demo(r.demodata), tekst(r.kildeangivelse)]


def table(lines) -> bytes:
    """Lines of cells as this CSV format writes them (BOM, `;`, CRLF; a cell quoted where it holds `;`, a quote
    or a line break); the caller passes text cells through kdk.export.sikker."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(lines)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
