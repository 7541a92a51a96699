"""Access control: login with CSRF, server-side sessions, throttling, second factor, scope from the user,
security headers on every response."""
from __future__ import annotations

import datetime as dt
import json
import re
import time

import pyotp
import pytest
from sqlalchemy import update

from kdk.auth import audit, store, users
from tests.dash_http import render

GOOD = "korrekt-hest-batteri-hæfteklamme"


def csrf(client, path="/login") -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(path).get_data(as_text=True))[1]


def log_out(client):
    return client.post("/logout", data={"csrf_token": csrf(client)})


def sign_in(client, name, password=GOOD, next_="/"):
    return client.post(f"/login?next={next_}", data={"username": name, "password": password,
                                                      "csrf_token": csrf(client)})


def wait_out_delays():
    """Move every recorded login attempt 61 seconds back: past the longest delay between attempts (60 s), still
    inside the 15-minute window."""
    with store.engine().begin() as con:
        con.execute(update(store.login_forsoeg).values(tidspunkt=audit.now() - dt.timedelta(seconds=61)))


def test_password_policy(userdb):
    with pytest.raises(users.UserError, match="mindst 12 tegn"):
        users.add("bo", "kort", "laeser", "101")
    with pytest.raises(users.UserError, match="for let at gætte"):
        users.add("bo", "password12345", "laeser", "101")
    users.add("bo", GOOD, "laeser", "101", {"ubu"}, af="anna")
    assert users.get(brugernavn="bo").omraader == {"ubu"}
    assert "bo" in audit.entries(handling="bruger_oprettet")["detaljer"].iloc[0]


def test_login_needs_the_csrf_token(client, userdb):
    users.add("anna", GOOD, "laeser", "101", {"ubu"})
    r = client.post("/login", data={"username": "anna", "password": GOOD})
    assert r.status_code == 400 and "Formularen er udløbet" in r.get_data(as_text=True)


def test_a_reader_with_the_area_sees_restricted_figures_and_logout_kills_the_cookie(app, client, userdb):
    users.add("anna", GOOD, "laeser", "101", {"ubu"})
    assert client.get("/kommune/101?omraade=ubu").status_code == 400       # anonymous: no such area
    r = sign_in(client, "anna", next_="/kommune/101")
    assert r.status_code == 302 and r.headers["Location"] == "/kommune/101"
    assert client.get("/kommune/101?omraade=ubu").status_code == 200
    assert "ubu.anbragte" in render(client, app, "/kommune/101", "?omraade=ubu")
    stolen = client.get_cookie("session").value
    log_out(client)
    assert client.get("/kommune/101?omraade=ubu").status_code == 400
    client.set_cookie("session", stolen)                                            # a copy of the old cookie
    assert client.get("/kommune/101?omraade=ubu").status_code == 400
    assert list(audit.entries()["handling"][:3]) == ["logout", "login", "bruger_oprettet"]


def test_wrong_password_is_audited_and_next_stays_on_the_site(client, userdb):
    users.add("anna", GOOD, "laeser", "101")
    r = sign_in(client, "anna", "forkert-kodeord-123")
    assert r.status_code == 401 and "Forkert brugernavn eller adgangskode" in r.get_data(as_text=True)
    assert audit.entries(handling="login_fejlet")["bruger"].iloc[0] == "anna"
    assert sign_in(client, "anna", next_="//evil.example/x").headers["Location"] == "/"


def test_throttling_answers_429_and_is_audited(client, userdb, monkeypatch):
    monkeypatch.setenv("KDK_LOGIN_MAX_BRUGER", "5")
    users.add("anna", GOOD, "laeser", "101")
    codes = []
    for _ in range(6):
        wait_out_delays()                                       # the growing delays are tested in test_throttle
        codes.append(sign_in(client, "anna", "forkert-kodeord-123").status_code)
    assert codes == [401] * 5 + [429]
    assert sign_in(client, "anna").status_code == 429          # even the right password, while throttled
    assert len(audit.entries(handling="login_spaerret")) == 2


