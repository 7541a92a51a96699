"""What the publication team needs to judge one release before it goes out (the /publicering page).

Reads release, validering, diskretion, dim_noegletal, dim_dataomraade, dim_kommune and fct_noegletal through the
publication team's scope (every data area, embargoed releases included: kdk.queries.omraader.fuld_adgang); writes
nothing. Per release: its validation findings, its disclosure audit per data area, and what changed since the
release before it — the state of the key figures it touches as of that release compared with their state as of the
one before, by the same comparison a load makes (kdk.queries.udgivelser, which a municipality's news shares): new
periods, revised values with the largest changes, values hidden or gone, and key figures added or removed. And the
checklist of what is done for it, which also reads the bundle job's status (kdk.export.jobs) and the export folder
(the publication PDFs).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kdk.db import marts
from kdk.export import jobs
from kdk.marts import revision
from kdk.queries.omraader import fuld_adgang
from kdk.queries.udgivelser import sammenlign
from kdk.sprog import N_

LARGEST = 10   # revised values listed, largest relative change first


def releases() -> pd.DataFrame:
    """Every release, newest first."""
    return marts().query("SELECT * FROM release ORDER BY loebenummer DESC")


def release(release_id: str) -> dict | None:
    """The release with this id, or None."""
    rows = marts().records("SELECT * FROM release WHERE release_id = $id", {"id": release_id})
    return rows[0] if rows else None


def _known(release_id: str) -> dict:
    """The release with this id, which the caller has already checked exists (the page validates ?release=)."""
    chosen = release(release_id)
    if chosen is None:
        raise LookupError(f"unknown release {release_id}")
    return chosen


def findings(release_id: str) -> pd.DataFrame:
    """The release's validation findings (the build or load report), errors first."""
    return marts().query("""
        SELECT fil, linje, kolonne, regel, niveau, besked, noegletal_id FROM validering WHERE release_id = $id
        ORDER BY CASE niveau WHEN 'fejl' THEN 0 WHEN 'advarsel' THEN 1 ELSE 2 END, fil, linje, regel""",
                          {"id": release_id})


def disclosure(release_id: str) -> pd.DataFrame:
    """The release's disclosure audit per data area: key figures audited, cells suppressed (of them by secondary
    suppression) and hidden counts audited; empty when the release ran none."""
    return marts().query("""
        SELECT a.navn AS omraade, count(*) AS noegletal, sum(s.skjulte)::BIGINT AS skjulte,
               sum(s.sekundaere)::BIGINT AS sekundaere, sum(s.antal)::BIGINT AS antal
        FROM diskretion s JOIN dim_noegletal d USING (noegletal_id) JOIN dim_dataomraade a ON a.kode = d.dataomraade
        WHERE s.release_id = $id GROUP BY a.navn, a.raekkefoelge ORDER BY a.raekkefoelge""", {"id": release_id})


@dataclass(frozen=True)
class Changes:
    """What a release changed since `forrige` (None for the first release)."""
    forrige: str | None
    figures: list[revision.FigureRevision]   # every key figure whose values or periods it changed
    added: list[str]                         # titles of key figures with values now and none before
    removed: list[str]                       # titles of key figures with values before and none now

    @property
    def new_periods(self) -> list[tuple[str, list[str]]]:
        return [(f.titel, f.new_periods) for f in self.figures if f.new_periods and f.published]

    @property
    def revised(self) -> int:
        return sum(len(f.revised) for f in self.figures)

    def largest(self, n: int = LARGEST) -> pd.DataFrame:
        """The `n` revised values with the largest relative change: titel, decimaler, navn, periode, old, new."""
        rows = [f.revised.assign(titel=f.titel, decimaler=f.decimaler) for f in self.figures if not f.revised.empty]
        if not rows:
            return pd.DataFrame(columns=["titel", "decimaler", "navn", "periode", "old", "new", "relative"])
        revised = pd.concat(rows, ignore_index=True)
        return revised.reindex(revised["relative"].abs().sort_values(ascending=False, kind="stable").index).head(n)


def changes(release_id: str) -> Changes:
    """What the release changed since the release before it, for the key figures it wrote or replaced rows of."""
    _known(release_id)
    found = sammenlign(fuld_adgang(), release_id)
    if found is None:
        return Changes(None, [], [], [])
    had, has = (set(df.loc[df["vaerdi"].notna(), "noegletal_id"]) for df in (found.old, found.new))
    titles = found.figures.set_index("noegletal_id")["titel"]
    return Changes(found.forrige, found.revision.figures, [titles[i] for i in sorted(has - had)],
                   [titles[i] for i in sorted(had - has)])


def disclosure_done(release_id: str) -> bool:
    """Whether the disclosure audit ran for the release, or none of the key figures it wrote needs one."""
    return bool(marts().records("""
        SELECT EXISTS (SELECT 1 FROM diskretion WHERE release_id = $id)
            OR NOT EXISTS (SELECT 1 FROM fct_noegletal f JOIN dim_noegletal d USING (noegletal_id)
                           WHERE f.release_id = $id AND d.diskretion) AS done""", {"id": release_id})[0]["done"])


def pdfs_built(folder: Path, release_id: str) -> bool:
    """Whether the publication's PDFs of the release are in the export folder: its combined file (kdk.publikation
    `filnavn`, named with the release id), which the PDF job moves there only once every file is done. The files of a
    job under way are in a hidden folder below, and do not count."""
    return any(folder.glob(f"*-{release_id}-samlet.pdf"))


def checklist(release_id: str, folder: Path) -> list[tuple[str, bool]]:
    """What is done for the release before it goes out, in order: (label, done); the label is the Danish message id,
    translated where it is shown (kdk.sprog.gettext)."""
    chosen = _known(release_id)
    return [
        (N_("Validering uden fejl"), not (findings(release_id)["niveau"] == "fejl").any()),
        (N_("Diskretionering kørt"), disclosure_done(release_id)),
        (N_("Embargotidspunkt sat"), chosen["embargo_til"] is not None),
        (N_("Databank-bundt bygget"), jobs.status(folder, release_id)["tilstand"] == "færdig"),
        (N_("Publikationens PDF'er bygget"), pdfs_built(folder, release_id)),
    ]
