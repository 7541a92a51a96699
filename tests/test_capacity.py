"""Capacity under abuse (issue 18, item 5), as an outsider sees it: large Excel exports are limited per worker and
the rest are told to come back or to take CSV."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from kdk.config import settings
from tests.test_http import app, client, monkeypatch_module  # noqa: F401

# Every municipality, every period, four public key figures: over 4 000 rows, a large export.
STOR = ("/api/v1/data?noegletal=befolkning.indbyggere,befolkning.taethed,oekonomi.udskrivningsprocent,skole.karakter"
        "&kommune=alle&format=xlsx")


def test_large_excel_exports_beyond_the_limit_get_429_with_retry_after_and_a_pointer_to_csv(app):  # noqa: F811
    server = app.server
    limit = settings().xlsx_samtidige
    rows = server.test_client().get(STOR.replace("xlsx", "csv"))                      # the rows, now kept
    assert rows.status_code == 200 and int(rows.headers["X-Total-Count"]) > 4000

    def export(_):
        return server.test_client().get(STOR)

    with ThreadPoolExecutor(limit + 4) as pool:
        answers = list(pool.map(export, range(limit + 4)))
    codes = sorted(r.status_code for r in answers)
    assert set(codes) == {200, 429} and codes.count(200) >= limit, codes
    for refused in (r for r in answers if r.status_code == 429):
        assert int(refused.headers["Retry-After"]) > 0
        assert "CSV" in refused.get_json()["fejl"] and "Prøv igen" in refused.get_json()["fejl"]
    assert server.test_client().get(STOR).status_code == 200                            # free again afterwards
