"""Every page at `/en/…` shows no Danish UI text (issue 24, Must show): proper names and catalogue texts marked as
untranslated (kdk.sprog.MANGLER) aside.

The test walks every page as an outsider fetches it: each registered Dash page with representative values (drawn by
Dash's router, the way the browser asks for it), the shell around them (`/_dash-layout` from an English page,
anonymous and signed in), and the Flask pages (sign-in, API documentation, an embedded chart, the administration
and the follow mode for an administrator). From each it collects what a reader sees or hears: text, titles,
labels, placeholders, alternative texts, a picker's options and texts, and a chart's titles, names and hover
texts; code (an address, a parameter) is not UI text. A text is Danish UI text when

- it is a text of the extracted catalogue (`pybabel extract`, as `make oversaettelser-udtraek` runs it) without an
  English translation, or with one that the page did not use; or
- it looks Danish: a letter æ, ø or å, or a word that the Danish texts use and the English ones do not (the
  catalogue's message ids and the key-figure catalogue in the marts, against the translations).

Proper names are taken out first: municipalities, regions and sources as the marts name them, and the product's
name; and what says lang="da" (the language switch's "Dansk", a marked fallback) is Danish on purpose. A failure
lists, page by page, every Danish text and why (see REASONS), so the engineer who owns the page knows what to mark
or translate.
"""
from __future__ import annotations

import html as htmlmod
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import dash
import pytest
from babel.messages.pofile import read_po

from kdk import sprog
from kdk.config import PROJECT_DIR
from tests.dash_http import call

PRODUCT = "Kend din kommune"
# Danish organisations and terms an English text names as they are (as Statistics Denmark's English pages do).
NAMES_KEPT = ("De kommunale nøgletal", "Kommunernes og Regionernes Løndatakontor")
KATALOG = tomllib.loads((PROJECT_DIR / "data/noegletal.toml").read_text("utf-8"))
AREAS = [a["kode"] for a in KATALOG["dataomraade"]]
OPEN_AREAS = {n["dataomraade"] for n in KATALOG["noegletal"] if n.get("adgang", "offentlig") == "offentlig"}
# The Dash pages (address, query) an anonymous visitor reaches, each in a representative state; then those a
# signed-in user reaches (the publication team's, and the data areas closed to the public).
DASH_PAGES = [
    ("/", ""), ("/kommune/101", ""), *(("/kommune/101", f"?omraade={a}") for a in AREAS if a in OPEN_AREAS),
    ("/kommune/101", "?omraade=skole&visning=praesentation&trin=2"), ("/kommune/101/nyt", ""),
    ("/sammenligning", "?kommune=101"), ("/sammenligning", "?kommune=101&fane=matrice"),
    ("/noegletal", ""), ("/noegletal", "?q=sygefravær"), ("/noegletal/skole.karakter", ""),
    ("/noegletal/skole.karakter", "?kommuner=101,751&skala=indeks"),
    ("/tabel", "?noegletal=skole.karakter&kommune=101,751"), ("/temaer", ""),
    ("/tema/rekruttering", "?kommune=101"), ("/tema/boern-og-unge", "?kommune=101"), ("/datastatus", ""),
    ("/brug-i-excel", ""), ("/findes-ikke", ""),
]
SIGNED_IN_DASH_PAGES = [("/publicering", ""),
                        *(("/kommune/101", f"?omraade={a}") for a in AREAS if a not in OPEN_AREAS)]
FLASK_PAGES = ["/login", "/api/dokumentation", "/indlejr/skole.karakter/udvikling",
               "/eksport/findes-ikke.zip"]   # the last: an error page outside Dash (404)
SIGNED_IN_FLASK_PAGES = ["/admin/brugere", "/admin/brugere/ny", "/admin/brugere/laeser-101", "/admin/audit",
                         "/konto/tokens", "/konto/kodeord", "/foelg", "/logout"]

REASONS = {
    "untranslated": "in the catalogue, no English translation",
    "not translated here": "in the catalogue with a translation, but shown in Danish (gettext not called here?)",
    "looks danish": "Danish, not marked for translation (or a catalogue text without the [da] marker)",
}
# Props a reader sees or hears; parts of a chart that are text.
TEXT_PROPS = ("children", "title", "placeholder", "aria-label", "alt", "label", "aria-valuetext")
FIGURE_TEXT = ("text", "name", "hovertemplate", "label", "title", "texttemplate")
FIGURE_DATA = {"x", "y", "z", "customdata", "ids", "locations", "geojson", "values", "parents", "labels_raw"}
NOT_SHOWN = {"Store", "Location", "Interval"}
CODE = {"Code", "Pre", "Kbd", "Samp"}
# Common English words that Danish texts also use: never counted as Danish.
ENGLISH = frozenset({"the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "by", "for", "from", "with", "as",
    "is", "are", "was", "be", "been", "has", "have", "had", "it", "its", "this", "that", "these", "those", "not",
    "no", "all", "any", "each", "more", "most", "less", "than", "per", "over", "under", "up", "down", "out", "into",
    "side", "time", "land", "man", "hand", "fast", "bare", "hold", "art", "grad", "tag", "data", "demo", "status",
    "region", "index", "model", "type", "total", "normal", "start", "stop", "plan", "min", "max", "top", "id", "api",
    "app", "excel", "power", "bi", "csv", "px", "xlsx", "json", "pdf", "png", "svg", "url", "http", "https", "www",
    "dk", "kl", "figure", "figures", "page", "social", "spring", "login", "pension"})
