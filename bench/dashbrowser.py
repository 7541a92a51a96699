"""A locust user that talks to a Dash app the way the browser's Dash renderer does, for the load benchmark's
locustfiles (bench/locustfile.py, bench/locust_webinar.py, bench/locust_yardstick.py).

What a browser does, recorded once from Chromium against this app:
- a full page load: GET the page's HTML, then `/_dash-layout` and `/_dash-dependencies`, then the page router's
  callback (`_pages_content.children`) for the URL;
- every callback POST goes to `/_dash-update-component?endId=<token from the HTML>` with `output`, `outputs`,
  `inputs`, `state`, `changedPropIds` and `parsedChangedPropsIds`;
- after each render the renderer fires every server callback whose inputs and state all arrived with the new
  content (the profile's year picker, the comparison page's controls, the theme's picker); most answer 204;
- a click on a link in the page is only the router callback with the new pathname and search.

Payloads are built from the app's own dependency list (`/_dash-dependencies`) and the rendered component tree,
never hard-coded, so a payload the app would refuse (HTTP 400 from web/guard.py) means this module is wrong.
Every request is checked (status and a sensible body) and a failed check is a locust failure. The app's own time
per request (the `Server-Timing: app;dur=` header, web/timing.py) is recorded as a second locust entry with
request type `inproc` and the same name.

Reads HTTP responses (and, once before the run, the app's layout for the municipalities' names); writes nothing but
locust's statistics.
"""
from __future__ import annotations

import functools
import gc
import json
import re
import time
import urllib.request
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

from locust import FastHttpUser, between, events

ROUTER = "_pages_location"
UPDATE = "/_dash-update-component"
END_ID = re.compile(r'"end_id":\s*"([^"]+)"')
SERVER_TIMING = re.compile(r"app;dur=([\d.]+)")
KEEPALIVE = 5   # s: gunicorn.conf.py's keepalive; the server closes a connection idle for longer

Check = Callable[[object], str | None]   # a response → None when it is right, else what is wrong


def escaped(text: str) -> str:
    """`text` as Dash writes it inside its JSON: non-ASCII, `<`, `>` and `/` as \\u escapes (plotly's to_json)."""
    return json.dumps(text)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e").replace("/", "\\u002f")


def status(r) -> str:
    """What went wrong, for a response with the wrong status (0: no response at all)."""
    return f"HTTP {r.status_code}" if r.status_code else f"no response: {r.error!r}"


def contains(*texts: str, code: int = 200) -> Check:
    """A check: HTTP `code`, and each text somewhere in the body (as Dash's JSON escapes it)."""
    def check(r) -> str | None:
        if r.status_code != code:
            return status(r)
        missing = [t for t in texts if escaped(t) not in r.text and t not in r.text]
        return f"body lacks {missing[0]!r}" if missing else None
    return check


def components(node) -> Iterator[dict]:
    """Every component of a rendered Dash tree, depth first in document order (the order of ALL wildcards)."""
    if isinstance(node, list):
        for child in node:
            yield from components(child)
    elif isinstance(node, dict) and "props" in node:
        yield node
        for value in node["props"].values():
            if isinstance(value, (dict, list)):
                yield from components(value)


@functools.lru_cache(maxsize=8)
def rendered(text: str) -> tuple[tuple[dict, ...], frozenset[str]]:
    """What a user keeps of a router answer: its components that have an id (what callbacks refer to), with their
    properties but not their children, and its links without their #fragment. Viewers shown the same page share
    the parse, so 300 webinar viewers do not make locust parse the same JSON 300 times (shared, so never changed).

    Locust shares the machine with the app, and its own pauses would count as the app's latency: each page is
    walked once, not once per dependency and link, and the parsed tree is let go (300 users holding theirs kept
    millions of objects alive, and each of the garbage collector's full collections walked them all)."""
    found = list(components(json.loads(text)["response"]["_pages_content"]["children"]))
    links = frozenset(h.partition("#")[0] for c in found if isinstance(h := c["props"].get("href"), str))
    kept = tuple({"props": {k: v for k, v in c["props"].items() if k != "children"}} for c in found
                 if "id" in c["props"])
    return kept, links


@functools.lru_cache(maxsize=4)
def dependencies(text: str) -> list[dict]:
    """The app's callback list, parsed once for all users (shared, so never changed)."""
    return json.loads(text)


def _id_key(component_id) -> str:
    """An id as the renderer names it in changedPropIds: a plain string, or a dict id as sorted compact JSON."""
    return component_id if isinstance(component_id, str) else json.dumps(component_id, sort_keys=True,
                                                                           separators=(",", ":"))


def _matches(pattern, component_id) -> bool:
    if isinstance(pattern, str) or isinstance(component_id, str):
        return pattern == component_id
    return pattern.keys() == component_id.keys() and all(
        want == ["ALL"] or want == component_id[key] for key, want in pattern.items())


