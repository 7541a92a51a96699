"""Reads one source file from Statistics Denmark (StatBank), noegletal.dk or Jobindsats into one long DataFrame.

Reads: a CSV file as the portals deliver it (UTF-8 with or without BOM, or Windows-1252; `;`, `,` or tab;
long or wide layout; Danish or plain numbers) and the municipality list. Writes nothing.
`read_source` returns the rows it could read (columns `KOLONNER`) plus one finding (niveau FEJL) per problem
in the rows it left out, about the row's key figure where the row names one; a file that cannot be read at all
(vanished, unreadable, duplicate column names, ...) raises `IngestError` with a Danish message, naming the CLI
option to use where one helps. `open_source` and `read_text` are its two steps, and `udtraeksdato` the file's own
extraction date, for the ingest, which reads a file once.

Source flags: Statistics Denmark's `..` (not available or confidential) is a row without a value, status
`diskretioneret`; `...` and `NA` are `mangler`; `-` (DST's and PX's "nil", magnitude zero) is the value 0. A
footnote marker `(n)` after a value (`12,5 (3)`), after a wide file's period header (`2005 (3)`: the whole column)
or in a long file's note column becomes the value's status by `FODNOTER`: noegletal.dk's `(3)` marks the 1993–2006
values recalculated to today's municipalities, status `estimat`; an unknown footnote is an error, so no flag is
lost. Note lines before the header or under the table (a title, `(3) Omregnet til ...`, `Kilde: ...`,
`Udtræksdato: 20-11-2026`) are not data.
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kdk import periods
from kdk.marts.findings import FEJL, Finding, IngestError

KOLONNER = ["noegletal_id", "omraade_kode", "periode", "vaerdi", "status", "taeller", "naevner", "linje", "kolonne"]
HELE_LANDET = "000"

# Accepted column names after `_kolonnenoegle` (lower case, å/æ/ø spelled aa/ae/oe), best match first.
_KOLONNENAVNE = {
    "omraade": ("kommunekode", "omraade_kode", "komkode", "kom_nr", "kode", "kommune", "omraade", "kommunenavn",
                "navn"),
    "periode": ("periode", "tid", "aar", "maaned", "time"),
    "vaerdi": ("vaerdi", "indhold", "value", "antal", "andel"),
    "noegletal": ("noegletal_id", "noegletal"),
    "taeller": ("taeller",),
    "naevner": ("naevner",),
    "note": ("note", "noter", "fodnote", "fodnoter", "anmaerkning", "anm"),
}
_SKILLETEGN = {";": ";", ",": ",", "\t": "\t", "tab": "\t", "\\t": "\t"}
# A value the source does not give (blank; DST's `..`, "not available or confidential") is `mangler` to us: we never
# had it, so our disclosure control has nothing to protect and the totals are computed without it.
_MARKOERER = dict.fromkeys(("", "..", "...", "NA"), "mangler")
_NUL = {"-", "–", "—"}   # DST's and PX's "nil": the value is 0
FODNOTER = {"3": "estimat"}   # noegletal.dk: (3) = recalculated to today's municipalities (1993-2006)
_FODNOTE = re.compile(r"^(.*?)\s*\((\d{1,2})\)$")
_NOTELINJE = re.compile(r"^\s*(\(\d{1,2}\)|kilde\b|note\b|anm\w*\b|\S*\s*(udtr(æ|ae)k|udtrukket|hentet|dato))",
                        re.IGNORECASE)
_DATOORD = re.compile(r"udtr(æ|ae)k|udtrukket|hentet|dato", re.IGNORECASE)
_KANT = 4000   # note lines stand before the header or under the table: the file's first and last characters
_MAANEDER = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_DATOER = (re.compile(r"(?P<a>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
           re.compile(r"(?P<d>\d{1,2})[-./](?P<m>\d{1,2})[-./](?P<a>\d{4})"),
           re.compile(r"(?P<d>\d{1,2})\.?\s+(?P<m>[a-zæøå]{3})[a-zæøå]*\.?\s+(?P<a>\d{4})", re.IGNORECASE))
_OS_FEJL = {FileNotFoundError: "den findes ikke (længere)", PermissionError: "der er ikke adgang til den",
            IsADirectoryError: "det er en mappe"}
_GYLDIGT_TAL = {"dansk": re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"),
                "plain": re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")}
_LIGNER_TAL = re.compile(r"[+-]?[\d.,]*\d[\d.,]*")
_TVETYDIGT_TAL = re.compile(r"[+-]?\d*\.\d{3}")
_MELLEMRUM = re.compile(r"[\s\u00a0\u202f]+")  # spaces inside numbers are thousands separators
_HELE_LANDET_NAVNE = ("hele landet", "danmark", "landet")
_GAMLE_NAVNE = {"brønderslev dronninglund": "810", "frederiksværk hundested": "260"}
_ID = re.compile(r"[\w.\-]+")


@dataclass(frozen=True)
class ReadOptions:
    noegletal_id: str | None = None   # key figure of the whole file, when it has no key-figure column
    encoding: str | None = None       # e.g. "utf-8", "cp1252", "latin-1"; None = detect
    talformat: str | None = None      # "dansk" (1.234,5) | "plain" (1234.5); None = detect
    separator: str | None = None      # ";" | "," | "\t" (or "tab"); None = detect


@dataclass(frozen=True)
class _Layout:
    """Column positions of one file; `vaerdier` maps each value column to its period (wide) or None (long)."""
    omraade: int
    periode: int | None
    vaerdier: dict[int, str | None]
    noegletal: int | None
    taeller: int | None
    naevner: int | None
    note: int | None = None
    fodnoter: dict[int, str] | None = None   # wide: a value column's footnote from its period header


def read_source(path: Path, options: ReadOptions, kommuner: pd.DataFrame) -> tuple[pd.DataFrame, list[Finding]]:
    """Read one source file into the long format `KOLONNER`; rows with problems are left out and reported."""
    return read_text(open_source(path, options.encoding), path.name, options, kommuner)


def open_source(path: Path, encoding: str | None) -> str:
    """The file's text; a file that vanished or cannot be read is an IngestError with a Danish message."""
    try:
        data = path.read_bytes()
    except OSError as e:
        aarsag = next((t for k, t in _OS_FEJL.items() if isinstance(e, k)), f"systemfejl: {e.strerror}")
        raise IngestError(f"Filen {path.name} kan ikke læses: {aarsag}. Tjek stien og adgangen til filen, og "
                          "indlæs den igen.") from None
    return _decode(data, encoding)


