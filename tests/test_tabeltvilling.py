"""Every chart's Diagram | Tabel twin, over HTTP as an anonymous visitor: each chart on a profile, the comparison page,
a theme and a key figure's page has the switch, and the table it shows (the chart's CSV link asked for as `html`)
has exactly the CSV's rows: the same areas, periods, values in Danish format, and "–" with the reason where the CSV
hides a value. Each chart is named by its title and described by one sentence of what it draws, true to its data,
also after a callback redraws it."""
from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest

from kdk import periods
from tests.dash_http import call, find_id, found, nodes, render

PAGES = [("/kommune/101", "?omraade=skole"), ("/sammenligning", "?kommune=101"), ("/tema/rekruttering", "?kommune=101"),
         ("/noegletal/skole.karakter", ""), ("/", "")]
STATUS = {"": "", "..": "Diskretioneret: for få personer til at vise tallet", "...": "Ikke tilgængelig",
          "F": "Foreløbig værdi"}


class Table(HTMLParser):
    """The caption, the header cells and the body rows of the first table in an HTML text (row header included),
    and each cell's tag and scope."""

    def __init__(self, text: str):
        super().__init__()
        self.caption, self.head, self.rows, self.scopes = "", [], [], set()
        self._part, self._cell = None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag in ("caption", "thead", "tbody"):
            self._part = tag
        elif tag == "tr" and self._part == "tbody":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = ""
            self.scopes.add((self._part, tag, dict(attrs).get("scope")))

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            (self.head if self._part == "thead" else self.rows[-1]).append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._part == "caption":
            self.caption += data


def charts(client, app, path: str, search: str) -> list[dict]:
    """The props of every chart figure (with the switch) on a page."""
    page = json.loads(render(client, app, path, search))
    graphs = [n for n in nodes(page) if n["type"] == "Graph"]
    figures = [n["props"] for n in nodes(page) if "tvilling" in str(n["props"].get("className", "")).split()]
    assert graphs and len(figures) == len(graphs), f"{path}: {len(graphs)} charts, {len(figures)} with a switch"
    return figures


@pytest.mark.parametrize(("path", "search"), PAGES)
def test_every_excel_link_names_its_chart_and_gives_exactly_its_csv_selection(client, app, path, search):
    for figure in charts(client, app, path, search):
        title = find_id(figure, figure["aria-labelledby"])["children"]
        excel = [a["props"] for a in found(figure, lambda d: d.get("type") == "A") if a["props"]["children"] == "Excel"]
        assert [(a["href"], a["aria-label"]) for a in excel] == [
            (csv_link(figure).replace("format=csv", "format=xlsx"), f"Excel: {title}")]


def csv_link(figure: dict) -> str:
    return next(a["props"]["href"] for a in found(figure, lambda d: d.get("type") == "A")
                if "format=csv" in a["props"]["href"])


def csv_rows(client, href: str) -> list[dict]:
    answer = client.get(href)
    assert answer.status_code == 200
    return list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig")), delimiter=";"))


def expected(row: dict) -> list[str]:
    """A CSV row as its table row shows it: area, period label, value in Danish format (or "–"), status in words."""
    value = row["INDHOLD"]
    if value:
        whole, _, decimals = value.lstrip("-").partition(",")
        value = ("-" if value.startswith("-") else "") + f"{int(whole):,}".replace(",", ".") + (
            "," + decimals if decimals else "")
    return [row["OMRAADE_NAVN"], periods.label(row["TID"]), value or "–", STATUS.get(row["STATUS"], row["STATUS"])]


@pytest.mark.parametrize(("path", "search"), PAGES)
def test_every_chart_has_a_switch_whose_table_has_exactly_the_csv_rows(client, app, path, search):
    for figure in charts(client, app, path, search):
        buttons = [n["props"] for n in nodes(figure) if n["type"] == "Button"]
        assert [(b["children"], b["aria-pressed"]) for b in buttons[:2]] == [("Diagram", "true"), ("Tabel", "false")]
        href = csv_link(figure)
        answer = client.get(href.replace("format=csv", "format=html"))
        assert answer.status_code == 200 and answer.mimetype == "text/html"
        table = Table(answer.data.decode("utf-8"))
        rows = csv_rows(client, href)
        assert table.rows == [expected(r) for r in rows], f"{path}: {href}"
        assert rows[0]["NOEGLETAL"] in table.caption and table.head[0] == "Område"
        assert {("thead", "th", "col"), ("tbody", "th", "row")} <= table.scopes


