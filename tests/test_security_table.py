"""The ASVS table in docs/sikkerhed.md names tests that exist: a renamed or deleted test makes the table lie."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMED = re.compile(r"`(test_\w+\.py)(?:::(test_\w+))?`")


def test_every_test_the_security_table_names_exists():
    named = NAMED.findall((ROOT / "docs" / "sikkerhed.md").read_text(encoding="utf-8"))
    assert len(named) > 30
    missing = []
    for module, test in named:
        path = ROOT / "tests" / module
        if not path.exists():
            missing.append(module)
            continue
        defined = {node.name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                   if isinstance(node, ast.FunctionDef)}
        if test and test not in defined:
            missing.append(f"{module}::{test}")
    assert not missing, missing