# Common Danish words, counted as Danish however few texts the catalogue has yet.
DANISH = frozenset({"og", "af", "til", "er", "ikke", "med", "på", "kommune", "kommuner", "kommunen", "kommunens",
    "kommunerne", "nøgletal", "det", "den", "der", "som", "eller", "ved", "fra", "har", "kan", "skal", "hvor",
    "hvis", "også", "efter", "mellem", "hele", "landet", "alle", "ingen", "vis", "viser", "vælg", "år", "antal",
    "siden", "findes", "flere", "nye", "nyt", "tal", "om", "du", "din", "dit", "ind", "ud"})
PLACEHOLDER = re.compile(r"\{\w*\}")
# The catalogue's Danish texts in the marts (any column ending in _en beside them is their English).
CATALOGUE_TEXTS = {"dim_noegletal": ("titel", "definition", "enhed", "forbehold", "uden_vaerdi"),
                   "dim_dataomraade": ("navn", "beskrivelse"), "tema": ("titel",),
                   "bm_definition": ("navn", "beskrivelse")}
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Katalog:
    """The extracted message ids, the English translations, and what makes a text Danish."""
    untranslated: frozenset[str]
    translated: dict[str, str]
    english: frozenset[str]                        # every English text of the catalogues: never Danish
    patterns: tuple[tuple[re.Pattern, str], ...]   # message ids with placeholders, and whether translated
    danish_words: frozenset[str]
    proper_names: tuple[str, ...]                  # longest first
    marked: tuple[str, ...]                        # catalogue texts that may be shown with the marker

    def reason(self, text: str) -> str | None:
        """Why `text`, shown on an English page, is Danish UI text; None when it is not."""
        if text in self.english:
            return None
        if text in self.untranslated:
            return "untranslated"
        if text in self.translated and self.translated[text] != text:
            return "not translated here"
        for pattern, state in self.patterns:
            if pattern.fullmatch(text):
                return state
        rest = self.without_names(text)
        if re.search("[æøåÆØÅ]", rest) or any(w.lower() in self.danish_words for w in WORD.findall(rest)):
            return "looks danish"
        return None

    def without_names(self, text: str) -> str:
        """`text` without proper names, catalogue texts marked untranslated, addresses and identifiers."""
        if sprog.MANGLER in text:
            for marked in self.marked:
                text = text.replace(f"{marked} {sprog.MANGLER}", " ")
        for name in self.proper_names:
            if name in text:
                text = text.replace(name, " ")
        text = re.sub(r"\S+/\S+|\b\w+_\w+\b", " ", text)   # a file's path, a code (login_fejlet)
        text = re.sub(r"(https?://|/)\S*|\b[\w-]+(\.[a-z_]\w*)+\b|\S+@\S+", " ", text)   # addresses, ids
        text = re.sub(r"\([^\W\d_]+\)", " ", text)   # a Danish term explained: "social assistance (kontanthjælp)"
        return text


def words(texts) -> set[str]:
    return {w.lower() for t in texts if isinstance(t, str) for w in WORD.findall(t)}


