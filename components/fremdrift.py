"""A background job's progress on /publicering (the databank bundle, pages/publicering.py; the publication's PDFs,
components/publikationsjob.py): a progress bar named for the job, and the job's own text (a Danish message id that
kdk.export.jobs records, translated here) with the share done as the active language writes it ("12 pct.", "12%").
Reads and writes nothing.
"""
from __future__ import annotations

from components.light import html
from kdk import format as fmt
from kdk.sprog import gettext


def fremdrift(state: dict, navn: str) -> list[dict]:
    """The bar and the text for a job's status `state` (kdk.export.jobs: `andel` done, 0–1, and `tekst`); `navn`
    names the bar for a screen reader."""
    andel = fmt.percent(state["andel"])
    return [html.Progress(value=str(state["andel"]), max="1", **{"aria-label": navn}),
            html.P(f"{gettext(state['tekst'])} ({andel})")]
