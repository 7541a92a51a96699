"""Release bundles built in the background, so a web worker never blocks on an export.

Writes the bundle and a small status file (`<release>.json`: state, share done, text) to the export folder;
any worker (and any process) can read the status, so progress survives across gunicorn workers.
"""
from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from kdk.db import Marts
from kdk.export.bundle import build_bundle
from kdk.queries.scope import Scope

log = logging.getLogger(__name__)
_lock = threading.Lock()


def status_path(folder: Path, release_id: str) -> Path:
    return folder / f"kdk-release-{release_id}.json"


def status(folder: Path, release_id: str) -> dict:
    path = status_path(folder, release_id)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"tilstand": "ikke startet", "andel": 0.0, "tekst": ""}


def _write_status(folder: Path, release_id: str, **values) -> None:
    path = status_path(folder, release_id)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def start(marts: Marts, scope: Scope, release_id: str, folder: Path) -> bool:
    """Start building the bundle unless a build of it is already running; True when one was started."""
    folder.mkdir(parents=True, exist_ok=True)
    with _lock:
        if status(folder, release_id).get("tilstand") == "i gang":
            return False
        _write_status(folder, release_id, tilstand="i gang", andel=0.0, tekst="Starter")

    def run():
        try:
            path = build_bundle(marts, scope, release_id, folder, progress=lambda share, text: _write_status(
                folder, release_id, tilstand="i gang", andel=share, tekst=text))
            _write_status(folder, release_id, tilstand="færdig", andel=1.0, tekst="Færdig", fil=path.name)
        except Exception:   # the job's own thread: report, never crash the worker
            log.exception("release bundle %s failed", release_id)
            _write_status(folder, release_id, tilstand="fejl", andel=0.0,
                          tekst="Eksporten fejlede. Prøv igen; fejlen er skrevet i serverens log.")

    threading.Thread(target=run, name=f"eksport-{release_id}", daemon=True).start()
    return True
