"""Følg oplægsholderen: follow sessions in the user store, and their routes as a host and anonymous viewers use them."""
from __future__ import annotations

import datetime as dt
import html
import re
import time

import pytest

from kdk.auth import audit, foelg, kodegaet, store, users
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD, csrf, sign_in


@pytest.fixture(autouse=True)
def no_guesses_yet(monkeypatch):
    """Each test starts with no guesses counted (they are kept in the worker's memory)."""
    monkeypatch.setattr(kodegaet, "GAET", kodegaet.Gaet())


def test_a_session_has_a_short_unambiguous_code_lasts_the_danish_day_and_counts_its_changes(userdb):
    vaert = users.add("vaert", GOOD, "redaktion")
    started = foelg.start(vaert.id)
    assert foelg.KODE.fullmatch(started.kode) and not set(started.kode) & set("0O1IL")
    assert foelg.start(vaert.id) == started   # one running session per host
    assert foelg.normaliseret(started.kode.lower()) == started.kode
    assert foelg.vis(started.kode, vaert.id, "/kommune/101").version == 2
    assert foelg.vis(started.kode, vaert.id, "/kommune/101").version == 2   # no change, no new version
    other = users.add("anden", GOOD, "redaktion")
    assert foelg.vis(started.kode, other.id, "/kommune/147") is None
    assert not foelg.stop(started.kode, other.id) and foelg.stop(started.kode, vaert.id)
    assert foelg.vis(started.kode, vaert.id, "/kommune/147") is None
    # 22:30 UTC on 5 December is 23:30 in Copenhagen: the session ends at Danish midnight, 23:00 UTC.
    assert foelg.dagens_slut(dt.datetime(2026, 12, 5, 22, 30)) == dt.datetime(2026, 12, 5, 23, 0)
    assert foelg.dagens_slut(dt.datetime(2026, 6, 5, 21, 30)) == dt.datetime(2026, 6, 5, 22, 0)


def start_session(app, name: str = "vaert") -> tuple:
    """A host signed in (with the second factor) who has started a session from a profile: the host's client, the
    code and the CSRF token the host's page reports with."""
    users.add(name, GOOD, "redaktion")
    host = app.server.test_client()
    sign_in_with_code(host, name)
    assert start_from(host, "/kommune/101").status_code == 302
    page = host.get("/foelg").get_data(as_text=True)
    kode = re.search(r"/foelg/([A-Z2-9]{6})</code>", page)[1]
    return host, kode, host.get("/foelg/vaert").get_json()["csrf"]


def start_from(host, adresse: str):
    """The host clicks "Følg mig" on `adresse`, then starts the session."""
    form = host.get("/foelg", headers={"Referer": f"http://localhost{adresse}"}).get_data(as_text=True)
    fra = re.search(r'name="fra" value="([^"]*)"', form)[1]
    return host.post("/foelg", data={"csrf_token": csrf(host, "/foelg"), "fra": html.unescape(fra)})


def memo_passes() -> None:
    """Wait out the per-process memo of a session's state: what viewers poll is then read from the database."""
    time.sleep(foelg.TILSTAND_SEKUNDER + 0.05)


def report(host, kode: str, token: str, adresse):
    return host.post(f"/foelg/{kode}/tilstand", json={"adresse": adresse}, headers={"X-CSRFToken": token})


