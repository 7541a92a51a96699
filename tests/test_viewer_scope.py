"""Pages and components receive the viewer's scope as an argument: a layout, a title or a page's `validate` is
handed it by web/pagescope.py, and a Dash callback asks `web.viewer.scope()` once, at its top, and passes it on.
No helper below them reads the side channel, so what a kept render depends on is in its signature
(docs/architecture.md, "Caching").
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.dash_http import render

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("components/*.py")])


def is_callback(function: ast.FunctionDef) -> bool:
    """Whether `function` is decorated as a Dash server callback (`@callback(...)` or `@dash.callback(...)`)."""
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if (isinstance(target, ast.Name) and target.id == "callback") or \
                (isinstance(target, ast.Attribute) and target.attr == "callback"):
            return True
    return False


def reads_scope(node: ast.AST) -> bool:
    """A call of `viewer.scope()`."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "scope" \
        and isinstance(node.func.value, ast.Name) and node.func.value.id == "viewer"


def misplaced_reads(source: str) -> list[str]:
    """Where a module reads the viewer's scope other than once at the top of a Dash callback."""
    tree = ast.parse(source)
    problems = [f"line {n.lineno}: imports scope from web.viewer" for n in ast.walk(tree)
                if isinstance(n, ast.ImportFrom) and n.module == "web.viewer"]
    allowed = set()
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef) and is_callback(function):
            reads = [n for n in ast.walk(function) if reads_scope(n)]
            body = function.body[1:] if ast.get_docstring(function) else function.body
            top = [n for statement in body[:1] for n in ast.walk(statement) if reads_scope(n)]
            allowed |= {id(n) for n in top[:1]}
            problems += [f"line {n.lineno}: callback {function.name} reads the scope again" for n in reads[1:]]
    problems += [f"line {n.lineno}: reads the scope outside a callback's top" for n in ast.walk(tree)
                 if reads_scope(n) and id(n) not in allowed]
    return sorted(set(problems))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: f"{m.parent.name}/{m.name}")
def test_pages_and_components_take_the_scope_as_an_argument(module):
    assert misplaced_reads(module.read_text(encoding="utf-8")) == []


def test_the_check_catches_a_helper_that_reads_the_side_channel():
    helper = "def kort(kode):\n    return q.kort(viewer.scope(), kode)\n"
    callback = ("@callback(Output('a', 'children'), Input('b', 'value'))\n"
                "def update(value):\n    scope = viewer.scope()\n    return helper(viewer.scope(), value)\n")
    assert misplaced_reads(helper) == ["line 2: reads the scope outside a callback's top"]
    assert misplaced_reads(callback) == ["line 4: callback update reads the scope again",
                                         "line 4: reads the scope outside a callback's top"]
    assert misplaced_reads("from web.viewer import scope\n") == ["line 1: imports scope from web.viewer"]


def test_an_address_cannot_choose_the_scope_a_page_is_rendered_with(app, client):
    """`?scope=` is an address's value like any other: the page is rendered with the viewer's own scope."""
    renders = app.server.extensions["kdk.renders"]
    fresh = {}
    for search in ("", "?scope=x", "?scope=personale"):
        renders.clear()
        assert client.get(f"/kommune/101{search}").status_code == 200
        fresh[search] = render(client, app, "/kommune/101", search)
    assert fresh["?scope=x"] == fresh[""] == fresh["?scope=personale"]
