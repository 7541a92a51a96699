"""Colours, shared by CSS and figures: direction drives colour, and better is never red.

Blue for better, orange for worse (safe for colour-blind readers), grey for neutral figures.
"""
from kdk.fortolkning import BEDRE, DAARLIGERE

BEDRE_FARVE = "#1b6aa5"
DAARLIGERE_FARVE = "#c4520f"
NEUTRAL_FARVE = "#5b6470"
KOMMUNE_FARVE = "#0b3d66"
REGION_FARVE = "#3f8fcb"
REGION_LINJE_FARVE = "#7fb3d9"   # the region beside the comparison group in line and bar charts
LAND_FARVE = "#8a94a3"
BAGGRUND_FARVE = "#d5dbe3"

VURDERING_FARVE = {BEDRE: BEDRE_FARVE, DAARLIGERE: DAARLIGERE_FARVE}


def skala(retning: str) -> list[list]:
    """A colour scale from low to high values: orange→blue where higher is better, the reverse where lower
    is better, and a single neutral hue for neutral figures."""
    if retning == "op":
        return [[0, DAARLIGERE_FARVE], [0.5, "#f1efe9"], [1, BEDRE_FARVE]]
    if retning == "ned":
        return [[0, BEDRE_FARVE], [0.5, "#f1efe9"], [1, DAARLIGERE_FARVE]]
    return [[0, "#eef1f5"], [1, "#2d3e50"]]
