"""The front page, the municipal profile (overview and an area in depth), its "Nyt" page and the frame around them,
in English at /en/…: English texts, English numbers ("644,431", "4.3%") and links that stay under /en; the Danish
pages as they were. Over HTTP, as the Dash renderer asks (tests/dash_http.py)."""
from __future__ import annotations

import json
import re

from tests.dash_http import call, render

# Texts the profile shows whole (a heading, a label, a link), in each language.
ENGLISH_PROFILE = ["Municipal profile", "Population", "Municipality group", "Area", "Overview", "Data areas",
                   "Latest for each key figure", "Go to data area", "All of Denmark", "Go to:",
                   "Registered unemployment (Jobindsats)"]
DANISH_PROFILE = ["Kommuneprofil", "Indbyggere", "Kommunegruppe", "Areal", "Overblik", "Dataområder",
                  "Seneste for hvert nøgletal", "Gå til dataområde", "Hele landet", "Gå til:",
                  "Registreret ledighed (Jobindsats)"]


def nodes(tree):
    """Every component in a rendered tree (plain dicts, components/light.py)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "props" in node:
                yield node
            stack.extend(v for v in node.values() if isinstance(v, dict | list))


def addresses(tree) -> list[str]:
    """The on-site addresses a page links to or sends a form to (not a link that names its language)."""
    return [n["props"][key] for n in nodes(tree) for key in ("href", "action")
            if isinstance(n["props"].get(key), str) and n["props"][key].startswith("/")
            and not n["props"].get("hrefLang")]


def figures(tree) -> list[dict]:
    return [n["props"]["figure"] for n in nodes(tree) if n.get("type") == "Graph"]


def shell(client, page: str) -> dict:
    """The frame the browser draws around `page` (the shell is asked for from the page it is drawn on)."""
    return client.get("/_dash-layout", headers={"Referer": f"http://localhost{page}"}).get_json()


def test_the_english_profile_speaks_english_with_english_numbers_and_links(client, app):
    english, danish = render(client, app, "/en/kommune/101"), render(client, app, "/kommune/101")
    for en, da in zip(ENGLISH_PROFILE, DANISH_PROFILE):
        assert f'"{en}"' in english and f'"{da}"' not in english
        assert f'"{da}"' in danish and f'"{en}"' not in danish
    assert "municipalities (no. 1 = highest value)" in english and '"children": "Details"' in english
    # The population with a comma for thousands, the unemployment rate as "4.3%", as the Danish "4,3 pct."
    people = re.search(r'"(\d{1,3}(?:\.\d{3})+) \((\d{4})\)"', danish)
    assert f'"{people[1].replace(".", ",")} ({people[2]})"' in english
    rate = re.search(r'"(\d+),(\d) pct\. \(', danish)
    assert f'"{rate[1]}.{rate[2]}% (' in english
    month = re.search(r'pct\. \(([a-zæø]{3})\.? (\d{4})\)"', danish)   # the latest month, "jul. 2026" in English
    assert re.search(rf'% \({month[1].capitalize().replace("Okt", "Oct").replace("Maj", "May")} {month[2]}\)"',
                     english)
    assert "☆ Make it my municipality" in english and "★ My municipality (forget it)" in english
    links = addresses(json.loads(english))
    assert links and all(a.startswith("/en/") or (a.startswith("/api/") and "lang=en" in a) for a in links)
    assert any(a.startswith("/en/kommune/101?omraade=") for a in links)


def test_an_area_in_depth_draws_its_charts_in_english(client, app):
    english = json.loads(render(client, app, "/en/kommune/101", "?omraade=skole"))
    danish = json.loads(render(client, app, "/kommune/101", "?omraade=skole"))
    charts = figures(english)
    assert charts and all(f["layout"]["separators"] == ".," for f in charts)
    assert all(f["layout"]["separators"] == ",." for f in figures(danish))
    trend = next(f for f in charts if f["layout"]["meta"]["art"] == "udvikling")
    ranking = next(f for f in charts if f["layout"]["meta"]["art"] == "rangering")
    assert "All of Denmark" in [t["name"] for t in trend["data"]]
    assert "Hele landet" in [t["name"] for f in figures(danish) if f["layout"]["meta"]["art"] == "udvikling"
                             for t in f["data"]]
    subtitle = ranking["layout"]["title"]["subtitle"]["text"]
    assert "all 98 municipalities, highest value on the left" in subtitle
    direction = re.compile(r"(Higher|Lower) is better|Neutral key figure: neither")
    assert all(direction.search(f["layout"]["title"]["subtitle"]["text"]) for f in charts)
    key = json.dumps(ranking["layout"]["annotations"], ensure_ascii=False)
    assert "Comparable" in key and "Other municipalities" in key and "All of Denmark and region" in key
    text = json.dumps(english, ensure_ascii=False)
    assert "Bar chart: " in text and "Line chart: " in text and "Søjlediagram" not in text
    assert "Generated demo data, not official statistics" in text
    assert not re.search("(Højere|Lavere) er bedre|Neutralt nøgletal", text)
    assert "Trend in " in text and "Go to:" not in text   # no jump menu in depth
    assert all(a.startswith("/en/") or "lang=en" in a for a in addresses(english))


def test_the_english_front_page_and_nyt(client, app):
    front = render(client, app, "/en/")
    for text in ["See where your municipality stands on", "Choose your municipality", "All municipalities",
                 "Choose a municipality …", "click a municipality to see its profile", "Forget my municipality"]:
        assert text in front
    assert "Vælg din kommune" not in front and "Alle kommuner" not in front
    assert all(f["layout"]["separators"] == ".," for f in figures(json.loads(front)))
    assert "/en/kommune/101" in addresses(json.loads(front))
    assert "Vælg din kommune" in render(client, app, "/")

    nyt = render(client, app, "/en/kommune/101/nyt")
    assert "New for København" in nyt and "New since the last release" in nyt and "← The profile of København" in nyt
    assert "Nyt for København" in render(client, app, "/kommune/101/nyt")


def test_the_english_frame_its_navigation_and_the_scripts_texts(client, app):
    english, danish = shell(client, "/en/kommune/101"), shell(client, "/kommune/101")
    text = json.dumps(english, ensure_ascii=False)
    for words in ["Find a municipality or key figure", "Key figures for Denmark's", "Sources", "Data extraction",
                  "Main navigation", "Share", "Presentation", "Sign in", "Key figure: "]:
        assert words in text
    assert "Find kommune eller nøgletal" in json.dumps(danish, ensure_ascii=False)
    nav = {n["props"]["children"]: n["props"]["href"] for n in nodes(english)
           if isinstance(n["props"].get("id"), dict) and n["props"]["id"].get("type") == "hovednav"}
    assert nav["Home"] == "/en/" and nav["Comparison"] == "/en/sammenligning" and nav["Themes"] == "/en/temaer"
    scripts = next(n["props"] for n in nodes(english) if n["props"].get("id") == "skripttekster")
    assert scripts["data-adresse-kopieret"] == "The address has been copied"
    assert scripts["data-min-kommune-navn"] == "My municipality: {navn}"
    picker = next(n["props"] for n in nodes(english) if n["props"].get("id") == "kommunevaelger")
    assert picker["labels"]["no_options_found"] == "No matches"


def test_an_unknown_municipality_is_an_english_404(client, app):
    response = client.get("/en/kommune/999")
    assert response.status_code == 404
    page = render(client, app, "/en/kommune/999")
    assert "Municipality not found" in page and "There is no municipality with the code «999»" in page
    assert "Go to the front page" in page


def test_a_chosen_year_and_a_later_page_in_english(client, app):
    year = render(client, app, "/en/kommune/751", "?aar=2025")
    assert "Indbyggertal" in year and '": No figures for 2025 — latest year 2022"' in year
    assert re.search(r'"\d+ key figures have no figures for 2025 and are folded away:"', year)
    assert '": Ingen tal for 2025 — seneste år 2022"' in render(client, app, "/kommune/751", "?aar=2025")

    paged = render(client, app, "/en/kommune/101", "?omraade=befolkning&side=2")
    assert re.search(r'"Key figures 11–\d+ of \d+"', paged) and re.search(r'"Page 2 of \d+"', paged)
    assert '"← Previous"' in paged and "Pages of key figures on " in paged
    assert re.search(r'"Side 2 af \d+"', render(client, app, "/kommune/101", "?omraade=befolkning&side=2"))


def test_the_english_front_pages_callbacks_answer_in_english(client, app):
    """A choice on the English front page (the browser's callbacks come from the page: its Referer) redraws the map,
    its downloads and its list in English, and a click on the map opens the English profile."""
    client.environ_base["HTTP_REFERER"] = "http://localhost/en/"
    inputs = {"forside-noegletal.value": "beskaeftigelse.ledighed", "forside-aar.value": "2023",
              "forside-url.search": ""}
    answer = call(client, app, inputs, {"forside-kontekst.data": {"noegletal": "beskaeftigelse.ledighed",
                                                                  "aar": "2025"}, "_pages_location.search": ""},
                  "forside-aar.value").get_json()["response"]
    text = json.dumps(answer["forside-kort"], ensure_ascii=False)
    assert "click a municipality to see its profile" in text and "klik på en kommune" not in text
    downloads = addresses(answer["forside-kort-hent"]["children"])
    assert downloads and all("lang=en" in a for a in downloads)

    rows = call(client, app, {"forside-kontekst.data": {"noegletal": "beskaeftigelse.ledighed", "aar": "2023"}})
    listed = rows.get_json()["response"]["forside-kortliste"]["children"]
    assert "the municipalities with the highest value first" in json.dumps(listed, ensure_ascii=False)
    assert addresses(listed) and all(a.startswith("/en/kommune/") for a in addresses(listed))

    click = {"points": [{"customdata": ["101"]}]}
    opened = call(client, app, {"forside-kort.clickData": click}).get_json()["response"]
    assert opened["nav"]["href"] == "/en/kommune/101"


def test_a_key_figures_year_charts_and_trend_name_the_country_in_english(client, app):
    """The charts a key figure's page borrows from here (components/aarsgrafer.py, components/udvikling.py)."""
    charts = {f["layout"]["meta"]["art"]: f
              for f in figures(json.loads(render(client, app, "/en/noegletal/skole.karakter")))}
    assert "All of Denmark" in [a["text"] for a in charts["rangering"]["layout"]["annotations"]]
    assert "All of Denmark" in [t["name"] for t in charts["udvikling"]["data"]]
    assert "click a municipality to see its profile" in charts["kort"]["layout"]["title"]["subtitle"]["text"]
    danish = {f["layout"]["meta"]["art"]: f
              for f in figures(json.loads(render(client, app, "/noegletal/skole.karakter")))}
    assert "Hele landet" in [a["text"] for a in danish["rangering"]["layout"]["annotations"]]
