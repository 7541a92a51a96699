"""The charts (components/charts.py) are plain figure dicts: what they draw must be what plotly's own helpers draw,
and every chart a page sends must be a figure plotly accepts (graph_objects validates each property)."""
from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from components import charts
from kdk import sprog
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
    assert figure.layout.annotations[:2] == reference.layout.annotations
    assert list(figure.data[0].x) == ["Frederiksberg", "København"]        # no value, no bar
    assert "alle 2 kommuner" in figure.layout.title.subtitle.text


def test_a_legend_is_one_line_above_the_plot_and_takes_no_height_from_it():
    series = [("2023", 7.0), ("2024", 7.2)]
    one = go.Figure(charts.trend(META, [("København", series, "#000")]))
    two = go.Figure(charts.trend(META, [("København", series, "#000"), ("Hele landet", series, "#555")]))
    assert (one.layout.height, one.layout.margin.b) == (two.layout.height, two.layout.margin.b) == (380, 40)
    assert (two.layout.legend.orientation, two.layout.legend.y, two.layout.legend.yanchor) == ("h", 1, "bottom")
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


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def labels(figure) -> list[str]:
    return [a.text for a in figure.layout.annotations]


def test_the_ranking_marks_and_labels_the_municipality_and_says_what_its_colours_mean():
    figure = go.Figure(charts.ranking(META, FORDELING, "101", {"147"}, [("Hele landet", 7.3)], "2024"))
    colours = dict(zip(figure.data[0].x, figure.data[0].marker.color))
    assert colours == {"København": charts.farver.KOMMUNE_FARVE, "Frederiksberg": charts.farver.REGION_FARVE}
    label = next(a for a in figure.layout.annotations if a.x == "København")
    assert "København" in label.text and "7,1" in label.text and label.showarrow
    key = next(text for text in labels(figure) if "Sammenlignelige" in text)
    assert all(word in key for word in ("København", "Andre kommuner", "Hele landet"))
    assert charts.farver.KOMMUNE_FARVE in key and charts.farver.REGION_FARVE in key


def test_the_municipalitys_colour_stands_out_at_3_to_1_from_the_background_and_the_other_bars():
    own = charts.farver.KOMMUNE_FARVE
    for other in ("#ffffff", charts.farver.REGION_FARVE, charts.farver.BAGGRUND_FARVE):
        assert contrast(own, other) >= 3, other
    assert contrast(charts.farver.REGION_FARVE, "#ffffff") >= 3


def test_the_distribution_labels_the_municipalitys_point_and_has_a_key_instead_of_a_legend():
    figure = go.Figure(charts.fordelingsboks(META, FORDELING, "101", {"147"}, "2024"))
    label = next(a for a in figure.layout.annotations if a.x == 7.1)
    assert "København" in label.text and "7,1" in label.text and label.showarrow
    assert any("Sammenlignelige" in text and "København" in text for text in labels(figure))
    assert not figure.layout.showlegend


def test_the_modebar_offers_only_png_svg_and_full_screen_and_nothing_to_share_with_plotlys_cloud():
    config = charts.config()
    assert config["modeBarButtons"] == [["hentPng", "hentSvg", "fuldSkaerm"]]
    assert config["showSendToCloud"] is False and config["showEditInChartStudio"] is False
    assert config["locale"] == "da" and config["displaylogo"] is False
    with sprog.brug("en"):
        assert charts.config()["locale"] == "en"


def test_the_maps_hover_gives_value_unit_and_rank_and_its_colour_scale_lies_under_the_map():
    square = '{"type": "Polygon", "coordinates": [[[12, 55], [12.1, 55], [12.1, 55.1], [12, 55]]]}'
    figure = go.Figure(charts.kort(META, FORDELING, {"101": square, "147": square, "151": square}, "2024", land=7.3))
    hovers = {trace.name: trace.hovertemplate for trace in figure.data if trace.name}
    assert hovers["København"].startswith("København: 7,1 karakter") and "nr. 2 af 2" in hovers["København"]
    assert "nr. 1 af 2" in hovers["Frederiksberg"] and "nr." not in hovers["Ballerup"]
    bar = figure.data[-1].marker.colorbar
    assert bar.orientation == "h" and bar.x == 0.5 and bar.xanchor == "center"


def test_the_matrix_labels_every_row_at_11_px_with_room_for_each(client, app):
    page = json.loads(render(client, app, "/sammenligning", "?kommune=101&sammenligningsomraade=skole&fane=matrice"))
    figure = next(node["props"]["figure"] for node in nodes(page) if node["type"] == "Graph")
    layout, rows = figure["layout"], len(figure["data"][0]["y"])
    assert rows > 90 and layout["yaxis"]["tickfont"]["size"] >= 11
    assert (layout["yaxis"]["tickmode"], layout["yaxis"]["dtick"]) == ("linear", 1)    # a label on every row
    assert (layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]) / rows >= 14
