"""Plain-language judgements about a key-figure value: one judgement (`vurder`) and the sentences built on it, in the
active language (kdk.sprog: each sentence one message with named placeholders, so English keeps its own word order).

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

from babel.lists import format_list

from kdk import format as fmt
from kdk.sprog import N_, gettext, ngettext
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

RETNING_TEKST = {   # in Danish; shown in the active language with gettext(RETNING_TEKST[retning])
    "op": N_("Højere er bedre"),
    "ned": N_("Lavere er bedre"),
    "neutral": N_("Neutralt nøgletal: hverken højere eller lavere er bedre"),
}


@dataclass(frozen=True)
class Vurdering:
    """A value judged against a reference. `dom`: BEDRE, DAARLIGERE, PAA_NIVEAU, NEUTRAL (a difference, but
    neither side is better) or UKENDT (a value is missing, or the figure's level says nothing against this
    reference); `stoerrelse`: the size of the difference, as said in the language active when it was judged
    ("2,6 procentpoint", "12 pct."; None when there is no difference to tell); `hoejere`: whether the value is the
    higher; `farve`: whether a good or bad colour may be used. The texts below are in the active language."""
    dom: str
    stoerrelse: str | None
    farve: bool
    hoejere: bool = False

    @property
    def forskel(self) -> str | None:
        """The difference: "2,6 procentpoint højere", "12 pct. lavere", "på niveau"; None with no judgement."""
        if self.dom == UKENDT:
            return None
        if self.dom == PAA_NIVEAU:
            return gettext("på niveau")
        return (gettext("{stoerrelse} højere") if self.hoejere else gettext("{stoerrelse} lavere")).format(
            stoerrelse=self.stoerrelse)

    @property
    def tekst(self) -> str | None:
        """The difference as said before what it is against: "2,6 procentpoint højere end", "på niveau med"."""
        if self.dom == UKENDT:
            return None
        if self.dom == PAA_NIVEAU:
            return gettext("på niveau med")
        return (gettext("{stoerrelse} højere end") if self.hoejere else gettext("{stoerrelse} lavere end")).format(
            stoerrelse=self.stoerrelse)

    def mod(self, hvad: str) -> str | None:
        """The difference against `hvad` (in the active language): "2,6 procentpoint højere end landet", "på
        niveau med landet"."""
        if self.dom == UKENDT:
            return None
        if self.dom == PAA_NIVEAU:
            return gettext("på niveau med {hvad}").format(hvad=hvad)
        text = gettext("{stoerrelse} højere end {hvad}") if self.hoejere else gettext("{stoerrelse} lavere end {hvad}")
        return text.format(stoerrelse=self.stoerrelse, hvad=hvad)


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
        return Vurdering(PAA_NIVEAU, None, False)
    higher = difference > 0
    if figur["retning"] not in ("op", "ned") or (not level_ok and mod != FORRIGE):
        return Vurdering(NEUTRAL, size, False, higher)
    return Vurdering(BEDRE if higher == (figur["retning"] == "op") else DAARLIGERE, size, True, higher)


def _storrelse(difference: float, reference: float, decimaler: int, enhed: str) -> str | None:
    """The size of a difference as `forskel_som` says it, in the active language ("2,6 procentpoint", "12 pct.",
    "1.204 kr."; "2.6 percentage points", "12%"); None where it is 0 as shown ("0 pct.")."""
    form = forskel_som(enhed)
    if form == "relativ" and reference > 0:
        share = abs(difference) / reference
        return None if fmt.rounded(100 * share, 0) == 0 else fmt.percent(share)
    if form == "relativ":   # no relative difference from a level of zero or below
        return fmt.with_unit(abs(difference), decimaler, enhed)
    size = abs(difference)
    count = 1 if size == 1 else 2   # English says "1 percentage point", "0.5 percentage points"
    words = {"procentpoint": ngettext("{antal} procentpoint", "{antal} procentpoint", count),
             "promillepoint": ngettext("{antal} promillepoint", "{antal} promillepoint", count),
             "point": ngettext("{antal} point", "{antal} point", count)}
    return words[form].format(antal=fmt.number(size, decimaler))


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
        return gettext("Der er ikke et tal for {kommune} i denne periode.").format(kommune=kommune)
    emne = lille_forbogstav(titel)
    for procent in (10, 25):
        andel = fmt.percent(procent / 100)
        if andel_under >= 1 - procent / 100:
            return gettext("{kommune} er blandt de {andel} af kommunerne med højest {emne}.").format(
                kommune=kommune, andel=andel, emne=emne)
        if andel_under <= procent / 100:
            return gettext("{kommune} er blandt de {andel} af kommunerne med lavest {emne}.").format(
                kommune=kommune, andel=andel, emne=emne)
    against = land.mod(gettext("hele landet"))
    if against:
        return gettext("{kommune} ligger i midterfeltet blandt kommunerne, {sammenligning}.").format(
            kommune=kommune, sammenligning=against)
    return gettext("{kommune} ligger i midterfeltet blandt kommunerne.").format(kommune=kommune)


def gruppe_saetning(figur: Mapping, vaerdi: float | None, gruppe_vaerdi: float | None, spredning: float | None,
                    under: int, over: int, n: int) -> str | None:
    """Where the municipality stands in its comparison group of `n` municipalities with a value (`under` of them
    lower, `over` higher), in plain words ("Lavere end alle 10 sammenlignelige kommuner."; "Højere end 6 og lavere
    end 4 af de 10 …"), and against the group's mean as `vurder` judges it ("… 2,6 procentpoint højere end deres
    gennemsnit.")."""
    if not n:
        return None
    equal = n - under - over
    counts = [(gettext("højere end {antal}"), gettext("Højere end alle {n} sammenlignelige kommuner"), under),
              (gettext("lavere end {antal}"), gettext("Lavere end alle {n} sammenlignelige kommuner"), over),
              (gettext("lig med {antal}"), gettext("Lig med alle {n} sammenlignelige kommuner"), equal)]
    parts = [(part.format(antal=count), alle.format(n=n)) for part, alle, count in counts if count]
    if len(parts) == 1:
        counted = parts[0][1]
    else:
        listed = format_list([part for part, _ in parts], locale=fmt.locale())
        counted = gettext("{dele} af de {n} sammenlignelige kommuner").format(dele=listed, n=n)
        counted = counted[:1].upper() + counted[1:]
    against = vurder(figur, vaerdi, gruppe_vaerdi, GRUPPE, spredning).mod(gettext("deres gennemsnit"))
    if against:
        return gettext("{optalt}, {sammenligning}.").format(optalt=counted, sammenligning=against)
    return gettext("{optalt}.").format(optalt=counted)
