"""The StatBank-style long CSV of the spec: UTF-8 with BOM, `;`, CRLF, decimal comma, no thousands separator.

Columns NOEGLETAL_ID;NOEGLETAL;DATAOMRAADE;ENHED;OMRAADE;OMRAADE_NAVN;TID;INDHOLD;STATUS. OMRAADE is text
(`101`, `000`, `1081`); INDHOLD has the key figure's decimals and is empty when not shown; STATUS is empty for a
normal value, `..` suppressed, `...` not available, `F` preliminary.
"""
from __future__ import annotations

import csv
import io
import math

import pandas as pd

from kdk.export.rows import STATUS_KODE
from kdk.format import rounded

HEADER = ["NOEGLETAL_ID", "NOEGLETAL", "DATAOMRAADE", "ENHED", "OMRAADE", "OMRAADE_NAVN", "TID", "INDHOLD", "STATUS"]
MEDIA_TYPE = "text/csv; charset=utf-8"


def cell(value: float | None, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(rounded(value, decimals)).replace(".", ",")


def write(rows: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for r in rows.itertuples(index=False):
        shown = r.status in ("normal", "foreloebig")
        writer.writerow([r.noegletal_id, r.titel, r.dataomraade, r.enhed, r.omraade_kode, r.omraade_navn, r.periode,
                         cell(r.vaerdi, r.decimaler) if shown else "", STATUS_KODE.get(r.status, "...")])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
