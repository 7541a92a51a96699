"""The language a text is written in: Danish (the default, at `/`) or English (at `/en/…`, or `lang=en` on the API).

The active language is a context variable: the web app sets it for each request (web/sprog.py), a command or a test
with `brug("en")`; everything else reads `aktivt()`. Texts are marked in the code with Babel's default keywords and
translated here from gettext catalogues:

- `gettext("Log ind")` the text in the active language; `ngettext(singular, plural, n)` the same with a count;
  placeholders are named and filled after translation: `gettext("Side {side} af {sider}").format(...)`;
- `N_("…")` marks a text kept in a module-level constant and translated where it is shown (`gettext(KONSTANT)`);
- `pgettext("flertal", "Nøgletal")` where one Danish text needs two translations (a context, msgctxt).

The Danish text is the message id (the source language needs no catalogue); the English catalogue is
`kdk/oversaettelser/en/LC_MESSAGES/messages.po`, extracted with `make oversaettelser-udtraek` and compiled to `.mo` by
`make setup` (`make oversaettelser`). A `.po` newer than its `.mo` is read as it is (a translator's edit shows at
the next start without a compile step). A text without a translation is shown in Danish.

Texts that are data (the key-figure catalogue, the themes) carry their English beside the Danish; `katalogtekst`
picks the active language's and, where the English is missing, shows the Danish with the marker MANGLER, which a
reader sees and the test of the English pages allows.

Numbers and dates follow `locale()`: da_DK or en_GB (kdk/format.py). Reads the catalogues once per process.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import io
import logging
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DANSK, ENGELSK = "da", "en"
SPROG = (DANSK, ENGELSK)
STANDARD = DANSK
NAVNE = {DANSK: "Dansk", ENGELSK: "English"}      # each in its own language, as a language switch shows them
LOCALES = {DANSK: Locale.parse("da_DK"), ENGELSK: Locale.parse("en_GB")}
MANGLER = "[da]"   # after a catalogue text shown in Danish on an English page: its English is missing
KATALOGER = Path(__file__).with_name("oversaettelser")
DOMAENE = "messages"   # the one catalogue per language (gettext's domain): <KATALOGER>/<sprog>/LC_MESSAGES/messages.po

log = logging.getLogger(__name__)
_aktivt: contextvars.ContextVar[str] = contextvars.ContextVar("kdk_sprog", default=STANDARD)


def aktivt() -> str:
    """The active language: "da" or "en"."""
    return _aktivt.get()


def er_engelsk() -> bool:
    return _aktivt.get() == ENGELSK


def saet(sprog: str) -> contextvars.Token:
    """Make `sprog` the active language until `nulstil(token)`; an unknown language is the default."""
    return _aktivt.set(sprog if sprog in SPROG else STANDARD)


def nulstil(token: contextvars.Token) -> None:
    _aktivt.reset(token)


@contextlib.contextmanager
def brug(sprog: str):
    """Within this block, `sprog` is the active language."""
    token = saet(sprog)
    try:
        yield
    finally:
        nulstil(token)


def locale() -> Locale:
    """The active language's Babel locale (numbers, dates, months, lists)."""
    return LOCALES[_aktivt.get()]


def gettext(tekst: str) -> str:
    """`tekst` (Danish) in the active language."""
    if _aktivt.get() == STANDARD:
        return tekst
    return _oversaettelser(_aktivt.get()).gettext(tekst)


def ngettext(ental: str, flertal: str, antal: int) -> str:
    """The singular or plural text for `antal`, in the active language."""
    if _aktivt.get() == STANDARD:
        return ental if antal == 1 else flertal
    return _oversaettelser(_aktivt.get()).ngettext(ental, flertal, antal)


def pgettext(kontekst: str, tekst: str) -> str:
    """`tekst` in the active language, where one Danish text needs two translations and `kontekst` (the catalogue's
    msgctxt, a literal for Babel to extract) tells which: `gettext("Nøgletal")` is a column's "Key figure",
    `pgettext("flertal", "Nøgletal")` a page's "Key figures"."""
    if _aktivt.get() == STANDARD:
        return tekst
    return str(_oversaettelser(_aktivt.get()).pgettext(kontekst, tekst))


def N_(tekst: str) -> str:
    """Marks `tekst` for translation where it is defined; `gettext` translates it where it is shown."""
    return tekst


def katalogtekst(dansk: str | None, engelsk: str | None) -> str | None:
    """A text the catalogue or a theme holds in both languages, in the active one: the Danish with MANGLER after it
    when the English is missing."""
    if _aktivt.get() == STANDARD or not dansk:
        return dansk
    return engelsk if engelsk else f"{dansk} {MANGLER}"


