"""The comparison matrix's cells (kdk.queries.matrice) as files: the CSV and Excel links under the matrix on
/sammenligning, and its "Tabel" view (components/hent.py, assets/tabeltvilling.js), all served by
/api/v1/sammenligning.

CSV and Excel have one row per cell, in the matrix's reading order: the comparison area and year, the municipality,
the compared one, its rank (1 = the most comparable) and the distance (AFSTAND, at AFSTAND_DECIMALER as the page's
section for analysts shows it), and whether the groups rest on generated demo data. The HTML table has the same
cells laid out as the matrix: a row per municipality (a row header), a column per compared one (a column header),
the rank in each cell (its number also in `data-vaerdi`) and "–" on the diagonal; a chosen municipality's row and
column are marked (class `egen`), and each column's header is a button that sorts the rows (class `sorterbar`,
assets/sortering.js). Text cells of CSV and Excel go through kdk.export.sikker; every HTML text is escaped
(markupsafe). Written in the active language (kdk.sprog): column names, sheet name, caption, the buttons' titles.
Pure: reads and writes nothing.
"""
from __future__ import annotations

import io

import pandas as pd
from markupsafe import Markup, escape
from openpyxl import Workbook

from kdk.export import statbank
from kdk.export.htmltabel import DEMO as DEMO_TEKST
from kdk.export.sikker import tekst
from kdk.format import SUPPRESSED, rounded
from kdk.sprog import N_, gettext

HEADER = [N_("SAMMENLIGNINGSOMRAADE"), N_("AAR"), N_("KOMMUNE"), N_("KOMMUNE_NAVN"), N_("SAMMENLIGNET"),
          N_("SAMMENLIGNET_NAVN"), N_("RANG"), N_("AFSTAND"), N_("DEMODATA")]
AFSTAND_DECIMALER = 2


def _lines(rows: pd.DataFrame, omraade: str, aar: int, demo: bool, afstand) -> list[list]:
    return [[tekst(omraade), aar, tekst(r.kommunekode), tekst(r.kommune), tekst(r.sammenligningskode),
             tekst(r.sammenlignet), int(r.rang), afstand(r.afstand), statbank.demo(demo)]
            for r in rows.itertuples(index=False)]


def csv(rows: pd.DataFrame, omraade: str, aar: int, demo: bool) -> bytes:
    return statbank.table([statbank.header(HEADER), *_lines(rows, omraade, aar, demo,
                                           lambda v: statbank.cell(v, AFSTAND_DECIMALER))])


def xlsx(rows: pd.DataFrame, omraade: str, aar: int, demo: bool) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(gettext("Sammenligning"))
    lines = _lines(rows, omraade, aar, demo, lambda v: float(rounded(v, AFSTAND_DECIMALER)))
    for line in [statbank.header(HEADER), *lines]:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def html(rows: pd.DataFrame, titel: str, demo: bool, fremhaev: str | None = None) -> bytes:
    """The cells as the matrix: rows and columns in the order the rows come in; `titel` names the matrix, and the
    municipality `fremhaev` (a code) is marked."""
    columns = list(dict.fromkeys([*rows["kommunekode"], *rows["sammenligningskode"]]))
    names = dict(zip(rows["sammenligningskode"], rows["sammenlignet"])) | dict(zip(rows["kommunekode"],
                                                                                  rows["kommune"]))
    rank = dict(zip(zip(rows["kommunekode"], rows["sammenligningskode"]), rows["rang"]))
    caption = (gettext("{titel}. Hver række er en kommune, hver kolonne en kommune, den sammenlignes med; tallet er "
                       "rangen (1 = mest sammenlignelig).").format(titel=titel)
               + (" " + gettext(DEMO_TEKST) if demo else ""))
    head = [_column(gettext("Kommune")), *(_column(names[c], c == fremhaev) for c in columns)]
    body = [Markup("<tr{}>{}</tr>").format(_marked(row == fremhaev), Markup("").join([
        Markup('<th scope="row">{}</th>').format(names[row]),
        *(_cell(rank.get((row, c))) for c in columns)]))
        for row in dict.fromkeys(rows["kommunekode"])]
    return Markup("").join([
        Markup('<table class="tvilling-data matrice-data sorterbar"><caption>'), escape(caption),
        Markup("</caption><thead><tr>"), *head, Markup("</tr></thead><tbody>"), *body,
        Markup("</tbody></table>")]).encode("utf-8")


def _marked(egen: bool) -> Markup:
    return Markup(' class="egen"') if egen else Markup("")


def _column(name: str, egen: bool = False) -> Markup:
    """A column's header: a button that sorts the rows by the column (assets/sortering.js)."""
    return Markup('<th scope="col"{}><button type="button" class="sorter" title="{}">{}</button></th>').format(
        _marked(egen), gettext("Sortér rækkerne efter kolonnen"), name)


def _cell(rang) -> Markup:
    if rang is None:
        return Markup('<td class="tal">{}</td>').format(SUPPRESSED)
    return Markup('<td class="tal" data-vaerdi="{rang}">{rang}</td>').format(rang=int(rang))