def udtraeksdato(text: str) -> dt.date | None:
    """The extraction date from a note line before the header or under the table (`Udtræksdato: 20-11-2026`,
    `Data udtrukket 20. november 2026`, `Hentet 2026-11-20`); None if the file has none."""
    kanter = text if len(text) <= 2 * _KANT else text[:_KANT] + "\n" + text[-_KANT:]
    for linje in kanter.splitlines():
        celle = (next(csv.reader([linje], delimiter=_separator_gaet(linje) or ";"), None) or [""])[0]
        if _NOTELINJE.match(celle) and _DATOORD.search(celle) and (dato := _dato(celle)):
            return dato
    return None


def _dato(tekst: str) -> dt.date | None:
    """The first date in `tekst` (2026-11-20, 20-11-2026, 20.11.2026, 20/11/2026 or 20. november 2026)."""
    for moenster in _DATOER:
        if m := moenster.search(tekst):
            navn = m["m"].lower()
            maaned = int(navn) if navn.isdigit() else _MAANEDER.index(navn) + 1 if navn in _MAANEDER else 0
            try:
                return dt.date(int(m["a"]), maaned, int(m["d"]))
            except ValueError:   # 31-02-2026, or no month
                return None
    return None


def read_text(text: str, fil: str, options: ReadOptions, kommuner: pd.DataFrame) -> tuple[pd.DataFrame,
                                                                                        list[Finding]]:
    """`read_source` on the text of the file named `fil`."""
    if not text.strip():
        raise IngestError(f"Filen {fil} er tom.")
    header, cells, fund = _records(text, _separator(text, options.separator), fil)
    if cells.empty and not fund:
        raise IngestError(f"Filen {fil} har ingen datarækker under overskriften.")
    omraader = _Omraader(kommuner)
    layout, layoutfund = _layout(header, cells, omraader, options.noegletal_id, fil)
    raa = _raa(layout, header, cells)
    ids, id_fund = _noegletal_ids(raa, layout, header, options.noegletal_id, fil)
    raa["noegletal_id"] = ids   # a problem in a row is about the row's key figure
    koder, omraade_fund = _omraade_koder(raa, header[layout.omraade], omraader, fil)
    perioder, periode_fund = _perioder(raa, layout, header, fil)
    talformat = _talformat(raa, options.talformat)
    vaerdi, status, tal_fund = _tal(raa, "vaerdi", None, talformat, fil)
    status, fodnote_fund = _fodnoter(raa, status, fil)
    taeller, taeller_status, taeller_fund = _tal(raa, "taeller", _navn(header, layout.taeller), talformat, fil)
    naevner, naevner_status, naevner_fund = _tal(raa, "naevner", _navn(header, layout.naevner), talformat, fil)
    data = pd.DataFrame({"noegletal_id": ids, "omraade_kode": koder, "periode": perioder, "vaerdi": vaerdi,
                         "status": status, "taeller": taeller, "naevner": naevner,
                         "linje": raa["linje"], "kolonne": raa["kolonne"]})
    ok = data[["noegletal_id", "omraade_kode", "periode", "status"]].notna().all(axis=1)
    ok &= taeller_status.notna() & naevner_status.notna()
    fund += layoutfund + id_fund + omraade_fund + periode_fund + tal_fund + fodnote_fund + taeller_fund + naevner_fund
    return _output(data[ok]), sorted(fund, key=lambda f: f.linje or 0)


