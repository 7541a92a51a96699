"""Property-based fuzz of what a visitor can send (issue 18, build 7): every page's path and query values (by GET
and through the router callback), every callback's inputs and state, malformed callback bodies, the API against
its own OpenAPI document, and the login and admin forms. Every answer must be below 500, and the log must hold no
traceback. Bounded and deterministic (`derandomize`), so the file runs in about a minute on one core."""
from __future__ import annotations

import inspect
import json
import logging
import re
from urllib.parse import quote

import dash
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from kdk.auth import users
from tests.dash_http import outputs
from tests.test_admin import sign_in_with_code
from tests.test_auth import GOOD, csrf

FUZZ = settings(max_examples=60, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
# Values nested 1 000 deep (past what Python's JSON parser takes) and 300 deep (within it), spliced into the JSON
# text where these stand, as json.dumps would recurse.
NESTED = {"\x00deep\x00": '{"a": ' * 500 + "[" * 500 + "1" + "]" * 500 + "}" * 500,
          "\x00nested\x00": "[" * 150 + '{"a": ' * 150 + "null" + "}" * 150 + "]" * 150}

HOSTILE = ["", " ", "0", "-1", "-0", "1e308", "NaN", "inf", "9" * 400, "-" + "9" * 40, "2020.5", "2020\r\n", "\n",
           "\r\nSet-Cookie: x=1", "\x00", "%00", "%ZZ", "%", ",", ",,", "alle", "æøå", "\u202e101", "𝟙𝟘𝟙", "٢٠٢٠",
           "2020²", "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "a" * 5000, "101,147", "{}", "[]",
           "null", "None"]
HOSTILE_TEXT = st.one_of(st.sampled_from(HOSTILE), st.integers().map(str), st.floats().map(str), st.text(max_size=30))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10 ** 30, max_value=10 ** 30),
                    st.sampled_from([10 ** 100, -10 ** 100, *NESTED]), st.floats(), HOSTILE_TEXT)
# Keys the app's stores and clicks hold (so a hostile object reaches the code that reads them), or any text.
NAMES = st.sampled_from(["kommune", "omraade", "aar", "k", "fane", "sorter", "noegletal", "noegletal_id", "saet",
                         "tilfoej", "points", "customdata", "param", "type"])
KEYS = NAMES | st.text(max_size=8)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(KEYS, inner, max_size=4), max_leaves=8)
# A store as a page keeps it (its query values by name), with some values real and some hostile.
STORES = st.dictionaries(KEYS, st.sampled_from(["101", "147", "2020", "2023", "5", "skole", "befolkning.indbyggere"])
                         | HOSTILE_TEXT, max_size=8)


class Tracebacks(logging.Handler):
    """Keeps every log record that carries a traceback."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info or "Traceback" in text:
            self.found.append(f"{record.name}: {text[:300]}")


@pytest.fixture(scope="module")
def tracebacks(app):
    handler = Tracebacks()
    loggers = [logging.getLogger(), logging.getLogger("werkzeug"), app.server.logger]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture(scope="module")
def visitor(app, tracebacks):
    """An anonymous visitor whose every answer is checked: below 500, and no traceback logged on the way."""
    client = app.server.test_client()
    client.get("/")   # Dash registers the pages' callbacks on the app's first request
    return Checked(client, tracebacks)


class Checked:
    """A test client whose every answer must be below 500 with no traceback logged while it was made."""

    def __init__(self, client, tracebacks: Tracebacks):
        self.client, self.tracebacks = client, tracebacks

    def __getattr__(self, name):
        return getattr(self.client, name)

    def open(self, *args, **kwargs):
        self.tracebacks.found.clear()
        response = self.client.open(*args, **kwargs)
        sent = str(kwargs.get("data", ""))[:300]
        assert response.status_code < 500, (args, sent, response.data[:300])
        assert not self.tracebacks.found, (args, sent, self.tracebacks.found)
        return response

    def get(self, *args, **kwargs):
        return self.open(*args, method="GET", **kwargs)

    def post(self, *args, **kwargs):
        return self.open(*args, method="POST", **kwargs)


def _json(body) -> bytes:
    """`body` as JSON, with the deeply nested values spliced in."""
    text = json.dumps(body)
    for stand_in, nested in NESTED.items():
        text = text.replace(json.dumps(stand_in), nested)
    return text.encode()


# --- a. pages -----------------------------------------------------------------------------------------------------

def _pages() -> list[dict]:
    return sorted((p for p in dash.page_registry.values() if not p["module"].endswith("not_found_404")),
                  key=lambda p: p["path"])


def _query_keys(page: dict) -> list[str]:
    validate = page.get("validate")
    if not validate:
        return ["x"]
    return [name for name, p in inspect.signature(validate).parameters.items() if p.kind is p.POSITIONAL_OR_KEYWORD
            and f"<{name}>" not in (page.get("path_template") or "")] or ["x"]


@st.composite
def page_urls(draw, page: dict) -> tuple[str, str]:
    """A path of `page` (its template filled with a real or hostile value) and a query string of its own keys (and
    strangers), repeated or not, with hostile values; or a raw, badly encoded query."""
    path = page["path"]
    if page.get("path_template"):
        value = draw(st.one_of(st.sampled_from(["101", "860", "befolkning.indbyggere", "none"]), HOSTILE_TEXT))
        path = re.sub(r"<\w+>", quote(value, safe="")[:2000], page["path_template"])
    keys = st.sampled_from([*_query_keys(page), "x", "token", "next"])
    pairs = draw(st.lists(st.tuples(keys, HOSTILE_TEXT), max_size=4))
    query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in pairs)
    query += draw(st.sampled_from(["", "&aar=%ZZ", "&%00=1", "&aar", "&=&&", "&aar=%0D%0A%00"]))
    return path, query.lstrip("&")


def _router(pathname, search) -> dict:
    return {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "state": [], "changedPropIds": ["_pages_location.pathname"]}


def test_no_page_url_gives_a_server_error(visitor):
    """Every page's path and query, by GET and through the router callback that renders it."""
    for page in _pages():
        @settings(FUZZ, max_examples=30)
        @given(url=page_urls(page))
        def check(url):
            path, query = url
            visitor.get(f"{path}?{query}")
            visitor.post("/_dash-update-component", data=_json(_router(path, f"?{query}")),
                         content_type="application/json")

        check()


