"""A worker's warm-up (web/warmup.py): it renders the pages asked for most within its budget, and what it fills is
what every municipality shares, so that afterwards their profiles, in any year, and their areas in depth are
answered without asking the marts again."""
from __future__ import annotations

import pytest

from kdk.db import Marts
from tests.test_http import app, client, monkeypatch_module, render  # noqa: F401


@pytest.fixture
def queries(monkeypatch):
    """Counts the statements sent to the marts (the real marts answer them)."""
    sent = []
    for name in ("query", "records"):
        real = getattr(Marts, name)

        def counted(self, sql, params=None, _real=real):
            sent.append(sql)
            return _real(self, sql, params)

        monkeypatch.setattr(Marts, name, counted)
    return sent


def test_warm_up_renders_every_listed_page_and_stops_at_its_budget(app):  # noqa: F811
    from web import warmup

    with app.server.test_request_context("/"):
        pages = warmup.addresses()
    assert ("/kommune/101", "?omraade=skole") in pages and ("/kommune/101", "?aar=2016") in pages
    assert any(path.startswith("/tema/") for path, _ in pages) and ("/sammenligning", "?kommune=101&omraade=aeldre"
                                                                    "&fane=matrice") in pages
    assert warmup.warm(app.server, 600) == (len(pages), len(pages))
    assert warmup.warm(app.server, 0) == (0, len(pages))


@pytest.mark.parametrize("kode", ["860", "461"])
def test_after_warm_up_every_profile_and_area_in_depth_is_answered_without_a_query(client, app, queries,  # noqa: F811
                                                                                    kode):
    from web import warmup

    warmup.warm(app.server, 600)
    queries.clear()
    for search in ("", "?aar=2017", "?omraade=skole", "?omraade=aeldre", "?omraade=beskaeftigelse"):
        assert "noegletal-kort" in render(client, app, f"/kommune/{kode}", search)
    assert [q for q in queries if "bm_sammenligning" not in q] == []   # only the municipality's own groups are new
