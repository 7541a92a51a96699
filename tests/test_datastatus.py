"""/datastatus over HTTP: every visible data area and no restricted one, coverage and demo share as independent
DuckDB queries compute them, the latest release, and the page following a new ingest with its warning."""
from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest
from babel.dates import format_date

from kdk import format as fmt
from kdk.auth import users
from kdk.cli import main
from kdk.queries import datastatus as statusdata
from kdk.queries.scope import ANONYMOUS, Scope
from tests.conftest import altered
from tests.dash_http import nodes, render
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD, sign_in
from tests.test_ingest import all_98, wide_file

RESTRICTED_AREAS = {"ubu"}


# --- reading the rendered page ---------------------------------------------------------------------------------------

def page(client, app, search: str = "") -> dict:
    """The page's component tree, as the router callback returns it."""
    return json.loads(render(client, app, "/datastatus", search))["response"]["_pages_content"]["children"]


def text(tree) -> str:
    """The visible text of a component tree, as the browser would join it."""
    if isinstance(tree, str):
        return tree
    if isinstance(tree, (int, float)):
        return str(tree)
    if isinstance(tree, list):
        return "".join(text(t) for t in tree)
    if isinstance(tree, dict):
        return text(tree.get("props", {}).get("children")) if "props" in tree else ""
    return ""


def by_id(tree, component_id: str) -> dict | None:
    return next((n for n in nodes(tree) if n["props"].get("id") == component_id), None)


def by_class(tree, cls: str) -> dict | None:
    return next((n for n in nodes(tree) if cls in (n["props"].get("className") or "").split()), None)


def table_rows(table) -> list[dict]:
    """The body rows of a table component."""
    body = next(n for n in nodes(table) if n["type"] == "Tbody")
    return body["props"]["children"]


def cells(row) -> list:
    return row["props"]["children"]


def rule_code(cell) -> str:
    """The rule's code, which the page gives as the title of its Danish name."""
    return next(n["props"]["title"] for n in nodes(cell) if "title" in n["props"])


def tiles(section) -> dict[str, list[str]]:
    """A section's tiles: label (dt) -> texts of its dd elements (number first, then the note)."""
    out = {}
    for n in nodes(section):
        if "ds-flise" in (n["props"].get("className") or ""):
            children = [c for c in n["props"]["children"] if c]
            out[text(children[0])] = [text(c) for c in children[1:]]
    return out


# --- independent computations on the marts ---------------------------------------------------------------------------

def public_coverage(con) -> pd.DataFrame:
    """Per public data area, computed from the raw tables without the app's SQL."""
    figures = con.execute("SELECT noegletal_id, dataomraade, demodata FROM dim_noegletal "
                          "WHERE adgang = 'offentlig'").df()
    facts = con.execute("SELECT noegletal_id, omraade_kode, periode, vaerdi, status FROM fct_noegletal").df()
    municipalities = set(con.execute("SELECT kommunekode FROM dim_kommune").df()["kommunekode"])
    rows = []
    for f in figures.itertuples():
        mine = facts[facts["noegletal_id"] == f.noegletal_id]
        municipal = mine[mine["omraade_kode"].isin(municipalities)]
        cells = mine["periode"].nunique() * len(municipalities)
        with_value = int(municipal["vaerdi"].notna().sum())
        suppressed = int((municipal["status"] == "diskretioneret").sum())
        rows.append({"kode": f.dataomraade, "demo": int(f.demodata), "antal": 1, "celler": cells,
                     "med_vaerdi": with_value, "diskretioneret": suppressed,
                     "mangler": cells - with_value - suppressed})
    return pd.DataFrame(rows).groupby("kode").sum()


def share(part: int, whole: int, decimals: int) -> str:
    return fmt.percent(part / whole, decimals)


def danish_date(value) -> str:
    return format_date(pd.Timestamp(value).date(), format="d. MMMM y", locale="da_DK")


