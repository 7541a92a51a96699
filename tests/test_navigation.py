"""Finding one's way, over HTTP as an anonymous visitor (issue 22's navigation): a profile in a year where some key
figures have no value folds them into one-line rows with a count."""
from __future__ import annotations

import json
import re

from tests.dash_http import nodes, render


def page(client, app, path: str, search: str = "") -> list[dict]:
    return list(nodes(json.loads(render(client, app, path, search))))


def with_class(tree: list[dict], name: str) -> list[dict]:
    return [n for n in tree if n["props"].get("className") == name]


def cards(tree: list[dict]) -> set[str]:
    return {n["props"]["id"] for n in tree if str(n["props"].get("id", "")).startswith("kort-")}


def test_a_year_without_values_folds_those_figures_into_one_line_rows_with_a_count(client, app):
    assert "kort-befolkning.indbyggere" in cards(page(client, app, "/kommune/751"))

    in_2025 = page(client, app, "/kommune/751", "?aar=2025")
    assert "kort-befolkning.indbyggere" not in cards(in_2025)   # no tall card of dashes
    assert "kort-beskaeftigelse.ledighed" in cards(in_2025)      # a figure with a 2025 value keeps its card
    folded = with_class(in_2025, "uden-tal-raekke")
    text = json.dumps(folded, ensure_ascii=False)
    assert "Indbyggertal" in text and "Ingen tal for 2025 — seneste år 2022" in text
    assert '"href": "/kommune/751?omraade=befolkning#kort-befolkning.indbyggere"' in text   # its latest value
    counted = [int(re.match(r"(\d+) nøgletal har ingen tal for 2025", n["props"]["children"])[1])
               for n in with_class(in_2025, "uden-tal-antal")]
    assert sum(counted) == len(folded) > 0
