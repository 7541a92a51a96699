"""Published precision: every number that leaves is its value exactly rounded, half away from zero, to the
catalogue's decimals. Jobindsats' yearly means that are exact ties at the shown decimal (3,45) show as 3,5 — on the
profile, in the API and in the databank CSV, PX and Excel files, checked against the source's own decimal text —
and a walk over the pages, the callbacks and the API finds no number with more decimals than its key figure."""
from __future__ import annotations

import io
import json
import re
from fractions import Fraction

import openpyxl
import pandas as pd
import pytest

from kdk.config import settings
from kdk.db import Marts
from kdk.export import bundle
from kdk.export.rows import Selection, export_rows
from kdk.queries.scope import ANONYMOUS
from tests.dash_http import call, found, nodes, render
from tests.test_access_walk import SAMPLES, _payload
from tests.test_profile_numbers import cards, text

# The outside audit's cells: a yearly mean of 12 monthly values that is exactly a tie at one decimal.
TIES = [("beskaeftigelse.ledighed", "169", "2022", "3,5"), ("beskaeftigelse.ledighed", "219", "2022", "1,9"),
        ("beskaeftigelse.ledighed", "336", "2022", "2,5"), ("beskaeftigelse.kontanthjaelp", "167", "2023", "2,5"),
        ("beskaeftigelse.kontanthjaelp", "400", "2023", "1,9"),
        ("beskaeftigelse.kontanthjaelp", "410", "2024", "1,9"),
        ("beskaeftigelse.kontanthjaelp", "671", "2023", "3,0"),
        ("beskaeftigelse.kontanthjaelp", "727", "2025", "1,9")]
DANISH_NUMBER = re.compile(r"(?<![\w,.])-?\d{1,3}(?:\.\d{3})*(?:,(\d+))?(?![\w,])")


def get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.data[:300])
    return response


@pytest.mark.parametrize("fid, kode, aar, shown", TIES)
def test_a_yearly_mean_that_is_a_tie_rounds_up_on_the_profile_in_the_api_and_the_exports(fid, kode, aar, shown,
                                                                                         client, app, built):
    value = float(shown.replace(",", "."))
    page = json.loads(render(client, app, f"/kommune/{kode}", f"?omraade=beskaeftigelse&aar={aar}"))
    assert cards(page)[fid]["vaerdi"] == shown
    query = f"/api/v1/data?noegletal={fid}&kommune={kode}&periode={aar}"
    assert [r["vaerdi"] for r in get(client, query + "&format=json").get_json()["data"]] == [value]
    assert f";{kode};" in (line := get(client, query + "&format=csv").data.decode("utf-8-sig").splitlines()[1]) \
        and line.split(";")[7] == shown
    assert _xlsx_values(get(client, query + "&format=xlsx").data) == [value]
    # The databank files of the release: CSV, PX and Excel.
    rows = export_rows(Marts(built.marts_path), ANONYMOUS, Selection(noegletal=(fid,), omraader=(kode,),
                                                                     perioder=(aar,)))
    files = bundle.files(rows, {"release_id": "x", "udtraeksdato": pd.Timestamp("2026-01-01")}, bundle.FORMATS)
    assert files["noegletal.csv"].decode("utf-8-sig").splitlines()[1].split(";")[7] == shown
    (px_file,) = [data for name, data in files.items() if name.startswith("px/")]
    assert px_file.decode("windows-1252").split("DATA=\r\n")[1].strip() == f"{value};"
    assert _xlsx_values(files["noegletal.xlsx"]) == [value]