# --- tests -----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, status", [
    ("/datastatus", 200), ("/datastatus?noget=andet", 200),    # no parameters needed; unknown ones are ignored
    ("/datastatus?x=1&x=2", 400),                                # a repeated parameter is refused by the guard
])
def test_page_status(client, url, status):
    r = client.get(url)
    assert r.status_code == status
    assert '<html lang="da">' in r.data.decode()


def test_page_is_in_the_navigation(client, app):
    import dash

    entry = next(p for p in dash.page_registry.values() if p["path"] == "/datastatus")
    assert (entry["name"], entry["order"], entry["nav"]) == ("Datastatus", 4, True)


def test_every_visible_area_has_a_section_and_no_restricted_one(client, app, con):
    tree = page(client, app)
    public = con.execute("""SELECT a.kode, a.navn FROM dim_dataomraade a WHERE EXISTS (SELECT 1 FROM dim_noegletal d
                            WHERE d.dataomraade = a.kode AND d.adgang = 'offentlig') ORDER BY a.raekkefoelge""").df()
    sections = [n["props"]["id"] for n in nodes(tree) if "ds-omraade" in (n["props"].get("className") or "").split()]
    assert sections == public["kode"].tolist()
    for a in public.itertuples():
        assert a.navn in text(by_id(tree, a.kode))
    assert not {by_id(tree, kode) for kode in RESTRICTED_AREAS} - {None}
    whole = json.dumps(tree, ensure_ascii=False)
    restricted = con.execute("SELECT noegletal_id, titel FROM dim_noegletal WHERE adgang = 'begraenset'").df()
    assert "ubu." not in whole    # not even in the build's findings
    assert not [t for t in restricted["titel"] if t in whole]
    assert "Udsatte børn og unge" not in whole


def test_coverage_and_demo_share_match_independent_queries(client, app, con):
    tree = page(client, app)
    expected = public_coverage(con)
    for kode, e in expected.iterrows():
        shown = tiles(by_id(tree, kode))
        assert shown["Dækning"][0] == share(e.med_vaerdi, e.celler, 1), kode
        assert f"{fmt.number(e.med_vaerdi)} af {fmt.number(e.celler)} kommunetal" in shown["Dækning"][1]
        assert shown["Demodata"][0] == share(e.demo, e.antal, 0), kode
        assert shown["Demodata"][1] == f"{fmt.number(e.demo)} af {fmt.number(e.antal)} nøgletal"
        assert shown["Diskretioneret"][0] == fmt.number(e.diskretioneret)
        assert shown["Mangler"][0] == fmt.number(e.mangler)
    # the query module agrees to the cell, not only after rounding
    mine = statusdata.omraader(ANONYMOUS).set_index("kode")
    for column in ("antal", "celler", "med_vaerdi", "diskretioneret", "mangler"):
        assert mine[column].astype(int).to_dict() == expected[column].to_dict(), column
    total = expected.sum()
    top = tiles(by_class(tree, "ds-svar"))
    assert top["Demodata"] == [share(total.demo, total.antal, 0), f"{total.demo} af {total.antal} nøgletal"]
    assert top["Kommunetal med værdi"][0] == share(total.med_vaerdi, total.celler, 1)
    answer = text(tree)
    assert f"{share(total.demo, total.antal, 0)} af nøgletallene er demodata" in answer
    assert f"{fmt.number(total.med_vaerdi)} af {fmt.number(total.celler)}" in answer   # Danish thousands: 61.997


def test_latest_release_shown_is_the_build(client, app, con):
    tree = page(client, app)
    build = con.execute("SELECT * FROM release ORDER BY loebenummer DESC LIMIT 1").df().iloc[0]
    assert build["loebenummer"] == 1
    release = text(by_id(tree, "ds-release"))
    assert build["release_id"] in release and build["beskrivelse"] in release
    assert danish_date(build["udtraeksdato"]) in release
    assert f"Data er sidst opdateret {danish_date(build['udtraeksdato'])}" in text(tree)
    assert len(table_rows(by_id(tree, "ds-release"))) == con.execute("SELECT count(*) FROM release").fetchone()[0]


