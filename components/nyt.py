""""Nyt siden sidste udgivelse" for one municipality: the key figures with values in new periods or revised values
in the newest release the viewer sees, compared with the release before it, old → new with the publisher's reason
for a revision (kdk.queries.udgivelser.for_kommune, through the viewer's scope: nothing restricted, embargoed or
suppressed). `henvisning` is the profile's line leading to it, `nyheder` the list on /kommune/<kode>/nyt. Reads
kdk.queries only.
"""
from __future__ import annotations

import pandas as pd

from components.light import dcc, html
from kdk import format as fmt
from kdk import periods
from kdk.queries import omraader, udgivelser
from kdk.queries.scope import Scope
from kdk.sprog import gettext, ngettext


def href(kode: str) -> str:
    return f"/kommune/{kode}/nyt"


def henvisning(scope: Scope, kommune: dict) -> dict:
    """The profile's line about the newest release: how many key figures it changed for the municipality, and a link
    to what."""
    changed = udgivelser.for_kommune(scope, kommune["kommunekode"])["noegletal_id"].nunique()
    text = ngettext("Nyt siden sidste udgivelse: {antal} nøgletal med nye tal eller rettelser",
                    "Nyt siden sidste udgivelse: {antal} nøgletal med nye tal eller rettelser",
                    changed).format(antal=fmt.number(changed)) if changed else \
        gettext("Nyt siden sidste udgivelse: ingen nye tal eller rettelser")
    return html.P(dcc.Link(text, href=href(kommune["kommunekode"])), className="nyt-henvisning")


def nyheder(scope: Scope, kommune: dict) -> dict:
    """The newest release's changes for the municipality, one entry per key figure in catalogue order."""
    changed = udgivelser.for_kommune(scope, kommune["kommunekode"])
    release = omraader.seneste_release(scope)
    antal, dato = changed["noegletal_id"].nunique(), fmt.short_date(release["udtraeksdato"])
    intro = ngettext("Udgivelsen fra {dato} sammenlignet med udgivelsen før den: {antal} nøgletal med nye perioder "
                     "eller reviderede tal for {kommune}.",
                     "Udgivelsen fra {dato} sammenlignet med udgivelsen før den: {antal} nøgletal med nye perioder "
                     "eller reviderede tal for {kommune}.", antal) if antal else \
        gettext("Den seneste udgivelse (fra {dato}) har ingen nye perioder eller reviderede tal for {kommune}, som du "
                "kan se.")
    return html.Section([
        html.H2(gettext("Nyt siden sidste udgivelse"), id="nyt-overskrift"),
        html.P(intro.format(dato=dato, antal=fmt.number(antal), kommune=kommune["navn"]), className="note"),
        html.Ul([_figur(rows, kommune["kommunekode"]) for _, rows in changed.groupby("noegletal_id", sort=False)],
                className="nyt-liste"),
    ], className="kasse nyt", **{"aria-labelledby": "nyt-overskrift"})


def _figur(rows: pd.DataFrame, kode: str) -> dict:
    """One key figure's changes, its title leading to its page with the municipality drawn."""
    first = rows.iloc[0]
    d, enhed = int(first["decimaler"]), first["enhed"]
    items = []
    for r in rows.itertuples():
        value = fmt.with_unit(r.vaerdi, d, enhed)
        if r.tidligere is None:
            items.append(html.Li(gettext("Ny periode {periode}: {vaerdi}").format(periode=periods.label(r.periode),
                                                                                   vaerdi=value)))
        else:
            items.append(html.Li([gettext("Revideret {periode}: {foer} → {nu}").format(
                periode=periods.label(r.periode), foer=fmt.with_unit(r.tidligere, d, enhed), nu=value),
                html.Span(" " + gettext("Begrundelse: {begrundelse}.").format(begrundelse=r.begrundelse),
                          className="note") if r.begrundelse else None]))
    return html.Li([dcc.Link(first["titel"], href=f"/noegletal/{first['noegletal_id']}?kommuner={kode}"),
                    html.Ul(items)])
