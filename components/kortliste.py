"""The map's list: every municipality sorted by the map's key figure (rank, name, value; the name links to the
profile), shown under the map on a phone, where tapping a small shape is guesswork (assets/mobil.css).

Reads a key figure's catalogue row and kdk.queries.noegletal.kommunevaerdier's rows; writes a component tree, its
links to pages in the active language (a callback redraws the rows)."""
from __future__ import annotations

from collections.abc import Sequence

from components.light import dcc, html
from kdk import format as fmt
from kdk import periods
from kdk.sprog import adresse, gettext


def raekker(meta: dict, vaerdier: Sequence[dict], periode: str) -> list:
    """The list's caption and rows: highest value first, as the map's `vaerdier` come; municipalities with the same
    published value share a rank; one without a value comes last, without a rank."""
    d = int(meta["decimaler"])
    rows, rank, previous = [], 0, None
    for n, r in enumerate(vaerdier, 1):
        value = fmt.published(r["vaerdi"], d)
        if value is not None and value != previous:
            rank, previous = n, value
        rows.append(html.Tr([html.Td(f"{rank}." if value is not None else "–", className="kortliste-rang"),
                             html.Th(dcc.Link(r["navn"], href=adresse(f"/kommune/{r['kommunekode']}")), scope="row"),
                             html.Td(fmt.with_unit(value, d, meta["enhed"]), className="kortliste-vaerdi")]))
    caption = gettext("{titel}, {periode}: kommunerne med den højeste værdi først").format(
        titel=meta["titel"], periode=periods.label(periode))
    return [html.Caption(caption),
            html.Thead(html.Tr([html.Th(gettext("Rang"), scope="col"), html.Th(gettext("Kommune"), scope="col"),
                                html.Th(gettext("Værdi"), scope="col")])),
            html.Tbody(rows)]


def kortliste(id_: str, meta: dict, vaerdier: Sequence[dict], periode: str) -> dict:
    """The list in a box that scrolls on its own; `id_` is the table's, for a callback that redraws its rows."""
    return html.Div(html.Table(raekker(meta, vaerdier, periode), id=id_, className="kortliste-tabel"),
                    className="kortliste", tabIndex="0", role="region",
                    **{"aria-label": gettext("Kommunerne sorteret")})