# --- file, encoding, separator, records -------------------------------------------------------------------------

def _decode(data: bytes, encoding: str | None) -> str:
    if encoding is None:
        return _gaet_tegnsaet(data)
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except LookupError:
        raise IngestError(f"Ukendt tegnsæt '{encoding}'. Angiv fx --encoding utf-8 eller --encoding cp1252.") from None
    except UnicodeDecodeError as e:
        raise IngestError(
            f"Filen kan ikke læses med tegnsættet '{encoding}' (byte 0x{e.object[e.start]:02x} ved position "
            f"{e.start}). Angiv et andet tegnsæt med --encoding, fx --encoding cp1252, eller udelad --encoding "
            "for at finde det automatisk.") from None


def _gaet_tegnsaet(data: bytes) -> str:
    """UTF-8 (with or without BOM) if the bytes are valid UTF-8, else Windows-1252 (Latin-1 for its 5 gaps)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _separator(text: str, valgt: str | None) -> str:
    if valgt is not None:
        if valgt not in _SKILLETEGN:
            raise IngestError(f"Ukendt skilletegn '{valgt}'. Angiv --separator ';', --separator ',' "
                              "eller --separator tab.")
        return _SKILLETEGN[valgt]
    linje = next((t for t in text.splitlines() if _separator_gaet(t) and not _NOTELINJE.match(t)), None)
    if linje is None:
        raise IngestError("Ingen linje i filen indeholder ';', ',' eller tabulator. "
                          "Angiv skilletegnet med --separator.")
    antal = _antal_skilletegn(linje)
    if antal[0][0] == antal[1][0]:
        raise IngestError(f"Skilletegnet er tvetydigt: overskriften indeholder lige mange '{antal[0][1]}' og "
                          f"'{antal[1][1]}'. Angiv skilletegnet med --separator.")
    return antal[0][1]


def _antal_skilletegn(linje: str) -> list[tuple[int, str]]:
    """How many of each separator a line holds outside its quotes, most first."""
    linje = re.sub(r'"[^"]*"', "", linje)
    return sorted(((linje.count(s), s) for s in (";", "\t", ",")), reverse=True)


def _separator_gaet(linje: str) -> str | None:
    """The separator a line holds most of; None if it holds none (a title or a note)."""
    antal, sep = _antal_skilletegn(linje)[0]
    return sep if antal else None


def _records(text: str, sep: str, fil: str) -> tuple[list[str], pd.DataFrame, list[Finding]]:
    """Header cells, the stripped data cells (index = physical line number) and findings for rows of the wrong
    width; blank lines, and note lines before the header or under the table, are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows, linjer, fund, noter = [], [], [], []
    try:
        header = next(h for h in reader if "".join(h[1:]).strip())   # a title line has one cell
        header = [h.strip() for h in header]
        _dubletter(header)
        start = reader.line_num + 1
        for cells in reader:
            linje, start = start, reader.line_num + 1
            if not "".join(cells).strip():
                continue
            if not "".join(cells[1:]).strip() and (len(cells) != len(header) or _NOTELINJE.match(cells[0])):
                noter.append((linje, cells))   # a note, unless data follow
                continue
            for note_linje, note in noter:
                fund.append(_antal_felter(fil, note_linje, note, header))
            noter = []
            if len(cells) != len(header):
                fund.append(_antal_felter(fil, linje, cells, header))
                continue
            rows.append(cells)
            linjer.append(linje)
    except StopIteration:
        raise IngestError(f"Filen {fil} har ingen overskrift med kolonnenavne.") from None
    except csv.Error:
        raise IngestError(f"Filen kan ikke læses som CSV ved linje {reader.line_num}. Tjek anførselstegnene, "
                          "eller angiv skilletegnet med --separator.") from None
    cells = pd.DataFrame(rows, index=pd.Index(linjer, dtype="int64"), columns=range(len(header)), dtype=object)
    return header, cells.apply(lambda kolonne: _per_unik(kolonne, str.strip)), fund