def test_build_findings_are_listed_without_restricted_ones(client, app, con):
    tree = page(client, app)
    findings = con.execute("""SELECT * FROM validering WHERE (noegletal_id IS NULL OR noegletal_id NOT IN
                              (SELECT noegletal_id FROM dim_noegletal WHERE adgang = 'begraenset'))
                              AND niveau <> 'info'""").df()   # info: the audit's summary, in ds-diskretion
    section = by_id(tree, "ds-validering")
    shown = text(section)
    assert "Fejl stopper en indlæsning; advarsler vises her." in shown
    assert f"i alt 0 fejl og {fmt.number(len(findings))} advarsler" in shown
    counts = {rule_code(cells(r)[1]): text(cells(r)[-1]) for r in table_rows(by_class(section, "ds-regler"))}
    assert counts == {regel: fmt.number(n) for regel, n in findings.groupby("regel").size().items()}
    listed = table_rows(by_class(section, "ds-fund"))
    assert len(listed) == 50
    assert f"og {len(findings) - 50} flere" in shown
    assert {text(cells(r)[-1]) for r in listed} <= set(findings["besked"])
    assert {text(cells(r)[2]) for r in listed} <= set(findings["fil"])

def test_a_scope_with_restricted_areas_sees_them(app):
    everything = Scope(omraader=frozenset(RESTRICTED_AREAS))
    assert set(statusdata.omraader(everything)["kode"]) >= RESTRICTED_AREAS
    assert not RESTRICTED_AREAS & set(statusdata.omraader(ANONYMOUS)["kode"])


def test_the_page_reflects_a_new_ingest_with_its_warning(client, app, marts_env, tmp_path, monkeypatch, capsys):
    """The must-show: load a file missing one municipality into a private marts copy; the page, reading that
    copy, shows the new release as the latest and lists the warning with file, rule and message."""
    import kdk.db

    monkeypatch.setenv("KDK_MARTS", str(marts_env.marts_path))   # what marts_env does; said here for the reader
    assert kdk.db.marts().link == str(marts_env.marts_path)
    before = text(page(client, app))
    assert "fravaer_2025.csv" not in before

    values = {k: v for k, v in all_98("6,5").items() if k != "825"}
    path = wide_file(tmp_path / "fravaer_2025.csv", values, years=("2025",))
    assert main(["ingest", str(path), "--noegletal", "skole.elevfravaer", "--udtraeksdato", "2026-11-20",
                 "--revision", "Rettede fraværstal for 2025"]) == 0   # 2025 is published: a revision
    assert "ADVARSEL [manglende_kommuner]" in capsys.readouterr().out

    con = duckdb.connect(str(marts_env.marts_path), read_only=True)
    try:
        new = con.execute("SELECT * FROM release ORDER BY loebenummer DESC LIMIT 1").df().iloc[0]
        warnings = con.execute("SELECT * FROM validering WHERE release_id = ? AND niveau <> 'info'",
                               [new["release_id"]]).df()
    finally:
        con.close()
    assert new["loebenummer"] == 2 and "manglende_kommuner" in set(warnings["regel"])

    tree = page(client, app)
    release = text(by_id(tree, "ds-release"))
    assert new["release_id"] in release and "Indlæst fra fravaer_2025.csv" in release
    assert "20. november 2026" in release
    assert "Data er sidst opdateret 20. november 2026" in text(tree)
    assert [text(cells(r)[0]) for r in table_rows(by_id(tree, "ds-release"))] == ["2", "1"]

    section = by_id(tree, "ds-validering")
    shown = text(section)
    assert f"Fundene er fra release {new['release_id']} (nr. 2" in shown
    rows = table_rows(by_class(section, "ds-fund"))
    assert len(rows) == len(warnings)
    missing = warnings[warnings["regel"] == "manglende_kommuner"].iloc[0]
    row = next(r for r in rows if missing["besked"] in text(r))
    assert "fravaer_2025.csv" in text(row) and "Kommuner mangler" in text(row)
    assert rule_code(cells(row)[1]) == "manglende_kommuner"      # the rule's code, for whoever reads the report
    assert "825" in missing["besked"] and "skole.elevfravaer" in missing["besked"]
    assert next(n for n in nodes(section) if n["type"] == "Details")["props"]["open"] is True
    assert tiles(by_class(tree, "ds-svar"))["Seneste kontrol"][0] == "0 fejl"
    assert tiles(by_id(tree, "skole"))["Advarsler"][0] == fmt.number(len(warnings))


