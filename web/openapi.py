"""The OpenAPI 3.0 document of /api/v1 (served at /api/v1/openapi.json; schemathesis tests the API against it), in
the active language (kdk.sprog; `lang=en` on the API): its texts (summaries, descriptions) are marked where they are
written and translated as the document is made (`document`); names, keys and values are the same in both."""
from __future__ import annotations

from kdk.export.statbank import header
from kdk.sprog import N_, gettext

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR = {"type": "object", "required": ["fejl"], "properties": {"fejl": {"type": "string"}}}


def _errors() -> dict:
    body = {"application/json": {"schema": ERROR}, CSV: {"schema": {"type": "string"}}}
    return {"400": {"description": N_("Ugyldig forespørgsel (besked på det valgte sprog)"), "content": body},
            "401": {"description": N_("Ukendt API-nøgle"), "content": body}}


FOR_MANGE_EXCEL = {"429": {"description": N_("For mange store Excel-udtræk på én gang: prøv igen efter Retry-After "
                                             "sekunder, eller hent som csv"),
                           "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                           "content": {"application/json": {"schema": ERROR}}}}


def _param(name: str, description: str, schema: dict, required: bool = False, example: str | None = None) -> dict:
    """A query parameter; its `example` is used in the example links of the documentation page (web/apidok.py)."""
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema,
            **({"example": example} if example else {})}


FORMAT = _param("format", N_("Svarformat: csv (standard), json, xlsx, html (en tilgængelig tabel) eller px (PC-Axis; "
                             "ét nøgletal ad gangen)"),
                {"type": "string", "enum": ["csv", "json", "xlsx", "html", "px"]})
LANG = _param("lang", N_("Sprog: da (dansk, standard) eller en (engelsk): beskeder, kolonnenavne og tekster; "
                         "nøgler, koder og værdier er de samme"), {"type": "string", "enum": ["da", "en"]})
TOKEN = _param("token", N_("Personlig API-nøgle fra /konto/tokens (alternativ til Authorization: Bearer)"),
               {"type": "string"})
ROW = {"type": "object", "required": ["noegletal_id", "omraade_kode", "omraade_navn", "periode", "vaerdi", "status",
                                     "demodata"],
       "properties": {"noegletal_id": {"type": "string"}, "omraade_kode": {"type": "string"},
                      "omraade_navn": {"type": "string"}, "periode": {"type": "string"},
                      "vaerdi": {"type": ["number", "null"]},
                      "status": {"type": "string", "enum": ["normal", "foreloebig", "estimat", "diskretioneret",
                                                                   "mangler"]},
                      "demodata": {"type": "boolean",
                                   "description": N_("true: genererede demodata, ikke officiel statistik")}}}

_TEXT = {"type": "string"}
SAMMENLIGNING_ROW = {
    "type": "object", "required": ["kommunekode", "kommune", "regionsnavn", "sammenligningskode", "sammenlignet",
                                   "rang", "afstand"],
    "properties": {"kommunekode": _TEXT, "kommune": _TEXT, "regionsnavn": _TEXT, "sammenligningskode": _TEXT,
                   "sammenlignet": _TEXT, "rang": {"type": "integer", "minimum": 1}, "afstand": {"type": "number"}}}
# The catalogue's fields, in the order /api/v1/noegletal gives them (web/api.py reads this list).
CATALOGUE_FIELDS = {
    "noegletal_id": _TEXT, "titel": _TEXT, "definition": _TEXT, "taeller": _TEXT, "naevner": _TEXT, "enhed": _TEXT,
    "dataomraade": _TEXT, "retning": _TEXT, "decimaler": {"type": "integer"}, "periodicitet": _TEXT,
    "kilde": {"type": "string", "description": N_("Kildeangivelsen, som den vises for brugeren")},
    "kilde_id": {"type": "string", "description": N_("Kildens id i kildelisten (demo for genererede demodata)")},
    "demodata": {"type": "boolean", "description": N_("true: genererede demodata, ikke officiel statistik")},
    "adgang": {"type": "string", "enum": ["offentlig", "begraenset"]},
    "forbehold": {"type": "string", "description": N_("Kildens forbehold ved tallet ('' = intet)")},
}
CATALOGUE_ITEM = {"type": "object", "required": list(CATALOGUE_FIELDS), "properties": CATALOGUE_FIELDS}


def document(server: str) -> dict:
    """The document, for the API at `server`, in the active language."""
    doc = _translated(_document(server))
    doc["info"]["description"] = gettext("Nøgletal for Danmarks kommuner til Excel, Power BI og andre BI-værktøjer. "
                                         "CSV følger Danmarks Statistiks format: {kolonner}.").format(
        kolonner=";".join(header()))
    return doc


TEXTS = ("summary", "description", "title")


def _translated(node):
    """A copy of `node` with every text (TEXTS) in the active language."""
    if isinstance(node, dict):
        return {k: gettext(v) if k in TEXTS and isinstance(v, str) else _translated(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_translated(v) for v in node]
    return node


def _document(server: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kend din kommune – data", "version": "1", "description": ""},   # (`document`)
        "servers": [{"url": server}],
        "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
        "security": [{}, {"token": []}],
        "paths": {
            "/api/v1/noegletal": {"get": {
                "summary": N_("Nøgletalskataloget"), "operationId": "noegletal",
                "parameters": [_param("format", N_("csv (standard) eller json"),
                                      {"type": "string", "enum": ["csv", "json"]}), LANG, TOKEN],
                "responses": {"200": {"description": N_("Kataloget"), "content": {
                    CSV: {"schema": {"type": "string"}},
                    "application/json": {"schema": {"type": "object", "required": ["antal", "noegletal"],
                                                    "properties": {"antal": {"type": "integer"},
                                                                   "noegletal": {"type": "array",
                                                                                 "items": CATALOGUE_ITEM}}}}}},
                              **_errors()}}},
            "/api/v1/data": {"get": {
                "summary": N_("Værdier for nøgletal, områder og perioder"), "operationId": "data",
                "parameters": [
                    _param("noegletal", N_("Nøgletal-id'er, kommasepareret (se /api/v1/noegletal)"), {"type": "string"},
                           required=True, example="beskaeftigelse.fuldtidsledighed"),
                    _param("kommune", N_("Områdekoder, kommasepareret (kommuner fx 101, regioner 1081-1085, 000) "
                                         "eller «alle»"), {"type": "string"}, example="101,147"),
                    _param("periode", N_("Perioder, kommasepareret (2024, 2024K1, 2024M01)"), {"type": "string"}),
                    _param("indeks", N_("Basisperiode (fx 2015): hver serie som indeks med perioden = 100, som "
                                        "udviklingsdiagrammet tegner det; enheden bliver «indeks (2015 = 100)», og en "
                                        "serie uden værdi i perioden udelades"), {"type": "string"}),
                    FORMAT, _param("side", N_("Side (fra 1)"), {"type": "integer", "minimum": 1}),
                    _param("pr_side", N_("Rækker pr. side"), {"type": "integer", "minimum": 1, "maximum": 50000}),
                    LANG, TOKEN],
                "responses": {"200": {"description": N_("Værdierne"), "content": {
                    CSV: {"schema": {"type": "string"}},
                    "application/json": {"schema": {
                        "type": "object",
                        "required": ["side", "pr_side", "antal_raekker", "antal_sider", "kilder", "data"],
                        "properties": {"side": {"type": "integer"}, "pr_side": {"type": "integer"},
                                       "antal_raekker": {"type": "integer"}, "antal_sider": {"type": "integer"},
                                       "naeste": {"type": ["string", "null"]},
                                       "kilder": {"type": "object", "additionalProperties": {"type": "string"},
                                                  "description": N_("Kildeangivelse pr. nøgletal-id på siden")},
                                       "data": {"type": "array", "items": ROW}}}},
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                    "text/html": {"schema": {"type": "string"}},
                    "text/plain": {"schema": {"type": "string"}, "description": N_("PX-fil (windows-1252)")}}},
                    **_errors(), **FOR_MANGE_EXCEL}}},
            "/api/v1/sammenligning": {"get": {
                "summary": N_("Sammenligningsmatricen: hvor sammenlignelig hver kommune er med hver af de andre"),
                "operationId": "sammenligning",
                "parameters": [
                    _param("sammenligningsomraade", N_("Sammenligningsområde (fx tvaergaaende, skole, aeldre); "
                                                       "standard: tvaergaaende"), {"type": "string"}, example="skole"),
                    _param("aar", N_("År med sammenligningsgrupper; standard: det nyeste"), {"type": "integer"},
                           example="2024"),
                    _param("kommune", N_("Kun disse kommuners rækker: kommunekoder, kommasepareret"),
                           {"type": "string"}),
                    _param("fremhaev", N_("Denne kommunes række og kolonne markeres i html-tabellen: en "
                                          "kommunekode blandt rækkernes"), {"type": "string"}, example="101"),
                    _param("sorter", N_("Rækkefølge som matricen: region (standard) eller navn"),
                           {"type": "string", "enum": ["region", "navn"]}),
                    _param("format", N_("Svarformat: csv (standard), json, xlsx eller html (en tabel opstillet som "
                                        "matricen)"), {"type": "string", "enum": ["csv", "json", "xlsx", "html"]}),
                    LANG, TOKEN],
                "responses": {"200": {"description": N_("Én række pr. celle i matricen: kommune, sammenlignet kommune, "
                                                        "rang (1 = mest sammenlignelig) og afstand"), "content": {
                    CSV: {"schema": {"type": "string"}},
                    "application/json": {"schema": {
                        "type": "object",
                        "required": ["sammenligningsomraade", "aar", "demodata", "antal_raekker", "data"],
                        "properties": {"sammenligningsomraade": {"type": "string"}, "aar": {"type": "integer"},
                                       "demodata": {"type": "boolean", "description": N_("true: grupperne bygger på "
                                                                                         "genererede demodata")},
                                       "antal_raekker": {"type": "integer"},
                                       "data": {"type": "array", "items": SAMMENLIGNING_ROW}}}},
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                    "text/html": {"schema": {"type": "string"}}}},
                    **_errors(), **FOR_MANGE_EXCEL}}},
            "/api/v1/openapi.json": {"get": {"summary": N_("Dette dokument"), "operationId": "openapi",
                                             "parameters": [LANG],
                                             "responses": {"200": {"description": N_("OpenAPI"),
                                                                   "content": {"application/json": {
                                                                       "schema": {"type": "object"}}}}}}},
        },
    }
