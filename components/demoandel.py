"""The warning that part of what is published is generated demo data, with its share, in the active language."""
from __future__ import annotations

from components.light import html
from components.maerke import maerke
from kdk import format as fmt
from kdk.sprog import gettext


def demoadvarsel(demo: int, alle: int) -> dict | None:
    """`demo` of `alle` values are generated demo data (e.g. kdk.export.bundle.demo_andel), after the demo badge;
    None when none are."""
    if not demo:
        return None
    tekst = gettext("{demo} af {alle} værdier ({andel}) er genererede demodata – ikke officiel statistik.")
    return html.P([maerke(True), " " + tekst.format(demo=fmt.number(demo), alle=fmt.number(alle),
                                                    andel=fmt.percent(demo / alle))],
                  className="demoandel", role="note")
