"""Published precision, and number and date formatting for the UI and charts in the active language (Babel, locale
da_DK or en_GB, kdk/sprog.py): `3.478`, `2,4 pct.`, `12,1 dagsværk`, `5. december 2026` in Danish; `3,478`,
`2.4%`, `12.1 working days`, `5 December 2026` in English.

A published number is its value rounded half away from zero at the key figure's decimals (`rounded`, `published`;
`rounded_sql` in DuckDB), on the value as written: the marts store values so rounded, and every number derived
from them for a page, a chart or a file is rounded the same way. Pure functions; reads and writes nothing.
"""
from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Context, Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern

from kdk import sprog
from kdk.status import kendt

SUPPRESSED = "–"           # shown for a suppressed or missing value, with an explanation nearby
UNITS_WITHOUT_SUFFIX = {"antal", "number"}
PERCENT = {"pct.", "%"}    # the unit "percent" in Danish and in English: `2,4 pct.`, `2.4%`


SNAP = 9   # decimals a value is first taken to: far below any key figure's, far above a float's error at our sizes
_EXACT = Context(prec=400)   # room for every digit of any float


def rounded(value: float, decimals: int) -> Decimal:
    """Rounded half away from zero, as statistics are published (21,25 -> 21,3), on the value as written (its
    shortest text) taken to SNAP decimals first: a float computation that lands a hair off a tie (a mean summed as
    3.4499999999999997 where it is 3,45) still rounds as the exact value does (3,5). Zero has no sign."""
    written = Decimal(repr(float(value)))
    if written.is_finite():
        written = written.quantize(Decimal(1).scaleb(-SNAP), ROUND_HALF_UP, _EXACT)
    result = written.quantize(Decimal(1).scaleb(-int(decimals)), ROUND_HALF_UP, _EXACT)
    return result.copy_abs() if result.is_zero() else result   # -0,04 is published as 0,0, not -0,0


def published(value: float | None, decimals: int) -> float | None:
    """A number as published, as a float (`rounded`); None for a missing value."""
    if not kendt(value):
        return None
    return float(rounded(value, decimals))


def rounded_sql(value: str, decimals: str) -> str:
    """`rounded` in DuckDB, as a DOUBLE: the DOUBLE expression `value` rounded half away from zero at the INTEGER
    expression `decimals` (0-9; a figure with more keeps its value). DuckDB's round() on a DOUBLE rounds the binary
    value (a mean stored as 3.4499999999999997 gives 3,4); this casts the value to a DECIMAL at SNAP decimals and
    rounds that: below 10^8 the value itself (fast: 0,3 s for 10 M values), up to 10^15 its shortest text, as
    `rounded` does. Beyond, where a float has hardly a decimal, DuckDB's round(); missing stays missing."""
    def by_decimals(number: str) -> str:
        return f"CASE {decimals} " + " ".join(f"WHEN {d} THEN CAST(round({number}, {d}) AS DOUBLE)"
                                              for d in range(SNAP + 1)) + f" ELSE {value} END"
    small = f"CAST({value} AS DECIMAL(18, {SNAP}))"
    large = f"CAST(CAST({value} AS VARCHAR) AS DECIMAL(38, {SNAP}))"
    return (f"CASE WHEN NOT isfinite({value}) THEN {value} WHEN abs({value}) < 1e8 THEN {by_decimals(small)} "
            f"WHEN abs({value}) < 1e15 THEN {by_decimals(large)} ELSE round({value}, CAST({decimals} AS INTEGER)) END")


def locale() -> Locale:
    """The active language's locale (kdk.sprog.locale)."""
    return sprog.locale()


def plotly_separators() -> str:
    """Plotly's layout.separators in the active language: decimal mark, then thousands separator (",." in Danish)."""
    loc = sprog.locale()
    return loc.number_symbols["latn"]["decimal"] + loc.number_symbols["latn"]["group"]


def number(value: float | None, decimals: int = 0) -> str:
    if not kendt(value):
        return SUPPRESSED
    return _formatted(float(value), int(decimals), sprog.aktivt())


@functools.lru_cache(maxsize=65_536)
def _formatted(value: float, decimals: int, language: str) -> str:
    """Kept: a page writes the same numbers again and again (every municipality shows its region and the land)."""
    return _pattern(decimals).apply(rounded(value, decimals), sprog.LOCALES[language])


@functools.lru_cache(maxsize=16)
def _pattern(decimals: int) -> NumberPattern:
    """Babel's pattern for a number with `decimals` decimals, parsed once (parsing it took half of each call)."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


def with_unit(value: float | None, decimals: int, unit: str) -> str:
    """A value with its unit (in the active language, as the catalogue gives it): `2,4 pct.`, `2.4%`, `3.478`,
    `4.7% of the labour force`."""
    text = number(value, decimals)
    if text == SUPPRESSED or unit in UNITS_WITHOUT_SUFFIX:
        return text
    if unit == "%" or unit.startswith("% "):
        return f"{text}{unit}"
    return f"{text} {unit}"


def change(delta: float | None, decimals: int, unit: str) -> str:
    """A signed change: `+0,3 pct.-point`, `-1.204`, `+2,0 dagsværk`; in English `+0.3 percentage points`."""
    if not kendt(delta):
        return SUPPRESSED
    sign = "+" if delta > 0 else ("-" if delta < 0 else "±")
    text = number(abs(delta), decimals)
    if unit in PERCENT or unit.startswith(("pct. ", "% ")):
        return f"{sign}{text} " + sprog.gettext("pct.-point")
    if unit in UNITS_WITHOUT_SUFFIX:
        return f"{sign}{text}"
    return f"{sign}{text} {unit}"


def percent(share: float, decimals: int = 0) -> str:
    """A share as a percentage: `12 pct.`, `12%`."""
    return with_unit(100 * share, decimals, sprog.gettext("pct."))


def date(day: dt.date) -> str:
    """A date as the active language writes it in running text: `5. december 2026`, `5 December 2026`."""
    return format_date(day, format="long", locale=sprog.locale())


def short_date(day: dt.date) -> str:
    """A date in a table or a footer: `05.12.2026`, `05/12/2026`."""
    return format_date(day, format="short" if sprog.er_engelsk() else "dd.MM.y", locale=sprog.locale())


def month(day: dt.date) -> str:
    """A month and year: `december 2026`, `December 2026`."""
    return format_date(day, format="MMMM y", locale=sprog.locale())
