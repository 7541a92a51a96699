"""/api/dokumentation: the API's documentation as a page, generated from the app's OpenAPI document
(web/openapi.py), so the page and the document cannot disagree: every endpoint with its parameters (required or
not, the values they take), its formats, its answers and example links that work, and how a personal API key is used.
In Danish, or in English at /en/api/dokumentation (kdk.sprog): the document's texts and the page's, with example
links that ask for English answers (`lang=en`, kdk.sprog.adresse in the template).

Reads the OpenAPI document only; writes nothing. `dokumentation(message, status)` is also the answer a browser gets
at the API's bare addresses (web/api.py), with what was missing said first.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response

from kdk import format as fmt
from kdk.sprog import N_, gettext
from web import links
from web.login import page
from web.openapi import document

apidok = Blueprint("apidok", __name__)
ADRESSE = "/api/dokumentation"
TYPER = {"string": N_("tekst"), "integer": N_("helt tal"), "number": N_("tal"), "boolean": N_("sand/falsk")}


def _values(schema: dict) -> str:
    """The values a parameter takes, in the active language: its choices, its range or its type."""
    if "enum" in schema:
        return ", ".join(schema["enum"])
    low, high = schema.get("minimum"), schema.get("maximum")
    kind = gettext(TYPER.get(schema.get("type"), TYPER["string"]))
    if low is not None and high is not None:
        return gettext("{type} fra {fra} til {til}").format(type=kind, fra=fmt.number(low), til=fmt.number(high))
    return gettext("{type} fra {fra}").format(type=kind, fra=fmt.number(low)) if low is not None else kind


def _examples(path: str, parameters: list[dict]) -> list[str]:
    """Example addresses: the parameters' own examples, once per format the endpoint answers in."""
    query = {p["name"]: p["example"] for p in parameters if "example" in p}
    formats = next((p["schema"]["enum"] for p in parameters if p["name"] == "format"), [None])
    return [f"{path}?{urlencode(query | ({'format': f} if f else {}), safe=',')}" if query or f else path
            for f in formats]


def endpoints(doc: dict) -> list[dict]:
    """Each operation of the OpenAPI document `doc`, in the page's terms."""
    return [{"metode": method.upper(), "sti": path, "anker": op["operationId"], "titel": op["summary"],
             "parametre": [{"navn": p["name"], "paakraevet": p.get("required", False), "beskrivelse": p["description"],
                            "vaerdier": _values(p["schema"])} for p in op.get("parameters", [])],
             "formater": sorted({kind.split(";")[0] for answer in op["responses"].values()
                                 for kind in answer.get("content", {})}),
             "svar": [(status, answer["description"]) for status, answer in op["responses"].items()],
             "eksempler": _examples(path, op.get("parameters", []))}
            for path, operations in doc["paths"].items() for method, op in operations.items()]


def dokumentation(message: str = "", status: int = 200) -> Response:
    doc = document(links.absolute(""))
    return page("apidok.html", gettext("API-dokumentation"), status, message, wide=True, info=doc["info"],
                endpoints=endpoints(doc), server=doc["servers"][0]["url"])


@apidok.get(ADRESSE)
def side():
    return dokumentation()