def _outputs(output: str):
    """The `outputs` field for a dependency's `output` string (one output, or `..a.b...c.d..` for several)."""
    if output.startswith(".."):
        return [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in output.strip(".").split("...")]
    return dict(zip(("id", "property"), output.rsplit(".", 1)))


def label(output: str) -> str:
    """A callback's first output without Dash's duplicate-output hash: `_pages_content.children`, `nav.href`."""
    first = output.strip(".").split("...")[0]
    return first.split("@")[0]


NAMES: dict[str, str] = {}   # municipality code → name, from the municipality picker in the app's layout


@events.test_start.add_listener
def learn_municipalities(environment, **_) -> None:
    """Once before the users start: the 98 municipalities and their names, as the app's header lists them. Then
    everything alive (locust, gevent) is moved out of the garbage collector's sight, as the app's workers do: its
    full collections would otherwise pause every user, and the pause would count as the app's latency."""
    with urllib.request.urlopen(environment.host + "/_dash-layout", timeout=30) as r:
        layout = json.load(r)
    picker = next(c for c in components(layout) if c["props"].get("id") == "kommunevaelger")
    NAMES.update({o["value"]: o["label"].rsplit(" (", 1)[0] for o in picker["props"]["options"]
                  if o["value"].isdigit()})   # the picker also offers the key figures, by their addresses
    gc.freeze()


def municipalities() -> list[str]:
    return sorted(NAMES)


def year_address(shown: dict, aar: str) -> str:
    """The address the profile's year picker opens for `aar` ('' = each figure's latest), from the page's
    `profil-kontekst` store: the browser builds it itself (assets/navigation.js) and asks the server only to render
    it."""
    query = urlencode({k: v for k, v in (("omraade", shown.get("omraade")), ("aar", aar), ("side", shown.get("side")))
                       if v and v != "1"})
    return f"/kommune/{shown['kode']}" + (f"?{query}" if query else "")


