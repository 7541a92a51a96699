"""Published precision, and Danish number formatting for the UI and charts (Babel, locale da_DK): `3.478`,
`2,4 pct.`, `12,1 dagsværk`.

A published number is its value rounded half away from zero at the key figure's decimals (`rounded`, `published`;
`rounded_sql` in DuckDB), on the value as written: the marts store values so rounded, and every number derived
from them for a page, a chart or a file is rounded the same way. Pure functions; reads and writes nothing.
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


def published(value: float | None, decimals: int) -> float | None:
    """A number as published, as a float (`rounded`); None for a missing value."""
    if value is None or math.isnan(value):
        return None
    return float(rounded(value, decimals))


def rounded_sql(value: str, decimals: str) -> str:
    """`rounded` in DuckDB, as a DOUBLE: the DOUBLE expression `value` rounded half away from zero at the INTEGER
    expression `decimals`. DuckDB's own round() rounds the binary value, so 1.005 gives 1.0 and a mean stored as
    3.4499999999999997 gives 3,4; here the value as written (its shortest text, `1.005`) is rounded as a decimal,
    then divided by a power of ten, which gives the float nearest the rounded number. Missing stays missing."""
    scaled = f"CAST(CAST({value} AS VARCHAR) AS DECIMAL(38, 17)) * CAST(10 ** ({decimals}) AS BIGINT)"
    return (f"CASE WHEN isfinite({value}) THEN CAST(round({scaled}) AS HUGEINT)::DOUBLE / 10 ** ({decimals}) "
            f"ELSE {value} END")


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
