"""Plain Danish judgements about a key-figure value: one judgement (`vurder`) and the sentences built on it.

Pure functions over numbers and catalogue fields; reads and writes nothing. Every place that says or colours
whether a value is better or worse than a reference — the profile's cards and sentences, the comparison-group
sentence, the theme's summary and templates, the map — asks `vurder`, so they cannot disagree. "Better" and
"worse" are only ever said where the catalogue's `retning` says higher (`op`) or lower (`ned`) is better; a count
or total (the catalogue's `niveau_sammenlignes` false) is never judged against its region's or the country's level.
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kdk import format as fmt
from kdk.status import kendt

BEDRE, DAARLIGERE, PAA_NIVEAU, NEUTRAL, UKENDT = "bedre", "daarligere", "paa_niveau", "neutral", "ukendt"
LAND, REGION, GRUPPE, FORRIGE = "land", "region", "gruppe", "forrige"   # what a value is compared with

TAERSKEL = 0.25
"""A difference smaller than this share of the spread between the municipalities (their interquartile range for the
figure and period, `spredning`) is "på niveau med", and no good or bad colour is used. Half of the municipalities lie
within one interquartile range, so a quarter of it moves a municipality in the middle of the field about an eighth
of the way through the ranking: less than the everyday difference between two ordinary municipalities. It is also
more than a municipality's typical change from one year to the next (measured on the built marts, 5 December 2026:
larger than the median yearly change for 60 of the 63 figures, about twice it for most), so a gap that one ordinary
year could open or close is not called better or worse. A difference that is 0 at the figure's displayed decimals
is always "på niveau med"."""

RETNING_TEKST = {
    "op": "Højere er bedre",
    "ned": "Lavere er bedre",
    "neutral": "Neutralt nøgletal: hverken højere eller lavere er bedre",
}


@dataclass(frozen=True)
class Vurdering:
    """A value judged against a reference. `dom`: BEDRE, DAARLIGERE, PAA_NIVEAU, NEUTRAL (a difference, but
    neither side is better) or UKENDT (a value is missing, or the figure's level says nothing against this
    reference); `forskel`: the difference in Danish ("2,6 procentpoint højere", "12 pct. lavere", "på niveau"), None
    when there is no judgement; `farve`: whether a good or bad colour may be used."""
    dom: str
    forskel: str | None
    farve: bool

    @property
    def tekst(self) -> str | None:
        """The difference as said before what it is against: "2,6 procentpoint højere end", "på niveau med"."""
        if self.forskel is None:
            return None
        return "på niveau med" if self.dom == PAA_NIVEAU else f"{self.forskel} end"

    def mod(self, hvad: str) -> str | None:
        """The difference against `hvad`: "2,6 procentpoint højere end landet", "på niveau med landet"."""
        return f"{self.tekst} {hvad}" if self.tekst else None


INGEN = Vurdering(UKENDT, None, False)


def spredning(vaerdier: Iterable[float | None]) -> float | None:
    """The spread between municipalities that `TAERSKEL` is a share of: the interquartile range of the values (a
    missing one left out; linear interpolation, as DuckDB's quantile_cont); None with fewer than four values."""
    known = [float(v) for v in vaerdier if kendt(v)]
    if len(known) < 4:
        return None
    lower, _, upper = statistics.quantiles(known, n=4, method="inclusive")
    return upper - lower


def forskel_som(enhed: str) -> str:
    """How a difference in this unit is said: in percentage points for a share or rate in percent ("procentpoint"),
    in per mille points ("promillepoint"), in points for a grade, score or index, where a relative difference means
    nothing ("point"), else relative to the reference for a level (kr., dage, år, pr. 1.000 …: "relativ")."""
    unit = enhed.lower()
    if unit.startswith(("pct", "procent", "andel")):
        return "procentpoint"
    if unit.startswith("promille"):
        return "promillepoint"
    if unit.startswith(("karakter", "score", "indeks")):
        return "point"
    return "relativ"


def vurder(figur: Mapping, vaerdi: float | None, reference: float | None, mod: str = LAND,
           spredning: float | None = None) -> Vurdering:
    """`vaerdi` judged against `reference`: the country's (LAND), the region's (REGION), the comparison group's mean
    (GRUPPE) or the municipality's own in the period before (FORRIGE). `figur`: the catalogue's retning, enhed,
    decimaler and niveau_sammenlignes. `spredning`: the spread between municipalities for the figure and period
    (`spredning`) for a level; a difference under TAERSKEL of it is PAA_NIVEAU (not used for a change, FORRIGE)."""
    if not (kendt(vaerdi) and kendt(reference)):
        return INGEN
    level_ok = bool(figur.get("niveau_sammenlignes", True))
    if not level_ok and mod in (LAND, REGION):
        return INGEN
    d = int(figur["decimaler"])
    shown, ref = float(fmt.rounded(vaerdi, d)), float(fmt.rounded(reference, d))
    difference = float(fmt.rounded(shown - ref, d))
    small = mod != FORRIGE and kendt(spredning) and abs(difference) < TAERSKEL * spredning
    size = _storrelse(difference, ref, d, figur["enhed"])
    if difference == 0 or small or size is None:
        return Vurdering(PAA_NIVEAU, "på niveau", False)
    higher = difference > 0
    forskel = f"{size} {'højere' if higher else 'lavere'}"
    if figur["retning"] not in ("op", "ned") or (not level_ok and mod != FORRIGE):
        return Vurdering(NEUTRAL, forskel, False)
    return Vurdering(BEDRE if higher == (figur["retning"] == "op") else DAARLIGERE, forskel, True)


def _storrelse(difference: float, reference: float, decimaler: int, enhed: str) -> str | None:
    """The size of a difference as `forskel_som` says it ("2,6 procentpoint", "12 pct.", "1.204 kr."); None where it
    is 0 as shown ("0 pct.")."""
    form = forskel_som(enhed)
    if form == "relativ" and reference > 0:
        percent = fmt.number(100 * abs(difference) / reference, 0)
        return None if percent == "0" else f"{percent} pct."
    if form == "relativ":   # no relative difference from a level of zero or below
        return fmt.with_unit(abs(difference), decimaler, enhed)
    return f"{fmt.number(abs(difference), decimaler)} {form}"


def lille_forbogstav(titel: str) -> str:
    """'Sygefravær pr. ...' -> 'sygefravær pr. ...', but 'SOSU-elever' stays."""
    if len(titel) > 1 and titel[1].isupper():
        return titel
    return titel[:1].lower() + titel[1:]


def placering(kommune: str, titel: str, andel_under: float | None, land: Vurdering = INGEN) -> str:
    """A sentence on where the municipality stands among all municipalities, and for one in the middle of the field,
    against the country (`land`: `vurder` against LAND; nothing is said where it has no judgement).

    `andel_under` is the share of the other municipalities with a lower value (0 = lowest, 1 = highest).
    """
    if not kendt(andel_under):
        return f"Der er ikke et tal for {kommune} i denne periode."
    emne = lille_forbogstav(titel)
    for procent in (10, 25):
        if andel_under >= 1 - procent / 100:
            return f"{kommune} er blandt de {procent} pct. af kommunerne med højest {emne}."
        if andel_under <= procent / 100:
            return f"{kommune} er blandt de {procent} pct. af kommunerne med lavest {emne}."
    against = land.mod("hele landet")
    return f"{kommune} ligger i midterfeltet blandt kommunerne" + (f", {against}." if against else ".")


def gruppe_saetning(figur: Mapping, vaerdi: float | None, gruppe_vaerdi: float | None, spredning: float | None,
                    under: int, over: int, n: int) -> str | None:
    """Where the municipality stands in its comparison group of `n` municipalities with a value (`under` of them
    lower, `over` higher), in plain words ("Lavere end alle 10 sammenlignelige kommuner."; "Højere end 6 og lavere
    end 4 af de 10 …"), and against the group's mean as `vurder` judges it ("… 2,6 procentpoint højere end deres
    gennemsnit.")."""
    if not n:
        return None
    equal = n - under - over
    parts = [f"{word} {count}" for word, count in (("højere end", under), ("lavere end", over), ("lig med", equal))
             if count]
    if len(parts) == 1:
        counted = f"{parts[0].rsplit(' ', 1)[0].capitalize()} alle {n} sammenlignelige kommuner"
    else:
        counted = (", ".join(parts[:-1]) + " og " + parts[-1]).capitalize() + f" af de {n} sammenlignelige kommuner"
    against = vurder(figur, vaerdi, gruppe_vaerdi, GRUPPE, spredning).mod("deres gennemsnit")
    return f"{counted}" + (f", {against}." if against else ".")
