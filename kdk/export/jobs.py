"""Jobs run in the background (the release bundle, the publication's PDFs, kdk.publikation), so a web worker never
blocks on one.

A job has a name; it writes its files and a small status file (`<name>.json`: state, share done, text, the files
made) to the export folder; any worker (and any process) can read the status, so progress survives across gunicorn
workers.
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from kdk.db import Marts
from kdk.export.bundle import build_bundle
from kdk.queries.scope import Scope

log = logging.getLogger(__name__)
_lock = threading.Lock()

Progress = Callable[[float, str], None]   # (share done, what is being done, in Danish)


def _status_path(folder: Path, name: str) -> Path:
    return folder / f"{name}.json"


def job_status(folder: Path, name: str) -> dict:
    """The job's state ("ikke startet", "i gang", "færdig", "fejl"), share done and text; when done, its files
    (`filer`, the main one first, also as `fil`)."""
    try:
        return json.loads(_status_path(folder, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"tilstand": "ikke startet", "andel": 0.0, "tekst": ""}


def _write_status(folder: Path, name: str, **values) -> None:
    path = _status_path(folder, name)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def run(folder: Path, name: str, work: Callable[[Progress], list[Path]], failed: str) -> bool:
    """Run `work` (given a progress callback; it returns the files it wrote in `folder`, the main one first) in a
    thread, unless the job `name` is already running; True when it was started. `failed`: the Danish text shown
    when it fails (the error itself goes to the log)."""
    folder.mkdir(parents=True, exist_ok=True)
    with _lock:
        if job_status(folder, name).get("tilstand") == "i gang":
            return False
        _write_status(folder, name, tilstand="i gang", andel=0.0, tekst="Starter")

    def progress(share: float, text: str) -> None:
        _write_status(folder, name, tilstand="i gang", andel=share, tekst=text)

    def thread():
        try:
            files = [f.name for f in work(progress)]
            _write_status(folder, name, tilstand="færdig", andel=1.0, tekst="Færdig", fil=files[0], filer=files)
        except Exception:   # the job's own thread: report, never crash the worker
            log.exception("background job %s failed", name)
            _write_status(folder, name, tilstand="fejl", andel=0.0, tekst=failed)

    threading.Thread(target=thread, name=f"job-{name}", daemon=True).start()
    return True


def _bundle(release_id: str) -> str:
    return f"kdk-release-{release_id}"


def status(folder: Path, release_id: str) -> dict:
    """The release bundle's job status (`job_status`)."""
    return job_status(folder, _bundle(release_id))


def start(marts: Marts, scope: Scope, release_id: str, folder: Path) -> bool:
    """Start building the bundle unless a build of it is already running; True when one was started."""
    return run(folder, _bundle(release_id),
               lambda progress: [build_bundle(marts, scope, release_id, folder, progress=progress)],
               "Eksporten fejlede. Prøv igen; fejlen er skrevet i serverens log.")