def test_a_host_starts_shows_pages_and_stops_while_anonymous_viewers_follow(app, client, userdb):
    host, kode, token = start_session(app)
    assert "Følg mig" in host.get("/_dash-layout").get_data(as_text=True)
    assert [e.detaljer for e in audit.entries(handling="foelg_start").itertuples()] == [kode]
    entry = client.get(f"/foelg/{kode.lower()}")
    assert entry.status_code == 200 and f'data-kode="{kode}"' in entry.get_data(as_text=True)
    first = client.get(f"/foelg/{kode}/tilstand")
    assert first.get_json() == {"version": 1, "adresse": "/kommune/101"}
    assert first.headers["Cache-Control"] == "no-cache" and "Set-Cookie" not in first.headers
    assert "frame-ancestors 'none'" in first.headers["Content-Security-Policy"]
    assert client.get(f"/foelg/{kode}/tilstand", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    shown = report(host, kode, token, "/tema/rekruttering?kommune=147&visning=praesentation&trin=2")
    assert shown.status_code == 200 and shown.get_json()["version"] == 2
    memo_passes()
    after = client.get(f"/foelg/{kode}/tilstand", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    assert after.get_json() == {"version": 2, "adresse": "/tema/rekruttering?kommune=147&visning=praesentation&trin=2"}
    assert host.post(f"/foelg/{kode}/stop", data={"csrf_token": csrf(host, "/foelg")}).status_code == 302
    assert [e.detaljer for e in audit.entries(handling="foelg_stop").itertuples()] == [kode]
    memo_passes()
    assert client.get(f"/foelg/{kode}/tilstand").status_code == 404
    assert "Visningen findes ikke" in client.get(f"/foelg/{kode}").get_data(as_text=True)
    assert report(host, kode, token, "/").status_code == 404


def test_only_the_sessions_host_may_start_it_or_change_its_page(app, client, userdb):
    host, kode, token = start_session(app)
    assert client.get("/foelg").status_code == 302 and client.post("/foelg").status_code == 302
    assert client.post(f"/foelg/{kode}/tilstand", json={"adresse": "/"}).status_code == 403
    users.add("laeser", GOOD, "laeser", "101", {"personale"})
    laeser = app.server.test_client()
    sign_in(laeser, "laeser")
    assert laeser.get("/foelg").status_code == 403 and laeser.post("/foelg").status_code == 403
    assert laeser.get("/foelg/vaert").status_code == 204
    assert report(laeser, kode, token, "/").status_code == 403
    _, _, other_token = start_session(app, "anden-vaert")
    assert report(app.server.test_client(), kode, other_token, "/").status_code == 403
    assert host.post(f"/foelg/{kode}/tilstand", json={"adresse": "/"}).status_code == 400   # no CSRF token
    assert "Følg mig" not in laeser.get("/_dash-layout").get_data(as_text=True)
    memo_passes()
    assert client.get(f"/foelg/{kode}/tilstand").get_json()["adresse"] == "/kommune/101"


def test_a_restricted_administrative_or_foreign_address_is_refused_as_state(app, client, userdb):
    host, kode, token = start_session(app)
    for adresse in ["/kommune/101?omraade=ubu", "/noegletal/ubu.udgift?aar=2023", "/publicering",
                    "/admin/brugere", "/admin/audit", "/login", "/foelg", "/kommune/999", "https://evil.example/",
                    "//evil.example/", "/kommune/101#x", "/" + "a" * 600, 101, None]:
        refused = report(host, kode, token, adresse)
        assert refused.status_code == 400, adresse
        assert refused.get_json() == {"fejl": "Kun offentlige sider kan vises for seerne."}
    assert report(host, kode, token, "/kommune/101?omraade=skole").status_code == 200
    assert host.get("/kommune/101?omraade=ubu").status_code == 200   # the host may see it, the viewers may not
    host.post(f"/foelg/{kode}/stop", data={"csrf_token": csrf(host, "/foelg")})
    assert start_from(host, "/kommune/101?omraade=ubu").status_code == 302
    kode = re.search(r"/foelg/([A-Z2-9]{6})</code>", host.get("/foelg").get_data(as_text=True))[1]
    assert client.get(f"/foelg/{kode}/tilstand").get_json()["adresse"] == "/"


def test_an_unknown_code_is_a_danish_404_and_a_signed_in_follower_is_refused(app, client, userdb):
    for kode in ["ABCDEF", "abc", "0O1IL2", "%3Cscript%3E"]:
        unknown = client.get(f"/foelg/{kode}")
        assert unknown.status_code == 404 and "Visningen findes ikke" in unknown.get_data(as_text=True)
        assert client.get(f"/foelg/{kode}/tilstand").status_code == 404
    _, kode, _ = start_session(app)
    users.add("laeser", GOOD, "laeser", "101", {"ubu"})
    laeser = app.server.test_client()
    sign_in(laeser, "laeser")
    refused = laeser.get(f"/foelg/{kode}")
    assert refused.status_code == 403 and "privat vindue" in refused.get_data(as_text=True)
    assert laeser.get(f"/foelg/{kode}/tilstand").status_code == 403


def test_a_session_ends_when_its_host_is_disabled_or_expires(app, client, userdb):
    host, kode, token = start_session(app)
    assert client.get(f"/foelg/{kode}/tilstand").status_code == 200
    users.set_active("vaert", False, af="admin")
    memo_passes()
    assert client.get(f"/foelg/{kode}/tilstand").status_code == 404
    assert client.get(f"/foelg/{kode}").status_code == 404
    demo = users.add("demo-vaert", GOOD, "demokonto", udloeber=audit.now() + dt.timedelta(hours=1))
    started = foelg.start(demo.id)
    assert client.get(f"/foelg/{started.kode}/tilstand").status_code == 200
    with store.engine().begin() as con:
        con.execute(store.bruger.update().where(store.bruger.c.id == demo.id)
                    .values(udloeber=audit.now() - dt.timedelta(seconds=1)))
    memo_passes()
    assert client.get(f"/foelg/{started.kode}/tilstand").status_code == 404


def test_a_report_nested_deeper_than_the_parser_goes_is_a_400_not_a_500(app, userdb):
    host, kode, token = start_session(app)
    deep = host.post(f"/foelg/{kode}/tilstand", data="[" * 100_000, content_type="application/json",
                     headers={"X-CSRFToken": token})
    assert deep.status_code == 400


def test_an_unknown_session_is_not_kept_by_a_cache(client, userdb):
    gone = client.get("/foelg/ABCDEF/tilstand")
    assert gone.status_code == 404 and gone.headers["Cache-Control"] == "no-cache"


def from_address(client, adresse: str, path: str):
    return client.get(path, environ_base={"REMOTE_ADDR": adresse})


def test_an_address_guessing_codes_is_refused_but_its_viewers_of_a_running_session_follow_on(app, client, userdb):
    """Hundreds of viewers behind one NAT share an address: a few mistyped codes, or someone guessing there, must not
    stop the others from following the code they use; but the address finds no other session by guessing."""
    nat, other = "198.51.100.7", "203.0.113.9"
    _, kode, _ = start_session(app)
    assert from_address(client, nat, f"/foelg/{kode}").status_code == 200
    misses = [f"/foelg/{kode[:-1]}{c}" for c in foelg.ALFABET if c != kode[-1]][:kodegaet.MAKS_FORKERTE - 2]
    for path in [*misses, "/foelg/abc/tilstand", "/foelg/%3Cscript%3E"]:
        assert from_address(client, nat, path).status_code == 404, path
    refused = from_address(client, nat, "/foelg/ABCDEF")
    assert refused.status_code == 429 and "For mange forkerte forsøg" in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= kodegaet.VINDUE_SEKUNDER
    poll = from_address(client, nat, "/foelg/ABCDEF/tilstand")
    assert poll.status_code == 429 and "For mange forkerte koder" in poll.get_json()["fejl"]
    assert from_address(client, nat, f"/foelg/{kode.lower()}").status_code == 200   # the code its viewers use
    assert from_address(client, nat, f"/foelg/{kode}/tilstand").get_json()["adresse"] == "/kommune/101"
    _, another, _ = start_session(app, "anden-vaert")
    assert from_address(client, nat, f"/foelg/{another}/tilstand").status_code == 429   # not found by guessing
    assert from_address(client, other, "/foelg/ABCDEF/tilstand").status_code == 404   # other addresses as before
    assert from_address(client, other, f"/foelg/{another}").status_code == 200


def test_asking_for_a_session_that_has_ended_is_no_guess(app, client, userdb):
    """When a session stops, each of its viewers' browsers asks once more; hundreds of them behind one address."""
    host, kode, _ = start_session(app)
    assert host.post(f"/foelg/{kode}/stop", data={"csrf_token": csrf(host, "/foelg")}).status_code == 302
    memo_passes()
    for _ in range(kodegaet.MAKS_FORKERTE + 5):
        assert client.get(f"/foelg/{kode}/tilstand").status_code == 404
    assert client.get(f"/foelg/{kode}").status_code == 404


def test_the_limit_lifts_when_the_misses_leave_the_window(monkeypatch):
    guesses = kodegaet.Gaet()
    for _ in range(kodegaet.MAKS_FORKERTE):
        guesses.forkert("198.51.100.7")
    assert guesses.vent("198.51.100.7", "ABCDEF") > kodegaet.VINDUE_SEKUNDER - 5
    assert guesses.vent("203.0.113.9", "ABCDEF") == 0
    later = time.monotonic() + kodegaet.VINDUE_SEKUNDER + 1
    monkeypatch.setattr(kodegaet, "time", type("Clock", (), {"monotonic": staticmethod(lambda: later)}))
    assert guesses.vent("198.51.100.7", "ABCDEF") == 0


def test_a_poll_to_a_host_the_app_does_not_serve_is_refused_like_any_request(app, client, userdb):
    _, kode, _ = start_session(app)
    assert client.get(f"/foelg/{kode}/tilstand").status_code == 200
    forged = client.get(f"/foelg/{kode}/tilstand", headers={"Host": "evil.example"})
    assert forged.status_code == 400 == client.get("/", headers={"Host": "evil.example"}).status_code
    assert kode not in forged.get_data(as_text=True)


def test_an_ipv6_network_guessing_from_many_addresses_counts_as_one(app, client, userdb):
    """An IPv6 client owns a whole /64: guessing from a new address in it for each code must still be refused."""
    misses = [f"/foelg/ABCD{a}{b}/tilstand" for a in "EFGH" for b in "JKMNP"][:kodegaet.MAKS_FORKERTE]
    for n, path in enumerate(misses):
        assert from_address(client, f"2001:db8:5:7::{n + 1:x}", path).status_code == 404, path
    assert from_address(client, "2001:db8:5:7::ffff", "/foelg/ABCDPQ/tilstand").status_code == 429
    assert from_address(client, "2001:db8:5:8::1", "/foelg/ABCDPQ/tilstand").status_code == 404   # another network
