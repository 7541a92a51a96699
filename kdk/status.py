"""The status of a fact row (`fct_noegletal.status`) and what it means to a reader, the same on every page and in
every export, and the one rule for whether a cell's value is shown (`vises`) and a value is there (`kendt`).
Pure; reads and writes nothing.

- `normal`: a published value;
- `foreloebig`: a preliminary value, published;
- `estimat`: an estimate, published: noegletal.dk's 1993–2006 values recalculated to today's municipalities
  (footnote (3) in its files), and every aggregate computed from such a value;
- `diskretioneret`: no value, hidden by disclosure control or by the source (`..`);
- `mangler`: no value.
"""
from __future__ import annotations

import math
from typing import TypeGuard

from kdk.sprog import N_

PUBLICERET = frozenset({"normal", "foreloebig", "estimat"})   # a value with one of these statuses is shown
ESTIMAT = N_("Estimat: omregnet til nuværende kommuner")   # shown in the active language (gettext)


def kendt(vaerdi: float | None) -> TypeGuard[float]:
    """Whether a value is there: neither None nor NaN (as pandas and DuckDB give a missing number)."""
    return vaerdi is not None and not (isinstance(vaerdi, float) and math.isnan(vaerdi))


def vises(status: str, vaerdi: float | None) -> bool:
    """Whether a cell's value is shown, on a page, in the API and in every export: a published status and a value."""
    return status in PUBLICERET and kendt(vaerdi)