def _xlsx_values(data: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["Data"]
    return [row[7] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_every_yearly_mean_is_the_exact_mean_of_the_source_months_rounded_half_away_from_zero(client):
    """Every municipality's complete year in the Jobindsats source, its mean computed exactly from the source's
    decimal text, against what the API publishes (the ties are where binary floats go wrong)."""
    folder = settings().sources_dir / "jobindsats"
    raw = pd.read_csv(folder / "jobindsats_kommuner_maaned.csv", dtype=str)
    catalogue = {f["noegletal_id"]: f for f in get(client, "/api/v1/noegletal?format=json").get_json()["noegletal"]}
    checked = ties = 0
    for fid in ("beskaeftigelse.ledighed", "beskaeftigelse.kontanthjaelp", "beskaeftigelse.langtidsledige"):
        published = {(r["omraade_kode"], r["periode"]): r for r in get(
            client, f"/api/v1/data?noegletal={fid}&kommune=alle&format=json").get_json()["data"]}
        maal = {"beskaeftigelse.ledighed": ("unemployment", "totalRate"),
                "beskaeftigelse.kontanthjaelp": ("cashAssistance", "populationRate"),
                "beskaeftigelse.langtidsledige": ("longterm", "total")}[fid]
        step = Fraction(1, 10 ** catalogue[fid]["decimaler"])
        months = raw[(raw["emne"] == maal[0]) & (raw["maal"] == maal[1])]
        for (kode, aar), group in months.groupby(["kommunekode", "aar"]):
            row = published[(kode, aar)] if len(group) == 12 and group["vaerdi"].notna().all() else None
            if row is None or row["status"] != "normal":
                continue
            mean = sum(map(Fraction, group["vaerdi"])) / 12
            expected = (mean / step + Fraction(1, 2)).__floor__() * step   # half away from zero (means are >= 0)
            assert row["vaerdi"] == float(expected), (fid, kode, aar, float(mean))
            checked += 1
            ties += (mean / step).denominator == 2
    assert checked > 900 and ties > 50


# --- The walk: no number leaves with more decimals than its key figure's -----------------------------------------

def has_decimals(value: float, decimals: int) -> bool:
    """A JSON number is at most `decimals` decimals: the float nearest to a number written with them."""
    return round(float(value), decimals) == float(value)


def danish_decimals(text_: str) -> list[tuple[str, int]]:
    """The Danish numbers in a text ("3.478", "2,45") with their count of decimals."""
    return [(m.group(0), len(m.group(1) or "")) for m in DANISH_NUMBER.finditer(text_)]


def figures(tree):
    """Every Plotly figure (a dict with data and layout) in a callback's answer."""
    return found(tree, lambda d: isinstance(d.get("data"), list) and isinstance(d.get("layout"), dict))


def _tickformat_decimals(fmt: str | None) -> int | None:
    found = re.fullmatch(r",\.(\d+)f", fmt or "")
    return int(found.group(1)) if found else None


def figure_problems(figure: dict, by_title: dict[str, int]) -> list | None:
    """Numbers in a chart with more decimals than its key figure (from its title, or its value axis' format); None
    for a chart of no key figure (the comparison matrix's ranks)."""
    layout = figure["layout"]
    title = (layout.get("title") or {}).get("text")
    d = by_title.get(title, _tickformat_decimals((layout.get("yaxis") or {}).get("tickformat")))
    if d is None:
        return None
    problems = []
    for trace in figure["data"]:
        if trace.get("fill") == "toself":   # a municipality on the map: its outline, and its value in the hover
            problems += [(title, n) for n, k in danish_decimals(trace.get("hovertemplate", "")) if k > d]
            continue
        marker = trace.get("marker") or {}
        numbers = [*trace.get("y", ()), *trace.get("x", ()), *(marker.get(c) for c in ("cmin", "cmax")),
                   *(marker.get("color") if isinstance(marker.get("color"), list) else ())]
        problems += [(title, trace.get("name"), v) for v in numbers
                     if isinstance(v, float) and not has_decimals(v, d)]
    for shape in layout.get("shapes", ()):
        problems += [(title, "linje", v) for v in (shape.get("y0"), shape.get("y1"))
                     if isinstance(v, float) and not has_decimals(v, d)]
    return problems


def card_problems(page, decimals: dict[str, int]) -> list:
    """Numbers on a profile card (value, change, group, region, land) with more decimals than its key figure."""
    problems = []
    for node in nodes(page):
        fid = str(node["props"].get("id", ""))[5:]
        if node["type"] == "Article" and fid in decimals:
            problems += [(fid, n) for n, k in danish_decimals(text(node)) if k > decimals[fid]]
    return problems


def table_problems(page, by_title: dict[str, int]) -> list:
    """Numbers in a table of key figures' values (the comparison group's "Se værdierne": a row per key figure, its
    title first) with more decimals than the figure."""
    problems = []
    for table in nodes(page):
        if table["type"] == "Table" and table["props"].get("className") == "vaerditabel":
            for row in (n for n in nodes(table["props"]["children"]) if n["type"] == "Tr"):
                title, *cells = [text(c) for c in row["props"]["children"]]
                title = title.removesuffix(" (log)")
                if title in by_title:
                    problems += [(title, n) for cell in cells for n, k in danish_decimals(cell) if k > by_title[title]]
    return problems


def patch_problems(answer: dict, by_title: dict[str, int]) -> list:
    """A map patched to another key figure or year (dash.Patch): its hover texts, by the figure's title."""
    problems = []
    for output in (answer.get("response") or {}).values():
        for patch in output.values() if isinstance(output, dict) else ():
            operations = patch.get("operations") if isinstance(patch, dict) else None
            if not operations:
                continue
            title = next((op["params"]["value"]["text"] for op in operations
                          if op["location"] == ["layout", "title"]), None)
            for op in operations:
                value = op["params"].get("value")
                if op["location"][-1] == "hovertemplate" and isinstance(value, str):
                    problems += [(title, n) for n, k in danish_decimals(value) if k > by_title[title]]
    return problems


@pytest.fixture(scope="module")
def catalogue(app):
    """The public catalogue, as the API gives it: each key figure's decimals."""
    return get(app.server.test_client(), "/api/v1/noegletal?format=json").get_json()["noegletal"]


def walk_pages(client, app, catalogue) -> list[str]:
    """Every page an anonymous visitor can open for a municipality: the profile (overview and every data area in
    depth, on every page of it, two years), every key figure's page and map, the themes, the comparison."""
    areas = sorted({f["dataomraade"] for f in catalogue})
    urls = [("/kommune/169", ""), ("/kommune/169", "?aar=2022"), ("/temaer", ""), ("/noegletal", ""),
            ("/sammenligning", "?kommune=169&fane=matrice")]
    urls += [("/sammenligning", f"?kommune={kode}&sammenligningsomraade={area}") for kode in ("101", "169")
             for area in ("tvaergaaende", "skole", "dagtilbud", "ubu", "aeldre", "handicap", "sundhed")]
    urls += [("/kommune/169", f"?omraade={a}&aar={aar}&side={s}") for a in areas for aar in ("2022", "2024")
             for s in (1, 2)]
    urls += [(f"/noegletal/{f['noegletal_id']}", "") for f in catalogue]
    urls += [("/", f"?noegletal={f['noegletal_id']}") for f in catalogue]
    slugs = re.findall(r'"href": "/tema/([^"?]+)"', render(client, app, "/temaer"))
    urls += [(f"/tema/{slug}", "?kommune=169") for slug in sorted(set(slugs))]
    answers = []
    for path, search in urls:
        response = call(client, app, {"_pages_location.pathname": path, "_pages_location.search": search})
        if response.status_code == 200:   # a data area with one page has no second one
            answers.append(response.get_json())
    return answers


def walk_callbacks(client, app, catalogue) -> list[dict]:
    """Every server callback with a public key figure (the samples of tests/test_access_walk, which name a restricted
    one), and the front page's and a key figure's page's year changes for every key figure."""
    client.get("/")
    public = {"forside-noegletal.value": [["beskaeftigelse.ledighed", "2022", ""], [{"noegletal": "x", "aar": "x"}]],
              "noegletal-aar.value": [["2022", ""], [{"noegletal_id": "beskaeftigelse.ledighed", "aar": None}]],
              "excel-noegletal.value": [[["beskaeftigelse.ledighed"], ["169"], "2022"], []]}
    calls = []
    for key, spec in app.callback_map.items():
        if spec.get("callback") is None or str(spec["inputs"][0]["id"]).startswith("{"):
            continue
        name = f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"
        if name == "_pages_location.pathname":
            continue   # the pages: walk_pages
        calls.append((key, spec, *SAMPLES[name]))
        if name in public:
            calls.append((key, spec, *public[name]))
        if name == "forside-noegletal.value":
            calls += [(key, spec, [f["noegletal_id"], "", ""], [{}]) for f in catalogue]
        if name == "noegletal-aar.value":
            calls += [(key, spec, [aar, ""], [{"noegletal_id": f["noegletal_id"], "aar": None}])
                      for f in catalogue for aar in ("2022", "2023")]
    answers = []
    for key, spec, values, state in calls:
        response = client.post("/_dash-update-component", json=_payload(key, spec, values, state))
        assert response.status_code < 500
        if response.status_code == 200 and response.is_json:
            answers.append(response.get_json())
    return answers


@pytest.mark.langsom   # every page and callback of every figure: about 8 s
def test_no_page_or_callback_shows_more_decimals_than_its_key_figure(client, app, catalogue):
    decimals = {f["noegletal_id"]: int(f["decimaler"]) for f in catalogue}
    by_title = {f["titel"]: int(f["decimaler"]) for f in catalogue}
    assert len(by_title) == len(decimals)   # titles name key figures
    problems, charts, tables = [], 0, 0
    for answer in walk_pages(client, app, catalogue) + walk_callbacks(client, app, catalogue):
        for figure in figures(answer):
            found = figure_problems(figure, by_title)
            charts += found is not None
            problems += found or []
        tables += '"vaerditabel"' in json.dumps(answer)
        problems += card_problems(answer, decimals) + table_problems(answer, by_title)
        problems += patch_problems(answer, by_title)
    assert charts > 200 and tables > 5
    assert not problems, problems[:20]


@pytest.mark.langsom   # every figure in every API format: about 18 s
def test_no_api_format_carries_more_decimals_than_its_key_figure(client, catalogue):
    problems = []
    for f in catalogue:
        fid, d = f["noegletal_id"], int(f["decimaler"])
        query = f"/api/v1/data?noegletal={fid}&pr_side=50000"
        rows = get(client, query + "&format=json").get_json()["data"]
        problems += [(fid, r["vaerdi"]) for r in rows if r["vaerdi"] is not None and not has_decimals(r["vaerdi"], d)]
        csv = pd.read_csv(io.BytesIO(get(client, query + "&format=csv").data), sep=";", dtype=str, encoding="utf-8-sig")
        problems += [(fid, v) for v in csv["INDHOLD"].dropna() if len(v.partition(",")[2]) > d]
        problems += [(fid, v) for v in _xlsx_values(get(client, query + "&format=xlsx").data)
                     if v is not None and not has_decimals(v, d)]
    assert not problems, problems[:20]


def test_the_builds_rounding_in_duckdb_agrees_with_the_pages_on_ties_and_their_neighbours():
    """kdk.format.rounded_sql (the marts) and kdk.format.rounded (pages, files) give the same published number, also
    for ties written exactly (2,675), ties a float sum missed (3.4499999999999997) and their neighbours."""
    import random

    import duckdb

    from kdk.format import rounded, rounded_sql

    rng = random.Random(16)
    cases = [(3.4499999999999997, 1), (3.45, 1), (1.005, 2), (2.675, 2), (-2.45, 1), (-0.04, 1), (0.0, 0),
             (99999999.95, 1), (123456789012.345, 2), (1e16 + 2, 0)]
    for _ in range(20_000):
        d = rng.choice([0, 1, 2, 3])
        tie = (rng.randint(-10**7, 10**7) + 0.5) / 10**d
        cases += [(tie, d), (tie + 1e-12, d), (tie - 1e-12, d), (rng.uniform(-1e6, 1e6), d),
                  (sum(rng.randint(0, 200) / 10 for _ in range(12)) / 12, 1)]
    with duckdb.connect() as con:
        con.register("t", pd.DataFrame(cases, columns=["v", "d"]))
        got = con.execute(f"SELECT v, d, {rounded_sql('v', 'd')} FROM t").fetchall()
    differ = [(v, d, r) for v, d, r in got if repr(r) != repr(float(rounded(v, d)))]
    assert not differ, differ[:10]
    assert float(rounded(3.4499999999999997, 1)) == 3.5 and float(rounded(2.675, 2)) == 2.68


def test_a_load_of_one_key_figure_does_not_move_the_comparison_groups(fresh_marts, tmp_path, monkeypatch):
    """The groups are computed from the values as stored (published), by the build and by a load alike: a load of
    grades moves no municipality in or out of another's ten most comparable."""
    import duckdb

    from kdk.cli import main
    from tests.test_ingest import all_98, wide_file

    def groups() -> set:
        with duckdb.connect(str(fresh_marts.marts_path), read_only=True) as con:
            return set(con.execute("""SELECT sammenligningsomraade, aar, kommunekode, sammenligningskode
                                      FROM bm_sammenligning
                                      WHERE rang <= 10""").fetchall())

    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    before = groups()
    assert main(["ingest", str(wide_file(tmp_path / "k.csv", all_98("7,7"))), "--noegletal", "skole.karakter"]) == 0
    assert groups() == before and len(before) > 50_000
