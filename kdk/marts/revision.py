"""What a load revises: its resulting current rows compared with the published current rows, before the switch.

Reads fact rows as DataFrames (the current rows before the load, the current rows it would leave, the file's rows),
dim_noegletal and dim_kommune; writes nothing. Per key figure it reports the periods the load adds, the values it
revises (how many, the largest changes and a few examples, in Danish number format) and the published values that
would disappear, region and national rows included. The marts store every value as published (rounded at the
figure's decimals, kdk.format), so a value that differs here is one that changes on screen.

A load that revises more than REVISED_SHARE of a key figure's published values by more than REVISED_CHANGE, or
that makes any published value disappear, is stopped (a FEJL finding that names the count, examples and the
option) unless the publisher states a reason (`python -m kdk ingest ... --revision "begrundelse"`); the reason and
the comparison then go into the report, the release's description and /datastatus. A value the load's disclosure
control hides is counted, but does not stop the load: its row stays, marked as suppressed, to protect a new cell.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kdk import format as fmt
from kdk import periods
from kdk.marts.findings import ADVARSEL, FEJL, Finding
from kdk.sprog import gettext

REVISED_SHARE = 0.01    # a load stops when more than 1 % of a key figure's published values ...
REVISED_CHANGE = 0.10   # ... change by more than 10 % (relative to the published value) ...
# ... or when any published value would disappear, unless it is given --revision "begrundelse".
EXAMPLES = 3            # examples and largest changes named per key figure
REGEL = "revision"
KEY = ["noegletal_id", "omraade_kode", "periode"]


def graense_tekst() -> str:
    """The threshold in the active language, as /datastatus states it."""
    return gettext("Ændrer en indlæsning mere end {andel} af et nøgletals offentliggjorte tal med mere end "
                   "{aendring}, eller forsvinder et offentliggjort tal, stoppes den, medmindre redaktionen angiver en "
                   "begrundelse.").format(andel=fmt.percent(REVISED_SHARE), aendring=fmt.percent(REVISED_CHANGE))


@dataclass(frozen=True)
class FigureRevision:
    """One key figure's changes: `revised` and `gone` have KEY, navn, old (and new, relative) per row."""
    noegletal_id: str
    titel: str
    decimaler: int
    public: bool            # adgang offentlig: the release's description, which everyone sees, may name it
    published: int          # the figure's published values before the load
    new_periods: list[str]
    revised: pd.DataFrame
    gone: pd.DataFrame
    hidden: int             # published values this load's disclosure control hides

    @property
    def large(self) -> int:
        return int((self.revised["relative"].abs() > REVISED_CHANGE).sum())

    @property
    def stops(self) -> bool:
        return self.large > REVISED_SHARE * self.published or not self.gone.empty

    @property
    def changes_values(self) -> bool:
        return not (self.revised.empty and self.gone.empty) or self.hidden > 0

    def tekst(self) -> str:
        """The comparison in Danish, e.g. "Befolkningstæthed (befolkning.taethed): 1.664 værdier ændret (...)"."""
        parts = [f"{self.titel} ({self.noegletal_id}):"]
        if not self.revised.empty:
            parts.append(f"{_values(len(self.revised))} ændret ({_split(self.revised)}), "
                         f"{_count(self.large)} af dem med mere end {_pct(REVISED_CHANGE)} "
                         f"({_pct(self.large / max(self.published, 1), 1)} af nøgletallets "
                         f"{_count(self.published)} offentliggjorte værdier; grænsen er "
                         f"{_pct(REVISED_SHARE)}).")
            largest = self.revised.reindex(self.revised["relative"].abs().sort_values(ascending=False).index)
            parts.append(f"Største ændringer: {self._examples(largest)}.")
            if len(self.revised) > EXAMPLES:
                parts.append(f"Eksempler: {self._examples(_latest_first(self.revised))}.")
        if not self.gone.empty:
            gone = "; ".join(f"{r.navn} {periods.label(r.periode)} ({fmt.number(r.old, self.decimaler)})"
                             for r in _latest_first(self.gone).head(EXAMPLES).itertuples())
            parts.append(f"{_values(len(self.gone), 'offentliggjort')} forsvinder ({_split(self.gone)}), "
                         f"fx {gone}.")
        if self.hidden:
            parts.append(f"{_values(self.hidden, 'offentliggjort')} skjules af diskretioneringen.")
        if self.new_periods:
            labels = ", ".join(periods.label(p) for p in self.new_periods)
            parts.append(f"Tilføjer perioden {labels}." if len(self.new_periods) == 1 else
                         f"Tilføjer perioderne {labels}.")
        return " ".join(parts)

    def _examples(self, rows: pd.DataFrame) -> str:
        return "; ".join(f"{r.navn} {periods.label(r.periode)}: {fmt.number(r.old, self.decimaler)} → "
                         f"{fmt.number(r.new, self.decimaler)}" for r in rows.head(EXAMPLES).itertuples())