def _antal_felter(fil: str, linje: int, cells: list[str], header: list[str]) -> Finding:
    """A line that is not as wide as the header, and is no note before the header or under the table."""
    if len(cells) == len(header):
        return _fejl(fil, linje, None, "antal_felter", f"Linjen '{cells[0].strip()}' står mellem datarækkerne, men "
                     "har kun én udfyldt celle. Flyt noter under tabellen.")
    return _fejl(fil, linje, None, "antal_felter",
                 f"Linjen har {len(cells)} felter, men overskriften har {len(header)}. Tjek skilletegn og "
                 "anførselstegn (et decimalkomma skal stå i anførselstegn, når skilletegnet er komma).")


def _dubletter(header: list[str]) -> None:
    """Two columns of the same name (as columns are matched: case, å/æ/ø and spacing aside) are refused: which
    of them holds the values would be a guess."""
    foerste: dict[str, int] = {}
    for j, navn in enumerate(header):
        noegle = _kolonnenoegle(_FODNOTE.sub(r"\1", navn))
        if noegle and noegle in foerste:
            i = foerste[noegle]
            raise IngestError(f"Overskriften har to kolonner med samme navn: '{header[i]}' og '{navn}' (kolonne "
                              f"{i + 1} og {j + 1}). Giv kolonnerne forskellige navne, eller slet den ene.")
        foerste[noegle] = j


# --- layout ------------------------------------------------------------------------------------------------------

def _kolonnenoegle(navn: str) -> str:
    navn = navn.strip().lower().replace("å", "aa").replace("æ", "ae").replace("ø", "oe")
    return re.sub(r"[\s.\-]+", "_", navn)


def _find_kolonne(rolle: str, header: list[str], optaget: set[int]) -> int | None:
    noegler = [_kolonnenoegle(h) for h in header]
    for navn in _KOLONNENAVNE[rolle]:
        for j, noegle in enumerate(noegler):
            if noegle == navn and j not in optaget:
                return j
    return None


