"""/api/v1: the data for BI tools (Excel, Power BI, Tableau) over plain HTTP, outside Dash.

- GET /api/v1/noegletal             the catalogue (JSON or the spec's CSV), with each figure's source id
                                    (`kilde_id`) and caveat (`forbehold`); its fields are web.openapi's
- GET /api/v1/data?noegletal=...    values as the spec's CSV (Excel's and Power Query's "from web" read it as
                                    is), JSON, Excel, an HTML table (a chart's "Tabel" view, kdk.export.htmltabel)
                                    or PX (kdk.export.px: one matrix, so one yearly key figure at a time);
                                    paged; `indeks=<period>`: each series as an index with that period = 100,
                                    as the development chart draws it (kdk.queries.noegletal.indekserede);
                                    filters kommune (area codes, or `alle` = every
                                    municipality) and periode; every row says whether it is
                                    generated demo data (DEMODATA, `demodata`) and credits its source in
                                    the words of kilder.toml (KILDE; in JSON `kilder`: attribution by key figure)
- GET /api/v1/sammenligning         the comparison matrix's cells (who is how comparable to whom: rank and distance)
                                    for a comparison area and year, as CSV, JSON, Excel or an HTML table laid out
                                    as the matrix (kdk.export.matrice); filter kommune, order sorter as the matrix;
                                    fremhaev marks a municipality in the HTML table
- GET /api/v1/openapi.json          the OpenAPI document
- GET /api/v1                       where the rest is: JSON for programs; a browser gets the documentation page

A browser (asking for HTML first) that leaves out a parameter or gives a bad one, e.g. at the bare /api/v1/data,
gets the documentation page (web/apidok.py) with the message on top and the same status; a program gets
the message in the requested format.

Every route answers in Danish or, with `lang=en`, in English (web/sprog.py sets the language; kdk.sprog): messages,
column names, labels and the catalogue's texts; JSON keys, codes and values are the same in both. Any other `lang`
is a 400 that says so in both languages.

Reads the marts through kdk.queries.data (kdk.export.rows; the comparison matrix through kdk.queries.matrice)
with the caller's scope: anonymous callers get public, published figures; a personal token (`Authorization: Bearer
…` or `?token=`, created by the user at /konto/tokens and stored hashed) carries its owner's rights; every use is
audited. A bad request gets 400 with a message in the requested format and language; never a 500. A large Excel answer
(more than XLSX_STOR rows, seconds of a worker's CPU; the whole comparison matrix is 9 506) is written by at most
`KDK_XLSX_SAMTIDIGE` requests at once per worker; the others get 429 with Retry-After and are pointed to CSV, so a
burst of whole-release exports cannot stall the pages. An HTML table (the charts' table twins) of more than
HTML_MAKS rows is refused with a 400 pointing to CSV: it costs 3–4 times the CSV's CPU. CSV and Excel text cells
are written so no spreadsheet runs them (kdk.export.sikker); JSON carries the text as it is.
"""
from __future__ import annotations

import json
import logging
import math
import re
import threading
from collections.abc import Callable
from urllib.parse import urlencode

import pandas as pd
from babel.lists import format_list
from flask import Blueprint, Response, jsonify, request

from kdk import periods, sprog
from kdk.auth import tokens
from kdk.config import settings
from kdk.export import excel, htmltabel, px, statbank
from kdk.export import matrice as matrixfiler
from kdk.export.rows import Selection
from kdk.export.sikker import tekst
from kdk.format import number as fmt_number
from kdk.format import rounded
from kdk.queries import matrice, noegletal, omraader
from kdk.queries import sammenligning as s
from kdk.queries.data import PR_SIDE, data_rows
from kdk.queries.scope import Scope
from kdk.sprog import gettext
from kdk.status import vises
from web import links, viewer
from web.apidok import ADRESSE, dokumentation
from web.openapi import CATALOGUE_FIELDS

log = logging.getLogger(__name__)
api = Blueprint("api", __name__, url_prefix="/api/v1")

FORMATS = {"csv": statbank.MEDIA_TYPE, "json": "application/json", "xlsx": excel.MEDIA_TYPE,
           "html": htmltabel.MEDIA_TYPE, "px": px.MEDIA_TYPE}
MAX_PR_SIDE, MAX_NOEGLETAL = 50_000, 100
ALLE = "alle"
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
HTML_MAKS = 5_000        # rows: a chart's table twin holds at most about 1 100; HTML costs 3–4 times the CSV's CPU
XLSX_STOR = 2_000        # rows: about 0,7 s of openpyxl; a chart's own Excel link (one key figure) is most often below
XLSX_VENT_SEKUNDER = 30  # Retry-After for a refused large Excel export: a 50 000-row page takes 15-20 s
_xlsx_pladser = threading.BoundedSemaphore(settings().xlsx_samtidige)


