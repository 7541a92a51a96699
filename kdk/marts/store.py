"""Writing marts files atomically, and switching the app to a new one.

Writes a complete new versioned file in `data/marts/` (the schema, then every table: from DataFrames for the
build and the ingest, or by any function that fills an open connection, such as the Kolada-size generator in
bench/), checkpoints and closes it, verifies it by reopening read-only (row counts, the current fact key unique), and
only then points the link `data/kdk.duckdb` at it (an atomic rename of a symlink). A failure at any step
deletes the half-written file and leaves the link, and so the data users see, untouched. Old versions are
kept for a while, because running workers may still read them.

Writers of the live marts take turns (`writing`): the build, the ingest, the embargo change and the fetch from a
delivery folder each hold an exclusive `flock` on `data/.kdk.duckdb.skrivelaas` (beside the link it guards) from
reading their base (the live file) through the switch, so a second writer starts from the first one's result
instead of switching over it; `publish` refuses to run outside a turn. The lock alone suffices, without a
compare-and-swap check of the live file at switch time: every writer of the link goes through here, the kernel
releases the lock of a process that dies (no stale lock to clear), and a check at switch time could only throw away
a finished load after the fact, where waiting for the turn loses nothing. The turn is reentrant within a thread (the
command line holds it around a writer that takes it again), and shared by no two threads or processes.
"""
from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd

from kdk.config import Settings

log = logging.getLogger(__name__)
SCHEMA = Path(__file__).with_name("schema.sql")
TABLE_ORDER = ["release", "dim_region", "dim_kommune", "dim_dataomraade", "dim_noegletal", "fct_noegletal",
               "kilde", "validering", "diskretion", "geo_kommune", "bm_definition", "bm_sammenligning", "bm_model",
               "bm_variabel", "tema"]


class StoreError(Exception):
    """A marts file could not be written or verified; the previous marts are untouched."""


class Busy(StoreError):
    """Another writer held the marts longer than this one would wait; nothing was read or written."""


_turns = threading.local()   # the lock files this thread holds, and how deeply


@contextmanager
def writing(settings: Settings, timeout: float | None = None,
            waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """This thread's turn to write the live marts of `settings`, from reading its base through the switch. When
    another writer holds it, `waiting()` is called once, then this waits for it: without end, or at most `timeout`
    seconds and then Busy."""
    lock = _lock_file(settings)
    held: dict[str, int] = _turns.__dict__.setdefault("held", {})
    if held.get(lock):
        held[lock] += 1
        try:
            yield
        finally:
            held[lock] -= 1
        return
    settings.marts_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _lock(fd, timeout, waiting)
        held[lock] = 1
        try:
            yield
        finally:
            del held[lock]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _lock(fd: int, timeout: float | None, waiting: Callable[[], None] | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    log.info("waiting for another writer of the marts")
    if waiting:
        waiting()
    if timeout is None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise Busy(f"another writer held the marts for more than {timeout:g} s") from None
            time.sleep(0.05)


def _lock_file(settings: Settings) -> str:
    """The writers' lock file: beside the link, and never removed (a removed lock file could be locked twice)."""
    link = settings.marts_path
    return str(link.with_name(f".{link.name}.skrivelaas"))


def _require_turn(settings: Settings) -> None:
    if not getattr(_turns, "held", {}).get(_lock_file(settings)):
        raise StoreError("the marts are written outside a writer's turn (kdk.marts.store.writing)")


# A fill writes every table of TABLE_ORDER into an open connection whose file holds the schema, and returns the
# number of rows it meant to write per table (what the read-only check expects to find).
Fill = Callable[[duckdb.DuckDBPyConnection], dict[str, int]]


def write_and_switch(settings: Settings, tables: dict[str, pd.DataFrame], release_id: str) -> Path:
    return publish(settings, release_id, partial(insert_frames, tables))


def publish(settings: Settings, release_id: str, fill: Fill) -> Path:
    """Write a new versioned marts file with `fill`, verify it, and switch the link to it; within `writing`."""
    _require_turn(settings)
    settings.marts_dir.mkdir(parents=True, exist_ok=True)
    path = settings.marts_dir / f"kdk-{release_id}-{time.time_ns()}.duckdb"
    try:
        expected = _write(path, fill)
        _verify(path, expected)
    except Exception as exc:
        _remove(path)
        raise StoreError(f"could not write marts file {path.name}: {exc}") from exc
    switch(settings.marts_path, path)
    prune(settings)
    return path


def insert_frames(tables: dict[str, pd.DataFrame], con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Fill the tables given as DataFrames (their columns by name; extra columns are ignored)."""
    for name in [n for n in TABLE_ORDER if n in tables]:
        df = tables[name]
        columns = [r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()]
        con.register("incoming", df[[c for c in columns if c in df.columns]])
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM incoming")
        con.unregister("incoming")
    return {name: len(df) for name, df in tables.items()}


def _write(path: Path, fill: Fill) -> dict[str, int]:
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA.read_text())
        expected = fill(con)
        con.execute("CHECKPOINT")
        return expected
    finally:
        con.close()


# The fact key (noegletal_id, omraade_kode, periode) is checked here rather than by a primary-key index: at
# Kolada's size (29 M rows) the index would be 20 times the data and take minutes to build.
_DUPLICATE_KEYS = """SELECT count(*) FROM (SELECT 1 FROM fct_noegletal WHERE erstattet_af IS NULL
                     GROUP BY noegletal_id, omraade_kode, periode HAVING count(*) > 1)"""


def _verify(path: Path, expected: dict[str, int]) -> None:
    if Path(f"{path}.wal").exists():
        raise StoreError("a write-ahead log was left behind after checkpoint")
    con = duckdb.connect(str(path), read_only=True)
    try:
        for name in TABLE_ORDER:
            [(n,)] = con.execute(f"SELECT count(*) FROM {name}").fetchall()
            if n != expected[name]:
                raise StoreError(f"{name} has {n} rows, expected {expected[name]}")
        [(duplicates,)] = con.execute(_DUPLICATE_KEYS).fetchall()
        if duplicates:
            raise StoreError(f"fct_noegletal has {duplicates} duplicated current keys "
                             "(noegletal_id, omraade_kode, periode)")
    finally:
        con.close()


def switch(link: Path, target: Path) -> None:
    """Point `link` at `target` atomically: readers see the old file or the new one, never neither."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    _remove(tmp)
    os.symlink(os.path.relpath(target, link.parent), tmp)
    os.replace(tmp, link)
    log.info("marts switched to %s", target.name)


def read_tables(path: Path) -> dict[str, pd.DataFrame]:
    """Every table of the marts file `path`, read-only; a table the file was written without (a table added to
    the schema since) is read as empty, so a build or a load on top of older marts writes it afresh."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        held = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        tables = {name: con.execute(f"SELECT * FROM {name}").df() for name in TABLE_ORDER if name in held}
    finally:
        con.close()
    if len(tables) < len(TABLE_ORDER):
        with duckdb.connect() as empty:
            empty.execute(SCHEMA.read_text())
            tables |= {name: empty.execute(f"SELECT * FROM {name}").df() for name in TABLE_ORDER if name not in held}
    return {name: tables[name] for name in TABLE_ORDER}


def current(settings: Settings) -> Path | None:
    link = settings.marts_path
    return link.resolve() if link.exists() else None


def prune(settings: Settings) -> None:
    live = current(settings)
    files = sorted(settings.marts_dir.glob("kdk-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [f for f in files if f != live][max(settings.keep_versions - 1, 0):]:
        _remove(old)


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}.wal")):
        if p.is_symlink() or p.exists():
            p.unlink()
