"""A five-year figure's trend on the profile card and in depth, and the charts of a figure that cannot be added up to
regions (aggregering `ingen`): no empty region line, and a note saying the regions are not counted. Over HTTP, as an
anonymous viewer."""
from __future__ import annotations

import json

import pytest

from components import farver
from components.noegletalskort import IKKE_OPGJORT
from components.sparkline import sparkline
from tests.dash_http import nodes, render

LEVETID = "sundhed.middellevetid"


def graphs(page: dict, titel: str) -> list[dict]:
    """The line charts (scatter traces over time) titled `titel` in a rendered page."""
    return [n["props"]["figure"] for n in nodes(page) if n["type"] == "Graph"
            and n["props"]["figure"]["layout"]["title"]["text"] == titel
            and n["props"]["figure"]["data"][0]["type"] == "scatter" and "fill" not in n["props"]["figure"]["data"][0]]


def card(page: dict, fid: str) -> dict:
    return next(n for n in nodes(page) if n["type"] == "Article" and n["props"].get("id") == f"kort-{fid}")


def test_the_life_expectancy_card_draws_every_five_year_period_of_the_municipality(client, app, con):
    facts = con.execute("SELECT periode, vaerdi FROM fct_noegletal WHERE noegletal_id = ? AND omraade_kode = '101' "
                        "ORDER BY periode", [LEVETID]).fetchall()
    assert len(facts) == 22 and facts[-1][0] == "2021:2025"
    page = json.loads(render(client, app, "/kommune/101", "?omraade=sundhed"))
    [img] = [n for n in nodes(card(page, LEVETID)) if n["type"] == "Img"]
    assert img["props"]["src"] == sparkline([v for _, v in facts], farver.KOMMUNE_FARVE, "")["props"]["src"]
    assert img["props"]["alt"] == "Udvikling i middellevetid for København, 2000–2004 til 2021–2025"


def test_the_in_depth_life_expectancy_chart_draws_the_five_year_periods(client, app, con):
    page = json.loads(render(client, app, "/kommune/101", "?omraade=sundhed"))
    [trend] = graphs(page, "Middellevetid")
    lines = {t["name"]: t for t in trend["data"]}
    for name, kode in (("København", "101"), ("Hele landet", "000")):
        facts = con.execute("SELECT periode, vaerdi FROM fct_noegletal WHERE noegletal_id = ? AND omraade_kode = ? "
                            "ORDER BY periode", [LEVETID, kode]).fetchall()
        assert lines[name]["text"] == [p.replace(":", "–") for p, _ in facts]
        assert lines[name]["y"] == pytest.approx([v for _, v in facts])


@pytest.mark.parametrize("path, search", [
    ("/kommune/101", "?omraade=befolkning"), ("/noegletal/befolkning.gini", ""),
    ("/sammenligning", "?kommune=101&sammenligningsomraade=tvaergaaende&noegletal=befolkning.gini")])
def test_a_figure_not_counted_for_regions_draws_no_region_line_and_says_why(client, app, path, search):
    page = json.loads(render(client, app, path, search))
    [trend] = graphs(page, "Indkomstulighed (Gini-koefficient)")
    names = [t["name"] for t in trend["data"]]
    assert not [n for n in names if n.startswith("Region")], names
    assert all(any(v is not None for v in t["y"]) for t in trend["data"])
    assert "Hele landet" in names
    assert trend["layout"]["title"]["subtitle"]["text"].count(IKKE_OPGJORT) == 1


GINI_FORBEHOLD = "få personer med meget store positive eller negative indkomster"


def shown_texts(tree) -> list[str]:
    """Every text a reader sees in a rendered tree (children strings; not a title shown on hover)."""
    return [n["props"]["children"] for n in nodes(tree) if isinstance(n["props"].get("children"), str)]


def test_the_gini_card_shows_dsts_caveat_with_the_number(client, app):
    page = json.loads(render(client, app, "/kommune/101", "?omraade=befolkning"))
    assert [t for t in shown_texts(card(page, "befolkning.gini")) if GINI_FORBEHOLD in t]
    assert not [t for t in shown_texts(card(page, "befolkning.relativ_fattigdom")) if "Forbehold" in t]


def test_the_gini_page_shows_dsts_caveat_with_the_level_not_only_in_the_definition(client, app):
    page = json.loads(render(client, app, "/noegletal/befolkning.gini", ""))
    level = next(n for n in nodes(page) if n["props"].get("id") == "noegletal-niveau")
    assert [t for t in shown_texts(level) if GINI_FORBEHOLD in t]


def test_the_profile_header_says_which_of_the_two_unemployment_figures_it_shows(client, app):
    page = json.loads(render(client, app, "/kommune/101", "?omraade=beskaeftigelse"))
    header = next(n for n in nodes(page) if n["type"] == "Header" and n["props"].get("className") == "profil-hoved")
    terms = [n["props"]["children"] for n in nodes(header) if n["type"] == "Dt"]
    assert "Registreret ledighed (Jobindsats)" in terms and "Ledighed" not in terms
    assert {"Registreret ledighed, månedlig (Jobindsats)", "Fuldtidsledighed, årsgennemsnit (DST)"} <= {
        n["props"]["children"] for n in nodes(page) if n["type"] == "H3"}


def test_the_life_expectancy_page_calls_its_periods_rolling_five_year_periods_not_months(client, app):
    page = json.loads(render(client, app, "/noegletal/sundhed.middellevetid", ""))
    facts = next(n for n in nodes(page) if n["props"].get("className") == "faktaliste")
    periodicitet = next(d["props"]["children"] for d in nodes(facts) if d["type"] == "Div"
                        and d["props"]["children"][0]["props"]["children"] == "Periodicitet")[1]["props"]["children"]
    assert periodicitet == "Rullende femårsperioder"