class BadRequest(Exception):
    """A request the API cannot answer; the message is in the request's language and shown to the caller."""

    def __init__(self, message: str, status: int = 400, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


@api.before_request
def known_language() -> None:
    """`lang` is da or en, given once (web/sprog.py has answered any other in Danish); else a 400 in both."""
    given = request.args.getlist("lang")
    if len(given) > 1 or (given and given[0] not in sprog.SPROG):
        shown = CONTROL.sub(" ", ", ".join(given))[:40]
        raise BadRequest(" / ".join(_in(language, lambda: gettext(
            "Ukendt sprog «{sprog}». Brug lang=da (dansk, standard) eller lang=en (engelsk), én gang.").format(
            sprog=shown)) for language in sprog.SPROG))


def _in(language: str, text: Callable[[], str]) -> str:
    with sprog.brug(language):
        return text()


def caller_scope() -> Scope:
    """Anonymous, the signed-in browser user, or the owner of a personal API token (their own rights)."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else request.args.get("token")
    if token is None:
        return viewer.scope()
    owner = tokens.user_for(token, request.remote_addr)
    if owner is None:
        raise BadRequest(gettext("Ukendt eller tilbagekaldt API-nøgle."), 401)
    return owner.scope(omraader.alle_dataomraader())


def _format() -> str:
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        raise BadRequest(gettext("Ukendt format «{format}». Brug csv, json, xlsx, html eller px.").format(format=fmt))
    return fmt


def _list(name: str) -> tuple[str, ...] | None:
    """The parameter's comma-separated values, sorted and each once (the rows come in their own order), so
    reordered or repeated values are one selection and one kept result set."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise BadRequest(gettext("Angiv «{navn}» én gang, med kommaer mellem værdierne.").format(navn=name))
    items = tuple(sorted({v.strip() for v in values[0].split(",") if v.strip()})) if values else ()
    return items or None


def _int(name: str, default: int, low: int, high: int) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", text) or not low <= int(text) <= high:
        raise BadRequest(gettext("«{navn}» skal være et helt tal fra {fra} til {til}.").format(navn=name, fra=low,
                                                                                              til=high))
    return int(text)


def _selection(scope: Scope) -> Selection:
    ids = _list("noegletal")
    if not ids:
        raise BadRequest(gettext("Angiv mindst ét nøgletal: noegletal=id1,id2 (se /api/v1/noegletal)."))
    if len(ids) > MAX_NOEGLETAL:
        raise BadRequest(gettext("Højst {antal} nøgletal pr. forespørgsel.").format(antal=MAX_NOEGLETAL))
    known = set(omraader.synlige_noegletal(scope)["noegletal_id"])
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise BadRequest(gettext("Ukendt nøgletal: {ids}. Se /api/v1/noegletal.").format(ids=", ".join(unknown[:5])))
    areas = _list("kommune")
    municipalities = set(omraader.kommuner(scope)["kommunekode"])
    if areas == (ALLE,):
        areas = tuple(sorted(municipalities))
    elif areas:
        valid = municipalities | set(omraader.regioner(scope)["regionskode"]) | {"000"}
        bad = [a for a in areas if a not in valid]
        if bad:
            raise BadRequest(gettext("Ukendt område: {koder}. Brug kommunekoder ({fra}-{til}), regionskoder "
                                     "(1081-1085), 000 for hele landet eller «alle».").format(
                koder=", ".join(bad[:5]), fra=min(municipalities), til=max(municipalities)))
    wanted = _list("periode")
    bad = [p for p in wanted or () if periods.normalise(p) != p]
    if bad:
        raise BadRequest(gettext("Ugyldig periode: {perioder}. {gyldige}").format(perioder=", ".join(bad[:5]),
                                                                                  gyldige=periods.gyldige()))
    return Selection(noegletal=ids, omraader=areas, perioder=wanted)


def _json_rows(rows: pd.DataFrame) -> list[dict]:
    def value(r):
        if not vises(r.status, r.vaerdi):
            return None
        return float(rounded(r.vaerdi, r.decimaler))

    return [{"noegletal_id": r.noegletal_id, "omraade_kode": r.omraade_kode, "omraade_navn": r.omraade_navn,
             "periode": r.periode, "vaerdi": value(r), "status": r.status, "demodata": bool(r.demodata)}
            for r in rows.itertuples(index=False)]


def _respond(rows: pd.DataFrame, fmt: str, meta: dict, filename: str) -> Response:
    if fmt == "json":
        sources = rows.drop_duplicates("noegletal_id")
        return jsonify({**meta, "kilder": dict(zip(sources["noegletal_id"], sources["kildeangivelse"])),
                        "data": _json_rows(rows)})
    writers = {"xlsx": lambda: _excel(len(rows), lambda: excel.write(rows, omraader.seneste_release(viewer.scope()))),
               "html": lambda: htmltabel.write(rows), "csv": lambda: statbank.write(rows), "px": lambda: _px(rows)}
    response = Response(writers[fmt](), mimetype=FORMATS[fmt].split(";")[0])
    response.headers["Content-Type"] = FORMATS[fmt]
    if fmt != "html":   # the table is shown in the page that asked for it
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response.headers["X-Total-Count"] = str(meta["antal_raekker"])
    if meta.get("naeste"):
        response.headers["Link"] = f'<{meta["naeste"]}>; rel="next"'
    return response


def _excel(antal: int, write: Callable[[], bytes]) -> bytes:
    """The workbook of `antal` rows that `write` makes; a large one only while one of the worker's places is free
    (never waiting for one)."""
    if antal <= XLSX_STOR:
        return write()
    if not _xlsx_pladser.acquire(blocking=False):
        raise BadRequest(gettext("Der laves allerede mange store Excel-udtræk. Prøv igen om {sekunder} sekunder, "
                                 "eller hent store udvalg som CSV (format=csv) eller som PX-filer fra KL's databank.")
                         .format(sekunder=XLSX_VENT_SEKUNDER), 429, {"Retry-After": str(XLSX_VENT_SEKUNDER)})
    try:
        return write()
    finally:
        _xlsx_pladser.release()


def _px(rows: pd.DataFrame) -> bytes:
    """The rows as one PX matrix: PX has one key figure and one kind of period per file (kdk.export.px)."""
    matrices = px.matrices(rows)
    if len(matrices) != 1:
        raise BadRequest(gettext("PX-formatet har én tabel pr. nøgletal: angiv ét nøgletal med tal i udvalget (og kun "
                                 "år, ikke måneder), eller hent flere nøgletal som csv eller xlsx."))
    release = omraader.seneste_release(viewer.scope())
    return px.write(matrices[0][1], pd.Timestamp(release["udtraeksdato"]).date())


@api.get("/noegletal")
def catalogue():
    fmt = _format()
    scope = caller_scope()
    cat = omraader.synlige_noegletal(scope)
    fields = list(CATALOGUE_FIELDS)
    if fmt == "json":
        return jsonify({"antal": len(cat), "noegletal": json.loads(cat[fields].to_json(orient="records"))})
    if fmt not in ("csv", "json"):
        raise BadRequest(gettext("Kataloget findes som csv eller json."))
    body = "\ufeff" + cat[fields].map(tekst).to_csv(sep=";", index=False, lineterminator="\r\n")
    return Response(body.encode("utf-8"), headers={"Content-Type": statbank.MEDIA_TYPE,
                                                   "Content-Disposition": 'attachment; filename="noegletal.csv"'})


@api.get("/data")
def data():
    fmt = _format()
    scope = caller_scope()
    selection = _selection(scope)
    page = _int("side", 1, 1, 1_000_000)
    size = _int("pr_side", PR_SIDE, 1, MAX_PR_SIDE)
    rows = data_rows(scope, selection)
    basis = _value("indeks", None)
    if basis is not None:
        if periods.normalise(basis) != basis:
            raise BadRequest(gettext("Ugyldigt basisår for indekset: «{basis}». {gyldige}").format(
                basis=basis[:40], gyldige=periods.gyldige()))
        rows = noegletal.indekserede(rows, basis)
    pages = max(1, math.ceil(len(rows) / size))
    if page > pages:
        raise BadRequest(gettext("Side {side} findes ikke; resultatet har {sider} side(r).").format(side=page,
                                                                                                  sider=pages))
    shown = rows.iloc[(page - 1) * size: page * size]
    if fmt == "html" and len(shown) > HTML_MAKS:
        raise BadRequest(gettext("Tabellen ville få {antal} rækker; en tabel på skærmen viser højst {maks}. Hent "
                                 "udvalget som CSV (format=csv), vælg færre rækker pr. side (pr_side), eller vælg "
                                 "færre nøgletal, kommuner eller perioder.").format(
            antal=fmt_number(len(shown)), maks=fmt_number(HTML_MAKS)))
    query = urlencode({k: v for k, v in request.args.to_dict().items() if k != "token"} | {"side": page + 1}, safe=",")
    meta = {"side": page, "pr_side": size, "antal_raekker": len(rows), "antal_sider": pages,
            "naeste": links.absolute(f"{request.path}?{query}") if page < pages else None}
    return _respond(shown, fmt, meta, "kdk-data")


@api.get("/sammenligning")
def sammenligning():
    """The comparison matrix's cells; an area the caller may not see every key figure of is as unknown as one that
    does not exist (kdk.queries.sammenligning)."""
    fmt = _format()
    if fmt == "px":
        raise BadRequest(gettext("Sammenligningen findes som csv, json, xlsx eller html."))
    scope = caller_scope()
    areas = s.omraader(scope).set_index("sammenligningsomraade")["navn"]
    area = _value("sammenligningsomraade", s.standard(scope))
    if area not in areas.index:
        raise BadRequest(gettext("Ukendt sammenligningsområde «{omraade}». Brug {gyldige}.").format(
            omraade=area[:40], gyldige=", ".join(areas.index)))
    years = s.aar(scope, area)
    if not years:
        raise BadRequest(gettext("Der er ingen sammenligninger på området «{omraade}» endnu.").format(
            omraade=areas[area]))
    year = _value("aar", str(years[0]))
    if year not in map(str, years):
        raise BadRequest(gettext("Ingen sammenligning for året «{aar}». Brug et år fra {fra} til {til}.").format(
            aar=year[:40], fra=min(years), til=max(years)))
    year = int(year)
    sorter = _value("sorter", matrice.STANDARD_ORDEN)
    if sorter not in matrice.ORDEN:
        raise BadRequest(gettext("Ukendt sortering «{sortering}». Brug {gyldige}.").format(
            sortering=sorter[:40], gyldige=format_list(list(matrice.ORDEN), style="or", locale=sprog.locale())))
    rows = matrice.raekker(scope, area, year, sorter)
    chosen = _list("kommune")
    if chosen:
        bad = sorted(set(chosen) - set(rows["kommunekode"]))
        if bad:
            raise BadRequest(gettext("Ukendt kommune: {koder}. Brug kommunekoder, fx 101,147.").format(
                koder=", ".join(bad[:5])))
        rows = rows[rows["kommunekode"].isin(chosen)]
    fremhaev = _value("fremhaev", None)
    if fremhaev is not None and fremhaev not in set(rows["kommunekode"]):
        raise BadRequest(gettext("Kan ikke fremhæve «{kode}»: den er ikke blandt matricens kommuner.").format(
            kode=fremhaev[:40]))
    demo = matrice.demodata(scope, area, year)
    if fmt == "json":
        return jsonify({"sammenligningsomraade": area, "aar": year, "demodata": demo, "antal_raekker": len(rows),
                        "data": json.loads(rows.to_json(orient="records"))})
    writers = {"csv": lambda: matrixfiler.csv(rows, area, year, demo),
               "xlsx": lambda: _excel(len(rows), lambda: matrixfiler.xlsx(rows, area, year, demo)),
               "html": lambda: matrixfiler.html(rows, gettext("Sammenligningsmatrice: {omraade}, {aar}").format(
                   omraade=areas[area], aar=year), demo, fremhaev)}
    response = Response(writers[fmt](), headers={"Content-Type": FORMATS[fmt], "X-Total-Count": str(len(rows))})
    if fmt != "html":   # the table is shown in the page that asked for it
        response.headers["Content-Disposition"] = f'attachment; filename="kdk-sammenligning-{area}-{year}.{fmt}"'
    return response


def _value(name: str, default: str | None) -> str | None:
    """The parameter's one value as given (an empty one is no value, and refused), or `default` without it."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise BadRequest(gettext("Angiv «{navn}» én gang.").format(navn=name))
    return values[0] if values else default


def _browser() -> bool:
    """Whether the caller is a browser showing a page (it prefers HTML to JSON and asked for no file format)."""
    wanted = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return wanted == "text/html" and "format" not in request.args


@api.get("")
def index():
    if _browser():
        return dokumentation()
    return jsonify({key: links.absolute(sprog.adresse(path)) for key, path in (
        ("dokumentation", ADRESSE), ("openapi", "/api/v1/openapi.json"), ("noegletal", "/api/v1/noegletal"),
        ("data", "/api/v1/data"))})


@api.get("/openapi.json")
def openapi():
    from web.openapi import document

    return jsonify(document(links.absolute("")))


@api.errorhandler(BadRequest)
def bad_request(exc: BadRequest):
    log.info("api request refused (%s): %s %s", exc.status, request.full_path[:200], exc)
    # The message may repeat the caller's text: control characters (a tab a spreadsheet splits on) become spaces.
    message = CONTROL.sub(" ", str(exc))
    if _browser():
        response = dokumentation(message, exc.status)
        response.headers.update(exc.headers)
        return response
    if request.args.get("format", "csv") == "csv":
        body = statbank.table([[gettext("FEJL")], [tekst(message)]])
        return Response(body, status=exc.status, headers={"Content-Type": statbank.MEDIA_TYPE, **exc.headers})
    return jsonify({"fejl": message}), exc.status, exc.headers
