"""Pages receive the viewer's scope as an argument: the one place that asks web.viewer for it on their behalf.

A page's `layout`, `title` and `validate` (registered with dash.register_page) that take a keyword `scope` are
replaced in Dash's page registry by a wrapper that asks `web.viewer.scope()` and passes it in; the wrapper's
signature is the page function's without `scope`, so Dash's router, the request guard (web/guard.py) and the kept
renders' keys (web/rendercache.py) see only the address's values. A query parameter named `scope` cannot reach the
page: the viewer's scope overrides it. Callbacks are not wrapped: each asks web.viewer once at its top.

Reads and writes `dash.page_registry` once, when the app is made (app.py).
"""
from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import dash

from web import viewer

WRAPPED = ("layout", "title", "validate")


def install() -> None:
    """Wrap every registered page function that takes `scope` (Dash has imported the pages by now)."""
    for page in dash.page_registry.values():
        for name in WRAPPED:
            function = page.get(name)
            if callable(function) and "scope" in inspect.signature(function).parameters:
                page[name] = given_scope(function)


def given_scope(function: Callable) -> Callable:
    """`function` with the viewer's scope passed in as `scope=`, and a signature without it."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def with_scope(*args, **values):
        return function(*args, **{**values, "scope": viewer.scope()})

    with_scope.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p for p in signature.parameters.values() if p.name != "scope"])
    return with_scope