@dataclass(frozen=True)
class Revision:
    figures: list[FigureRevision]   # every key figure whose values or periods the load changes

    @property
    def stops(self) -> bool:
        return any(f.stops for f in self.figures)

    def findings(self, fil: str, begrundelse: str | None) -> list[Finding]:
        """One finding per changed key figure: FEJL where the load is stopped (no reason given), ADVARSEL where it
        revises published values ("Revideret: ..."), info where it only adds periods."""
        found = []
        for f in self.figures:
            if f.stops and not begrundelse:
                found.append(Finding(fil, None, None, REGEL, FEJL,
                                     f"Indlæsningen reviderer offentliggjorte tal ud over grænsen og er stoppet. "
                                     f"{f.tekst()} Er revisionen tilsigtet, så indlæs filen igen med "
                                     f"--revision \"begrundelse\".", f.noegletal_id))
            elif f.changes_values:
                found.append(Finding(fil, None, None, REGEL, ADVARSEL, f"{_revised(begrundelse)} {f.tekst()}",
                                     f.noegletal_id))
            else:
                found.append(Finding(fil, None, None, REGEL, "info", f.tekst(), f.noegletal_id))
        return found

    def beskrivelse(self, begrundelse: str | None) -> str:
        """The release description's addition (everyone sees it, so it counts only public key figures): the reason
        and how many values changed in which figures; empty when no published value of them changes."""
        changed = sorted((f for f in self.figures if f.changes_values and f.public),
                         key=lambda f: -(len(f.revised) + len(f.gone)))
        if not changed:
            return ""
        counts = "; ".join(f"{f.titel}: {_count(len(f.revised) + len(f.gone))}" for f in changed[:EXAMPLES])
        if len(changed) > EXAMPLES:
            counts += f" og {_count(len(changed) - EXAMPLES)} nøgletal mere"
        total = sum(len(f.revised) + len(f.gone) for f in changed)
        return f" {_revised(begrundelse)} {_values(total)} ændret ({counts})."


