"""Logging out takes a POST with the CSRF token: a link, an image or a page on another site cannot sign anyone out,
and every page's header offers a way to log out that works."""
from __future__ import annotations

import re

from kdk.auth import users
from tests.test_auth import GOOD, sign_in

RESTRICTED = "/kommune/101?omraade=ubu"


def test_only_a_post_with_the_csrf_token_logs_out(client, userdb):
    users.add("anna", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "anna")
    confirm = client.get("/logout")                         # what <img src="/logout"> on another site does
    assert confirm.status_code == 200 and client.get(RESTRICTED).status_code == 200
    assert client.get("/login/kode").status_code == 302     # no login waits for a code: nothing to do ...
    assert client.get(RESTRICTED).status_code == 200          # ... and the session lives on
    assert client.post("/logout").status_code == 400         # a cross-site form has no token
    assert client.get(RESTRICTED).status_code == 200
    form = re.search(r'<form method="post" action="/logout"[^>]*>.*?</form>', confirm.get_data(as_text=True), re.S)[0]
    assert "Log ud" in form
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)[1]
    r = client.post("/logout", data={"csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert client.get(RESTRICTED).status_code == 400


def test_the_account_pages_log_out_with_a_button(client, userdb):
    users.add("anna", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "anna")
    page = client.get("/konto/tokens").get_data(as_text=True)
    assert 'href="/logout"' not in page
    token = re.search(r'action="/logout"[^>]*>\s*<input[^>]*name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get(RESTRICTED).status_code == 400
