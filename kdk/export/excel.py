"""Excel workbook (openpyxl): a data sheet with exactly the exported rows (the CSV's columns, DEMODATA and KILDE
last) and a sheet about the data (definition, unit, source and demo flag per key figure, the release, and the legend
of the status codes). Text cells go through kdk.export.sikker, so none is a formula; values are number cells.
Written in the active language (kdk.sprog): column names, sheet names, labels and the legend; the dates are ISO
dates in both."""
from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from kdk import status
from kdk.export.rows import STATUS_KODE
from kdk.export.sikker import tekst
from kdk.export.statbank import demo, header, labels
from kdk.export.zipfiles import deterministic_zip
from kdk.format import rounded
from kdk.sprog import N_, gettext

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEGEND = [("", N_("Normal værdi")), ("..", N_("Diskretioneret: for få personer til at vise tallet")),
          ("...", N_("Ikke tilgængelig")), ("F", N_("Foreløbig værdi")), ("E", status.ESTIMAT)]
OM_NOEGLETAL = (N_("Nøgletal"), N_("Titel"), N_("Definition"), N_("Enhed"), N_("Kilde"), N_("Demodata"))


def legend() -> list[tuple[str, str]]:
    """The status codes and what each means, in the active language."""
    return [(code, gettext(meaning)) for code, meaning in LEGEND]


def write(rows: pd.DataFrame, release: dict) -> bytes:
    book = Workbook(write_only=True)   # streams rows: a whole release in seconds
    data = book.create_sheet(gettext("Data"))
    bold = []
    for name in header():
        cell = WriteOnlyCell(data, value=name)
        cell.font = Font(bold=True)
        bold.append(cell)
    data.append(bold)
    for r in rows.itertuples(index=False):
        shown = status.vises(r.status, r.vaerdi)
        # Codes are written as text cells (a str), so Excel keeps 101 and 000 as they are.
        data.append([*labels(r), float(rounded(r.vaerdi, r.decimaler)) if shown else None,
                     STATUS_KODE.get(r.status, "..."), demo(r.demodata), tekst(r.kildeangivelse)])
    about = book.create_sheet(gettext("Om data"))
    about.append([gettext("Release"), release["release_id"]])
    about.append([gettext("Dataudtræk"), str(release["udtraeksdato"])[:10]])
    about.append([])
    about.append([gettext(heading) for heading in OM_NOEGLETAL])
    for r in rows.drop_duplicates("noegletal_id").itertuples(index=False):
        about.append([*map(tekst, (r.noegletal_id, r.titel, r.definition, r.enhed, r.kilde)), demo(r.demodata)])
    about.append([])
    about.append([gettext("STATUS"), gettext("Betydning")])
    for code, meaning in legend():
        about.append([code, meaning])
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_times(buffer.getvalue(), pd.Timestamp(release["udtraeksdato"]))


def _fixed_times(data: bytes, when: pd.Timestamp) -> bytes:
    """openpyxl stamps the save time into the file; use the release date instead, so a release's workbook is
    always the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {name: source.read(name) for name in source.namelist()}
    stamp = f"{when:%Y-%m-%dT%H:%M:%SZ}".encode()
    entries["docProps/core.xml"] = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp,
                                          entries["docProps/core.xml"])
    return deterministic_zip(entries, tuple(when.timetuple()[:6]))
