"""A small trend line as an inline SVG image: no Plotly, so a profile with a card for each of up to 8 figures per
data area stays light (and a light component, components/light.py)."""
from __future__ import annotations

import functools
from collections.abc import Sequence

from components.light import html
from kdk.status import kendt

WIDTH, HEIGHT, PAD = 120, 32, 3
# What an SVG in a data: URL must escape (single-quoted attributes need nothing more); str.translate does it in C,
# where urllib's quote of every character took a twentieth of a profile's render.
DATA_URL = str.maketrans({"%": "%25", "#": "%23", "<": "%3C", ">": "%3E"})


def sparkline(values: Sequence[float | None], colour: str, label: str) -> dict | None:
    src = _data_url(tuple(values), colour)
    return html.Img(src=src, alt=label, className="sparkline", width=WIDTH, height=HEIGHT) if src else None


@functools.lru_cache(maxsize=20_000)
def _data_url(values: tuple[float | None, ...], colour: str) -> str | None:
    """The line as an SVG data URL, or None for fewer than two values; kept, as a municipality's trend is drawn on
    each of its views."""
    points = [(i, v) for i, v in enumerate(values) if kendt(v)]
    if len(points) < 2:
        return None
    lo, hi = min(v for _, v in points), max(v for _, v in points)
    span = (hi - lo) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def xy(i, v):
        return f"{PAD + i * step:.1f},{HEIGHT - PAD - (v - lo) / span * (HEIGHT - 2 * PAD):.1f}"

    path = " ".join(xy(i, v) for i, v in points)
    last = xy(*points[-1]).split(",")
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' "
           f"viewBox='0 0 {WIDTH} {HEIGHT}'><polyline fill='none' stroke='{colour}' stroke-width='2' "
           f"points='{path}'/><circle cx='{last[0]}' cy='{last[1]}' r='2.5' fill='{colour}'/></svg>")
    return "data:image/svg+xml," + svg.translate(DATA_URL)
