"""Numbers, dates and addresses in each language (issue 24, Must show: "number and date formats per locale tested"):
kdk/format.py writes what a reader of the active language expects (`58.553` and `2,4 pct.` in Danish, `58,553` and
`2.4%` in English), Plotly is told the same separators, and kdk/sprog.py keeps an English page's links English,
falls back to Danish with a visible marker, and merges every catalogue fragment."""
from __future__ import annotations

import datetime as dt

import pytest

from components.light import dcc, html
from kdk import format as fmt
from kdk import sprog

DAY = dt.date(2026, 12, 5)

# (what is written, in Danish, in English), for the same value
FORMATS = [
    ("number", lambda: fmt.number(58553), "58.553", "58,553"),
    ("decimals rounded half away from zero", lambda: fmt.number(2.35, 1), "2,4", "2.4"),
    ("negative", lambda: fmt.number(-1204.5), "-1.205", "-1,205"),
    ("percent unit", lambda: fmt.with_unit(2.4, 1, sprog.gettext("pct.")), "2,4 pct.", "2.4%"),
    ("share", lambda: fmt.percent(0.12), "12 pct.", "12%"),
    ("change in percent", lambda: fmt.change(0.3, 1, sprog.gettext("pct.")), "+0,3 pct.-point",
     "+0.3 percentage points"),
    ("change of a count", lambda: fmt.change(-1204, 0, "antal"), "-1.204", "-1,204"),
    ("no change", lambda: fmt.change(0, 1, "antal"), "±0,0", "±0.0"),
    ("suppressed", lambda: fmt.with_unit(None, 1, "pct."), "–", "–"),
    ("date in running text", lambda: fmt.date(DAY), "5. december 2026", "5 December 2026"),
    ("date in a table", lambda: fmt.short_date(DAY), "05.12.2026", "05/12/2026"),
    ("month", lambda: fmt.month(DAY), "december 2026", "December 2026"),
    ("Plotly's separators (decimal, thousands)", fmt.plotly_separators, ",.", ".,"),
]


@pytest.mark.parametrize(("written", "danish", "english"), [f[1:] for f in FORMATS], ids=[f[0] for f in FORMATS])
def test_numbers_and_dates_are_written_as_each_language_writes_them(written, danish, english):
    assert written() == danish   # Danish is the default
    with sprog.brug("en"):
        assert written() == english
    with sprog.brug("da"):
        assert written() == danish


def test_an_unknown_language_is_danish():
    with sprog.brug("sv"):
        assert sprog.aktivt() == "da" and fmt.number(58553) == "58.553"


def test_the_language_of_an_address_is_its_prefix_and_nothing_else():
    assert sprog.sprog_i_sti("/en/kommune/101") == ("en", "/kommune/101")
    assert sprog.sprog_i_sti("/en") == ("en", "/")
    assert sprog.sprog_i_sti("/en/") == ("en", "/")
    assert sprog.sprog_i_sti("/kommune/101") == ("da", "/kommune/101")
    assert sprog.sprog_i_sti("/enhed") == ("da", "/enhed")   # a path that merely begins with "en"


@pytest.mark.parametrize(("href", "english"), [
    ("/", "/en/"),
    ("/kommune/101?omraade=skole#udvikling", "/en/kommune/101?omraade=skole#udvikling"),
    ("/en/kommune/101", "/en/kommune/101"),                    # never twice
    ("/api/data?noegletal=skole.karakter", "/api/data?noegletal=skole.karakter&lang=en"),
    ("/api/noegletal", "/api/noegletal?lang=en"),
    ("/api/data?x=1#svar", "/api/data?x=1&lang=en#svar"),
    ("/api/data?lang=da", "/api/data?lang=da"),                # names its language
    ("/assets/logo.svg", "/assets/logo.svg"),                  # files have no language
    ("/_dash-layout", "/_dash-layout"),
    ("https://www.dst.dk/da", "https://www.dst.dk/da"),        # another site
    ("//example.org/x", "//example.org/x"),
    ("#indhold", "#indhold"),
    ("mailto:kl@kl.dk", "mailto:kl@kl.dk"),
])
def test_an_address_on_this_site_is_given_in_the_language_asked_for(href, english):
    assert sprog.adresse(href, "en") == english
    with sprog.brug("en"):
        assert sprog.adresse(href) == english


def test_a_danish_address_drops_the_prefix_and_leaves_the_api_alone():
    assert sprog.adresse("/en/kommune/101?aar=2024", "da") == "/kommune/101?aar=2024"
    assert sprog.adresse("/en", "da") == "/"
    assert sprog.adresse("/api/data?x=1", "da") == "/api/data?x=1"
    assert sprog.adresse("/kommune/101") == "/kommune/101"   # the default language


def tree() -> dict:
    return html.Div([
        html.A("Profil", href="/kommune/101"),
        html.P([dcc.Link("Data", href="/api/data?noegletal=skole.karakter"), " og ",
                html.A("DST", href="https://www.dst.dk")]),
        html.Form(html.Button("Log ind"), action="/login", method="post"),
        html.A("Dansk", href="/", hrefLang="da", lang="da"),   # a link naming its language keeps its address
        html.A("Til indhold", href="#indhold"),
    ])


