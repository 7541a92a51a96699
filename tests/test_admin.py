"""Local user management: a kommune_admin manages only their own municipality's users; temporary passwords
must be changed; sensitive combinations need confirmation; lists are searchable and paged; everything is
audited."""
from __future__ import annotations

import datetime as dt
import re

import pyotp

from kdk.auth import audit, users
from tests.test_auth import GOOD, csrf, log_out, sign_in


def secret_offered(client) -> str:
    """The key the code step offers a user setting up their second factor."""
    return re.search(r"<code>([A-Z2-7]{16,})</code>", client.get("/login/kode").get_data(as_text=True))[1]


def sign_in_with_code(client, name: str) -> str:
    """Sign in with password and a first code, setting up the second factor; its secret."""
    assert sign_in(client, name).headers["Location"].startswith("/login/kode")
    secret = secret_offered(client)
    r = client.post("/login/kode", data={"kode": pyotp.TOTP(secret).now(), "csrf_token": csrf(client, "/login/kode")})
    assert r.status_code == 302
    return secret


def post(client, path: str, **form):
    return client.post(path, data={**form, "csrf_token": csrf(client, "/admin/brugere/ny")})


def test_a_kommune_admin_sees_and_changes_only_their_own_municipality(kbh_admin):
    page = kbh_admin.get("/admin/brugere").get_data(as_text=True)
    assert "kbh-laeser" in page and "frb-laeser" not in page
    assert post(kbh_admin, "/admin/brugere/frb-laeser/deaktiver").status_code == 404
    assert post(kbh_admin, "/admin/brugere/frb-laeser/omraader", omraade=["ubu"]).status_code == 404
    assert kbh_admin.get("/admin/brugere/frb-laeser").status_code == 404
    assert users.get(brugernavn="frb-laeser").aktiv and users.get(brugernavn="frb-laeser").omraader == {"ubu"}
    assert post(kbh_admin, "/admin/brugere", navn="ny-redaktoer", rolle="redaktion").status_code == 403
    assert post(kbh_admin, "/admin/brugere/kbh-laeser/deaktiver").status_code == 302
    assert not users.get(brugernavn="kbh-laeser").aktiv
    assert "deaktiveret" in kbh_admin.get("/admin/brugere/kbh-laeser").get_data(as_text=True)


def test_a_kommune_admin_cannot_touch_higher_roles_or_themselves(kbh_admin):
    users.add("kbh-chef", GOOD, "admin", "101")
    assert "kbh-chef" not in kbh_admin.get("/admin/brugere").get_data(as_text=True)
    assert post(kbh_admin, "/admin/brugere/kbh-chef/nulstil").status_code == 404
    assert post(kbh_admin, "/admin/brugere/kbh-laeser/rolle", rolle="admin").status_code == 403
    assert post(kbh_admin, "/admin/brugere/kbh-admin/deaktiver").status_code == 403
    assert users.get(brugernavn="kbh-admin").aktiv and users.get(brugernavn="kbh-laeser").rolle == "laeser"


def test_a_kommune_admin_changes_a_users_role_and_it_is_audited(kbh_admin):
    assert post(kbh_admin, "/admin/brugere/kbh-laeser/rolle", rolle="kommune_admin").status_code == 302
    assert users.get(brugernavn="kbh-laeser").rolle == "kommune_admin"
    entry = audit.entries(handling="rolle_aendret").iloc[0]
    assert entry["bruger"] == "kbh-admin" and entry["detaljer"] == "kbh-laeser: laeser → kommune_admin"


def test_the_user_list_is_searchable_and_paged(kbh_admin):
    for i in range(30):
        users.add(f"kbh-kollega-{i:02d}", GOOD, "laeser", "101")
    first = kbh_admin.get("/admin/brugere").get_data(as_text=True)
    assert "1–25 af 32 brugere" in first and "Side 1 af 2" in first and "kbh-kollega-23" in first
    assert "kbh-kollega-24" not in first
    second = kbh_admin.get("/admin/brugere?side=2").get_data(as_text=True)
    assert "26–32 af 32 brugere" in second and "kbh-laeser" in second and "kbh-kollega-00" not in second
    found = kbh_admin.get("/admin/brugere?q=KOLLEGA-1&status=aktiv").get_data(as_text=True)
    assert "1–10 af 10 brugere" in found and "kbh-kollega-19" in found and "kbh-laeser" not in found
    assert "1–1 af 1 brugere" in kbh_admin.get("/admin/brugere?rolle=kommune_admin").get_data(as_text=True)
    for bad in ("side=nul", "side=0", "rolle=konge", "rolle=admin", "status=slettet"):
        refused = kbh_admin.get(f"/admin/brugere?{bad}")
        assert refused.status_code == 400 and "Ugyldig forespørgsel" in refused.get_data(as_text=True)


