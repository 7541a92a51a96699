"""Long pages in sections a reader can fold (a <details> with the section's heading as its <summary>, by keyboard as
by touch), and the jump menu over them ("Gå til: Økonomi · Skole …"). Sections are drawn open; on a phone
assets/mobil.js folds all but the first, and a jump opens the section it goes to; printing opens them all
(assets/print.css)."""
from __future__ import annotations

from collections.abc import Sequence

from components.light import html


def afsnit(titel: str, indhold: list, id_: str, class_name: str) -> dict:
    """A section `id_` (class `class_name`) headed by `titel` (an h2), whose `indhold` folds under the heading."""
    return html.Section(html.Details([html.Summary(html.H2(titel), className="afsnit-titel"), *indhold],
                                     open=True, className="afsnit"), className=class_name, id=id_)


def hopmenu(maal: Sequence[tuple[str, str]], navn: str) -> dict:
    """Links to the page's sections, `maal` as (text, section id); `navn` tells screen readers what they jump to."""
    return html.Nav([html.Span("Gå til:", className="hopmenu-titel"),
                     html.Ul([html.Li(html.A(tekst, href=f"#{id_}")) for tekst, id_ in maal])],
                    className="hopmenu", **{"aria-label": navn})