def test_no_listed_hostile_value_of_a_known_key_gives_a_server_error(visitor):
    """Every page, each of its query keys, each listed hostile value (by GET and through the router)."""
    for page in _pages():
        path = re.sub(r"<\w+>", "101", page["path_template"] or page["path"])
        for key in _query_keys(page):
            for value in HOSTILE:
                query = f"{key}={quote(value, safe='')}"
                visitor.get(f"{path}?{query}")
                visitor.post("/_dash-update-component", data=_json(_router(path, f"?{query}")),
                             content_type="application/json")


# --- b. callbacks -------------------------------------------------------------------------------------------------

def _items(declared: list[dict], values: list, wildcard) -> list:
    """The payload's inputs or state for the declared ones, carrying `values`; a pattern-matching id (JSON text)
    gets a list of one matching item, as Dash sends for ALL, its wildcard set to `wildcard`."""
    items = []
    for spec, value in zip(declared, values):
        if str(spec["id"]).startswith("{"):
            id_ = {k: (v if k == "type" else wildcard) for k, v in json.loads(spec["id"]).items()}
            items.append([{"id": id_, "property": spec["property"], "value": value}])
        else:
            items.append({"id": spec["id"], "property": spec["property"], "value": value})
    return items


def _prop_id(item) -> str:
    """The changedPropIds entry the renderer sends for an item: its id (as sorted JSON if an object) and property."""
    item = item[0] if isinstance(item, list) else item
    id_ = item["id"]
    return f"{json.dumps(id_, sort_keys=True, separators=(',', ':')) if isinstance(id_, dict) else id_}." \
           f"{item['property']}"


def test_no_callback_input_gives_a_server_error(visitor, app):
    """Every callback in the map (clientside ones included), its own ids with hostile values of any type or depth,
    and the renderer's or hostile changedPropIds."""
    for key, spec in sorted(app.callback_map.items()):
        inputs, state = spec["inputs"], spec.get("state", [])

        @settings(FUZZ, max_examples=50)
        @given(values=st.lists(HOSTILE_TEXT | STORES | VALUES, min_size=len(inputs) + len(state),
                               max_size=len(inputs) + len(state)),
               wildcard=NAMES | VALUES, data=st.data())
        def check(values, wildcard, data):
            body = {"output": key, "outputs": outputs(key),  # noqa: B023 - run within this iteration
                    "inputs": _items(inputs, values[:len(inputs)], wildcard),  # noqa: B023
                    "state": _items(state, values[len(inputs):], wildcard)}  # noqa: B023
            fired = [_prop_id(i) for i in body["inputs"]]   # what the renderer sends, or anything
            body["changedPropIds"] = data.draw(st.lists(st.sampled_from(fired), min_size=1, max_size=1)
                                               | st.lists(HOSTILE_TEXT | st.sampled_from(fired), max_size=2))
            visitor.post("/_dash-update-component", data=_json(body), content_type="application/json")

        check()


def test_every_server_callback_annotates_its_parameters_for_the_guard(app):
    """The guard checks a callback's values against its parameters' annotations: an unannotated parameter of one of
    the app's callbacks would take anything (Dash's own router is checked by the guard's VALUE_CHECKS)."""
    app.server.test_client().get("/")
    unannotated = [f"{spec['callback'].__module__}.{spec['callback'].__name__}({p.name})"
                   for spec in app.callback_map.values() if "callback" in spec
                   and not spec["callback"].__module__.startswith("dash")
                   for p in inspect.signature(spec["callback"]).parameters.values() if p.annotation is p.empty]
    assert not unannotated


