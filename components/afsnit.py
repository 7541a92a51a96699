"""Long pages in sections a reader can fold (a <details> with the section's heading as its <summary>, by keyboard as
by touch), and the jump menu over them ("Gå til: Økonomi · Skole …"). Sections are drawn open; on a phone
assets/mobil.js folds all but the first (a section holding sections stays open with its first), and a jump opens
the section it goes to; printing and the presentation view show them all (assets/print.css, assets/mobil.js)."""
from __future__ import annotations

from collections.abc import Sequence

from components.light import html
from kdk.sprog import gettext


def afsnit(titel: str, indhold: list, id_: str, class_name: str, niveau: int = 2) -> dict:
    """A section `id_` (class `class_name`) headed by `titel` (a heading of level `niveau`: 2, or 3 for a section
    within one), whose `indhold` folds under the heading."""
    heading = {2: html.H2, 3: html.H3}[niveau](titel)
    return html.Section(html.Details([html.Summary(heading, className="afsnit-titel"), *indhold],
                                     open=True, className="afsnit"), className=class_name, id=id_)


def hopmenu(maal: Sequence[tuple[str, str]], navn: str) -> dict:
    """Links to the page's sections, `maal` as (text, section id); `navn` tells screen readers what they jump to."""
    return html.Nav([html.Span(gettext("Gå til:"), className="hopmenu-titel"),
                     html.Ul([html.Li(html.A(tekst, href=f"#{id_}")) for tekst, id_ in maal])],
                    className="hopmenu", **{"aria-label": navn})
