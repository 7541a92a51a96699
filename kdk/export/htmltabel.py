"""The rows of an export as an accessible HTML table: the "Tabel" side of a chart's Diagram | Tabel switch
(components/hent.py, assets/tabeltvilling.js), written from exactly the rows its CSV link gives.

One row per CSV row, in the same order: area (a row header), period, value in Danish format at the key figure's
decimals (kdk.format), and the status in words where it is not a normal value; a value that is not shown is "–"
with its reason, as the CSV leaves INDHOLD empty and says why in STATUS. The caption names the key figure(s), the
unit, the source, and says so when the rows are generated demo data. Pure: reads and writes nothing; every text is
escaped (markupsafe), so the fragment may be put into a page as it is.
"""
from __future__ import annotations

import pandas as pd
from markupsafe import Markup, escape

from kdk import periods, status
from kdk.export.excel import LEGEND
from kdk.export.rows import STATUS_KODE
from kdk.format import SUPPRESSED, number

MEDIA_TYPE = "text/html; charset=utf-8"
STATUS_ORD = {code: meaning for code, meaning in LEGEND if code}
DEMO = "Genererede demodata, ikke officiel statistik."


def write(rows: pd.DataFrame) -> bytes:
    figures = rows.drop_duplicates("noegletal_id")
    several = len(figures) > 1
    head = ([_th("Nøgletal")] if several else []) + [_th("Område"), _th("Periode"), _th(_value_heading(figures)),
                                                   _th("Status")]
    body = [_line(r, several) for r in rows.itertuples(index=False)]
    return Markup("").join([
        Markup('<table class="tvilling-data"><caption>'), _caption(figures, bool(rows["demodata"].any())),
        Markup("</caption><thead><tr>"), *head, Markup("</tr></thead><tbody>"), *body,
        Markup("</tbody></table>")]).encode("utf-8")


def _caption(figures: pd.DataFrame, demo: bool) -> Markup:
    if figures.empty:
        return escape("Ingen tal i dette udvalg.")
    names = "; ".join(f"{r.titel} ({r.enhed})" for r in figures.itertuples(index=False))
    sources = "; ".join(dict.fromkeys(figures["kildeangivelse"]))
    return escape(f"{names}. {DEMO if demo else 'Kilde: ' + sources}")


def _value_heading(figures: pd.DataFrame) -> str:
    units = set(figures["enhed"])
    return f"Værdi ({units.pop()})" if len(units) == 1 else "Værdi"


def _th(text: str) -> Markup:
    return Markup('<th scope="col">{}</th>').format(text)


def _line(r, several: bool) -> Markup:
    shown = status.vises(r.status, r.vaerdi)
    code = STATUS_KODE.get(r.status, "...")
    cells = [Markup("<td>{}</td>").format(r.titel)] if several else []
    cells += [Markup('<th scope="row">{}</th>').format(r.omraade_navn),
              Markup("<td>{}</td>").format(periods.label(r.periode)),
              Markup('<td class="tal">{}</td>').format(number(r.vaerdi, r.decimaler) if shown else SUPPRESSED),
              Markup("<td>{}</td>").format(STATUS_ORD.get(code, ""))]
    return Markup("<tr>{}</tr>").format(Markup("").join(cells))