@pytest.fixture(scope="module")
def katalog(tmp_path_factory, con) -> Katalog:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "--quiet", "extract", "-F", "babel.cfg",
                    "--no-location", "--omit-header", "-o", str(pot), "app.py", "pages", "components", "web", "kdk"],
                   cwd=PROJECT_DIR, check=True)
    with pot.open("rb") as f:
        ids = [m.id for m in read_po(f) if m.id]
    english: dict[str, str] = {}
    with sprog.katalog("en").open("rb") as f:
        for m in read_po(f):
            for i, s in zip(m.id if isinstance(m.id, tuple) else (m.id,),
                            m.string if isinstance(m.string, tuple) else (m.string,), strict=False):
                if i and s:
                    english[i] = s
    singles = [i for m in ids for i in (m if isinstance(m, tuple) else (m,))]
    untranslated = frozenset(i for i in singles if i not in english)
    patterns = tuple((re.compile(re.sub(r"\\\{\w*\\\}", ".+?", re.escape(i))),
                      "untranslated" if i in untranslated else "not translated here")
                     for i in singles if re.search(r"\{\w*\}", i) and re.search(r"[^\W\d_]{3}", PLACEHOLDER.sub("", i))
                     and english.get(i) != i)   # "{titel} – Kend din kommune" reads the same in English
    names = {PRODUCT, *NAMES_KEPT}
    for sql in ("SELECT navn FROM dim_kommune", "SELECT regionsnavn FROM dim_kommune", "SELECT navn FROM dim_region",
                "SELECT navn FROM kilde", "SELECT attribution FROM kilde", "SELECT licens FROM kilde"):
        names |= {n for (n,) in con.execute(sql).fetchall() if n}
    catalogue_danish, catalogue_english = [], []
    for table, danish_columns in CATALOGUE_TEXTS.items():
        columns = [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                             [table]).fetchall()]
        for column in columns:
            if column in danish_columns or column.endswith("_en"):
                values = [v for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM {table}').fetchall() if v]
                (catalogue_english if column.endswith("_en") else catalogue_danish).extend(values)
    danish = (DANISH | words([*singles, *catalogue_danish])) - words([*english.values(), *catalogue_english]) - ENGLISH
    return Katalog(untranslated, english, frozenset([*english.values(), *catalogue_english]), patterns,
                   frozenset(danish),
                   tuple(sorted(names, key=len, reverse=True)),
                   tuple(sorted(set(catalogue_danish), key=len, reverse=True)))


def plain(text: str) -> str:
    """A text as read: no markup (a chart's <br>, <b>), no Plotly placeholders, spaces collapsed."""
    text = re.sub(r"%\{[^}]*\}|<extra>.*?</extra>|<[^>]+>", " ", text)
    return " ".join(htmlmod.unescape(text).split())


def figure_texts(node, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in FIGURE_DATA:
                yield from figure_texts(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from figure_texts(v, key)
    elif isinstance(node, str) and key in FIGURE_TEXT:
        yield node


def dash_texts(tree) -> Iterator[str]:
    """What a reader sees or hears of a Dash component tree (JSON)."""
    if isinstance(tree, list):
        for item in tree:
            yield from dash_texts(item)
        return
    if not isinstance(tree, dict):
        return
    if "props" not in tree or "type" not in tree:
        for value in tree.values():
            yield from dash_texts(value)
        return
    props = tree["props"]
    if tree["type"] in NOT_SHOWN | CODE or props.get("lang") == sprog.DANSK:   # lang="da": Danish on purpose
        return
    for prop in TEXT_PROPS:
        value = props.get(prop)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list | dict):
            yield from (v for v in value if isinstance(v, str)) if isinstance(value, list) else ()
            yield from dash_texts(value)
    for option in props.get("options") or ():
        label = option.get("label") if isinstance(option, dict) else option
        yield from [label] if isinstance(label, str) else dash_texts(label)
    if isinstance(props.get("labels"), dict):   # a picker's own texts (search, select all, no match)
        yield from (v for v in props["labels"].values() if isinstance(v, str))
    if isinstance(props.get("figure"), dict):
        yield from figure_texts(props["figure"])


class _Visible(HTMLParser):
    """The text and the spoken attributes of an HTML page, without scripts, styles, code and what says lang="da"."""

    HIDDEN = {"script", "style", "code", "pre", "kbd", "samp", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.hidden = 0
        self.hidden_tags: list[str] = []   # the open elements whose text is not UI text

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.HIDDEN or a.get("lang") == sprog.DANSK:   # lang="da": Danish on purpose (the switch)
            self.hidden_tags.append(tag)
            self.hidden += 1
        self.texts += [a[k] for k in ("title", "placeholder", "aria-label", "alt") if a.get(k)]
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.texts.append(a["value"])

    def handle_endtag(self, tag):
        if self.hidden_tags and tag == self.hidden_tags[-1]:
            self.hidden_tags.pop()
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.texts.append(data)


def html_texts(page: str) -> list[str]:
    parser = _Visible()
    parser.feed(page)
    return parser.texts


def leftovers(katalog: Katalog, texts) -> list[str]:
    """Each Danish UI text among `texts` (once, in the order shown), with its reason."""
    found = {}
    for text in map(plain, texts):
        if text and text not in found and (why := katalog.reason(text)):
            found[text] = why
    return [f"  [{why}] {text!r}" for text, why in found.items()]


def report(page: str, found: list[str]) -> str:
    legend = "\n".join(f"  {k}: {v}" for k, v in REASONS.items())
    return f"{len(found)} Danish UI text(s) on {page}:\n" + "\n".join(found) + f"\nReasons:\n{legend}"


def routed(client, app, path: str, search: str) -> dict:
    """The router's answer for the English page (as the browser on it asks: its address, from itself)."""
    client.environ_base["HTTP_REFERER"] = f"http://localhost/en{path}{search}"
    r = call(client, app, {"_pages_location.pathname": "/en" + path, "_pages_location.search": search})
    assert r.status_code == 200, r.data[:300]
    return r.get_json()["response"]


def ids(pages) -> list[str]:
    return [f"{p}{s}" for p, s in pages]


@pytest.fixture
def signed_in(client, sqlite_userdb):
    """`client` signed in as an administrator (who publishes, hosts and manages users), beside a reader."""
    from kdk.auth import users
    from tests.test_admin import sign_in_with_code
    from tests.test_auth import GOOD

    users.add("admin-en", GOOD, "admin")
    users.add("laeser-101", GOOD, "laeser", "101")
    sign_in_with_code(client, "admin-en")
    return client


def check_dash_page(client, app, katalog, path, search):
    answer = routed(client, app, path, search)
    texts = [answer.get("_pages_store", {}).get("data", {}).get("title"), *dash_texts(answer["_pages_content"])]
    found = leftovers(katalog, [t for t in texts if isinstance(t, str)])
    assert not found, report(f"/en{path}{search}", found)


@pytest.mark.parametrize(("path", "search"), DASH_PAGES, ids=ids(DASH_PAGES))
def test_an_english_page_shows_no_danish_ui_text(client, app, katalog, path, search):
    check_dash_page(client, app, katalog, path, search)


@pytest.mark.parametrize(("path", "search"), SIGNED_IN_DASH_PAGES, ids=ids(SIGNED_IN_DASH_PAGES))
def test_an_english_page_for_a_signed_in_user_shows_no_danish_ui_text(signed_in, app, katalog, path, search):
    check_dash_page(signed_in, app, katalog, path, search)


def check_shell(client, katalog):
    r = client.get("/_dash-layout", headers={"Referer": "http://localhost/en/kommune/101"})
    assert r.status_code == 200
    found = leftovers(katalog, dash_texts(r.get_json()))
    assert not found, report("the shell (header and footer) of /en/kommune/101", found)


def test_the_english_shell_shows_no_danish_ui_text(client, katalog):
    check_shell(client, katalog)


def test_the_english_shell_of_a_signed_in_user_shows_no_danish_ui_text(signed_in, katalog):
    check_shell(signed_in, katalog)


def check_flask_page(client, katalog, path):
    r = client.get("/en" + path)
    assert r.status_code in (200, 404), f"/en{path}: {r.status_code}"
    page = r.get_data(as_text=True)
    found = leftovers(katalog, html_texts(page))
    if '<html lang="en">' not in page:
        found.insert(0, "  [html lang] the page does not say <html lang=\"en\">")
    assert not found, report(f"/en{path}", found)


@pytest.mark.parametrize("path", FLASK_PAGES)
def test_an_english_page_outside_dash_shows_no_danish_ui_text(client, katalog, path):
    check_flask_page(client, katalog, path)


@pytest.mark.parametrize("path", SIGNED_IN_FLASK_PAGES)
def test_an_english_administration_page_shows_no_danish_ui_text(signed_in, katalog, path):
    check_flask_page(signed_in, katalog, path)


def test_the_walk_recognises_danish_and_lets_names_and_marked_texts_pass(katalog):
    """The judge itself: a Danish sentence is caught, an English one with names and a marked text is not."""
    assert katalog.reason("Vis flere kommuner") is not None   # Danish, whatever the reason
    assert katalog.reason("Sygefravær") is not None
    assert katalog.reason("Copenhagen") is None
    assert katalog.reason("København compared with Region Sjælland and all of Denmark") is None
    assert katalog.reason(f"{PRODUCT}: key figures for the municipalities") is None
    marked = next(t for t in katalog.marked if re.search("[æøå]", t))
    assert katalog.reason(f"{marked} {sprog.MANGLER}") is None
    assert katalog.reason(marked) is not None   # without the marker it is Danish UI text
    assert katalog.reason("See /api/data?noegletal=skole.karakter&kommune=101") is None


def test_every_page_of_the_app_is_walked(app):
    """A page added to the app is walked too: every registered page has an address here."""
    walked = {p for p, _ in DASH_PAGES + SIGNED_IN_DASH_PAGES}
    for page in dash.page_registry.values():
        template = page.get("path_template") or page["path"]
        pattern = re.sub(r"<\w+>", "[^/]+", template)
        assert page["module"].endswith("not_found_404") or any(re.fullmatch(pattern, p) for p in walked), template


def test_every_text_marked_for_translation_has_its_english(katalog):
    """A text marked in the code (extracted as `make oversaettelser-udtraek` does) has an English translation in the
    catalogue, also one no walked page shows (a message, a refusal, a rare state)."""
    assert not sorted(katalog.untranslated), "run `make oversaettelser-udtraek` and translate these"
