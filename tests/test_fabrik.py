"""The app factory: importing `app` is free (it writes no file and compresses nothing; the work happens when
`create_app()` runs), and `create_app(settings)` serves the settings it is given, not the environment's."""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

from kdk.config import PROJECT_DIR
from tests.conftest import altered

SKIPPED = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache"}

# Run in the child: any compression fails the import, so a cold static cache cannot hide it either.
IMPORT_APP = """
from whitenoise.compress import Compressor

def refuse(self, *args, **kwargs):
    raise SystemExit("compressed a static file at import")

Compressor.compress = refuse
import app
"""


def listing(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folders` (not following links) → (size, mtime in ns)."""
    files = {}
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if d not in SKIPPED]
            for name in names:
                path = Path(root, name)
                stat = path.lstat()
                files[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return files


def test_importing_app_writes_no_file_and_compresses_nothing(fresh_marts, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KDK_")}
    env |= {"HOME": str(home), "TMPDIR": str(home), "PYTHONPATH": str(PROJECT_DIR), "PYTHONDONTWRITEBYTECODE": "1",
            "KDK_MARTS": str(fresh_marts.marts_path), "KDK_LOG_LEVEL": "WARNING"}
    watched = (PROJECT_DIR, fresh_marts.marts_path.parent)
    before = listing(*watched)
    done = subprocess.run([sys.executable, "-c", IMPORT_APP], cwd=home, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    after = listing(*watched)
    changed = sorted(path for path in after.keys() | before.keys() if after.get(path) != before.get(path))
    assert changed == []


def test_two_apps_made_from_different_settings_each_serve_their_own(built, fresh_marts):
    """Side by side in one process, with no KDK_* variable set for them: each app reads the marts and signs its
    sessions with the key that its Settings name, for its making and for every request."""
    from app import create_app

    renamed = altered(fresh_marts, "fabrik", ("UPDATE dim_kommune SET navn = 'Fabriksby' WHERE kommunekode = '101'",
                                              []))
    first = create_app(dataclasses.replace(built, secret_key="den-første-nøgle"))
    second = create_app(dataclasses.replace(renamed, secret_key="den-anden-nøgle"))
    layouts = [app.test_client().get("/_dash-layout").get_data(as_text=True) for app in (first, second, first)]
    assert ["Fabriksby" in layout for layout in layouts] == [False, True, False]
    assert all("København" in layout for layout in (layouts[0], layouts[2]))
    assert first.secret_key == "den-første-nøgle" and second.secret_key == "den-anden-nøgle"