@functools.cache
def _oversaettelser(sprog: str) -> NullTranslations:
    """The catalogue of `sprog` (`katalog(sprog)`): the compiled `.mo`, or the `.po` itself when it is newer; none
    (every text in Danish) when neither exists."""
    po = katalog(sprog)
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        log.info("reading %s uncompiled (run `make oversaettelser`)", po)
        return Translations(io.BytesIO(_kompileret(po)), domain=DOMAENE)
    return Translations.load(KATALOGER, [sprog], DOMAENE)


def katalog(sprog: str) -> Path:
    """The gettext catalogue (`.po`) of `sprog`: `kdk/oversaettelser/<sprog>/LC_MESSAGES/messages.po`."""
    return KATALOGER / sprog / "LC_MESSAGES" / f"{DOMAENE}.po"


def _kompileret(po: Path) -> bytes:
    with po.open("rb") as f:
        catalog = read_po(f)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


# Addresses: the Danish pages at /, the English ones under /en.
PRAEFIKS = "/en"
UDEN_PRAEFIKS = ("/assets/", "/_dash", "/_reload", "/_favicon", "/api/", "/en/")


def sprog_i_sti(sti: str) -> tuple[str, str]:
    """(language, the path without its language prefix): "/en/kommune/101" -> ("en", "/kommune/101")."""
    if sti == PRAEFIKS or sti.startswith(PRAEFIKS + "/"):
        return ENGELSK, sti[len(PRAEFIKS):] or "/"
    return DANSK, sti


def adresse(href: str, sprog: str | None = None) -> str:
    """The address `href` (a path on this site; any other is returned as it is) in `sprog` (by default the active
    language): a page under /en, an API call with `lang=en`."""
    sprog = sprog or _aktivt.get()
    if not href.startswith("/") or href.startswith("//"):
        return href
    if href.startswith("/api/"):
        if sprog == STANDARD or "lang=" in href:
            return href
        sti, _, rest = href.partition("#")
        return f"{sti}{'&' if '?' in sti else '?'}lang={sprog}" + (f"#{rest}" if rest else "")
    uden = sprog_i_sti(href)[1]
    if sprog == STANDARD or uden.startswith(UDEN_PRAEFIKS):
        return uden if sprog == STANDARD else href
    return PRAEFIKS + uden if uden != "/" else PRAEFIKS + "/"


ADRESSEFELTER = ("href", "action", "data-indlejr")   # data-indlejr: a chart's embed address (assets/deling.js)
HTML = "dash_html_components"   # the components that take `lang` (Dash's own, such as its Link, do not)
OMSLUTTELIGE = {"Link"}          # Dash's own components whose text may be wrapped in a span (Markdown's may not)


def med_adresser(tree, sprog: str | None = None):
    """The component tree `tree` (plain values, components/light.py) with every address on this site in `sprog`
    (`adresse`): a page drawn in English links to English pages, English downloads and English embeds. A link
    that names its language (`hrefLang`, the language switch) keeps its address. On an English page, a catalogue
    text shown in Danish for want of English (MANGLER) is also marked `lang="da"`, so that a screen reader reads it
    as Danish: its element says so, or a span around it where the element holds more or cannot say it (Dash's
    Markdown, which takes text only, is left as it is). Changes the tree in place and returns it."""
    sprog = sprog or _aktivt.get()
    if sprog == STANDARD:
        return tree
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list | tuple):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict):
                for felt in () if props.get("hrefLang") else ADRESSEFELTER:
                    if isinstance(props.get(felt), str):
                        props[felt] = adresse(props[felt], sprog)
                _dansk_markeret(node.get("namespace"), node.get("type"), props)
                stack.extend(v for v in props.values() if isinstance(v, list | tuple | dict))
    return tree


def _dansk_markeret(namespace: str | None, type_: str | None, props: dict) -> None:
    """Mark the children of a component that are catalogue texts shown in Danish (MANGLER) with lang="da": the
    component itself where it is HTML and holds only that text, else a span around the text where the component
    takes one (OMSLUTTELIGE)."""
    children = props.get("children")
    if namespace != HTML and type_ not in OMSLUTTELIGE:
        return
    if isinstance(children, str) and MANGLER in children:
        if namespace == HTML:
            props.setdefault("lang", DANSK)
        else:
            props["children"] = _dansk(children)
    elif isinstance(children, list) and any(isinstance(c, str) and MANGLER in c for c in children):
        props["children"] = [_dansk(c) if isinstance(c, str) and MANGLER in c else c for c in children]


def _dansk(tekst: str) -> dict:
    return {"type": "Span", "namespace": HTML, "props": {"children": tekst, "lang": DANSK}}
