"""What the pickers (dcc.Dropdown) say and what they find: the texts every picker shows in the page's language
instead of Dash's English ones (components/light.py gives them to every dcc.Dropdown), and each option's `search`
text, which holds the spellings a user may type for it.

The dropdown finds an option when every word typed, in lower case, is part of a word of its value, label or
`search` text (Dash 4's js-search index: all substrings, words split at spaces). So "Århus" finds Aarhus when "århus"
is among its search words, "Ringkøbing Skjern" finds Ringkøbing-Skjern as it is, and "Københavns Kommune" finds
København once its official name is there. Reads and writes nothing: pure functions of the names they are given.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from kdk.sprog import N_, gettext

# Dash's `labels` prop, all of it (a partial dict replaces Dash's English defaults, so every text is given), in
# Danish; `standard` gives them in the active language.
LABELS = {
    "select_all": N_("Vælg alle"),
    "deselect_all": N_("Fravælg alle"),
    "selected_count": N_("{num_selected} valgt"),
    "search": N_("Søg"),
    "clear_search": N_("Ryd søgning"),
    "clear_selection": N_("Ryd valg"),
    "no_options_found": N_("Ingen match"),
}
PLACEHOLDER = N_("Vælg …")


def standard() -> dict:
    """What every picker is given unless its page says otherwise (components/light.py): the texts in the active
    language, and a placeholder for a picker without a value (Dash 4 shows none)."""
    return {"labels": {key: gettext(text) for key, text in LABELS.items()}, "placeholder": gettext(PLACEHOLDER)}

# Official names that are not "<navn> Kommune" (Danmarks Administrative Geografiske Inddeling).
OFFICIAL_NAMES = {"101": "Københavns Kommune", "400": "Bornholms Regionskommune"}

# The ways Danish letters are written without them: "Koebenhavn", "Kobenhavn"; and "aa" as the old spelling of å.
_FOLDINGS = (str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}), str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))


def spellings(text: str) -> list[str]:
    """`text` in lower case and the ways it may be typed: æøå written as ae/oe/aa or a/o/a, "aa" written as å, and
    each of those with its hyphens as spaces or left out. In a stable order, without repeats."""
    lower = text.lower()
    letters = [lower, *(lower.translate(folding) for folding in _FOLDINGS), lower.replace("aa", "å")]
    return list(dict.fromkeys(form for word in letters
                              for form in (word, word.replace("-", " "), word.replace("-", ""))))


def soegetekst(*texts: str) -> str:
    """The `search` text of an option named by `texts`: every spelling of each (`spellings`), space-separated."""
    return " ".join(dict.fromkeys(form for text in texts for form in spellings(text)))


def kommune_option(kommune: Mapping) -> dict:
    """The option of one municipality (`kommunekode`, `navn`): "Aarhus (751)", found by name, official name and code."""
    kode, navn = kommune["kommunekode"], kommune["navn"]
    return {"label": f"{navn} ({kode})", "value": kode,
            "search": soegetekst(navn, OFFICIAL_NAMES.get(kode, f"{navn} Kommune"), kode)}


def kommune_options(kommuner: Iterable[Mapping]) -> list[dict]:
    """The options of a municipality picker, in the order given."""
    return [kommune_option(k) for k in kommuner]


def soeg_options(kommuner: Iterable[Mapping], noegletal: Iterable[Mapping]) -> list[dict]:
    """The options of the header's search: the municipalities (value: the code), then the key figures (`noegletal_id`,
    `titel`; value: the figure's page), labelled "Nøgletal: …". Give it only the figures the viewer may see."""
    label = gettext("Nøgletal: {titel}")
    return kommune_options(kommuner) + [{"label": label.format(titel=f["titel"]),
                                         "value": f"/noegletal/{f['noegletal_id']}",
                                         "search": soegetekst(f["titel"])} for f in noegletal]