class DashBrowser(FastHttpUser):
    """Base class: full page loads, clicks on links, callbacks fired by controls, CSV links; all checked."""

    abstract = True
    wait_time = between(3, 10)

    def on_start(self) -> None:
        self.end_id = ""
        self.dependencies: list[dict] = []
        self.page: tuple[dict, ...] = ()     # the components with an id of the content rendered last
        self.links: frozenset[str] = frozenset()   # and its links
        self.location = ("/", "")
        self.last_request = 0.0

    # --- requests -------------------------------------------------------------------------------------------

    def fetch(self, method: str, url: str, name: str, check: Check, **kwargs):
        """One request, checked; the response when it passed, else None (and a locust failure).

        After a pause longer than the server keeps a connection open, the old connections are dropped first: a
        browser that sends on a connection the server is just closing sends the request again on a new one, and
        locust's client does not (for a POST), which would count the race as a failed request."""
        if time.monotonic() - self.last_request > KEEPALIVE - 1:
            self.client.client.clientpool.close()
        with self.client.request(method, url, name=name, catch_response=True, **kwargs) as r:
            if r.headers and (timing := SERVER_TIMING.search(r.headers.get("Server-Timing") or "")):
                self.environment.events.request.fire(
                    request_type="inproc", name=name, response_time=float(timing[1]), response_length=0,
                    exception=None, context={})
            try:
                problem = check(r)
            except Exception as exc:  # any surprise in a response is a failed request
                problem = f"unreadable response: {exc!r}"
            self.last_request = time.monotonic()
            if problem:
                r.failure(problem)
                return None
            r.success()
            return r

    def load(self, url: str, prefix: str = "") -> bool:
        """What a full page load fetches before any callback: the HTML (holding the renderer's endId), the layout
        and the callback list. Requests are named by path, a municipality code as <kode>, after `prefix`."""
        path = re.sub(r"/\d{3}$", "/<kode>", url.partition("?")[0])
        page = self.fetch("GET", url, f"{prefix}GET {path}", contains("_dash-config"))
        layout = page and self.fetch("GET", "/_dash-layout", f"{prefix}GET /_dash-layout", contains("props"))
        deps = layout and self.fetch("GET", "/_dash-dependencies", f"{prefix}GET /_dash-dependencies",
                                     contains("inputs"))
        if not deps:
            return False
        self.end_id = END_ID.search(page.text)[1]
        self.dependencies = dependencies(deps.text)
        return True

    def open(self, path: str, search: str, view: str, expect: tuple[str, ...]) -> bool:
        """A full page load, as typing the address or following a bookmark: load, then the router renders the
        address (named `view`) and the new content's callbacks fire. Whether the page arrived."""
        return self.load(path + search) and self.navigate(path, search, view, expect, changed=("pathname", "search"))

    def navigate(self, path: str, search: str, view: str, expect: tuple[str, ...],
                 changed: tuple[str, ...] | None = None) -> bool:
        """A click on a link inside the app: the router renders the new URL, then the new content's callbacks
        fire. `changed` defaults to whichever of pathname and search differ from the current URL."""
        if changed is None:
            changed = tuple(p for p, old, new in zip(("pathname", "search"), self.location, (path, search))
                            if old != new) or ("search",)
        router = next(d for d in self.dependencies if d["inputs"][0]["id"] == ROUTER)
        values = {(ROUTER, "pathname"): path, (ROUTER, "search"): search}
        body = self._body(router, [[(ROUTER, "pathname")], [(ROUTER, "search")]], [], values,
                          [(ROUTER, p) for p in changed])
        r = self.callback(body, f"_pages_content.children · {view}", contains(*expect))
        if r is None:
            return False
        self.location = (path, search)
        self.page, self.links = rendered(r.text)
        self._fire_initial_callbacks()
        return True

    def follow(self, href: str, view: str, expect: tuple[str, ...]) -> bool:
        """Follow a link of the app (or an address a callback returned) inside the page."""
        path, _, query = href.partition("#")[0].partition("?")
        return self.navigate(path, f"?{query}" if query else "", view, expect)

    def control(self, component_id: str, value, name: str, check: Check) -> dict | None:
        """The user sets a control (`value`) on the page: its callback, with state from the rendered page."""
        dep = next(d for d in self.dependencies if d["clientside_function"] is None
                   and [i["id"] for i in d["inputs"]] == [component_id])
        state = [[(s["id"], s["property"])] for s in dep["state"]]
        values = {(component_id, "value"): value, **{g[0]: self.prop(*g[0]) for g in state}}
        body = self._body(dep, [[(component_id, "value")]], state, values, [(component_id, "value")])
        r = self.callback(body, f"{label(dep['output'])} · {name}", check)
        return r.json()["response"] if r is not None else None

    def callback(self, body: dict, name: str, check: Check):
        return self.fetch("POST", f"{UPDATE}?endId={self.end_id}", name, check, json=body)

    def prop(self, component_id, prop: str):
        """A property of a component on the rendered page (None if the page has no such component)."""
        return next((c["props"].get(prop) for c in self.page if c["props"].get("id") == component_id), None)

    def hrefs(self, pattern: str) -> list[str]:
        """The links of the rendered page whose address matches `pattern` (a regular expression), without their
        #fragment and without a link to the address shown now (following it would render nothing)."""
        here = "".join(self.location)
        return sorted(h for h in self.links if re.search(pattern, h) and h != here)

    # --- payloads ---------------------------------------------------------------------------------------------

    def _fire_initial_callbacks(self) -> None:
        """What the renderer does after a render: every server callback whose inputs and state are all in the
        new content runs once with their current values (204 = nothing to update)."""
        for dep in self.dependencies:
            if dep["clientside_function"] is not None or dep["inputs"][0]["id"] == ROUTER:
                continue
            inputs = [self._resolve(i) for i in dep["inputs"]]
            state = [self._resolve(s) for s in dep["state"]]
            if all(inputs) and all(state):
                values = {(_id_key(cid), p): c["props"].get(p) for group in inputs + state for cid, p, c in group}
                changed = [(cid, p) for group in inputs for cid, p, _ in group]
                body = self._body(dep, [[(cid, p) for cid, p, _ in g] for g in inputs],
                                  [[(cid, p) for cid, p, _ in g] for g in state], values, changed)
                self.callback(body, f"{label(dep['output'])} · on render", _ok_or_no_update)

    def _resolve(self, spec: dict) -> list[tuple]:
        """The rendered components a dependency's input or state refers to, as (id, property, component)."""
        pattern = json.loads(spec["id"]) if spec["id"].startswith("{") else spec["id"]
        return [(c["props"]["id"], spec["property"], c) for c in self.page if _matches(pattern, c["props"]["id"])]

    @staticmethod
    def _body(dep: dict, inputs: list[list[tuple]], state: list[list[tuple]], values: dict,
              changed: list[tuple]) -> dict:
        """The JSON the renderer posts. `inputs` and `state` hold, per dependency, the (id, property) pairs it
        resolved to: a wildcard (ALL) dependency is sent as a list of items, a plain one as one item. `values` is
        keyed by (id as in changedPropIds, property)."""
        def items(groups, specs):
            out = []
            for group, spec in zip(groups, specs):
                entries = [{"id": cid, "property": p, "value": values.get((_id_key(cid), p))} for cid, p in group]
                out.append(entries if spec["id"].startswith("{") else entries[0])
            return out

        body = {"output": dep["output"], "outputs": _outputs(dep["output"]), "inputs": items(inputs, dep["inputs"]),
                "changedPropIds": [f"{_id_key(cid)}.{p}" for cid, p in changed],
                "parsedChangedPropsIds": [cid if isinstance(cid, dict) else f"{cid}.{p}" for cid, p in changed]}
        if dep["state"]:
            body["state"] = items(state, dep["state"])
        return body


def _ok_or_no_update(r) -> str | None:
    return None if r.status_code in (200, 204) else status(r)
