"""The header's Del beside Præsentation, and a chart's own "Indlejr", in a real browser (the system Chromium, the
app under gunicorn; issue 22)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import wait_for_dash

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 1366])
def test_del_sits_beside_praesentation_at_the_headers_right_end(page: Page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/kommune/101")
    wait_for_dash(page)
    boxes = {name: page.locator(selector).bounding_box() for name, selector in
             (("nav", ".hovednav"), ("praesentation", ".praesentation-knap"), ("del", ".del-knap"),
              ("logo", ".logo"))}
    assert boxes["del"]["x"] > boxes["praesentation"]["x"] > boxes["nav"]["x"] > boxes["logo"]["x"], boxes
    assert abs(boxes["del"]["y"] - boxes["praesentation"]["y"]) < 8, boxes   # the same line
    assert boxes["del"]["x"] - (boxes["praesentation"]["x"] + boxes["praesentation"]["width"]) < 40, boxes


def test_del_follows_praesentation_in_the_phones_menu(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/kommune/101")
    wait_for_dash(page)
    page.get_by_role("button", name="Menu").click()
    praesentation, share = (page.locator(s).bounding_box() for s in (".praesentation-knap", ".del-knap"))
    assert share["y"] > praesentation["y"], (praesentation, share)


def test_a_profile_chart_gives_its_embed_snippet_from_the_keyboard_and_says_so(page: Page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto("/kommune/101?omraade=skole")
    wait_for_dash(page)
    button = page.locator("#kort-skole\\.karakter").locator("xpath=..").get_by_role("button", name="Indlejr")
    button = button.first if button.count() else page.get_by_role(
        "button", name="Indlejr: Karaktergennemsnit, 9. klasse (bundne prøver)").first
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".del-besked")).to_have_text("Koden til indlejring er kopieret")
    expect(button).to_have_attribute("aria-expanded", "true")
    snippet = page.get_by_label("Kode til at indlejre diagrammet på en anden hjemmeside").first
    src = f"{live_server}/indlejr/skole.karakter/udvikling/kommune/101?omraade=skole"
    expect(snippet).to_have_value(f'<iframe src="{src}" title="Karaktergennemsnit, 9. klasse (bundne prøver) – '
                                  'Kend din kommune" width="100%" height="560" style="border:0" loading="lazy">'
                                  '</iframe>')
    assert page.evaluate("() => navigator.clipboard.readText()") == snippet.input_value()
    embed = page.request.get(src)
    assert embed.status == 200 and "Karaktergennemsnit" in embed.text()
    assert page.errors == []


def _boxes(page: Page, selector: str) -> list[dict]:
    return [b for b in (e.bounding_box() for e in page.locator(selector).all()) if b]


def _overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_the_end_labels_of_chosen_municipalities_do_not_overlap(page: Page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/noegletal/skole.karakter?kommuner=101,147,151,153,155,157,159,161,163,165")
    wait_for_dash(page)
    labels = _boxes(page, "#noegletal-udvikling g.annotation")
    assert len(labels) == 11, labels   # ten municipalities and the whole country
    crossing = [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlap(a, b)]
    assert not crossing, crossing


def test_the_comparisons_development_legend_takes_at_most_two_rows(page: Page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/sammenligning?kommune=101&sammenligningsomraade=skole&noegletal=skole.karakter")
    wait_for_dash(page)
    chart = page.locator(".benchmark figure").filter(has=page.locator(".scatterlayer .trace")).first
    rows = {round(b["y"]) for b in (e.bounding_box() for e in chart.locator(".legend g.traces").all()) if b}
    assert 0 < len(rows) <= 2, rows
