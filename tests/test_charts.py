"""The charts are built in one go (components/charts.py); what they draw must be what plotly's own helpers draw."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components import charts

META = {"titel": "Karaktergennemsnit", "enhed": "karakter", "decimaler": 1, "retning": "op", "demodata": True,
        "kilde": "Demo."}
FORDELING = pd.DataFrame({"kommunekode": ["101", "147", "151"], "navn": ["København", "Frederiksberg", "Ballerup"],
                          "vaerdi": [7.1, 7.6, None]})


def test_reference_lines_are_drawn_as_plotlys_add_hline_draws_them():
    figure = charts.ranking(META, FORDELING, "101", {"147"}, [("Hele landet", 7.3), ("Region", 7.0)], "2024")
    reference = go.Figure()
    reference.add_hline(y=7.3, line={"color": charts.farver.NEUTRAL_FARVE, "dash": "dash", "width": 1},
                        annotation={"text": "Hele landet", "font": {"size": 11}}, annotation_position="top right")
    reference.add_hline(y=7.0, line={"color": charts.farver.NEUTRAL_FARVE, "dash": "dash", "width": 1},
                        annotation={"text": "Region", "font": {"size": 11}}, annotation_position="bottom right")
    assert figure.layout.shapes == reference.layout.shapes
    assert figure.layout.annotations == reference.layout.annotations
    assert list(figure.data[0].x) == ["København", "Frederiksberg"]        # no value, no bar
    assert "alle 2 kommuner" in figure.layout.title.subtitle.text


def test_a_legend_gets_room_under_the_plot_and_a_lone_series_does_not():
    series = pd.DataFrame({"periode": ["2023", "2024"], "vaerdi": [7.0, 7.2]})
    one = charts.trend(META, [("København", series, "#000")])
    two = charts.trend(META, [("København", series, "#000"), ("Hele landet", series, "#555")])
    assert (one.layout.height, one.layout.margin.b) == (380, 40)
    assert (two.layout.height, two.layout.margin.b) == (440, 100)
    assert two.layout.yaxis.tickformat == ",.1f" and two.layout.xaxis.tickformat == "d"
