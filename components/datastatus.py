"""How the data-status page (pages/datastatus.py) writes its numbers and lays out its parts: dates, shares and counts
in the active language, tables, tiles and the coverage bar. Reads and writes nothing."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from components.light import html
from components.rulle import rulle
from kdk import format as fmt
from kdk import periods
from kdk.sprog import gettext, ngettext


def date(value) -> str:
    """'22. august 2026', '22 August 2026'."""
    if value is None or pd.isna(value):
        return fmt.SUPPRESSED
    return fmt.date(value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value)


def share(part: float, whole: float, decimals: int = 1) -> str:
    """A share in the active language's notation that never rounds an incomplete whole up to 100 pct. or a non-empty
    part down to 0 pct.: 'over 99,9 pct.', 'under 0,1 pct.' ('over 99.9%')."""
    if not whole:
        return fmt.SUPPRESSED
    value = part / whole
    step = 10 ** -decimals
    text = fmt.percent(value, decimals)
    if value < 1 and text == fmt.percent(1, decimals):
        return gettext("over {andel}").format(andel=fmt.percent((100 - step) / 100, decimals))
    if value > 0 and text == fmt.percent(0, decimals):
        return gettext("under {andel}").format(andel=fmt.percent(step / 100, decimals))
    return text


def count(n, one: str, many: str) -> str:
    """'1 advarsel', '3 advarsler' (Danish words: the data-status page counts with `fejl`, `advarsler` and
    `noegletal`, which speak the active language)."""
    n = int(n)
    return f"{fmt.number(n)} {one if n == 1 else many}"


def fejl(n) -> str:
    """'1 fejl', '3 fejl'; '1 error', '3 errors'."""
    return ngettext("{antal} fejl", "{antal} fejl", int(n)).format(antal=fmt.number(int(n)))


def advarsler(n) -> str:
    """'1 advarsel', '3 advarsler'."""
    return ngettext("{antal} advarsel", "{antal} advarsler", int(n)).format(antal=fmt.number(int(n)))


def noegletal(n) -> str:
    """'1 nøgletal', '3 nøgletal'; '1 key figure', '3 key figures'."""
    return ngettext("{antal} nøgletal", "{antal} nøgletal", int(n)).format(antal=fmt.number(int(n)))


def period_span(first, latest) -> str:
    """The periods from `first` to `latest` (kdk.periods.span), or the dash when there is none."""
    if not isinstance(latest, str):
        return fmt.SUPPRESSED
    return periods.span(first, latest)


def table(head: list[str], rows: list[list], caption: str | None = None, classes: str = "",
          scroll_label: str | None = None):
    """A table in the site's style; with `scroll_label`, in a region of its own that scrolls sideways on a narrow
    screen (components/rulle.py)."""
    node = html.Table([
        html.Caption(caption) if caption else None,
        html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
        html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
    ], className=f"metodetabel ds-tabel {classes}".strip())
    if not scroll_label:
        return node
    return rulle(node, scroll_label)


def tile(label: str, value: str, note=None, tone: str = "") -> dict:
    """One tile of a row of key numbers (an html.Dl's item): label, value and a note, coloured by `tone`."""
    return html.Div([html.Dt(label), html.Dd(value, className="ds-tal"),
                     html.Dd(note, className="ds-note") if note else None],
                    className=f"ds-flise {tone}".strip())


def coverage_bar(cells: int, with_value: int, suppressed: int, missing: int) -> dict:
    """A bar of the cells with a value, suppressed and missing, read out by its label."""
    if not cells:
        return html.Div()
    parts = [(with_value, "ds-med"), (suppressed, "ds-disk"), (missing, "ds-mangler")]
    label = gettext("{med} har en værdi, {diskretioneret} er diskretioneret, {mangler} mangler").format(
        med=share(with_value, cells), diskretioneret=share(suppressed, cells), mangler=share(missing, cells))
    return html.Div([html.Span(className=cls, style={"width": f"{100 * n / cells:.3f}%"}) for n, cls in parts if n],
                    className="ds-bjaelke", role="img", **{"aria-label": label})


def join(items: list) -> list:
    """The items with " · " between them."""
    out = []
    for i, item in enumerate(items):
        out += ([" · "] if i else []) + [item]
    return out


def file_name(name) -> str | None:
    """A release's file name, or None when it was built from the shipped sources."""
    return name if isinstance(name, str) and name else None



def more_than(attribution: str, texts) -> list[str]:
    """The figures' source texts that say more than their source's attribution: one that only repeats it, with or
    without its "Kilde: " (or "Source: ") label, is left out, so the source block does not say the same thing twice."""
    return [t for t in texts if t not in (attribution, attribution.removeprefix("Kilde: "),
                                          attribution.removeprefix("Source: "))]
