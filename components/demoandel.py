"""The warning that part of what is published is generated demo data, with its share in Danish numbers."""
from __future__ import annotations

from components.light import html
from components.maerke import maerke
from kdk import format as fmt


def demoadvarsel(demo: int, alle: int) -> dict | None:
    """`demo` of `alle` values are generated demo data (e.g. kdk.export.bundle.demo_andel), after the demo badge;
    None when none are."""
    if not demo:
        return None
    return html.P([maerke(True), f" {fmt.number(demo)} af {fmt.number(alle)} værdier ({fmt.number(100 * demo / alle)} "
                                 "pct.) er genererede demodata – ikke officiel statistik."],
                  className="demoandel", role="note")