def _layout(header: list[str], cells: pd.DataFrame, omraader: _Omraader, noegletal_id: str | None,
            fil: str) -> tuple[_Layout, list[Finding]]:
    """Wide if some header cells are periods (each perhaps with a footnote, `2005 (3)`), else long with a value and
    a period column."""
    uden_fodnote = {j: m.groups() if (m := _FODNOTE.match(h)) else (h, None) for j, h in enumerate(header)}
    perioder: dict[int, str | None] = {j: p for j, (h, _) in uden_fodnote.items() if (p := periods.normalise(h))}
    noegletal = _find_kolonne("noegletal", header, set(perioder))
    optaget = set(perioder) | ({noegletal} if noegletal is not None else set())
    if perioder:
        omraade = _omraade_kolonne(header, cells, optaget, omraader)
        fodnoter = {j: n for j, (_, n) in uden_fodnote.items() if j in perioder and n}
        layout = _Layout(omraade, None, perioder, noegletal, None, None, fodnoter=fodnoter)
        fund = _ugyldige_overskrifter(header, fil)
    else:
        layout, fund = _lang_layout(header, cells, optaget, omraader, noegletal), []
    if noegletal is None and not noegletal_id:
        raise IngestError("Filen har ingen kolonne med nøgletal-id. Angiv nøgletallet med --noegletal ID.")
    return layout, fund


def _lang_layout(header: list[str], cells: pd.DataFrame, optaget: set[int], omraader: _Omraader,
                 noegletal: int | None) -> _Layout:
    vaerdi = _find_kolonne("vaerdi", header, optaget)
    if vaerdi is None:
        raise IngestError("Filen har ingen kolonne med værdier. Forventede en kolonne med navnet værdi, vaerdi, "
                          "indhold, value, antal eller andel, eller én kolonne pr. periode (fx 2024, 2024K1, "
                          "2024M01).")
    periode = _find_kolonne("periode", header, optaget)
    if periode is None:
        raise IngestError("Filen har ingen kolonne med perioder. Forventede en kolonne med navnet periode, tid, "
                          "år, aar, måned eller time, eller én kolonne pr. periode (fx 2024, 2024K1, 2024M01).")
    optaget = optaget | {vaerdi, periode}
    omraade = _omraade_kolonne(header, cells, optaget, omraader)
    optaget = optaget | {omraade}
    return _Layout(omraade, periode, {vaerdi: None}, noegletal, _find_kolonne("taeller", header, optaget),
                   _find_kolonne("naevner", header, optaget), _find_kolonne("note", header, optaget))


def _omraade_kolonne(header: list[str], cells: pd.DataFrame, optaget: set[int], omraader: _Omraader) -> int:
    """The area column by name, else the first free column where at least half of the filled cells are
    municipality/region codes or names (StatBank leaves that header cell empty)."""
    if (j := _find_kolonne("omraade", header, optaget)) is not None:
        return j
    for j in cells.columns:
        vaerdier = [v for v in cells[j].unique() if v]
        if j not in optaget and vaerdier and sum(omraader.kode(v) is not None for v in vaerdier) >= len(vaerdier) / 2:
            return j
    raise IngestError("Filen har ingen kolonne med kommune eller område. Forventede en kolonne med navnet "
                      "kommunekode, kommune, område, kode eller navn med kommunekoder eller kommunenavne.")


def _ugyldige_overskrifter(header: list[str], fil: str) -> list[Finding]:
    """Wide layout: header cells that start like a year but are no valid period."""
    return [_fejl(fil, 1, h, "ugyldig_periode", f"Overskriften '{h}' ligner en periode, men er ugyldig. "
                  + periods.gyldige())
            for h in header if re.match(r"\d{4}", h) and periods.normalise(_FODNOTE.sub(r"\1", h)) is None]


