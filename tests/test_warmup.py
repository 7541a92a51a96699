"""A worker's warm-up (web/warmup.py): it renders the pages asked for most within its budget, and what it fills is
what every municipality shares, so that afterwards their profiles, in any year, and their areas in depth are
answered without asking the marts again."""
from __future__ import annotations

import pytest

from kdk.auth import users
from kdk.cli import main
from kdk.db import Marts, marts
from kdk.queries.cache import clear_all
from kdk.queries.scope import ANONYMOUS, Scope
from tests.dash_http import call, render
from tests.test_auth import GOOD, sign_in
from tests.test_ingest import all_98, wide_file

pytestmark = pytest.mark.langsom   # each test warms a whole worker: 5-8 s on 2 cores


@pytest.fixture
def queries(monkeypatch):
    """Records the statements sent to the marts, with their parameters (the real marts answer them)."""
    sent = []
    for name in ("query", "records"):
        real = getattr(Marts, name)

        def counted(self, sql, params=None, _real=real):
            sent.append((sql, params))
            return _real(self, sql, params)

        monkeypatch.setattr(Marts, name, counted)
    return sent


def test_warm_up_renders_every_listed_page_and_stops_at_its_budget(app):
    from web import warmup

    with app.server.test_request_context("/"):
        pages = warmup.addresses()
    assert ("/kommune/101", "?omraade=skole", ANONYMOUS) in pages and ("/kommune/101", "?aar=2016", ANONYMOUS) in pages
    assert ("/kommune/101", "?omraade=ubu", Scope(omraader=frozenset({"ubu"}))) in pages
    assert any(path.startswith("/tema/") for path, _, _ in pages)
    assert ("/sammenligning", "?kommune=101&sammenligningsomraade=aeldre&fane=matrice", ANONYMOUS) in pages
    assert warmup.warm(app.server, 600, marts().live) == (len(pages), len(pages))
    assert warmup.warm(app.server, 0, marts().live) == (0, len(pages))


def test_after_warm_up_every_profile_and_area_in_depth_is_answered_without_a_query(client, app, queries):
    from web import warmup

    clear_all()
    warmup.warm(app.server, 600, marts().live)
    for kode in ("860", "461"):   # neither is the municipality the warm-up renders
        queries.clear()
        for search in ("", "?aar=2017", "?omraade=skole", "?omraade=aeldre", "?omraade=beskaeftigelse"):
            assert "noegletal-kort" in render(client, app, f"/kommune/{kode}", search)
        assert [sql for sql, _ in queries if "bm_sammenligning" not in sql] == [], kode   # only its own groups


def test_after_warm_up_the_english_front_page_and_profiles_are_ready(client, app, queries):
    """The pages asked for most are warmed in English too: the first English visitor of the front page or the
    warmed profile gets a kept answer, and of another municipality's profile an English one without asking the
    marts; the English shell is kept as well."""
    from web import warmup

    clear_all()
    warmup.warm(app.server, 600, marts().live)
    queries.clear()
    for path in ("/en/", "/en/kommune/101"):
        r = call(client, app, {"_pages_location.pathname": path, "_pages_location.search": ""})
        assert r.status_code == 200 and "cache;desc=hit" in r.headers["Server-Timing"], path
    english = render(client, app, "/en/kommune/461")
    assert '"Details"' in english and '"Detaljer"' not in english
    assert [sql for sql, _ in queries if "bm_sammenligning" not in sql] == []   # only its own groups are new
    shell = client.get("/_dash-layout", headers={"Referer": "http://localhost/en/kommune/101"})
    assert "cache;desc=hit" in shell.headers["Server-Timing"] and "Dansk" in shell.get_data(as_text=True)


def test_a_reader_granted_ubu_computes_only_ubus_answers(client, app, queries, userdb):
    clear_all()   # other tests may have shown these pages already
    assert "noegletal-kort" in render(client, app, "/kommune/147", "?omraade=skole")
    users.add("carl", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "carl")
    queries.clear()
    assert "Anbragte" in render(client, app, "/kommune/147", "?omraade=ubu")
    assert "noegletal-kort" in render(client, app, "/kommune/147", "?omraade=skole")
    figures = [params.get("ids") or [params["id"]] for sql, params in queries
               if "fct_noegletal" in sql and isinstance(params, dict) and ("ids" in params or "id" in params)]
    assert figures, "the reader's restricted area was computed"
    assert {fid.split(".")[0] for ids in figures for fid in ids} == {"ubu"}, "public answers were recomputed"


def test_after_warm_up_a_readers_restricted_areas_are_answered_without_a_query(client, app, queries,
                                                                               userdb):
    from web import warmup

    clear_all()
    warmup.warm(app.server, 600, marts().live)
    users.add("dora", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "dora")
    queries.clear()
    assert "Anbragte" in render(client, app, "/kommune/147", "?omraade=ubu")
    assert "noegletal-kort" in render(client, app, "/kommune/147", "?omraade=ubu")
    assert [sql for sql, _ in queries if "fct_noegletal" in sql] == [], "the warm-up left facts to read"


def test_a_warmed_worker_serves_its_release_until_it_has_warmed_the_next(app, client, fresh_marts, monkeypatch,
                                                                        tmp_path, queries):
    from web import epoch, warmup

    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    releases = app.server.extensions["kdk.releases"]
    old = marts().live
    warmup.warm(app.server, 600, old)
    epoch.serve_warmed(app.server, old)
    try:
        path = wide_file(tmp_path / "karakterer.csv", all_98("7,1"))
        assert main(["ingest", str(path), "--noegletal", "skole.karakter"]) == 0
        assert marts().live != old
        new_year = "/?noegletal=skole.karakter&aar=2026"
        assert client.get(new_year).status_code == 400, "the new release was served before it was warm"
        if (warming := releases.warming) is not None:
            warming.join(120)
        assert releases.served == marts().live
        assert client.get(new_year).status_code == 200
        queries.clear()
        assert "noegletal-kort" in render(client, app, "/kommune/860", "?aar=2026")
        assert "noegletal-kort" in render(client, app, "/kommune/860", "?omraade=skole")
        assert [sql for sql, _ in queries if "bm_sammenligning" not in sql] == [], "the warm-up left answers to do"
    finally:
        releases.served = None
