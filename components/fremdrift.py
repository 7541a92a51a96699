"""A background job's progress on /publicering (the databank bundle, pages/publicering.py; the publication's PDFs,
components/publikationsjob.py): a progress bar named for the job, and the job's own text (a Danish message id that
kdk.export.jobs records, translated here, its placeholders filled with the values recorded beside it, numbers as the
active language writes them) with the share done ("12 pct.", "12%").
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
            html.P(f"{tekst(state)} ({andel})")]


def tekst(state: dict) -> str:
    """The job's text in the active language: "3 af 99 PDF-filer: Albertslund", "3 of 99 PDF files: Albertslund"."""
    values = {name: fmt.number(value) if isinstance(value, int) else value
              for name, value in state.get("vaerdier", {}).items()}
    return gettext(state["tekst"]).format(**values)
