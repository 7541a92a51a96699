"""Plain Danish judgements about a key-figure value: direction verdicts and position sentences.

Pure functions over numbers and catalogue fields; reads and writes nothing. "Better" and "worse" are
only ever said where the catalogue's `retning` says higher (`op`) or lower (`ned`) is better;
neutral figures get neutral words.
"""
from __future__ import annotations

import math

BEDRE, DAARLIGERE, NEUTRAL, UKENDT = "bedre", "daarligere", "neutral", "ukendt"

RETNING_TEKST = {
    "op": "Højere er bedre",
    "ned": "Lavere er bedre",
    "neutral": "Neutralt nøgletal: hverken højere eller lavere er bedre",
}


def _missing(*values) -> bool:
    return any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values)


def vurdering(retning: str, vaerdi: float | None, sammenlignet_med: float | None) -> str:
    """BEDRE / DAARLIGERE / NEUTRAL / UKENDT for `vaerdi` against a reference, by the figure's direction."""
    if _missing(vaerdi, sammenlignet_med):
        return UKENDT
    if retning == "neutral" or vaerdi == sammenlignet_med:
        return NEUTRAL
    higher = vaerdi > sammenlignet_med
    return BEDRE if higher == (retning == "op") else DAARLIGERE


def lille_forbogstav(titel: str) -> str:
    """'Sygefravær pr. ...' -> 'sygefravær pr. ...', but 'SOSU-elever' stays."""
    if len(titel) > 1 and titel[1].isupper():
        return titel
    return titel[:1].lower() + titel[1:]


def placering(kommune: str, titel: str, andel_under: float | None, over_land: bool | None) -> str:
    """A sentence on where the municipality stands among all municipalities.

    `andel_under` is the share of the other municipalities with a lower value (0 = lowest, 1 = highest).
    """
    if _missing(andel_under):
        return f"Der er ikke et tal for {kommune} i denne periode."
    emne = lille_forbogstav(titel)
    for procent in (10, 25):
        if andel_under >= 1 - procent / 100:
            return f"{kommune} er blandt de {procent} % af kommunerne med højest {emne}."
        if andel_under <= procent / 100:
            return f"{kommune} er blandt de {procent} % af kommunerne med lavest {emne}."
    if over_land is None:
        return f"{kommune} ligger i midterfeltet blandt kommunerne."
    side = "over" if over_land else "under"
    return f"{kommune} ligger i midterfeltet blandt kommunerne, {side} niveauet for hele landet."


def gruppe_saetning(retning: str, under: int, over: int, n: int) -> str | None:
    """'Bedre end 7 af 10 sammenlignelige kommuner.' (neutral figures: 'Højere end ...')."""
    if not n:
        return None
    if retning == "op":
        return f"Bedre end {under} af {n} sammenlignelige kommuner."
    if retning == "ned":
        return f"Bedre end {over} af {n} sammenlignelige kommuner."
    return f"Højere end {under} af {n} sammenlignelige kommuner."
