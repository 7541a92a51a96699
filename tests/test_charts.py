"""The charts (components/charts.py) are plain figure dicts: what they draw must be what plotly's own helpers draw,
and every chart a page sends must be a figure plotly accepts (graph_objects validates each property)."""
from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from components import charts
from tests.dash_http import nodes, render

META = {"titel": "Karaktergennemsnit", "enhed": "karakter", "decimaler": 1, "retning": "op", "demodata": True,
        "kilde": "Demo."}
FORDELING = [{"kommunekode": "147", "navn": "Frederiksberg", "vaerdi": 7.6},
             {"kommunekode": "101", "navn": "København", "vaerdi": 7.1},
             {"kommunekode": "151", "navn": "Ballerup", "vaerdi": None}]


def test_reference_lines_are_drawn_as_plotlys_add_hline_draws_them():
    figure = go.Figure(charts.ranking(META, FORDELING, "101", {"147"}, [("Hele landet", 7.3), ("Region", 7.0)],
                                      "2024"))
    reference = go.Figure()
    reference.add_hline(y=7.3, line={"color": charts.farver.NEUTRAL_FARVE, "dash": "dash", "width": 1},
                        annotation={"text": "Hele landet", "font": {"size": 11}}, annotation_position="top right")
    reference.add_hline(y=7.0, line={"color": charts.farver.NEUTRAL_FARVE, "dash": "dash", "width": 1},
                        annotation={"text": "Region", "font": {"size": 11}}, annotation_position="bottom right")
    assert figure.layout.shapes == reference.layout.shapes
    assert figure.layout.annotations == reference.layout.annotations
    assert list(figure.data[0].x) == ["Frederiksberg", "København"]        # no value, no bar
    assert "alle 2 kommuner" in figure.layout.title.subtitle.text


def test_a_legend_gets_room_under_the_plot_and_a_lone_series_does_not():
    series = [("2023", 7.0), ("2024", 7.2)]
    one = go.Figure(charts.trend(META, [("København", series, "#000")]))
    two = go.Figure(charts.trend(META, [("København", series, "#000"), ("Hele landet", series, "#555")]))
    assert (one.layout.height, one.layout.margin.b) == (380, 40)
    assert (two.layout.height, two.layout.margin.b) == (440, 100)
    assert two.layout.yaxis.tickformat == ",.1f" and two.layout.xaxis.tickformat == "d"


def test_a_missing_value_is_a_gap_in_the_line_not_invalid_json():
    series = [("2022", 7.0), ("2023", float("nan")), ("2024", 7.2)]
    figure = charts.trend(META, [("København", series, "#000")])
    assert figure["data"][0]["y"] == [7.0, None, 7.2]
    json.dumps(figure, allow_nan=False)


PAGES = [("/", ""), ("/", "?noegletal=befolkning.indbyggere&aar=2010"), ("/kommune/101", "?omraade=skole"),
         ("/kommune/851", "?omraade=beskaeftigelse"), ("/tema/rekruttering", "?kommune=101"),
         ("/tema/boern-og-unge", "?kommune=860"), ("/sammenligning", "?kommune=101&sammenligningsomraade=skole"),
         ("/sammenligning", "?kommune=101&sammenligningsomraade=aeldre&fane=matrice&sorter=navn"),
         ("/noegletal/befolkning.indbyggere", ""), ("/noegletal/beskaeftigelse.ledighed", "")]


@pytest.mark.parametrize("path, search", PAGES)
def test_every_chart_a_page_sends_is_a_figure_plotly_accepts(client, app, path, search):
    page = json.loads(render(client, app, path, search))
    graphs = [node["props"]["figure"] for node in nodes(page) if node["type"] == "Graph"]
    assert graphs, f"{path}{search} draws no chart"
    for figure in graphs:
        drawn = go.Figure(figure)   # raises for a property, value or trace type plotly does not know
        assert drawn.layout.title.text and drawn.layout.separators == ",."