def test_a_grant_of_the_restricted_area_is_offered_applied_and_audited(kbh_admin):
    form = kbh_admin.get("/admin/brugere/kbh-laeser").get_data(as_text=True)
    assert 'value="ubu"' in form and 'value="personale"' not in form   # only areas with restricted figures
    assert post(kbh_admin, "/admin/brugere/kbh-laeser/omraader", omraade=["ubu"]).status_code == 302
    assert users.get(brugernavn="kbh-laeser").omraader == {"ubu"}
    entry = audit.entries(handling="rettigheder_aendret").iloc[0]
    assert entry["bruger"] == "kbh-admin" and entry["detaljer"] == "kbh-laeser: ubu"


def test_a_new_user_gets_a_temporary_password_shown_once_and_must_change_it(kbh_admin, client):
    page = post(kbh_admin, "/admin/brugere", navn="ny-laeser", rolle="laeser", omraade=["ubu"])
    temp = re.search(r"<code>([^<]+)</code> — vises kun denne ene gang", page.get_data(as_text=True))[1]
    assert users.get(brugernavn="ny-laeser").kommunekode == "101"
    assert temp not in kbh_admin.get("/admin/brugere/ny-laeser").get_data(as_text=True)   # shown once
    log_out(client)
    assert sign_in(client, "ny-laeser", temp).status_code == 302
    assert client.get("/kommune/101").headers["Location"] == "/konto/kodeord"
    form = client.get("/konto/kodeord").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)[1]
    assert client.post("/konto/kodeord", data={"nyt": "kort", "csrf_token": token}).status_code == 400
    changed = client.post("/konto/kodeord", data={"nyt": "en-helt-ny-og-lang-kode-42", "csrf_token": token})
    assert changed.status_code == 302
    assert client.get("/kommune/101?omraade=ubu").status_code == 200


def test_readers_and_anonymous_visitors_do_not_get_in(client, userdb):
    assert client.get("/admin/brugere").headers["Location"].startswith("/login")
    users.add("anna", GOOD, "laeser", "101")
    sign_in(client, "anna")
    assert client.get("/admin/brugere").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    assert list(audit.entries(handling="adgang_naegtet")["detaljer"]) == ["/admin/audit", "/admin/brugere"]


def test_the_audit_page_is_for_admins(client, userdb):
    users.add("chef", GOOD, "admin")
    sign_in_with_code(client, "chef")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "anden_faktor_oprettet" in page and "Slettepolitik" in page
    assert f"1–{audit.count()} af {audit.count()} poster" in page and audit.count() == len(audit.entries()) > 1
    assert "<td>nan</td>" not in page   # an entry without an address (made on the command line) shows the dash
    only = client.get("/admin/audit?handling=bruger_oprettet").get_data(as_text=True)
    assert "1–1 af 1 poster" in only and "anden_faktor_oprettet</td>" not in only


def test_a_user_creates_and_revokes_a_personal_api_token(client, userdb):
    users.add("anna", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "anna")
    page = client.post("/konto/tokens", data={"navn": "Power BI", "csrf_token": csrf(client, "/konto/tokens")})
    token = re.search(r"Din nye nøgle:\s*<code>(kdk_[^<]+)</code>", page.get_data(as_text=True))[1]
    assert token not in client.get("/konto/tokens").get_data(as_text=True)          # shown once
    url = "/api/v1/data?noegletal=ubu.anbragte&kommune=101&format=json"
    log_out(client)
    assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    sign_in(client, "anna")
    listing = client.get("/konto/tokens").get_data(as_text=True)
    token_id = re.search(r'action="/konto/tokens/(\d+)/tilbagekald"', listing)[1]
    assert client.post(f"/konto/tokens/{token_id}/tilbagekald",
                       data={"csrf_token": csrf(client, "/konto/tokens")}).status_code == 302
    assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_token_page_shows_each_tokens_own_state(client, userdb):
    users.add("anna", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "anna")
    made = [re.search(r"<code>(kdk_[^<]+)</code>", client.post("/konto/tokens", data={
        "navn": navn, "csrf_token": csrf(client, "/konto/tokens")}).get_data(as_text=True))[1]
        for navn in ("Gammel", "Power BI")]
    page = client.get("/konto/tokens").get_data(as_text=True)
    first = re.search(r'action="/konto/tokens/(\d+)/tilbagekald"', page)[1]
    client.post(f"/konto/tokens/{first}/tilbagekald", data={"csrf_token": csrf(client, "/konto/tokens")})
    listing = client.get("/konto/tokens").get_data(as_text=True)
    assert re.search(r"Gammel</td><td>[^<]+</td>\s*<td>tilbagekaldt</td>", listing)
    assert re.search(r"Power BI</td><td>[^<]+</td>\s*<td>aktiv</td>", listing)
    assert re.findall(r'action="/konto/tokens/(\d+)/tilbagekald"', listing) == [str(int(first) + 1)]
    url = "/api/v1/data?noegletal=ubu.anbragte&kommune=101&format=json"
    assert client.get(url, headers={"Authorization": f"Bearer {made[1]}"}).status_code == 200
    assert client.get(url, headers={"Authorization": f"Bearer {made[0]}"}).status_code == 401


RESTRICTED = "/kommune/101?omraade=ubu"
NEW = "en-helt-ny-og-lang-kode-42"


