"""Jobs run in the background (the release bundle, the publication's PDFs, kdk.publikation), so a web worker never
blocks on one, and one server at a time runs each, however many app servers share the work.

A job has a name. A server claims it in the user database's `job` table (kdk.auth.store) with one statement, so of
two servers (or workers, or processes) starting it together exactly one wins; the winner runs it in a thread of its
own, records the share done and what is being done there (at most every THROTTLE seconds), beats a heartbeat every
HEARTBEAT seconds, and at the end marks it done with the files it wrote in the export folder, or failed. Any server
reports a job from the table and serves its files from the export folder, which the servers share. A job whose
heartbeat is older than STALE seconds lost its server (stopped or died mid-job): it is reported as failed, says so,
and may be claimed again. The texts a job records are Danish message ids (marked N_) with the values of their
placeholders beside them (`vaerdier`), never a finished sentence: the job's thread has no request and so no
language, and each page shows the progress in its own (components/fremdrift.py).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy import Table, case, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from kdk.auth import store
from kdk.db import Marts
from kdk.export.bundle import build_bundle
from kdk.queries.scope import Scope
from kdk.sprog import N_

log = logging.getLogger(__name__)

STALE = 60.0       # seconds without a heartbeat after which a running job's server is taken for gone
HEARTBEAT = 10.0   # seconds between a running job's heartbeats
THROTTLE = 0.5     # seconds at least between two writes of a job's progress

RUNNING, DONE, FAILED = "i gang", "færdig", "fejl"
STARTING = N_("Starter")
RESTARTED = N_("Startet igen: den forrige kørsel stoppede uden at blive færdig, fordi serveren holdt op med at svare")
LOST = N_("Serveren, der kørte jobbet, holdt op med at svare, før det blev færdigt. Start det igen.")
FINISHED = N_("Færdig")
NOT_STARTED = {"tilstand": "ikke startet", "andel": 0.0, "tekst": "", "vaerdier": {}}


class Progress(Protocol):
    def __call__(self, share: float, text: str, **values: str | int) -> None:
        """Record the share done (0–1) and what is being done: `text` a Danish message id (N_) whose placeholders
        `values` fill where it is shown."""


# INSERT … ON CONFLICT of each database
_UPSERT: dict[str, Callable[[Table], postgresql.Insert | sqlite.Insert]] = {"sqlite": sqlite.insert,
                                                                            "postgresql": postgresql.insert}


class Lost(Exception):
    """The job was claimed by another server after this run's heartbeat lapsed; this run stops."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def job_status(folder: Path, name: str) -> dict:
    """The job's state ("ikke startet", "i gang", "færdig", "fejl"), share done, text (a Danish message id) and the
    values of its placeholders (`vaerdier`); when done, its files
    (`filer`, the main one first, also as `fil`). A job done whose files are no longer in `folder` was not started;
    one whose server stopped beating its heartbeat failed."""
    job = store.job
    with store.engine().connect() as con:
        row = con.execute(select(job).where(job.c.navn == name)).mappings().first()
    if row is None:
        return dict(NOT_STARTED)
    if row["tilstand"] == RUNNING and row["hjerteslag"] < _now() - dt.timedelta(seconds=STALE):
        return {"tilstand": FAILED, "andel": row["andel"], "tekst": LOST, "vaerdier": {}}
    state = {"tilstand": row["tilstand"], "andel": row["andel"], "tekst": row["tekst"],
             "vaerdier": json.loads(row["vaerdier"])}
    if row["tilstand"] == DONE:
        files = json.loads(row["filer"])
        if not all((folder / f).is_file() for f in files):
            return dict(NOT_STARTED)
        state |= {"fil": files[0], "filer": files}
    return state


