"""Marts of Kolada's shape at a small scale (bench/kolada_marts.py with 120 municipalities, 400 key figures, 5
years), written by the command as documented, and the same app on them: profiles of real and generated
municipalities, the capped overview, the paged in-depth view, the map, the comparison matrix, and the catalogue
and data status with ~40 key figures per area."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import duckdb
import pytest

from kdk.config import PROJECT_DIR
from tests.dash_http import find_figure, nodes, render

KOMMUNER, NOEGLETAL, AAR = 120, 400, 5


@pytest.fixture(scope="module")
def kolada(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("kolada") / "kdk.duckdb"
    done = subprocess.run([sys.executable, "bench/kolada_marts.py", str(out), "--kommuner", str(KOMMUNER),
                           "--noegletal", str(NOEGLETAL), "--aar", str(AAR), "--grundlag", str(built.marts_path)],
                          cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def app(kolada, server, monkeypatch_module):
    monkeypatch_module.setenv("KDK_MARTS", str(kolada))
    return server.extensions["kdk.dash"]


@pytest.fixture(scope="module")
def con(kolada):
    c = duckdb.connect(str(kolada), read_only=True)
    yield c
    c.close()


def test_the_marts_have_the_asked_size_and_keep_the_real_data(con, built):
    kommuner = con.execute("SELECT * FROM dim_kommune").df()
    assert len(kommuner) == KOMMUNER and kommuner["kommunekode"].is_unique
    assert kommuner["kommunekode"].str.fullmatch(r"\d{3}").all() and kommuner["navn"].is_unique
    assert set(kommuner["regionskode"]) == {"1081", "1082", "1083", "1084", "1085"}
    assert con.execute("SELECT count(*) FROM dim_noegletal").fetchone()[0] == NOEGLETAL
    years = con.execute("SELECT DISTINCT periode FROM fct_noegletal WHERE length(periode) = 4").df()["periode"]
    assert sorted(years) == [str(y) for y in range(2021, 2026)]
    # Every yearly key figure for every municipality and year, plus hele landet and the five regions where the
    # figure can be added up; one that cannot (aggregering `ingen`) has no region, and no hele landet either, since
    # the source's own national figure is not one of these made-up municipalities'.
    cells = con.execute("""SELECT count(*) FROM fct_noegletal f JOIN dim_noegletal d USING (noegletal_id)
                           WHERE d.periodicitet = 'aar'""").fetchone()[0]
    summable, not_summable = con.execute("""SELECT count(*) FILTER (WHERE aggregering <> 'ingen'),
                                                   count(*) FILTER (WHERE aggregering = 'ingen')
                                            FROM dim_noegletal WHERE periodicitet = 'aar'""").fetchone()
    assert not_summable > 0 and cells == (summable * (KOMMUNER + 6) + not_summable * KOMMUNER) * AAR
    # The real population of a real municipality is untouched.
    assert con.execute("""SELECT vaerdi FROM fct_noegletal WHERE noegletal_id = 'befolkning.indbyggere'
                          AND omraade_kode = '101' AND periode = '2022'""").fetchone()[0] == 644431
    assert con.execute("""SELECT count(*) FROM fct_noegletal WHERE status = 'diskretioneret'
                          AND (vaerdi IS NOT NULL OR taeller IS NOT NULL)""").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM bm_sammenligning "
                       "WHERE sammenligningsomraade = 'skole' AND aar = 2025").fetchone()[0] \
        == KOMMUNER * (KOMMUNER - 1)


def test_a_generated_municipality_has_a_profile_ranked_among_all(client, app, con):
    kode, navn = con.execute("""SELECT kommunekode, navn FROM dim_kommune WHERE kommunekode NOT IN
                                (SELECT kommunekode FROM geo_kommune) ORDER BY kommunekode LIMIT 1""").fetchone()
    assert client.get(f"/kommune/{kode}").status_code == 200
    page = render(client, app, f"/kommune/{kode}")
    assert navn in page and max(int(n) for n in re.findall(r"Nr\. \d+ af (\d+) kommuner", page)) > 98
    assert f"Nøgletal for Danmarks {KOMMUNER} kommuner" in json.dumps(client.get("/_dash-layout").get_json(),
                                                                      ensure_ascii=False)


def test_the_overview_shows_8_cards_per_area_and_links_to_all(client, app, con):
    antal = con.execute("""SELECT count(*) FROM dim_noegletal WHERE dataomraade = 'skole'""").fetchone()[0]
    page = json.loads(render(client, app, "/kommune/101"))
    school = next(json.dumps(n, ensure_ascii=False) for n in nodes(page)
                  if n["props"].get("id") == "omraade-skole")
    assert school.count('"id": "kort-') == 8
    assert f"Se alle {antal} nøgletal om skole" in school and '"href": "/kommune/101?omraade=skole"' in school


def test_the_in_depth_view_pages_its_figures(client, app, con):
    antal = con.execute("""SELECT count(*) FROM dim_noegletal WHERE dataomraade = 'skole'""").fetchone()[0]
    sider = -(-antal // 10)
    first = render(client, app, "/kommune/101", "?omraade=skole")
    assert first.count('"id": "kort-') == 10 and f"Side 1 af {sider}" in first and f"Nøgletal 1–10 af {antal}" in first
    assert '"href": "/kommune/101?omraade=skole&side=2"' in first and "Forrige" in first
    last = render(client, app, "/kommune/101", f"?omraade=skole&aar=2024&side={sider}")
    assert f"Side {sider} af {sider}" in last and last.count('"id": "kort-') == antal - 10 * (sider - 1)
    assert f'"href": "/kommune/101?omraade=skole&aar=2024&side={sider - 1}"' in last
    for bad in (f"?omraade=skole&side={sider + 1}", "?omraade=skole&side=0", "?omraade=skole&side=en",
                "?omraade=skole&side=1&side=2", "?side=2"):
        response = client.get(f"/kommune/101{bad}")
        assert response.status_code == 400, bad
        assert "Ugyldig værdi" in render(client, app, "/kommune/101", bad)


def test_the_map_draws_the_municipalities_with_a_shape_and_the_list_has_them_all(client, app, con):
    page = json.loads(render(client, app, "/", "?noegletal=befolkning.indbyggere"))
    codes = {t["customdata"][0][0] for t in find_figure(page)["data"] if t.get("customdata")}
    assert codes == set(con.execute("SELECT kommunekode FROM geo_kommune").df()["kommunekode"])
    listed = json.dumps(page, ensure_ascii=False)
    kommuner = con.execute("SELECT kommunekode FROM dim_kommune").df()["kommunekode"]
    assert all(f'"/kommune/{k}"' in listed for k in kommuner)


def test_the_comparison_matrix_has_every_municipality(client, app):
    page = json.loads(render(client, app, "/sammenligning", "?kommune=101&sammenligningsomraade=skole&fane=matrice"))
    heatmap = find_figure(page)["data"][0]
    assert len(heatmap["x"]) == len(heatmap["y"]) == KOMMUNER


def test_the_catalogue_lists_25_per_area_and_links_to_the_rest(client, app, con):
    antal = con.execute("SELECT count(*) FROM dim_noegletal WHERE dataomraade = 'skole'").fetchone()[0]
    assert antal > 25
    everything = render(client, app, "/noegletal")
    assert f"Se alle {antal} nøgletal om skole" in everything and '"href": "/noegletal?omraade=skole"' in everything
    assert everything.count('"/noegletal/skole.') == 25
    school = render(client, app, "/noegletal", "?omraade=skole")
    assert school.count('"/noegletal/skole.') == antal and "Se alle" not in school
    status = render(client, app, "/datastatus")
    assert f"Viser de første 25 af {antal} nøgletal" in status and "/noegletal?omraade=skole" in status