def compare(before: pd.DataFrame, after: pd.DataFrame, loaded: pd.DataFrame, figures: pd.DataFrame,
            kommuner: pd.DataFrame) -> Revision:
    """The revision a load makes: `before` and `after` are the current fact rows (KEY, vaerdi, status) before and
    after it, `loaded` the file's rows (KEY), `figures` dim_noegletal, `kommuner` dim_kommune."""
    names = _names(kommuner)
    old = before[KEY + ["vaerdi"]]
    joined = old.merge(after[KEY + ["vaerdi", "status"]], on=KEY, how="left", suffixes=("_old", ""),
                       indicator=True)
    joined = joined.rename(columns={"vaerdi_old": "old", "vaerdi": "new"})
    joined["navn"] = joined["omraade_kode"].map(names).fillna("Hele landet")
    joined["kommunal"] = joined["omraade_kode"].isin(kommuner["kommunekode"])
    had = joined["old"].notna()
    both = had & joined["new"].notna() & (joined["old"] != joined["new"])
    in_file = joined.set_index(KEY).index.isin(loaded.set_index(KEY).index)
    hidden = had & (joined["_merge"] == "both") & joined["new"].isna() & ~in_file
    gone = had & joined["new"].isna() & ~hidden
    revised = joined[both].assign(relative=_relative(joined.loc[both, "old"], joined.loc[both, "new"]))
    new_keys = after[["noegletal_id", "periode"]].drop_duplicates()
    new_keys = new_keys[~new_keys.set_index(["noegletal_id", "periode"]).index.isin(
        old.set_index(["noegletal_id", "periode"]).index)]
    published = old[old["vaerdi"].notna()].groupby("noegletal_id").size()
    catalogue = figures.set_index("noegletal_id")
    touched = set(revised["noegletal_id"]) | set(joined.loc[gone | hidden, "noegletal_id"]) | set(
        new_keys["noegletal_id"])
    result = []
    for fid in catalogue.index[catalogue.index.isin(touched)]:
        result.append(FigureRevision(
            fid, catalogue.at[fid, "titel"], int(catalogue.at[fid, "decimaler"]),
            catalogue.at[fid, "adgang"] == "offentlig", int(published.get(fid, 0)),
            sorted(new_keys.loc[new_keys["noegletal_id"] == fid, "periode"]),
            revised[revised["noegletal_id"] == fid], joined[gone & (joined["noegletal_id"] == fid)],
            int((hidden & (joined["noegletal_id"] == fid)).sum())))
    return Revision(result)


def _names(kommuner: pd.DataFrame) -> dict[str, str]:
    """Municipalities' and regions' names by code (any other area is the whole country)."""
    regions = kommuner.drop_duplicates("regionskode").set_index("regionskode")["regionsnavn"]
    return {**regions.to_dict(), **kommuner.set_index("kommunekode")["navn"].to_dict()}


def _relative(old: pd.Series, new: pd.Series) -> pd.Series:
    """(new - old) / |old|; a change from 0 is infinitely large."""
    with np.errstate(divide="ignore"):
        return (new - old) / old.abs().where(old != 0, 0.0)


def _latest_first(rows: pd.DataFrame) -> pd.DataFrame:
    """Municipalities before regions and the country, latest period first, then by area code."""
    order = rows.assign(_aggregate=~rows["kommunal"])
    return order.sort_values(["_aggregate", "periode", "omraade_kode"], ascending=[True, False, True])


def _split(rows: pd.DataFrame) -> str:
    municipal = int(rows["kommunal"].sum())
    text = f"{_count(municipal)} for kommuner"
    return text + f", {_count(len(rows) - municipal)} for regioner og hele landet" if len(rows) > municipal else text


def _pct(share: float, decimals: int = 0) -> str:
    return f"{fmt.number(100 * share, decimals)} pct."


def _count(n: int) -> str:
    return fmt.number(n, 0)


def _values(n: int, adjective: str = "") -> str:
    """'1 værdi', '3 offentliggjorte værdier'."""
    words = (f"{adjective} værdi" if n == 1 else f"{adjective}e værdier") if adjective else (
        "værdi" if n == 1 else "værdier")
    return f"{_count(n)} {words}"


def _revised(begrundelse: str | None) -> str:
    return f"Revideret: {begrundelse.strip().rstrip('.')}." if begrundelse else "Revideret:"


def begrundelse(besked: str, titel: str, noegletal_id: str) -> str | None:
    """The reason a revision's finding (`Revision.findings`, "Revideret: <begrundelse>. <titel> (<id>): ...") gives,
    or None when the load gave none."""
    head = besked.split(f" {titel} ({noegletal_id}):", 1)[0]
    if head == besked:   # not a revision's finding of this key figure
        return None
    return head.removeprefix("Revideret:").strip().removesuffix(".") or None