def test_second_factor_for_the_publication_team(app, client, userdb):
    users.add("redaktoer", GOOD, "redaktion")
    r = sign_in(client, "redaktoer", next_="/publicering")
    assert r.headers["Location"].startswith("/login/kode")
    page = client.get("/login/kode").get_data(as_text=True)
    secret = re.search(r"<code>([A-Z2-7]{16,})</code>", page)[1]
    token = csrf(client, "/login/kode")
    wrong = client.post("/login/kode", data={"kode": "000000", "csrf_token": token})
    assert wrong.status_code == 401
    ok = client.post("/login/kode?next=/kommune/101", data={"kode": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert ok.status_code == 302 and ok.headers["Location"] == "/kommune/101"
    assert "ubu.anbragte" in render(client, app, "/kommune/101", "?omraade=ubu")
    assert "ubu.anbragte" in render(client, app, "/kommune/101", "?omraade=ubu")


def to_code_step(client, name="redaktoer") -> tuple[str, str]:
    """Sign in with the password; the TOTP secret shown at first login and the code form's CSRF token."""
    assert sign_in(client, name).headers["Location"].startswith("/login/kode")
    secret = re.search(r"<code>([A-Z2-7]{16,})</code>", client.get("/login/kode").get_data(as_text=True))[1]
    return secret, csrf(client, "/login/kode")


def test_the_second_factor_setup_shows_a_qr_code_drawn_here_beside_the_key(client, userdb):
    users.add("redaktoer", GOOD, "redaktion")
    secret, _ = to_code_step(client)
    page = client.get("/login/kode").get_data(as_text=True)
    qr = re.search(r'<div class="qr" role="img" aria-label="([^"]+)">\s*(<svg.*?</svg>)', page, re.S)
    assert qr and "QR-kode" in qr[1] and re.search(r'<path [^>]*d="M[^"]{500,}"', qr[2])   # a full code, in Danish
    assert f"<code>{secret}</code>" in page and "otpauth://totp/" in page and "<img" not in page
    assert "http" not in qr[2]                                  # drawn on the server, nothing fetched from outside


def test_a_code_is_accepted_only_once(client, userdb):
    users.add("redaktoer", GOOD, "redaktion")
    secret, token = to_code_step(client)
    code = pyotp.TOTP(secret).now()
    assert client.post("/login/kode", data={"kode": code, "csrf_token": token}).status_code == 302
    log_out(client)
    assert sign_in(client, "redaktoer").headers["Location"].startswith("/login/kode")
    replay = client.post("/login/kode", data={"kode": code, "csrf_token": csrf(client, "/login/kode")})
    assert replay.status_code == 401 and "Koden passer ikke" in replay.get_data(as_text=True)
    assert client.get("/kommune/101?omraade=ubu").status_code == 400       # not signed in


def test_the_code_step_is_throttled_like_the_password_step(client, userdb, monkeypatch):
    monkeypatch.setenv("KDK_LOGIN_MAX_BRUGER", "5")
    users.add("redaktoer", GOOD, "redaktion")
    secret, token = to_code_step(client)
    codes = []
    for _ in range(6):
        wait_out_delays()
        codes.append(client.post("/login/kode", data={"kode": "000000", "csrf_token": token}).status_code)
    assert codes == [401] * 5 + [429]
    right = client.post("/login/kode", data={"kode": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert right.status_code == 429 and "For mange forkerte forsøg" in right.get_data(as_text=True)
    assert 800 < int(right.headers["Retry-After"]) <= 900                # locked for the 15-minute window
    assert len(audit.entries(handling="anden_faktor_spaerret")) == 2


def test_a_password_change_ends_a_login_waiting_for_its_code(app, client, userdb):
    users.add("redaktoer", GOOD, "redaktion")
    owner = app.server.test_client()
    secret, token = to_code_step(owner)
    assert owner.post("/login/kode", data={"kode": pyotp.TOTP(secret).now(), "csrf_token": token}).status_code == 302
    assert sign_in(client, "redaktoer").headers["Location"].startswith("/login/kode")   # knows the old password
    waiting = csrf(client, "/login/kode")
    changed = owner.post("/konto/kodeord", data={"nuvaerende": GOOD, "nyt": "en-helt-ny-og-lang-kode-42",
                                                 "csrf_token": csrf(owner, "/konto/kodeord")})
    assert changed.status_code == 302
    assert client.get("/login/kode").headers["Location"] == "/login"
    later = pyotp.TOTP(secret).at(time.time() + 30)      # a right code not used yet
    assert client.post("/login/kode", data={"kode": later, "csrf_token": waiting}).headers["Location"] == "/login"
    assert client.get("/kommune/101?omraade=ubu").status_code == 400


def test_a_login_waiting_for_its_code_expires(client, userdb, monkeypatch):
    monkeypatch.setenv("KDK_ANDEN_FAKTOR_MINUTTER", "0")
    users.add("redaktoer", GOOD, "redaktion")
    assert sign_in(client, "redaktoer").headers["Location"].startswith("/login/kode")
    assert client.get("/login/kode").headers["Location"] == "/login"


@pytest.mark.parametrize("path", ["/", "/kommune/101", "/kommune/999", "/login", "/api/v1/noegletal",
                                  "/api/v1/data?noegletal=x", "/assets/style.css", "/_dash-layout",
                                  "/findes-ikke", "/api/v1/openapi.json"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
    assert re.search(r"script-src 'self'( 'sha256-[^']+')+;", csp)
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"]


def test_security_headers_on_callbacks(client, app):
    r = client.post("/_dash-update-component", json={"output": "nope"})
    assert r.status_code == 400 and "Content-Security-Policy" in r.headers


def test_the_header_offers_login_or_the_users_own_links(client, userdb):
    assert '"Log ind"' in client.get("/_dash-layout").get_data(as_text=True)
    users.add("anna", GOOD, "laeser", "101")
    sign_in(client, "anna")
    layout = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert '"anna"' in layout and '"Log ud"' in layout and '"API-nøgler"' in layout
    assert '"Brugere"' not in layout and '"Log ind"' not in layout


def link_to(node, text: str) -> str | None:
    """The href of the link labelled `text` in a Dash layout (as /_dash-layout sends it)."""
    if isinstance(node, list):
        return next(filter(None, (link_to(child, text) for child in node)), None)
    if not isinstance(node, dict):
        return None
    props = node.get("props", {})
    if props.get("children") == text and "href" in props:
        return props["href"]
    return link_to(props.get("children"), text)


def test_log_ud_in_the_dash_header_opens_the_logout_button_and_does_not_sign_out_by_itself(client, userdb):
    users.add("anna", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "anna")
    restricted = "/kommune/101?omraade=ubu"
    href = link_to(client.get("/_dash-layout").get_json(), "Log ud")
    assert href == "/logout"
    confirm = client.get(href).get_data(as_text=True)             # following the link ...
    assert client.get(restricted).status_code == 200             # ... signs no one out
    form = re.search(r'<form method="post" action="/logout"[^>]*>.*?</form>', confirm, re.S)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)[1]
    assert "Log ud" in form and client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get(restricted).status_code == 400


@pytest.mark.parametrize("aged, ended", [({"sidst_aktiv": dt.timedelta(minutes=31)}, True),
                                         ({"oprettet": dt.timedelta(hours=12, minutes=1)}, True),
                                         ({"oprettet": dt.timedelta(hours=11, minutes=59)}, False)])
def test_a_session_ends_when_idle_too_long_or_older_than_its_absolute_lifetime(client, userdb, aged, ended):
    """Waiting is played by moving the session's times back in the user database: a session idle 31 minutes, or
    begun more than 12 hours ago even if used a minute ago, no longer shows restricted figures."""
    users.add("anna", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "anna")
    assert client.get("/kommune/101?omraade=ubu").status_code == 200
    with store.engine().begin() as con:
        con.execute(update(store.session).values({col: audit.now() - ago for col, ago in aged.items()}))
    assert client.get("/kommune/101?omraade=ubu").status_code == (400 if ended else 200)
