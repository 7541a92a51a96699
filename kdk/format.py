"""Danish number formatting for the UI and charts (Babel, locale da_DK): `3.478`, `2,4 pct.`, `12,1 dagsværk`.

Pure functions; reads and writes nothing.
"""
from __future__ import annotations

import functools
import math
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

LOCALE = Locale.parse("da_DK")
PLOTLY_SEPARATORS = ",."   # decimal comma, thousands point, as Plotly's layout.separators expects
SUPPRESSED = "–"           # shown for a suppressed or missing value, with an explanation nearby
UNITS_WITHOUT_SUFFIX = {"antal"}


def rounded(value: float, decimals: int) -> Decimal:
    """Rounded half away from zero, as statistics are published (21,25 -> 21,3), on the value as written."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)


def number(value: float | None, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return SUPPRESSED
    return _formatted(float(value), int(decimals))


@functools.lru_cache(maxsize=65_536)
def _formatted(value: float, decimals: int) -> str:
    """Kept: a page writes the same numbers again and again (every municipality shows its region and the land)."""
    return _pattern(decimals).apply(rounded(value, decimals), LOCALE)


@functools.lru_cache(maxsize=16)
def _pattern(decimals: int) -> NumberPattern:
    """Babel's pattern for a number with `decimals` decimals, parsed once (parsing it took half of each call)."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


def with_unit(value: float | None, decimals: int, unit: str) -> str:
    text = number(value, decimals)
    if text == SUPPRESSED or unit in UNITS_WITHOUT_SUFFIX:
        return text
    return f"{text} {unit}"


def change(delta: float | None, decimals: int, unit: str) -> str:
    """A signed change: `+0,3 pct.-point`, `-1.204`, `+2,0 dagsværk`."""
    if delta is None or math.isnan(delta):
        return SUPPRESSED
    sign = "+" if delta > 0 else ("-" if delta < 0 else "±")
    text = number(abs(delta), decimals)
    if unit == "pct." or unit.startswith("pct. "):
        return f"{sign}{text} pct.-point"
    if unit in UNITS_WITHOUT_SUFFIX:
        return f"{sign}{text}"
    return f"{sign}{text} {unit}"


def percent(share: float, decimals: int = 0) -> str:
    return f"{number(100 * share, decimals)} %"