def _raa(layout: _Layout, header: list[str], cells: pd.DataFrame) -> pd.DataFrame:
    """One row per value cell, still as text: noegletal, omraade, periode, vaerdi, taeller, naevner, linje, kolonne
    and fodnote (the number of the value's footnote marker, from its cell, its column's header or the note column;
    '' if none)."""
    def tekst(j: int | None) -> pd.Series:
        return cells[j] if j is not None else pd.Series("", index=cells.index, dtype=object)

    note_tekst, note = _fodnote(tekst(layout.note))
    note = note.where(note_tekst == "", "")   # a note cell holding just the marker; other text is a free note
    dele = []
    for j, periode in layout.vaerdier.items():
        vaerdi, i_cellen = _fodnote(cells[j])
        kolonnens = (layout.fodnoter or {}).get(j, "")
        dele.append(pd.DataFrame({
            "noegletal": tekst(layout.noegletal), "omraade": cells[layout.omraade],
            "periode": periode if periode is not None else cells[layout.periode],
            "vaerdi": vaerdi, "taeller": tekst(layout.taeller), "naevner": tekst(layout.naevner),
            "fodnote": i_cellen.where(i_cellen != "", note.where(note != "", kolonnens)),
            "linje": cells.index, "kolonne": header[j], "position": j}))
    return pd.concat(dele).sort_values(["linje", "position"], kind="stable").reset_index(drop=True)