def test_a_suppressed_value_is_a_dash_with_its_reason_as_in_the_csv(client):
    href = "/api/v1/data?noegletal=personale.sosu_frafald&kommune=alle&format=csv"
    suppressed = [r for r in csv_rows(client, href) if r["STATUS"] == ".."]
    assert suppressed, "the shipped data have suppressed values of this figure"
    table = Table(client.get(href.replace("format=csv", "format=html")).data.decode("utf-8"))
    shown = {(r[0], r[1]): r[2:] for r in table.rows}
    for r in suppressed:
        assert shown[(r["OMRAADE_NAVN"], periods.label(r["TID"]))] == ["–", STATUS[".."]]


@pytest.mark.parametrize("noegletal", ["findesikke", "ubu.anbragte"])   # unknown, and restricted to an anonymous
def test_the_table_refuses_what_the_csv_refuses(client, noegletal):
    for fmt in ("csv", "html"):
        answer = client.get(f"/api/v1/data?noegletal={noegletal}&kommune=101&format={fmt}")
        message = answer.get_json()["fejl"] if fmt == "html" else answer.data.decode("utf-8")   # the script shows it
        assert answer.status_code == 400 and "Ukendt nøgletal" in message


def sentence(figure: dict) -> str:
    return find_id(figure, figure["aria-describedby"])["children"]


def danish(value: str, unit: str) -> str:
    return expected({"OMRAADE_NAVN": "", "TID": "2024", "INDHOLD": value, "STATUS": ""})[2] + (
        "" if unit == "antal" else f" {unit}")


@pytest.mark.parametrize(("path", "search"), PAGES)
def test_every_chart_is_named_and_described_by_a_sentence_of_its_data(client, app, path, search):
    for figure in charts(client, app, path, search):
        title = find_id(figure, figure["aria-labelledby"])["children"]
        text = sentence(figure)
        assert title and f": {title}" in text and text.endswith(".") and any(c.isdigit() for c in text), text


def test_a_ranking_sentence_gives_the_municipalitys_rank_and_value_as_the_csv_has_them(client, app):
    rankings = [f for f in charts(client, app, "/kommune/101", "?omraade=skole") if "kommune=alle" in csv_link(f)]
    assert rankings
    for figure in rankings:
        rows = [r for r in csv_rows(client, csv_link(figure)) if r["INDHOLD"]]
        values = {r["OMRAADE_NAVN"]: float(r["INDHOLD"].replace(",", ".")) for r in rows}
        own = next(r for r in rows if r["OMRAADE"] == "101")
        rank = 1 + sum(v > values[own["OMRAADE_NAVN"]] for v in values.values())
        assert (f"{own['OMRAADE_NAVN']} er nr. {rank} af {len(rows)} med {danish(own['INDHOLD'], own['ENHED'])}"
                in sentence(figure))


def test_another_year_redraws_the_sentence_with_the_chart(client, app):
    page = json.loads(render(client, app, "/noegletal/skole.karakter"))
    before = find_id(page, "noegletal-rangering-resume")["children"]
    r = call(client, app, {"noegletal-aar.value": "2020", "noegletal-url.search": ""},
             {"noegletal-kontekst.data": {"noegletal_id": "skole.karakter", "aar": None},
              "_pages_location.search": ""})
    caption = r.get_json()["response"]["noegletal-rangering-hent"]["children"]
    after = find_id(caption, "noegletal-rangering-resume")["children"]
    assert "2020" in after and after != before


def test_a_table_too_large_to_show_is_refused_in_danish_not_written(client):
    """The HTML table costs 3–4 times the CSV's CPU: a table no chart draws (every figure, every area, 50 000 rows
    a page) is a Danish 400 pointing to the CSV, so no visitor can keep the workers busy writing HTML."""
    ids = client.get("/api/v1/noegletal?format=json").get_json()["noegletal"]
    query = f"noegletal={','.join(f['noegletal_id'] for f in ids[:20])}&kommune=alle&pr_side=50000"
    r = client.get(f"/api/v1/data?{query}&format=html")
    assert r.status_code == 400, r.status_code
    assert "CSV" in r.get_data(as_text=True) and "<table" not in r.get_data(as_text=True)
    assert client.get(f"/api/v1/data?{query}&format=csv").status_code == 200   # the same rows as a download
