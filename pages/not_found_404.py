"""Shown by Dash for any path that is not a page (the guard answers such requests with HTTP 404), in the page's
language."""
import dash

from components.shell import fejlside
from kdk.sprog import gettext
from web.guard import IKKE_FUNDET


def title() -> str:
    return gettext("Siden findes ikke – Kend din kommune")


dash.register_page(__name__, title=title)


def layout(**_):
    return fejlside(IKKE_FUNDET.titel, IKKE_FUNDET.tekst, IKKE_FUNDET.status)
