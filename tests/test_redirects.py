"""Open redirects: whatever `next` a link carries, signing in lands on a page of this site."""
from __future__ import annotations

from urllib.parse import parse_qs, quote, urljoin, urlsplit

import pytest

from kdk.auth import users
from tests.test_auth import GOOD, sign_in

SITE = "http://localhost/"

# The classic payloads, as they would appear in a link's query string (already percent-encoded where a link would).
PAYLOADS = [
    "/%09/evil.example", "//evil.example", "/%5Cevil.example", "%5C/evil.example", "%5C%5Cevil.example",
    "/%2F%2Fevil", "%2F%2Fevil", "/.evil", "/%2F/evil.example", "https:evil.example", "https:/evil.example",
    "http://evil.example", "HtTpS://evil.example", "%68ttp://evil.example", "//evil.example%2F%2E%2E",
    "javascript:alert(1)", "JaVaScRiPt%3Aalert(1)", "%09javascript:alert(1)", "/%0d%0a/evil.example",
    "%20//evil.example", "///evil.example", "////evil.example", "/%5C%5Cevil.example", "data:text/html,x",
    "//%65vil.example",
    "/%00/evil.example", "/%E3%80%82/evil.example", "https%3A%2F%2Fevil.example", "/%252F%252Fevil.example",
]


def landing(location: str) -> tuple[str, str]:
    """Where a browser goes for `location`: it drops tabs and newlines, reads '\\' as '/' (WHATWG URL parsing)."""
    browser = location.strip("\x00 ").replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    target = urlsplit(urljoin(SITE, browser))
    return target.scheme, target.netloc


@pytest.mark.parametrize("payload", PAYLOADS)
def test_signing_in_with_any_next_lands_on_this_site(client, userdb, payload):
    users.add("anna", GOOD, "laeser", "101")
    r = sign_in(client, "anna", next_=payload)
    assert r.status_code == 302
    location = r.headers["Location"]
    assert landing(location) == ("http", "localhost"), location
    assert location.startswith("/") and not location.startswith("//"), location
    assert all(ord(c) > 0x20 for c in location), location


def test_a_same_site_next_keeps_its_query_also_through_the_second_factor(client, userdb):
    wanted = "/kommune/101?omraade=oekonomi&aar=2023"
    users.add("anna", GOOD, "laeser", "101")
    assert sign_in(client, "anna", next_=quote(wanted, safe="")).headers["Location"] == wanted
    users.add("redaktoer", GOOD, "redaktion")
    code_step = urlsplit(sign_in(client, "redaktoer", next_=quote(wanted, safe="")).headers["Location"])
    assert code_step.path == "/login/kode" and parse_qs(code_step.query) == {"next": [wanted]}
