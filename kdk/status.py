"""The status of a fact row (`fct_noegletal.status`) and what it means to a reader, the same on every page and in
every export. Pure data; reads and writes nothing.

- `normal`: a published value;
- `foreloebig`: a preliminary value, published;
- `estimat`: an estimate, published: noegletal.dk's 1993–2006 values recalculated to today's municipalities
  (footnote (3) in its files), and every aggregate computed from such a value;
- `diskretioneret`: no value, hidden by disclosure control or by the source (`..`);
- `mangler`: no value.
"""
from __future__ import annotations

PUBLICERET = frozenset({"normal", "foreloebig", "estimat"})   # a value with one of these statuses is shown
ESTIMAT = "Estimat: omregnet til nuværende kommuner"
