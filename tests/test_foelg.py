"""Følg oplægsholderen: follow sessions in the user store, and their routes as a host and anonymous viewers use them."""
from __future__ import annotations

import datetime as dt

from kdk.auth import foelg, users
from tests.test_auth import GOOD


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