def test_findings_about_a_restricted_figure_stay_hidden_after_an_ingest(client, app, marts_env, tmp_path):
    values = {k: v for k, v in all_98("60,0").items() if k != "825"}
    path = wide_file(tmp_path / "underretninger.csv", values, years=("2025",))
    assert main(["ingest", str(path), "--noegletal", "ubu.underretninger",
                 "--revision", "Rettede underretninger"]) == 0   # 2025 is published: a revision
    tree = page(client, app)
    whole = json.dumps(tree, ensure_ascii=False)
    assert "ubu." not in whole
    newest = table_rows(by_id(tree, "ds-release"))[0]
    assert text(cells(newest)[0]) == "2"
    assert text(cells(newest)[-1]) == "0 fejl · 0 advarsler"   # its finding names a hidden figure
    assert "Fundene er fra release" in text(by_id(tree, "ds-validering"))
    assert "(nr. 1," in text(by_id(tree, "ds-validering"))


def test_a_finding_is_shown_by_the_figure_it_is_about_not_by_the_words_of_its_message(client, app, marts_env,
                                                                                     tmp_path, monkeypatch):
    """A finding about a restricted figure whose message does not name it (a reworded rule, a hand-written note):
    anonymous viewers see nothing of it, not even in a count; a reader granted the area sees it with the figure."""
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    users.add("med", GOOD, "laeser", "101", {"ubu"})
    message = "Antallet af anbragte børn på Samsø er steget kraftigt fra 2023 til 2024; se efter i kilden."
    before = text(page(client, app))
    altered(marts_env, "med-fund", ("""
        INSERT INTO validering (release_id, fil, linje, kolonne, regel, niveau, besked, noegletal_id)
        SELECT release_id, 'anbringelser.csv', 2, '2024', 'spring', 'advarsel', ?, 'ubu.anbragte'
        FROM release WHERE loebenummer = 1""", [message]))

    assert text(page(client, app)) == before   # not listed, not counted
    sign_in(client, "med")
    tree = page(client, app)
    row = next(r for r in table_rows(by_class(by_id(tree, "ds-validering"), "ds-fund")) if message in text(r))
    assert "Anbragte pr. 1.000 0-17-årige" in text(row) and "anbringelser.csv" in text(row)
    assert tiles(by_id(tree, "ubu"))["Advarsler"][0] == "1"


def test_a_finding_of_a_release_under_embargo_waits_for_it(client, app, marts_env, tmp_path, monkeypatch):
    """A staged release's findings, even about public figures, are shown to the publication team only."""
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    users.add("red", GOOD, "redaktion")
    message = "Nøgletallet 'skole.karakter' mangler 1 kommune i perioden 2026: 825."
    before = text(page(client, app))
    altered(marts_env, "staged", ("""
        INSERT INTO release (release_id, udtraeksdato, embargo_til, beskrivelse, kilde_fil, loebenummer)
        VALUES ('staged', DATE '2026-11-20', TIMESTAMP '2099-01-01 10:00', 'Klar til offentliggørelse',
                'karakterer_2026.csv', 2)""", []), ("""
        INSERT INTO validering (release_id, fil, linje, kolonne, regel, niveau, besked, noegletal_id)
        VALUES ('staged', 'karakterer_2026.csv', NULL, NULL, 'manglende_kommuner', 'advarsel', ?, 'skole.karakter')
        """, [message]))
    assert text(page(client, app)) == before
    sign_in_with_code(client, "red")
    assert message in text(by_id(page(client, app), "ds-validering"))
