"""Statistics Denmark period codes: `2024` (year), `2024K1` (quarter), `2024M01` (month) and `2021:2025` (a rolling
five-year period, as DST writes it: start and end year, end = start + 4; ordered by its end year, shown "2021–2025").

A period is plausible from FOERSTE_AAR to next year (`sidste_aar`); anything outside is no period. Labels
(`label`) and messages (`gyldige`) are in the active language (kdk.sprog). Pure functions (but for today's date);
reads and writes nothing.
"""
from __future__ import annotations

import datetime as dt
import re

from babel.dates import get_month_names

from kdk import sprog
from kdk.sprog import gettext

_AAR = re.compile(r"^(\d{4})$")
_KVARTAL = re.compile(r"^(\d{4})\s*[KQ]\s*([1-4])$", re.IGNORECASE)
_MAANED = re.compile(r"^(\d{4})\s*(?:M|-|/)\s*(\d{1,2})$", re.IGNORECASE)
_FEMAAR = re.compile(r"^(\d{4}):(\d{4})$")
FEMAAR_LAENGDE = 5   # years in a rolling period: 2021:2025

PERIODICITET_TIL_TYPE = {"aar": "aar", "kvartal": "kvartal", "maaned": "maaned", "femaar": "femaar"}
FOERSTE_AAR = 1970   # no municipal key figure is older (the municipalities of 1970)


def sidste_aar() -> int:
    """The latest plausible year: next year (a budget or a forecast), never later."""
    return dt.date.today().year + 1


def gyldige() -> str:
    """What a valid period is, for messages, in the active language (kdk.sprog)."""
    return gettext("Brug fx 2024, 2024K1, 2024M01 eller 2021:2025 (fem år), med år mellem {fra} og {til}.").format(
        fra=FOERSTE_AAR, til=sidste_aar())


def normalise(text: str) -> str | None:
    """The StatBank code for 2024, 2024K1, 2024Q1, 2024M1, 2024M01, 2024-01 or 2021:2025; None if invalid (a
    five-year period must end four years after it starts) or its years lie outside FOERSTE_AAR..sidste_aar()."""
    text = str(text).strip()
    if m := _FEMAAR.match(text):
        start, end = int(m.group(1)), int(m.group(2))
        ok = end == start + FEMAAR_LAENGDE - 1 and start >= FOERSTE_AAR and end <= sidste_aar()
        return text if ok else None
    if m := _AAR.match(text):
        code = m.group(1)
    elif m := _KVARTAL.match(text):
        code = f"{m.group(1)}K{m.group(2)}"
    elif (m := _MAANED.match(text)) and 1 <= int(m.group(2)) <= 12:
        code = f"{m.group(1)}M{int(m.group(2)):02d}"
    else:
        return None
    return code if FOERSTE_AAR <= int(m.group(1)) <= sidste_aar() else None


def kind(code: str) -> str:
    """'aar', 'kvartal', 'maaned' or 'femaar' for a valid StatBank code."""
    if ":" in code:
        return "femaar"
    if "K" in code:
        return "kvartal"
    if "M" in code:
        return "maaned"
    return "aar"


def year(code: str) -> int:
    """The period's year; a five-year period's first year (its order is its end year, which rolls with it)."""
    return int(code[:4])


def last_year(code: str) -> int:
    """The last year the period covers: a five-year period's end year (2021:2025 -> 2025), else its year."""
    return year(code) + (FEMAAR_LAENGDE - 1 if ":" in code else 0)


def span(first: str, last: str) -> str:
    """The span from period `first` to `last`: '2015–2024', 'jan. 2020–dec. 2024', and for five-year periods, whose
    labels hold a dash of their own, '2000–2004 til 2021–2025' ('… to …' in English); one period alone is just its
    label ('2017', not '2017–2017')."""
    if first == last:
        return label(first)
    if ":" in first:
        return gettext("{fra} til {til}").format(fra=label(first), til=label(last))
    return f"{label(first)}–{label(last)}"


def previous(code: str) -> str:
    """The period before `code` of the same kind (2024M01 -> 2023M12, 2021:2025 -> 2020:2024)."""
    y = year(code)
    if ":" in code:
        return f"{y - 1}:{y + FEMAAR_LAENGDE - 2}"
    if "M" in code:
        m = int(code[5:])
        return f"{y - 1}M12" if m == 1 else f"{y}M{m - 1:02d}"
    if "K" in code:
        q = int(code[5:])
        return f"{y - 1}K4" if q == 1 else f"{y}K{q - 1}"
    return str(y - 1)


def start_date(code: str) -> dt.date:
    """The first day of the period (2024M03 -> 2024-03-01, 2024K2 -> 2024-04-01, 2024 and 2024:2028 ->
    2024-01-01)."""
    if "M" in code:
        return dt.date(year(code), int(code[5:]), 1)
    if "K" in code:
        return dt.date(year(code), 3 * int(code[5:]) - 2, 1)
    return dt.date(year(code), 1, 1)


def label(code: str) -> str:
    """The label in the active language (kdk.sprog): '2024', '1. kvt. 2024' / 'Q1 2024', 'jan. 2024' / 'Jan 2024'
    (the locale's abbreviated month, Babel), '2021–2025'."""
    y = year(code)
    if ":" in code:
        return code.replace(":", "–")
    if "M" in code:
        return f"{get_month_names('abbreviated', locale=sprog.locale())[int(code[5:])]} {y}"
    if "K" in code:
        return gettext("{kvartal}. kvt. {aar}").format(kvartal=code[5:], aar=y)
    return str(y)
