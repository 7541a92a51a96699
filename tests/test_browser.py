"""The app in a real browser (the system Chromium through Playwright), against the app under gunicorn.

What a visitor does and sees: the map on the front page, finding a municipality with the picker, switching
data area and year (state in the URL, surviving a reload), a click on the map, the Danish 404 page,
accessibility (axe-core) and no script errors.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import run_axe, serious, wait_for_dash

pytestmark = pytest.mark.browser

DANISH_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
# A card value in Danish notation: thousands point, decimal comma ("205.978", "0,66", "-1,5"), or "–" when missing.
DANISH_NUMBER = re.compile(r"^(–|[-−]?\d{1,3}(\.\d{3})*(,\d+)?)$")
RESTRICTED = ("ubu.",)
# The map's traces are drawn as filled SVG paths, one per municipality.
MAP_FILLS = "#forside-kort .js-plotly-plot .scatterlayer path.js-fill"
CHART_DRAWN = ".js-plotly-plot .main-svg"

def open_page(page: Page, path: str, ready: str) -> None:
    """Load `path`, wait until `ready` is visible and Dash has finished its callbacks."""
    page.goto(path)
    page.locator(ready).first.wait_for(state="visible")
    wait_for_dash(page)


def map_drawn(page: Page) -> None:
    # A wait with the page's own budget: the first chart on a page also fetches Plotly (web/static.py).
    expect(page.locator(MAP_FILLS)).to_have_count(98, timeout=30_000)


def pick(page: Page, text: str, expected_option: str, picker: str = "#kommunevaelger") -> None:
    """Type into a searchable picker (by default the header's municipality picker) as a user does, and press Enter
    once the list shows only the match."""
    page.locator(picker).click()
    search = page.locator("input.dash-dropdown-search")
    search.click()   # where a value is chosen already, the list opens with the focus on it
    expect(search).to_be_focused()
    page.keyboard.type(text)
    options = page.get_by_role("option")
    expect(options).to_have_text([expected_option])
    page.keyboard.press("Enter")


def card_ids(page: Page) -> list[str]:
    return page.locator("article.noegletal-kort").evaluate_all("cards => cards.map(c => c.id)")


def test_front_page_draws_the_map_in_danish(page):
    open_page(page, "/", MAP_FILLS)
    map_drawn(page)
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page).to_have_title("Kend din kommune")
    expect(page.locator("h1")).to_have_text("Kend din kommune")
    expect(page.locator("#forside-kort .gtitle")).to_have_text("Registreret ledighed, månedlig (Jobindsats)")
    expect(page.get_by_role("heading", name="Alle kommuner")).to_be_visible()


def test_picker_by_name_opens_the_profile(page):
    open_page(page, "/", MAP_FILLS)
    pick(page, "Odense", "Odense (461)")
    expect(page).to_have_url(re.compile(r"/kommune/461$"))
    expect(page.locator("h1")).to_have_text("Odense")
    expect(page).to_have_title("Odense – Kend din kommune")
    population = page.locator(".fakta div").filter(has=page.locator("dt", has_text="Indbyggere")).locator("dd")
    expect(population).to_have_text(re.compile(r"^" + DANISH_THOUSANDS.pattern + r" \(\d{4}\)$"))
    values = page.locator("article.noegletal-kort .vaerdi").all_inner_texts()
    assert len(values) > 20
    assert [v for v in values if not DANISH_NUMBER.match(v)] == []
    assert any("," in v for v in values), "no card shows a decimal comma"
    ids = card_ids(page)
    assert "kort-befolkning.indbyggere" in ids
    assert [i for i in ids if any(r in i for r in RESTRICTED)] == []
    trends = page.locator("img.sparkline")
    assert trends.count() > 20
    assert trends.evaluate_all("imgs => imgs.filter(i => !(i.complete && i.naturalWidth === 120)).length") == 0


def test_picker_by_code_opens_the_profile(page):
    open_page(page, "/kommune/461", "article.noegletal-kort")
    pick(page, "147", "Frederiksberg (147)")
    expect(page).to_have_url(re.compile(r"/kommune/147$"))
    expect(page.locator("h1")).to_have_text("Frederiksberg")
    expect(page.locator("#kort-befolkning\\.indbyggere")).to_be_visible()


def public_areas(con) -> int:
    """The data areas an anonymous viewer's overview shows: those with a public key figure."""
    return con.execute("SELECT count(DISTINCT dataomraade) FROM dim_noegletal WHERE adgang = 'offentlig'").fetchone()[0]


def test_area_tab_shows_only_that_area_and_survives_a_reload(page, con):
    open_page(page, "/kommune/147", "article.noegletal-kort")
    expect(page.locator("section.omraade")).to_have_count(public_areas(con))
    page.locator("a.fane", has_text="Skole").click()
    expect(page).to_have_url(re.compile(r"/kommune/147\?omraade=skole$"))

    def shows_skole_only():
        expect(page.locator("a.fane.aktiv")).to_have_text("Skole")
        expect(page.locator("section.omraade")).to_have_count(1)
        expect(page.locator("#omraade-skole h2")).to_have_text("Skole")
        expect(page.locator("#omraade-skole .dybde-raekke").first).to_be_visible()
        graphs = page.locator("#omraade-skole .js-plotly-plot")
        expect(graphs.first.locator(".main-svg").first).to_be_visible()
        assert graphs.count() >= page.locator("#omraade-skole article.noegletal-kort").count() >= 1
        expect(page.locator("#omraade-oekonomi, #omraade-befolkning")).to_have_count(0)
        assert all(i.startswith("kort-skole.") for i in card_ids(page))

    shows_skole_only()
    wait_for_dash(page)
    page.reload()
    page.locator("#omraade-skole").wait_for()
    expect(page).to_have_url(re.compile(r"/kommune/147\?omraade=skole$"))
    shows_skole_only()


def test_back_button_returns_to_the_overview(page, con):
    open_page(page, "/kommune/147", "article.noegletal-kort")
    page.locator("a.fane", has_text="Skole").click()
    expect(page).to_have_url(re.compile(r"omraade=skole$"))
    page.locator("#omraade-skole .js-plotly-plot .main-svg").first.wait_for()
    wait_for_dash(page)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/kommune/147$"), timeout=10_000)
    expect(page.locator("section.omraade")).to_have_count(public_areas(con))
    expect(page.locator("a.fane.aktiv")).to_have_text("Overblik")


def test_year_choice_is_in_the_url_and_survives_a_reload(page):
    open_page(page, "/kommune/147", "article.noegletal-kort")
    page.locator("#profil-aar").click()
    page.get_by_role("option", name="2020", exact=True).click()
    expect(page).to_have_url(re.compile(r"/kommune/147\?aar=2020$"))

    def shows_2020():
        expect(page.locator("#profil-aar")).to_have_text("2020")
        periods = page.locator("article.noegletal-kort .periode")
        expect(periods.first).to_have_text(" · 2020")
        texts = periods.all_inner_texts()
        assert len(texts) > 20
        assert [t for t in texts if "2020" not in t] == []

    shows_2020()
    wait_for_dash(page)
    page.reload()
    page.locator("article.noegletal-kort").first.wait_for()
    expect(page).to_have_url(re.compile(r"/kommune/147\?aar=2020$"))
    shows_2020()


# The point inside the filled outline of the municipality `kode` on the map, in page coordinates.
POINT_IN_MUNICIPALITY = """(kode) => {
  const gd = document.querySelector('#forside-kort .js-plotly-plot');
  const idx = gd.data.findIndex(t => t.customdata && t.customdata.length && String(t.customdata[0][0]) === kode);
  const path = idx < 0 ? null : gd.querySelectorAll('.scatterlayer .trace')[idx].querySelector('path.js-fill');
  if (!path) return null;
  const box = path.getBBox(), ctm = path.getScreenCTM();
  for (let r = 0; r <= 0.45; r += 0.03) for (let a = 0; a < 2 * Math.PI; a += Math.PI / 8) {
    const x = box.x + box.width * (0.5 + r * Math.cos(a)), y = box.y + box.height * (0.5 + r * Math.sin(a));
    if (path.isPointInFill(new DOMPoint(x, y))) {
      const p = new DOMPoint(x, y).matrixTransform(ctm);
      return {x: p.x, y: p.y, name: gd.data[idx].name};
    }
  }
  return null;
}"""


def test_click_on_the_map_opens_that_profile(page):
    open_page(page, "/", MAP_FILLS)
    map_drawn(page)
    page.locator("#forside-kort").scroll_into_view_if_needed()
    point = page.evaluate(POINT_IN_MUNICIPALITY, "751")
    assert point is not None and point["name"] == "Aarhus"
    page.mouse.click(point["x"], point["y"])
    expect(page).to_have_url(re.compile(r"/kommune/751$"))
    expect(page.locator("h1")).to_have_text("Aarhus")


# What the visitor sees of the map: each shape's colour and hover text, the colour bar, the titles, the download.
MAP_SHOWN = """() => {
  const gd = document.querySelector('#forside-kort .js-plotly-plot');
  return {fills: gd.data.map(t => t.fillcolor), hovers: gd.data.map(t => t.hovertemplate),
          colourbar: gd.data[gd.data.length - 1].marker, title: gd.layout.title, tickformat: gd.layout.yaxis.tickformat,
          shapes: gd.querySelectorAll('.scatterlayer path.js-fill').length,
          downloads: [...document.querySelectorAll('#forside-kort-hent a')].map(a => [a.href, a.title]),
          year: document.querySelector('#forside-aar').innerText,
          figure: document.querySelector('#forside-noegletal').innerText};
}"""


def test_another_year_and_key_figure_recolour_the_map_as_a_fresh_load_would(page):
    open_page(page, "/", MAP_FILLS)
    page.evaluate("() => { window.notReloaded = true; }")
    page.locator("#forside-aar").click()
    page.get_by_role("option", name="2023", exact=True).click()
    expect(page).to_have_url(re.compile(r"/\?noegletal=beskaeftigelse\.ledighed&aar=2023$"))
    expect(page.locator("#forside-kort .gtitle-subtitle")).to_contain_text("2023")
    wait_for_dash(page)
    in_2023 = page.evaluate(MAP_SHOWN)
    pick(page, "tæthed", "Befolkning og struktur: Befolkningstæthed", picker="#forside-noegletal")
    expect(page).to_have_url(re.compile(r"/\?noegletal=befolkning\.taethed$"))
    expect(page.locator("#forside-kort .gtitle")).to_have_text("Befolkningstæthed")
    wait_for_dash(page)
    density = page.evaluate(MAP_SHOWN)
    assert page.evaluate("() => window.notReloaded") is True   # patched in place, not a new page
    page.go_back()   # the address of the previous choice, and its map
    expect(page).to_have_url(re.compile(r"aar=2023$"))
    expect(page.locator("#forside-kort .gtitle")).to_have_text("Registreret ledighed, månedlig (Jobindsats)")
    wait_for_dash(page)
    assert page.evaluate(MAP_SHOWN) == in_2023
    for address, shown in (("/?noegletal=beskaeftigelse.ledighed&aar=2023", in_2023),
                           ("/?noegletal=befolkning.taethed", density)):
        open_page(page, address, MAP_FILLS)
        assert page.evaluate(MAP_SHOWN) == shown, address
    assert page.errors == []


def test_unknown_municipality_shows_the_danish_404(page):
    page.goto("/kommune/999")
    expect(page.locator("h1")).to_have_text("Kommunen findes ikke")
    expect(page.locator(".fejlside")).to_contain_text("«999»")
    home = page.locator(".fejlside").get_by_role("link", name="Gå til forsiden")
    expect(home).to_have_attribute("href", "/")
    expect(page.locator("article.noegletal-kort")).to_have_count(0)
    home.click()
    expect(page).to_have_url(re.compile(r"/(\?.*)?$"))
    map_drawn(page)


@pytest.mark.parametrize(("path", "ready"), [("/", MAP_FILLS), ("/kommune/101", "article.noegletal-kort")])
def test_no_serious_accessibility_violations(page, path, ready):
    open_page(page, path, ready)
    violations = run_axe(page)
    assert serious(violations) == []


@pytest.mark.parametrize(("path", "ready"), [("/", MAP_FILLS), ("/kommune/101", "article.noegletal-kort"),
                                             ("/kommune/101?omraade=beskaeftigelse", CHART_DRAWN)])
def test_no_script_errors(page, path, ready):
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    open_page(page, path, ready)
    assert page.errors == []
    assert console_errors == []


def choose_option(page: Page, control: str, option: str) -> None:
    page.locator(control).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_comparison_guide_flow_group_then_matrix(page):
    """FLIS's guide: choose a municipality and an area, see the 10 most comparable with rank, then the matrix."""
    open_page(page, "/sammenligning", "h1")
    choose_option(page, '[id=\'{"param":"kommune","type":"sammenligning-valg"}\']', "Aarhus (751)")
    expect(page).to_have_url(re.compile(r"/sammenligning\?kommune=751"))
    page.locator("table.gruppetabel").wait_for()
    wait_for_dash(page)
    choose_option(page, '[id=\'{"param":"sammenligningsomraade","type":"sammenligning-valg"}\']', "Skole")
    expect(page).to_have_url(re.compile(r"kommune=751&sammenligningsomraade=skole"))
    rows = page.locator("table.gruppetabel > tbody > tr")
    expect(rows.locator("td:first-child")).to_have_text([str(n) for n in range(1, 11)])
    names = rows.locator("td:nth-child(2) a").all_inner_texts()
    assert len(set(names)) == 10 and "Aarhus" not in names
    expect(page.get_by_text("Sådan er grupperne fundet")).to_be_hidden()     # for analysts, behind a summary
    wait_for_dash(page)                          # a callback still under way would re-render the summary closed
    page.locator("details.analytikere > summary").click()
    expect(page.get_by_text("Sådan er grupperne fundet")).to_be_visible()
    expect(page.locator(".benchmark .js-plotly-plot .main-svg").first).to_be_visible()
    wait_for_dash(page)
    page.locator("a.fane", has_text="Sammenligningsmatrice").click()
    expect(page).to_have_url(re.compile(r"fane=matrice"))
    heatmap = page.locator(".matrice .js-plotly-plot .heatmaplayer image")
    expect(heatmap).to_have_count(1)
    expect(page.locator(".matrice .gtitle")).to_contain_text("Sammenligningsmatrice: Skole")
    wait_for_dash(page)
    page.reload()
    expect(page.locator("a.fane.aktiv")).to_have_text("Sammenligningsmatrice")


def test_comparison_page_has_no_serious_accessibility_violations(page):
    open_page(page, "/sammenligning?kommune=101&sammenligningsomraade=skole", "table.gruppetabel")
    assert serious(run_axe(page)) == []


def test_recruitment_theme_shows_figures_comparisons_and_summary_in_danish(page):
    open_page(page, "/tema/rekruttering?kommune=101", ".tema-raekke")
    expect(page.locator("h1")).to_have_text("Rekruttering: København")
    summary = page.locator(".opsummering")
    expect(summary.locator("h2")).to_contain_text("at være opmærksom på")
    items = summary.locator("li").all_inner_texts()
    pattern = re.compile(r"^.+: \d[\d.]*(,\d+)? .*\(\d{4}\) mod \d[\d.]*(,\d+)? .*i sammenlignelige kommuner, "
                         r"(\d+ pct\.|\d+(,\d+)? (procentpoint|promillepoint|point)) (højere|lavere)\.$")
    assert items and all(pattern.match(i) for i in items), items
    assert any("," in i for i in items)   # Danish decimal comma
    row = page.locator("#tema-befolkning\\.andel_65plus")
    expect(row.locator(".saetning")).to_contain_text("gennemsnittet for sammenlignelige kommuner")
    numbers = row.locator(".tal dd").all_inner_texts()
    assert len(numbers) == 4 and all(DANISH_NUMBER.match(n.replace(" pct.", "")) for n in numbers)
    expect(row.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    assert card_ids(page) == []          # theme rows, not profile cards
    expect(page.locator(".skjult")).to_have_count(0)     # the theme is public: nothing hidden, no note
    expect(page.locator("#tema-personale\\.sygefravaer_dage .saetning")).to_contain_text("sygefravær på")
    assert serious(run_axe(page)) == []


def test_theme_picker_opens_the_theme_for_another_municipality(page):
    open_page(page, "/tema/rekruttering?kommune=101", ".tema-raekke")
    pick(page, "Odense", "Odense (461)", picker="#tema-kommune")
    expect(page).to_have_url(re.compile(r"/tema/rekruttering\?kommune=461$"))
    expect(page.locator("h1")).to_have_text("Rekruttering: Odense")


NAVIGATION = "([name, value, shown]) => window.dash_clientside.kdk[name](value, shown)"


@pytest.mark.parametrize("name, value, shown, address", [
    ("profileYear", "2021", {"kode": "101", "omraade": "skole", "aar": None}, "/kommune/101?omraade=skole&aar=2021"),
    ("profileYear", "", {"kode": "101", "omraade": "skole", "aar": "2021"}, "/kommune/101?omraade=skole"),
    ("profileYear", "2021", {"kode": "101", "omraade": "skole", "aar": None, "side": "2"},
     "/kommune/101?omraade=skole&aar=2021&side=2"),                       # the page of figures is kept
    ("profileYear", "2019", {"kode": "860", "omraade": None, "aar": None, "side": None}, "/kommune/860?aar=2019"),
    ("profileYear", "", {"kode": "101", "omraade": None, "aar": None}, None),   # the page's own render: stay
    ("profileYear", "2021", {"kode": "101", "omraade": None, "aar": "2021"}, None),
    ("themeMunicipality", "461", {"slug": "rekruttering", "kommune": "101"}, "/tema/rekruttering?kommune=461"),
    ("themeMunicipality", "101", {"slug": "rekruttering", "kommune": "101"}, None),
    ("municipality", "461", None, "/kommune/461"),
])
@pytest.mark.usefixtures("server")   # the app registers the pages, so that pages.kommune can be imported
def test_navigation_in_the_browser_builds_the_addresses_the_pages_build(page, name, value, shown, address):
    """assets/navigation.js turns a control's value into the new address without asking the server; it must build
    the address the server's own links use (pages/kommune.py `href`), and stay put for the value shown."""
    open_page(page, "/temaer", "h1")
    answer = page.evaluate(NAVIGATION, [name, value, shown])
    no_update = page.evaluate("() => window.dash_clientside.no_update")
    assert answer == (no_update if address is None else address)
    if address and name == "profileYear":
        from pages.kommune import href

        side = shown.get("side")
        assert address == href(shown["kode"], shown["omraade"], value or None, int(side) if side else None)
