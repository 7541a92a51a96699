"""The rows of an export as an accessible HTML table: the "Tabel" side of a chart's Diagram | Tabel switch
(components/hent.py, assets/tabeltvilling.js), written from exactly the rows its CSV link gives.

One row per CSV row, in the same order: area (a row header), period, value in Danish format at the key figure's
decimals (kdk.format), and the status in words where it is not a normal value; a value that is not shown is "–"
with its reason, as the CSV leaves INDHOLD empty and says why in STATUS. The caption names the key figure(s), the
unit, the source, and says so when the rows are generated demo data. Pure: reads and writes nothing; every text is
escaped (markupsafe), so the fragment may be put into a page as it is. Written in the active language (kdk.sprog):
headings, caption, status words and number format.
"""
from __future__ import annotations

import pandas as pd
from markupsafe import Markup, escape

from kdk import periods, status
from kdk.export.excel import legend
from kdk.export.rows import STATUS_KODE
from kdk.format import SUPPRESSED, number
from kdk.sprog import N_, gettext

MEDIA_TYPE = "text/html; charset=utf-8"
DEMO = N_("Genererede demodata, ikke officiel statistik.")


def write(rows: pd.DataFrame) -> bytes:
    figures = rows.drop_duplicates("noegletal_id")
    several = len(figures) > 1
    head = ([_th(gettext("Nøgletal"))] if several else []) + [
        _th(gettext("Område")), _th(gettext("Periode")), _th(_value_heading(figures)), _th(gettext("Status"))]
    words = {code: meaning for code, meaning in legend() if code}
    body = [_line(r, several, words) for r in rows.itertuples(index=False)]
    return Markup("").join([
        Markup('<table class="tvilling-data"><caption>'), _caption(figures, bool(rows["demodata"].any())),
        Markup("</caption><thead><tr>"), *head, Markup("</tr></thead><tbody>"), *body,
        Markup("</tbody></table>")]).encode("utf-8")


def _caption(figures: pd.DataFrame, demo: bool) -> Markup:
    if figures.empty:
        return escape(gettext("Ingen tal i dette udvalg."))
    names = "; ".join(f"{r.titel} ({r.enhed})" for r in figures.itertuples(index=False))
    sources = "; ".join(dict.fromkeys(figures["kildeangivelse"]))
    return escape(f"{names}. " + (gettext(DEMO) if demo else gettext("Kilde: {kilder}").format(kilder=sources)))


def _value_heading(figures: pd.DataFrame) -> str:
    units = set(figures["enhed"])
    return gettext("Værdi ({enhed})").format(enhed=units.pop()) if len(units) == 1 else gettext("Værdi")


def _th(text: str) -> Markup:
    return Markup('<th scope="col">{}</th>').format(text)


def _line(r, several: bool, words: dict[str, str]) -> Markup:
    shown = status.vises(r.status, r.vaerdi)
    code = STATUS_KODE.get(r.status, "...")
    cells = [Markup("<td>{}</td>").format(r.titel)] if several else []
    cells += [Markup('<th scope="row">{}</th>').format(r.omraade_navn),
              Markup("<td>{}</td>").format(periods.label(r.periode)),
              Markup('<td class="tal">{}</td>').format(number(r.vaerdi, r.decimaler) if shown else SUPPRESSED),
              Markup("<td>{}</td>").format(words.get(code, ""))]
    return Markup("<tr>{}</tr>").format(Markup("").join(cells))