def _fodnote(tekst: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Cells without a trailing footnote marker, and the marker's number ('' if none): `12,5 (3)` -> `12,5`, `3`.
    Only the cells that end in ')' are parsed (a file of 100 000 values has few or none)."""
    uden, nummer = tekst.copy(), pd.Series("", index=tekst.index, dtype=object)
    maerket = tekst.str.endswith(")")
    if maerket.any():
        delt = tekst[maerket].str.extract(_FODNOTE)
        fundet = delt[1].notna()
        uden[delt.index[fundet]], nummer[delt.index[fundet]] = delt[0][fundet], delt[1][fundet]
    return uden, nummer


# --- key figure, area, period ------------------------------------------------------------------------------------

def _per_unik(tekst: pd.Series, funktion: Callable[[str], str | None]) -> pd.Series:
    """`funktion` applied once per distinct cell text (files repeat the same names and periods many times)."""
    koder, unikke = pd.factorize(tekst)
    return pd.Series(np.array([funktion(t) for t in unikke], dtype=object)[koder], index=tekst.index)


def _noegletal_ids(raa: pd.DataFrame, layout: _Layout, header: list[str], option: str | None,
                   fil: str) -> tuple[pd.Series, list[Finding]]:
    """Ids from the key-figure column; the option wins if the column holds titles rather than ids."""
    option = option.strip() if option else None
    if layout.noegletal is None:
        return pd.Series(option, index=raa.index, dtype=object), []
    ids = raa["noegletal"]
    if option and not all(_ID.fullmatch(v) for v in ids.unique() if v):
        return pd.Series(option, index=raa.index, dtype=object), []
    if option:
        return ids.where(ids != "", option), []
    tomme = raa[ids == ""].drop_duplicates("linje")
    fund = [_fejl(fil, r.linje, header[layout.noegletal], "mangler_noegletal",
                  "Cellen med nøgletal-id er tom. Udfyld den, eller angiv nøgletallet med --noegletal ID.")
            for r in tomme.itertuples()]
    return ids.where(ids != ""), fund


class _Omraader:
    """Looks up municipality, region and whole-country codes from codes or (loosely written) names."""

    def __init__(self, kommuner: pd.DataFrame) -> None:
        self.kommunekoder = set(kommuner["kommunekode"])
        self.regionskoder = set(kommuner["regionskode"])
        self.navne = {_navnenoegle(n): k for k, n in zip(kommuner["kommunekode"], kommuner["navn"])}
        self.navne |= {_navnenoegle(n): k for k, n in zip(kommuner["regionskode"], kommuner["regionsnavn"])}
        self.navne |= {n: HELE_LANDET for n in _HELE_LANDET_NAVNE} | _GAMLE_NAVNE
        officielle = [*kommuner["navn"], *kommuner["regionsnavn"].unique(), "Hele landet"]
        self.visning = {_navnenoegle(n): n for n in officielle}

    def kode(self, tekst: str) -> str | None:
        if tekst.isdigit():
            return self._kode_fra_tal(int(tekst))
        noegle = _navnenoegle(tekst)
        for variant in (noegle, noegle + "s", noegle.removesuffix("s")):
            if variant in self.navne:
                return self.navne[variant]
        return None

    def _kode_fra_tal(self, tal: int) -> str | None:
        """0 = whole country, municipality codes with or without leading zeros, regions as 1084 or StatBank's 084."""
        if tal == 0:
            return HELE_LANDET
        for kode in (str(tal), str(1000 + tal)):
            if kode in self.kommunekoder or kode in self.regionskoder:
                return kode
        return None

    def forslag(self, tekst: str) -> str | None:
        naermeste = difflib.get_close_matches(_navnenoegle(tekst), self.visning, n=1, cutoff=0.75)
        return self.visning[naermeste[0]] if naermeste else None


def _navnenoegle(navn: str) -> str:
    """'Københavns Kommune' -> 'københavns', 'Høje-Taastrup' -> 'høje taastrup', 'Århus' -> 'aarhus'."""
    navn = re.sub(r"[\s\-]+", " ", navn.strip().lower().replace("å", "aa"))
    navn = re.sub(r" (regions)?kommune$", "", navn)
    return navn.removeprefix("region ")


def _omraade_koder(raa: pd.DataFrame, kolonne: str, omraader: _Omraader,
                   fil: str) -> tuple[pd.Series, list[Finding]]:
    koder = _per_unik(raa["omraade"], omraader.kode)
    fund = []
    for r in raa[koder.isna()].drop_duplicates("linje").itertuples():
        besked = f"Ukendt kommune eller område '{r.omraade}'."
        if (forslag := omraader.forslag(r.omraade)) is not None:
            besked += f" Mente du '{forslag}'?"
        fund.append(_fejl(fil, r.linje, kolonne, "ukendt_kommune", besked, r.noegletal_id))
    return koder, fund


def _perioder(raa: pd.DataFrame, layout: _Layout, header: list[str], fil: str) -> tuple[pd.Series, list[Finding]]:
    perioder = _per_unik(raa["periode"], periods.normalise)
    fund = [_fejl(fil, r.linje, _navn(header, layout.periode), "ugyldig_periode",
                  f"Ugyldig periode '{r.periode}'. {periods.gyldige()}", r.noegletal_id)
            for r in raa[perioder.isna()].itertuples()]
    return perioder, fund


# --- numbers -----------------------------------------------------------------------------------------------------

def _rens(tekst: str) -> str:
    return _MELLEMRUM.sub("", tekst).replace("\u2212", "-")


def _talbevis(tekst: str) -> str | None:
    """'dansk', 'plain' or 'tvetydig' for a cleaned number cell; None for integers, markers and text."""
    if not _LIGNER_TAL.fullmatch(tekst):
        return None
    if "," in tekst or tekst.count(".") >= 2:
        return "dansk"
    if "." in tekst:
        return "tvetydig" if _TVETYDIGT_TAL.fullmatch(tekst) else "plain"
    return None


def _talformat(raa: pd.DataFrame, valgt: str | None) -> str:
    if valgt is not None:
        if valgt.lower() not in _GYLDIGT_TAL:
            raise IngestError(f"Ukendt talformat '{valgt}'. Angiv --talformat dansk eller --talformat plain.")
        return valgt.lower()
    eksempler: dict[str, tuple[str, int]] = {}
    for felt in ("vaerdi", "taeller", "naevner"):
        for tekst, linje in raa[[felt, "linje"]].drop_duplicates(felt).itertuples(index=False):
            tekst = _rens(tekst)
            if (bevis := _talbevis(tekst)) is not None:
                eksempler.setdefault(bevis, (tekst, linje))
    if "dansk" in eksempler and "plain" in eksempler:
        (d, d_linje), (p, p_linje) = eksempler["dansk"], eksempler["plain"]
        raise IngestError(f"Talformatet er blandet: '{d}' (linje {d_linje}) er dansk talformat, men '{p}' "
                          f"(linje {p_linje}) er plain talformat. Ret filen, eller angiv --talformat dansk eller "
                          "--talformat plain.")
    if "dansk" in eksempler:
        return "dansk"
    if "tvetydig" in eksempler and "plain" not in eksempler:
        t, linje = eksempler["tvetydig"]
        raise IngestError(f"Talformatet er tvetydigt: '{t}' (linje {linje}) kan være {t.replace('.', ',')} eller "
                          f"{t.replace('.', '')}. Angiv --talformat dansk eller --talformat plain.")
    return "plain"


def _tal_og_status(tekst: str, talformat: str) -> tuple[float, str | None]:
    """(number, 'normal'), (NaN, the marker's status) or (NaN, None) for a cell that is neither."""
    tekst = _rens(tekst)
    if _GYLDIGT_TAL[talformat].fullmatch(tekst):
        return float(tekst.replace(".", "").replace(",", ".") if talformat == "dansk" else tekst), "normal"
    if tekst in _NUL:
        return 0.0, "normal"
    return math.nan, _MARKOERER.get(tekst.upper())


def _tal(raa: pd.DataFrame, felt: str, kolonne: str | None, talformat: str,
         fil: str) -> tuple[pd.Series, pd.Series, list[Finding]]:
    """Numbers, status (None where the cell is neither a number nor a marker) and ikke_tal findings for one field.

    `kolonne` names the source column in findings; None = the value column of each row (`raa.kolonne`)."""
    koder, unikke = pd.factorize(raa[felt])
    tolket = [_tal_og_status(t, talformat) for t in unikke]
    tal = pd.Series(np.array([t for t, _ in tolket], dtype="float64")[koder], index=raa.index)
    status = pd.Series(np.array([s for _, s in tolket], dtype=object)[koder], index=raa.index)
    fund = [_fejl(fil, r.linje, kolonne or r.kolonne, "ikke_tal",
                  f"'{getattr(r, felt)}' er hverken et tal ({talformat} talformat) eller en kendt markør for "
                  "manglende, diskretionerede eller nul-værdier ('..', '...', 'NA', tom celle eller '-' for nul).",
                  r.noegletal_id)
            for r in raa[status.isna()].itertuples()]
    return tal, status, fund


def _fodnoter(raa: pd.DataFrame, status: pd.Series, fil: str) -> tuple[pd.Series, list[Finding]]:
    """A value's status after its footnote (`FODNOTER`); a row with an unknown footnote is left out (status None)
    with a finding, so that no source flag is silently lost. A marker cell keeps its status."""
    kendt = raa["fodnote"].map(FODNOTER)
    ukendt = (raa["fodnote"] != "") & kendt.isna()
    fund = [_fejl(fil, r.linje, r.kolonne, "ukendt_fodnote",
                  f"Fodnoten ({r.fodnote}) ved værdien er ukendt, og dens betydning ville gå tabt. Kendte fodnoter: "
                  "(3) = estimat, omregnet til nuværende kommuner (noegletal.dk). Fjern fodnoten, hvis den ikke "
                  "ændrer tallets betydning.", r.noegletal_id)
            for r in raa[ukendt & status.notna()].itertuples()]
    status = status.where(~ukendt, None)
    return status.where(~((status == "normal") & kendt.notna()), kendt), fund


# --- output ------------------------------------------------------------------------------------------------------

def _output(data: pd.DataFrame) -> pd.DataFrame:
    data = data.reset_index(drop=True)
    for navn in ("noegletal_id", "omraade_kode", "periode", "status", "kolonne"):
        data[navn] = data[navn].astype(str)
    for navn in ("vaerdi", "taeller", "naevner"):
        data[navn] = data[navn].astype("float64")
    data["linje"] = data["linje"].astype("int64")
    return data[KOLONNER]


def _navn(header: list[str], j: int | None) -> str | None:
    return header[j] if j is not None else None


def _fejl(fil: str, linje: int | None, kolonne: str | None, regel: str, besked: str,
          noegletal_id: str | None = None) -> Finding:
    """A finding that stops the load; about `noegletal_id` where the row names a key figure."""
    return Finding(fil, None if linje is None else int(linje), kolonne, regel, FEJL, besked,
                   noegletal_id if isinstance(noegletal_id, str) and noegletal_id else None)
