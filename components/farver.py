"""Colours, shared by CSS and figures: direction drives colour, and better is never red.

Blue for better, orange for worse (safe for colour-blind readers), grey for neutral figures.
"""
from kdk.fortolkning import BEDRE, DAARLIGERE

BEDRE_FARVE = "#1b6aa5"
DAARLIGERE_FARVE = "#c4520f"
BEDRE_LYS_FARVE = "#bcd5ea"        # the light ends of the map's scale, next to "på niveau"
DAARLIGERE_LYS_FARVE = "#f1c7ab"
NEUTRAL_FARVE = "#5b6470"
KOMMUNE_FARVE = "#0b3d66"
REGION_FARVE = "#3f8fcb"
REGION_LINJE_FARVE = "#7fb3d9"   # the region beside the comparison group in line and bar charts
LAND_FARVE = "#8a94a3"
BAGGRUND_FARVE = "#d5dbe3"
PAA_NIVEAU_FARVE = "#f1efe9"   # a value "på niveau med" its reference (kdk.fortolkning.vurder), e.g. on the map

VURDERING_FARVE = {BEDRE: BEDRE_FARVE, DAARLIGERE: DAARLIGERE_FARVE}


NEUTRAL_SKALA = [[0, "#eef1f5"], [1, "#2d3e50"]]   # low to high, for a map with no better side to colour
