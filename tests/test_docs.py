"""docs/architecture.md stays true: every module, function, file and mart column it names exists, and its worked
example's number is the one the marts hold. Reads the docs, the source files (parsed, not imported) and the built
marts; writes nothing."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from kdk import format as fmt

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"
PACKAGES = ("app", "kdk", "pages", "components", "web")
DOTTED = re.compile(rf"^(?:{'|'.join(PACKAGES)})(?:\.\w+)+$|^(?:{'|'.join(PACKAGES)})$")
PATH = re.compile(r"^[\w.-]+/[\w./-]*$")
MART_COLUMN = re.compile(r"^((?:fct|dim|bm)_\w+)(?:\.(\w+))?$")


def _named(doc: Path) -> list[str]:
    """The inline code spans of `doc`, fenced blocks left out (commands, not names)."""
    text = re.sub(r"^```.*?^```", "", doc.read_text(encoding="utf-8"), flags=re.S | re.M)
    return re.findall(r"`([^`\n]+)`", text)


def _defined(body: list[ast.stmt]) -> dict[str, ast.AST]:
    names: dict[str, ast.AST] = {}
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, ast.Assign):
            names.update({t.id: node for t in node.targets if isinstance(t, ast.Name)})
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
    return names


def _exists(dotted: str) -> bool:
    """Whether `dotted` is a module, or a name defined in one (a class's method too), without importing it."""
    parts = dotted.split(".")
    if ROOT.joinpath(*parts).is_dir():
        return True
    for cut in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:cut])
        source = base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"
        if source.is_file():
            break
    else:
        return False
    body = ast.parse(source.read_text(encoding="utf-8")).body
    for name in parts[cut:]:
        node = _defined(body).get(name)
        if node is None:
            return False
        body = node.body if isinstance(node, ast.ClassDef) else []
    return True


def test_every_module_function_and_file_the_architecture_names_exists():
    named = _named(ARCHITECTURE)
    dotted = [n for n in named if DOTTED.match(n)]
    paths = [n for n in named if PATH.match(n) and not n.startswith("/")]
    assert len(dotted) >= 10 and len(paths) >= 10
    missing = [n for n in dotted if not _exists(n)] + [p for p in paths if not (ROOT / p).exists()]
    assert not missing, missing


def test_every_mart_table_and_column_the_architecture_names_exists(con):
    columns = set(con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall())
    tables = {t for t, _ in columns}
    named = [MART_COLUMN.match(n).groups() for n in _named(ARCHITECTURE) if MART_COLUMN.match(n)]
    assert named
    missing = [(t, c) for t, c in named if t not in tables or (c and (t, c) not in columns)]
    assert not missing, missing


def test_the_worked_example_shows_the_number_the_marts_hold(con):
    """The worked example states København's and hele landet's Gini coefficient for 2024 as the profile shows them."""
    values = dict(con.execute("SELECT omraade_kode, vaerdi FROM fct_noegletal WHERE noegletal_id = 'befolkning.gini' "
                              "AND periode = '2024' AND omraade_kode IN ('101', '000') AND erstattet_af IS NULL")
                  .fetchall())
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert f"shows {fmt.number(values['101'], 2)} for 2024" in text
    assert f"hele landet's {fmt.number(values['000'], 2)}" in text


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_between_the_docs_leads_to_a_file_and_heading_that_exist():
    """README.md and docs/*.md link to each other by file and heading: a moved file or renamed heading breaks
    the newcomer's path through them."""
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for doc in docs:
        for target in re.findall(r"\]\(([^)\s]+)\)", doc.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            path = (doc.parent / file).resolve() if file else doc
            if not path.exists():
                broken.append(f"{doc.name}: {target}")
            elif anchor and path.suffix == ".md":
                headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
                if anchor not in {_anchor(h) for h in headings}:
                    broken.append(f"{doc.name}: {target}")
    assert not broken, broken


def test_the_readme_is_a_short_entry_point_to_the_docs():
    """A newcomer reads the README in a few minutes and finds from it every document in docs/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    assert "make run" in readme and "make test" in readme and "docs/profil.png" in readme
    unlinked = [doc.name for doc in (ROOT / "docs").glob("*.md") if f"](docs/{doc.name})" not in readme]
    assert not unlinked, unlinked