def change_password(client, current: str):
    return client.post("/konto/kodeord", data={"nuvaerende": current, "nyt": NEW,
                                               "csrf_token": csrf(client, "/konto/kodeord")})


def test_a_password_change_ends_the_users_other_sessions(app, client, userdb):
    users.add("anna", GOOD, "laeser", "101", {"ubu"})
    other = app.server.test_client()                     # e.g. an attacker's copy of an old session
    sign_in(other, "anna")
    sign_in(client, "anna")
    assert change_password(client, GOOD).status_code == 302
    assert client.get(RESTRICTED).status_code == 200     # the session that changed it goes on
    assert other.get(RESTRICTED).status_code == 400      # every other one has ended


def test_an_admin_reset_ends_all_the_users_sessions(app, kbh_admin):
    held = app.server.test_client()
    users.grant("kbh-laeser", {"ubu"}, "test")
    sign_in(held, "kbh-laeser")
    assert held.get(RESTRICTED).status_code == 200
    assert post(kbh_admin, "/admin/brugere/kbh-laeser/nulstil").status_code == 200
    assert held.get(RESTRICTED).status_code == 400
    assert held.get("/konto/kodeord").headers["Location"].startswith("/login")


def test_deactivating_a_user_ends_their_sessions_for_good(app, kbh_admin):
    held = app.server.test_client()
    users.grant("kbh-laeser", {"ubu"}, "test")
    sign_in(held, "kbh-laeser")
    assert post(kbh_admin, "/admin/brugere/kbh-laeser/deaktiver").status_code == 302
    assert held.get(RESTRICTED).status_code == 400
    assert post(kbh_admin, "/admin/brugere/kbh-laeser/aktiver").status_code == 302
    assert held.get(RESTRICTED).status_code == 400       # reactivating does not bring an old session back


def test_a_password_change_asks_for_the_current_password(client, userdb):
    users.add("anna", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "anna")
    assert 'name="nuvaerende"' in client.get("/konto/kodeord").get_data(as_text=True)
    for current in ("", "forkert-kodeord-123"):
        r = change_password(client, current)
        assert r.status_code == 400 and "nuværende adgangskode" in r.get_data(as_text=True)
    log_out(client)
    assert sign_in(client, "anna").status_code == 302                      # the password is unchanged
    assert sign_in(client, "anna", NEW).status_code == 401


def test_guessing_the_current_password_is_throttled(client, userdb, monkeypatch):
    monkeypatch.setenv("KDK_LOGIN_MAX_BRUGER", "3")
    users.add("anna", GOOD, "laeser", "101")
    sign_in(client, "anna")
    assert [change_password(client, f"gaet-nummer-{i}-abc").status_code for i in range(4)] == [400] * 3 + [429]
    right = change_password(client, GOOD)
    assert right.status_code == 429 and "For mange forkerte forsøg" in right.get_data(as_text=True)


def alert(response) -> str:
    return re.search(r'<p role="alert"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S)[1]


def test_a_kommune_admin_cannot_learn_another_municipalitys_usernames(kbh_admin):
    users.add("frb-admin", GOOD, "kommune_admin", "147")
    users.add("redaktoer", GOOD, "redaktion")
    own = post(kbh_admin, "/admin/brugere", navn="kbh-laeser", rolle="laeser")
    for name in ("frb-laeser", "FRB-Admin", "redaktoer"):   # another municipality's, any case; a higher role
        r = post(kbh_admin, "/admin/brugere", navn=name, rolle="laeser")
        assert r.status_code == own.status_code == 400
        assert alert(r) == alert(own) and name.lower() not in alert(r).lower() and "findes" not in alert(r)
        assert kbh_admin.get(f"/admin/brugere/{name}").status_code == 404
        listing = kbh_admin.get(f"/admin/brugere?q={name}").get_data(as_text=True)
        assert f'href="/admin/brugere/{name.lower()}"' not in listing


def test_the_role_choices_leave_out_the_demo_account_which_is_made_on_the_command_line(client, userdb):
    """A demo account needs its expiry (`python -m kdk users demo`): the forms do not offer a choice that fails."""
    users.add("chef", GOOD, "admin")
    users.add("anna", GOOD, "laeser", "101")
    users.add("webinar", GOOD, "demokonto", udloeber=audit.now() + dt.timedelta(hours=2))
    sign_in_with_code(client, "chef")
    for path in ("/admin/brugere/ny", "/admin/brugere/anna"):
        offered = re.findall(r'<option value="(\w+)"', client.get(path).get_data(as_text=True))
        assert "laeser" in offered and "admin" in offered and "demokonto" not in offered, path
    demo = client.get("/admin/brugere/webinar").get_data(as_text=True)
    assert "Gem rolle" not in demo and "Deaktivér brugeren" in demo   # no role to change to or from, still managed
    assert "webinar" in client.get("/admin/brugere?rolle=demokonto").get_data(as_text=True)
    refused = post(client, "/admin/brugere", navn="ny-demo", rolle="demokonto")
    assert refused.status_code == 400 and "python -m kdk users demo" in refused.get_data(as_text=True)