class _Run:
    """This server's claim on a job: it writes the job's progress, heartbeat and end while it still holds it."""

    def __init__(self, engine: Engine, name: str):
        self.engine, self.name = engine, name
        self.me, self.started = f"{socket.gethostname()}:{os.getpid()}", _now()
        self.last_progress = 0.0

    def claim(self) -> bool:
        """Claim the job unless another run holds it (running, heartbeat fresh): one statement, so of several
        claiming at once one wins. True when this run won: the statement returns the row only if it inserted or
        updated it (its rowcount, psycopg gives as -1)."""
        job = store.job
        fresh = {"tilstand": RUNNING, "andel": 0.0, "vaerdier": "{}", "filer": "[]", "taget_af": self.me,
                 "startet": self.started, "hjerteslag": self.started, "afsluttet": None}
        claim = _UPSERT[self.engine.dialect.name](job).values(navn=self.name, tekst=STARTING, **fresh)
        claim = claim.on_conflict_do_update(
            index_elements=[job.c.navn],
            set_={**fresh, "tekst": case((job.c.tilstand == RUNNING, RESTARTED), else_=STARTING)},
            where=or_(job.c.tilstand != RUNNING, job.c.hjerteslag < self.started - dt.timedelta(seconds=STALE)))
        with self.engine.begin() as con:
            return con.execute(claim.returning(job.c.navn)).first() is not None

    def write(self, **values) -> None:
        """Record `values` and a heartbeat; Lost when another run has claimed the job since."""
        job = store.job
        with self.engine.begin() as con:
            held = con.execute(update(job).where(job.c.navn == self.name, job.c.taget_af == self.me,
                                                 job.c.startet == self.started)
                               .values(hjerteslag=_now(), **values)).rowcount
        if not held:
            raise Lost(self.name)

    def progress(self, share: float, text: str, **values: str | int) -> None:
        if time.monotonic() - self.last_progress >= THROTTLE:
            self.write(andel=share, tekst=text, vaerdier=json.dumps(values, ensure_ascii=False))
            self.last_progress = time.monotonic()

    def beat(self, stop: threading.Event) -> None:
        """Beat the heartbeat until `stop` is set (or the job is lost), also while the work reports no progress."""
        while not stop.wait(HEARTBEAT):
            try:
                self.write()
            except Lost:
                return
            except SQLAlchemyError:   # a busy database: the next beat tries again, well before STALE
                log.warning("heartbeat of background job %s not written", self.name, exc_info=True)

    def run(self, work: Callable[[Progress], list[Path]], failed: str) -> None:
        stop = threading.Event()
        threading.Thread(target=self.beat, args=(stop,), name=f"job-{self.name}-heartbeat", daemon=True).start()
        try:
            files = [f.name for f in work(self.progress)]
            self.write(tilstand=DONE, andel=1.0, tekst=FINISHED, vaerdier="{}", filer=json.dumps(files),
                       afsluttet=_now())
        except Lost:
            log.warning("background job %s was claimed by another server after its heartbeat lapsed; "
                        "this run stopped", self.name)
        except Exception:   # the job's own thread: report, never crash the worker
            log.exception("background job %s failed", self.name)
            with contextlib.suppress(Lost):
                self.write(tilstand=FAILED, andel=0.0, tekst=failed, vaerdier="{}", afsluttet=_now())
        finally:
            stop.set()


def run(folder: Path, name: str, work: Callable[[Progress], list[Path]], failed: str) -> bool:
    """Run `work` (given a progress callback; it returns the files it wrote in `folder`, the main one first) in a
    thread, unless the job `name` is already running on this or another server; True when it was started. `failed`:
    the Danish text shown when it fails (the error itself goes to the log)."""
    folder.mkdir(parents=True, exist_ok=True)
    claimed = _Run(store.engine(), name)
    if not claimed.claim():
        return False
    threading.Thread(target=claimed.run, args=(work, failed), name=f"job-{name}", daemon=True).start()
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
               N_("Eksporten fejlede. Prøv igen; fejlen er skrevet i serverens log."))
