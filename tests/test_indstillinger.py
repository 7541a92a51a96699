"""One settings surface (kdk/config.py): every KDK_* variable is a documented field of Settings, read nowhere else,
named in the docs only if it exists, shown in docs/operations.md as Settings prints it; a value the app cannot use
stops the start with a message naming the variable."""
import ast
import os
import re
import runpy
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from kdk.config import PROJECT_DIR, Settings, SettingsError, settings, settings_table

APP_SOURCES = [PROJECT_DIR / "app.py", PROJECT_DIR / "gunicorn.conf.py",
               *(p for folder in ("kdk", "web", "pages", "components") for p in (PROJECT_DIR / folder).rglob("*.py"))]
DOCS = [PROJECT_DIR / "README.md", PROJECT_DIR / "deploy" / "README.md", *(PROJECT_DIR / "docs").rglob("*.md")]
VARIABLES = {f.metadata.get("env") for f in fields(Settings)}


def gunicorn_check(**env: str) -> subprocess.CompletedProcess:
    """gunicorn loading the deployed configuration, as `make run` starts it, with these variables set."""
    return subprocess.run([str(PROJECT_DIR / ".venv" / "bin" / "gunicorn"), "--config", "gunicorn.conf.py",
                           "--check-config", "app:server"], cwd=PROJECT_DIR, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


def environment_reads(path: Path) -> list[str]:
    """The KDK_* names a module reads from the environment itself (os.environ[...], .get, getenv, `in environ`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call | ast.Subscript | ast.Compare):
            names = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)} | {
                n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            if names & {"environ", "getenv"}:
                found += [n.value for n in ast.walk(node)
                          if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.startswith("KDK_")]
    return found


def test_no_module_but_the_settings_reads_a_kdk_variable():
    reads = {str(p.relative_to(PROJECT_DIR)): names for p in APP_SOURCES
             if p.name != "config.py" or p.parent.name != "kdk" if (names := environment_reads(p))}
    assert reads == {}


def test_the_scan_sees_a_module_reading_the_environment(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('import os\nA = os.environ.get("KDK_A", "1")\nB = os.getenv("KDK_B")\n'
                      'C = "KDK_C" in os.environ\n')
    assert environment_reads(module) == ["KDK_A", "KDK_B", "KDK_C"]


def test_every_setting_has_a_variable_a_default_and_a_line_of_documentation():
    for f in fields(Settings):
        assert str(f.metadata.get("env", "")).startswith("KDK_"), f.name
        assert isinstance(f.metadata.get("default"), str), f.name
        assert len(f.metadata.get("doc", "")) > 10, f.name


def test_the_docs_name_no_variable_the_app_does_not_read():
    named = {(p.relative_to(PROJECT_DIR).as_posix(), name)
             for p in DOCS for name in re.findall(r"KDK_[A-Z_]+", p.read_text())}
    assert {pair for pair in named if pair[1] not in VARIABLES} == set()


def test_the_operations_doc_shows_the_settings_table_as_settings_print_it():
    operations = (PROJECT_DIR / "docs" / "operations.md").read_text()
    assert settings_table() in operations, "update it: .venv/bin/python -m kdk.config"


def test_the_deployment_environment_file_names_every_setting_and_no_other():
    """deploy/kdk.env, set or commented out: update it from `.venv/bin/python -m kdk.config --env`."""
    named = re.findall(r"^#?(KDK_[A-Z_]+)=", (PROJECT_DIR / "deploy" / "kdk.env").read_text(), re.MULTILINE)
    assert sorted(named) == sorted(VARIABLES)


@pytest.mark.parametrize(("variable", "value"), [("KDK_HTTPS", "ja tak"), ("KDK_CACHE_SVAR_MB", "1,5"),
                                                 ("KDK_SESSION_MINUTTER", "en halv time"), ("KDK_LOG_LEVEL", "snak"),
                                                 ("KDK_XLSX_SAMTIDIGE", "-1")])
def test_a_value_the_app_cannot_use_is_refused_naming_the_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"^{variable}="):
        settings()


def test_gunicorn_does_not_start_with_a_wrong_value_and_says_which():
    result = gunicorn_check(KDK_WORKERS="to")
    assert result.returncode != 0
    assert "KDK_WORKERS='to' cannot be used" in result.stderr.strip().splitlines()[-1]


def test_defaults_are_taken_from_the_project_folder_and_follow_the_data_folder(monkeypatch, tmp_path):
    for name in ("KDK_DATA_DIR", "KDK_MARTS", "KDK_TEMAER_DIR"):
        monkeypatch.delenv(name, raising=False)
    assert settings().marts_path == PROJECT_DIR / "data" / "kdk.duckdb"
    monkeypatch.setenv("KDK_DATA_DIR", str(tmp_path))
    assert (settings().marts_path, settings().themes_dir) == (tmp_path / "kdk.duckdb", tmp_path / "temaer")


def test_gunicorn_does_not_start_with_a_warm_up_its_timeout_would_cut_short():
    timeout = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))["timeout"]
    assert settings().warmup_seconds < timeout                             # as shipped
    result = gunicorn_check(KDK_OPVARMNING_SEKUNDER=str(timeout))
    assert result.returncode != 0
    message = result.stderr.splitlines()[-1]
    assert f"KDK_OPVARMNING_SEKUNDER={timeout} must be below gunicorn's worker timeout" in message


def test_make_checks_selection_leaves_out_every_test_that_starts_gunicorn_or_makes_its_own_marts():
    selection = re.search(r"^HURTIGE := (.+)$", (PROJECT_DIR / "Makefile").read_text(), re.MULTILINE).group(1)
    live = ["tests/test_swap.py", "tests/test_auth_live.py", "tests/test_log_secrets.py"]   # each test starts one
    own_marts = ["tests/test_embargo.py::test_a_build_can_be_staged_beside_the_published_marts"]
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", selection,
                                *live, *own_marts, "tests/test_throttle.py"],
                               cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300).stdout
    chosen = {line.split("::")[0] for line in collected.splitlines() if "::" in line}
    assert chosen == {"tests/test_throttle.py"}, collected