def addresses(node) -> list[str]:
    found = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, list | tuple):
            stack.extend(reversed(n))
        elif isinstance(n, dict) and isinstance(n.get("props"), dict):
            found += [n["props"][k] for k in ("href", "action") if k in n["props"]]
            stack.extend(reversed([v for v in n["props"].values() if isinstance(v, list | tuple | dict)]))
    return found


def test_every_link_and_form_of_an_english_page_leads_to_english_pages():
    assert addresses(sprog.med_adresser(tree(), "en")) == [
        "/en/kommune/101", "/api/data?noegletal=skole.karakter&lang=en", "https://www.dst.dk", "/en/login", "/",
        "#indhold"]
    with sprog.brug("en"):
        assert addresses(sprog.med_adresser(tree())) == addresses(sprog.med_adresser(tree(), "en"))


def test_a_danish_page_keeps_its_links():
    assert addresses(sprog.med_adresser(tree())) == [
        "/kommune/101", "/api/data?noegletal=skole.karakter", "https://www.dst.dk", "/login", "/", "#indhold"]


def test_a_catalogue_text_without_english_is_shown_in_danish_with_the_marker():
    with sprog.brug("en"):
        assert sprog.katalogtekst("Indbyggertal", "Population") == "Population"
        assert sprog.katalogtekst("Indbyggertal", None) == f"Indbyggertal {sprog.MANGLER}"
        assert sprog.katalogtekst("Indbyggertal", "") == f"Indbyggertal {sprog.MANGLER}"
        assert sprog.katalogtekst(None, "Population") is None   # nothing to show
    assert sprog.katalogtekst("Indbyggertal", "Population") == "Indbyggertal"
    assert sprog.katalogtekst("Indbyggertal", None) == "Indbyggertal"   # Danish needs no marker


@pytest.fixture
def catalogue(english_catalogue):
    english_catalogue({"Log ind": "Sign in",
                       ("{n} kommune", "{n} kommuner"): ("{n} municipality", "{n} municipalities"),
                       "Side {side} af {sider}": "Page {side} of {sider}"})


def test_the_catalogue_is_read_and_a_text_without_translation_stays_danish(catalogue):
    with sprog.brug("en"):
        assert sprog.gettext("Log ind") == "Sign in"
        assert sprog.gettext("Side {side} af {sider}").format(side=2, sider=5) == "Page 2 of 5"
        assert sprog.gettext("Findes ikke i kataloget") == "Findes ikke i kataloget"
        assert sprog.ngettext("{n} kommune", "{n} kommuner", 1).format(n=1) == "1 municipality"
        assert sprog.ngettext("{n} kommune", "{n} kommuner", 98).format(n=98) == "98 municipalities"
        assert sprog.ngettext("{n} dag", "{n} dage", 2).format(n=2) == "2 dage"   # untranslated: Danish, by count
    assert sprog.gettext("Log ind") == "Log ind"
    assert sprog.ngettext("{n} kommune", "{n} kommuner", 1).format(n=1) == "1 kommune"
    assert sprog.ngettext("{n} kommune", "{n} kommuner", 0).format(n=0) == "0 kommuner"


def test_the_compiled_catalogue_is_read_and_no_other_file_beside_it(english_catalogue):
    """`messages.mo` when it is as new as its `.po`; a stray catalogue beside it (an old fragment) is not read."""
    english_catalogue({"Log ind": "Sign in"})
    po = sprog.katalog("en")
    po.with_suffix(".mo").write_bytes(sprog._kompileret(po))
    stray = po.with_name("gammel.po")
    stray.write_bytes(po.read_bytes().replace(b'"Sign in"', b'"Log in"')
                                         + b'\nmsgid "Log ud"\nmsgstr "Sign out"\n')
    sprog._oversaettelser.cache_clear()
    with sprog.brug("en"):
        assert sprog.gettext("Log ind") == "Sign in"
        assert sprog.gettext("Log ud") == "Log ud"


def test_a_catalogue_text_shown_in_danish_on_an_english_page_is_marked_as_danish():
    """A screen reader reads a Danish fallback in Danish: its element, or a span around it, says lang="da"."""
    with sprog.brug("en"):
        title = sprog.katalogtekst("Sygefravær", None)
        page = sprog.med_adresser(html.Div([
            html.H2(title),
            html.P(["Key figure: ", title, "."]),
            dcc.Link(title, href="/noegletal/personale.sygefravaer"),   # Dash's link takes no lang: a span inside
            html.P("Population"),
        ]))
    h2, p, link, english = page["props"]["children"]
    assert h2["props"]["lang"] == "da"
    assert p["props"]["children"][1] == html.Span(title, lang="da") and "lang" not in p["props"]
    assert link["props"]["children"] == html.Span(title, lang="da") and "lang" not in link["props"]
    assert "lang" not in english["props"]
    assert sprog.med_adresser(html.H2("Sygefravær")) == html.H2("Sygefravær")   # a Danish page is Danish


def test_a_danish_fallback_in_markdown_is_left_as_text():
    """Dash's Markdown takes text only: a span there would break the page in the browser."""
    with sprog.brug("en"):
        text = sprog.katalogtekst("**Sygefravær** i dage", None)
        assert sprog.med_adresser(dcc.Markdown(text)) == dcc.Markdown(text)
        assert sprog.med_adresser(dcc.Markdown([text, "More"])) == dcc.Markdown([text, "More"])
