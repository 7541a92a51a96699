"""Read-only access to the live marts for the app: one DuckDB connection per worker process, a cursor per query.

Reads the link `data/kdk.duckdb` (see kdk.marts.store); writes nothing. A connection is opened
lazily in the process that uses it (so after gunicorn forks), one for each versioned file read: DuckDB caches a
database by path and keeps open handles, so following the link's target, not its name, is what makes a worker see
a new release without a restart. Queries read the live file, or the one `reading` holds for the current context
(a request pinned to the release it started with, a warm-up of a new release); the connections of the last
KEPT_RELEASES files stay open, so queries still running finish on the old file even after the store pruned it.
Each query runs on one DuckDB thread (QUERY_THREADS): a worker's threads serve many requests at once, and a query
spread over every core takes the cores from the others.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import re
import threading
from collections import OrderedDict

import duckdb
import pandas as pd

from kdk.config import settings

KEPT_RELEASES = 2   # the release served and the one being warmed (web/epoch.py)
MAX_LINKS = 40      # as Linux's limit on following symbolic links
QUERY_THREADS = 1
_reading: contextvars.ContextVar[str | None] = contextvars.ContextVar("kdk_reading", default=None)


@contextlib.contextmanager
def reading(release: str):
    """Within this block, queries read the versioned marts file `release` rather than the live one."""
    token = _reading.set(release)
    try:
        yield
    finally:
        _reading.reset(token)


class Marts:
    def __init__(self, link: str | os.PathLike):
        self.link = os.fspath(link)
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._connections: OrderedDict[str, duckdb.DuckDBPyConnection] = OrderedDict()

    @property
    def live(self) -> str:
        """The versioned file the link points at now (following a chain of links; one system call per link, where
        os.path.realpath makes one per component of the path, on every request)."""
        path = self.link
        for _ in range(MAX_LINKS):
            try:
                target = os.readlink(path)
            except OSError:   # not a link: the file itself
                return path
            path = os.path.normpath(os.path.join(os.path.dirname(path), target))
        raise OSError(f"more than {MAX_LINKS} links from {self.link}")

    @property
    def target(self) -> str:
        """The versioned file queries read: the one `reading` holds, else the live one."""
        return _reading.get() or self.live

    def cursor(self) -> duckdb.DuckDBPyConnection:
        for attempt in range(3):
            target = self.target
            with self._lock:
                if self._pid != os.getpid():
                    self._connections.clear()
                    self._pid = os.getpid()
                if target not in self._connections:
                    try:
                        connection = duckdb.connect(target, read_only=True)
                    except duckdb.IOException:
                        if attempt == 2 or _reading.get():
                            raise
                        continue  # the link moved on while we opened it; follow it again
                    # set, not passed to connect: DuckDB refuses a second connection to a file with other options
                    connection.execute(f"SET threads = {QUERY_THREADS}")
                    self._connections[target] = connection
                    while len(self._connections) > KEPT_RELEASES:
                        self._connections.popitem(last=False)
                self._connections.move_to_end(target)
                return self._connections[target].cursor()
        raise RuntimeError("unreachable")

    def query(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run parameterised SQL; parameters the statement does not use are dropped, so callers can pass a scope's
        full set of parameters."""
        cur = self.cursor()
        try:
            return cur.execute(sql, _used(sql, params)).df()
        finally:
            cur.close()

    def records(self, sql: str, params: list | dict | None = None) -> list[dict]:
        """As `query`, but the rows as plain dicts of Python values (NULL as None): cheaper than a DataFrame where
        the rows are looked up one by one."""
        cur = self.cursor()
        try:
            cur.execute(sql, _used(sql, params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]
        finally:
            cur.close()

    @property
    def version(self) -> str:
        """Identifies the file read (`target`); cache keys include it, so a new release never serves cached old
        data."""
        return os.path.basename(self.target)


def _used(sql: str, params: list | dict | None) -> list | dict:
    """Named parameters the statement does not use are dropped (DuckDB refuses extra ones)."""
    if isinstance(params, dict):
        return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    return params or []


_marts: Marts | None = None


def marts() -> Marts:
    """The process's marts handle, for the link the settings name now."""
    global _marts
    link = os.fspath(settings().marts_path)
    if _marts is None or _marts.link != link:
        _marts = Marts(link)
    return _marts
