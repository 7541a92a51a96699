"""The table builder /tabel over HTTP as an anonymous visitor: the table it shows has exactly the rows of its CSV
link, its address keeps the choice (and a changed choice gives the address of the new table), a bad or too large
choice is a Danish 400, a restricted key figure is refused and never shown, and its PX link reads back."""
from __future__ import annotations

import csv
import io
import json

from pyaxis import pyaxis

from tests.dash_http import call, found, href, nodes, render
from tests.test_tabeltvilling import Table

CHOICE = "?noegletal=beskaeftigelse.ledighed,skole.karakter&kommune=000,101,751&periode=2023,2024"
PICKERS = ("tabel-noegletal.value", "tabel-kommune.value", "tabel-periode.value", "tabel-gruppe.value")
SHOWN = {"_pages_location.search": ""}   # the address of the page the pickers are on, as the renderer sends it


def page(client, app, search: str) -> dict:
    return json.loads(render(client, app, "/tabel", search))


def shown_table(tree: dict) -> Table:
    return Table(next(n for n in nodes(tree) if n["type"] == "Markdown")["props"]["children"])


def link(tree: dict, label: str) -> str:
    return next(a["props"]["href"] for a in found(tree, lambda d: d.get("type") == "A")
                if a["props"].get("children") == label)


def chosen(tree: dict) -> list:
    return [n["props"]["value"] for n in nodes(tree) if n["type"] == "Dropdown"][:3]


def test_the_table_has_exactly_the_rows_of_its_csv_link(client, app):
    tree = page(client, app, CHOICE)
    table = shown_table(tree)
    answer = client.get(link(tree, "CSV"))
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 12   # 2 key figures × 3 areas × 2 years
    assert [r[:4] for r in table.rows] == [[c["NOEGLETAL"], c["OMRAADE_NAVN"], c["TID"], c["INDHOLD"] or "–"]
                                           for c in rows]
    assert {("thead", "th", "col"), ("tbody", "th", "row")} <= table.scopes and table.caption
    assert link(tree, "Excel") == link(tree, "CSV").replace("format=csv", "format=xlsx")
    assert client.get(link(tree, "Excel")).status_code == 200


def test_the_address_keeps_the_choice_and_a_new_choice_gives_its_address(client, app):
    assert chosen(page(client, app, CHOICE)) == [["beskaeftigelse.ledighed", "skole.karakter"], ["000", "101", "751"],
                                                 ["2023", "2024"]]
    answer = call(client, app, dict(zip(PICKERS, (["skole.karakter"], ["751", "101"], ["2024"], None))), SHOWN)
    assert href(answer) == "/tabel?noegletal=skole.karakter&kommune=101,751&periode=2024"
    assert chosen(page(client, app, "?noegletal=skole.karakter&kommune=101,751&periode=2024")) == [
        ["skole.karakter"], ["101", "751"], ["2024"]]


def test_without_years_the_table_shows_the_newest(client, app, con):
    tree = page(client, app, "?noegletal=skole.karakter&kommune=101")
    newest = max(p for (p,) in con.execute("SELECT DISTINCT periode FROM fct_noegletal WHERE noegletal_id = "
                                          "'skole.karakter' AND vaerdi IS NOT NULL").fetchall())
    assert {r[-3] for r in shown_table(tree).rows} == {newest} and chosen(tree)[2] == []
    assert link(tree, "CSV").endswith(f"&periode={newest}&format=csv")   # the downloads give the same year


def test_a_comparison_group_is_added_in_one_choice(client, app):
    answer = call(client, app, dict(zip(PICKERS, (["skole.karakter"], ["000"], [], "101"))), SHOWN,
                  changed=PICKERS[3])
    areas = href(answer).split("kommune=")[1].split("&")[0].split(",")
    assert {"000", "101"} < set(areas) and len(areas) > 3


def test_bad_values_are_a_danish_400_with_the_valid_ones(client, app):
    for search, words in [("?noegletal=skole.karaktr", "skole.karakter"), ("?noegletal=skole.karakter&kommune=9999",
                                                                          "Nærmeste gyldige værdier"),
                          ("?noegletal=skole.karakter&periode=1901", "Ugyldig værdi"),
                          ("?noegletal=skole.karakter&kommune=" + ",".join(str(k) for k in range(101, 900)),
                           "Ugyldig værdi")]:
        assert client.get("/tabel" + search).status_code == 400, search
        assert words in render(client, app, "/tabel", search), search


def test_a_table_beyond_the_limits_is_refused_in_danish(client, app, con):
    codes = [k for (k,) in con.execute("SELECT kommunekode FROM dim_kommune ORDER BY 1").fetchall()]
    search = f"?noegletal=skole.karakter&kommune={','.join(['000', *codes, '1081', '1082'])}"
    assert client.get("/tabel" + search).status_code == 400
    assert "Vælg højst 99" in render(client, app, "/tabel", search)
    catalogue = client.get("/api/v1/noegletal?format=json").get_json()["noegletal"]
    figures = list(dict.fromkeys(["skole.karakter", *(f["noegletal_id"] for f in catalogue)]))[:20]
    years = [y for (y,) in con.execute("SELECT DISTINCT periode FROM fct_noegletal WHERE noegletal_id = "
                                       "'skole.karakter' AND vaerdi IS NOT NULL ORDER BY 1 DESC LIMIT 6").fetchall()]
    search = f"?noegletal={','.join(figures)}&kommune={','.join(codes)}&periode={','.join(years)}"
    assert client.get("/tabel" + search).status_code == 400
    assert "højst 10.000 kan vises" in render(client, app, "/tabel", search)


def test_a_restricted_key_figure_is_refused_and_never_shown(client, app, con):
    title = con.execute("SELECT titel FROM dim_noegletal WHERE noegletal_id = 'ubu.anbragte'").fetchone()[0]
    search = "?noegletal=ubu.anbragte&kommune=101"
    assert client.get("/tabel" + search).status_code == 400
    assert title not in render(client, app, "/tabel", search)
    assert title not in render(client, app, "/tabel", "?noegletal=skole.karakter&kommune=101")   # not offered either
    assert client.get("/api/v1/data" + search + "&format=px").status_code == 400


def test_one_key_figure_has_a_px_link_that_reads_back(client, app, tmp_path):
    tree = page(client, app, "?noegletal=skole.karakter&kommune=101,751&periode=2023,2024")
    answer = client.get(link(tree, "PX"))
    assert answer.status_code == 200 and 'CONTENTS="' in answer.data.decode("windows-1252")
    path = tmp_path / "tabel.px"
    path.write_bytes(answer.data)
    parsed = pyaxis.parse(str(path), encoding="windows-1252")["DATA"]
    assert len(parsed) == 4 and set(parsed["tid"]) == {"2023", "2024"}
    assert "PX" not in [a["props"].get("children") for a in found(page(client, app, CHOICE),
                                                                   lambda d: d.get("type") == "A")]
    several = client.get(link(page(client, app, CHOICE), "CSV").replace("format=csv", "format=px"))
    assert several.status_code == 400 and "ét nøgletal" in several.get_json()["fejl"]


def test_the_pickers_as_the_page_drew_them_leave_the_page_where_it_is(client, app):
    """The pickers' first values are the address's own: no new address, so a page in the presentation view stays
    in it (and is not rendered twice)."""
    search = "?noegletal=skole.karakter&kommune=101,751&visning=praesentation"
    answer = call(client, app, dict(zip(PICKERS, (["skole.karakter"], ["751", "101"], [], None))),
                  {"_pages_location.search": search})
    assert answer.status_code == 204