ROUTER = json.dumps(_router("/kommune/101", ""))


@pytest.mark.parametrize("body", [
    b"", b"not json", b"[]", b"[1, 2]", b"null", b"1" * 5000, b'"text"', b"{", b"\xff\xfe", b"{}",
    ROUTER.replace('"output"', '"nope"').encode(), ROUTER.replace(".._pages_content", "..ukendt").encode(),
    json.dumps({**json.loads(ROUTER), "outputs": None}).encode(),
    json.dumps({**json.loads(ROUTER), "outputs": "x"}).encode(),
    json.dumps({**json.loads(ROUTER), "outputs": [{}]}).encode(),
    json.dumps({k: v for k, v in json.loads(ROUTER).items() if k != "outputs"}).encode(),
    json.dumps({k: v for k, v in json.loads(ROUTER).items() if k != "inputs"}).encode(),
    json.dumps({**json.loads(ROUTER), "changedPropIds": [None, 5, {}]}).encode(),
    json.dumps({**json.loads(ROUTER), "state": None}).encode(),
    b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    ROUTER.replace('"state": []', '"state": ' + "[" * 5000 + "]" * 5000).encode(),
    ROUTER.replace('"changedPropIds"', '"x": ' + "[" * 5000 + "]" * 5000 + ', "changedPropIds"').encode(),
], ids=lambda b: repr(b[:30]))
def test_a_malformed_callback_body_is_refused_with_a_danish_400(visitor, body):
    response = visitor.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"fejl": "Ugyldig forespørgsel til serveren."}


# --- c. the API, and the forms ------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_gives_no_server_error_and_logs_no_traceback(app, tracebacks, mode):
    """schemathesis against the API's own OpenAPI document: every response documented and below 500, also for
    requests that break the document (which must be refused)."""
    api_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app.server)
    for operation in (result.ok() for result in api_schema.get_all_operations()):
        @FUZZ
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            tracebacks.found.clear()
            # A schema-valid id may name no key figure: a clear 400 is right, so valid input need not succeed.
            case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance])
            assert not tracebacks.found, tracebacks.found

        check()


HEADERS = ["Cookie", "Authorization", "Accept", "Accept-Language", "Accept-Encoding", "Content-Type", "Range",
           "If-Modified-Since", "If-None-Match", "X-Forwarded-For", "Referer", "Origin"]


def test_no_hostile_header_gives_a_server_error(visitor):
    """Request headers with hostile values (forged cookies and tokens, odd encodings and ranges) on a page, a
    callback, the API and the login form. CR and LF are left out: HTTP cannot carry them in a header value."""
    @FUZZ
    @given(path=st.sampled_from(["/", "/kommune/101", "/api/v1/data?noegletal=befolkning.indbyggere", "/login",
                                 "/assets/style.css"]),
           headers=st.dictionaries(st.sampled_from(HEADERS), HOSTILE_TEXT.map(lambda v: v.replace("\r", "")
                                                                             .replace("\n", "")), max_size=3))
    def check(path, headers):
        visitor.get(path, headers=headers)
        visitor.post("/_dash-update-component", data=_json(_router("/kommune/101", "")), headers=headers)

    check()


FORMS = {"/login": ["username", "password"], "/login/kode": ["kode"],
         "/konto/kodeord": ["nuvaerende", "nyt"], "/konto/tokens": ["navn"],
         "/admin/brugere": ["navn", "rolle", "kommune", "omraade"],
         "/admin/brugere/kbh-laeser/omraader": ["omraade"],
         "/admin/brugere/kbh-laeser/rolle": ["rolle"], "/admin/brugere/kbh-laeser/nulstil": [], "/admin/audit": [],
         "/admin/brugere/kbh-laeser/deaktiver": [], "/konto/tokens/1/tilbagekald": []}


@pytest.mark.parametrize("signed_in", [False, True])
def test_no_form_value_gives_a_server_error(app, tracebacks, userdb, signed_in):
    """The login, code, password, token and user-admin forms (and their lists' query values) with hostile values
    and good or bad CSRF tokens, anonymous and signed in as an admin."""
    client = Checked(app.server.test_client(), tracebacks)
    users.add("kbh-laeser", GOOD, "laeser", "101")
    if signed_in:
        users.add("fuzz-admin", GOOD, "admin", "101")
        sign_in_with_code(client, "fuzz-admin")
    token = csrf(client)

    @settings(FUZZ, max_examples=40)
    @given(data=st.data())
    def check(data):
        path = data.draw(st.sampled_from(sorted(FORMS)))
        form = {name: data.draw(st.lists(HOSTILE_TEXT, min_size=1, max_size=2)) for name in FORMS[path]}
        form["csrf_token"] = data.draw(st.sampled_from([token, token, "", "x" * 300, "\r\n"]))
        query = data.draw(st.sampled_from(["", "?next=%0D%0A", "?side=-1", "?side=%C2%B2", "?q=%00&side=" + "9" * 50]))
        client.post(path + query, data=form)
        client.get(path + query)

    check()
