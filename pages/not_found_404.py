"""Shown by Dash for any path that is not a page (the guard answers such requests with HTTP 404)."""
import dash

from components.shell import fejlside
from web.guard import IKKE_FUNDET

dash.register_page(__name__, title="Siden findes ikke – Kend din kommune")


def layout(**_):
    return fejlside(IKKE_FUNDET.titel, IKKE_FUNDET.tekst, IKKE_FUNDET.status)
