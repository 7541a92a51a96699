"""Read-only access to the live marts for the app: one DuckDB connection per worker process, a cursor per query.

Reads the link `data/kdk.duckdb` (see kdk.marts.store); writes nothing. The connection is opened
lazily in the process that uses it (so after gunicorn forks), and reopened when the link points at a
new file: DuckDB caches a database by path and keeps open handles, so following the link's target,
not its name, is what makes a worker see a new release without a restart. Queries already running
finish on the old file, which the store keeps for a while.
"""
from __future__ import annotations

import os
import re
import threading

import duckdb
import pandas as pd

from kdk.config import settings


class Marts:
    def __init__(self, link: str | os.PathLike):
        self.link = os.fspath(link)
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._target: str | None = None
        self._con: duckdb.DuckDBPyConnection | None = None

    @property
    def target(self) -> str:
        """The versioned file the link points at now."""
        return os.path.realpath(self.link)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        for attempt in range(3):
            target = self.target
            with self._lock:
                if self._con is None or self._pid != os.getpid() or self._target != target:
                    try:
                        self._con = duckdb.connect(target, read_only=True)
                    except duckdb.IOException:
                        if attempt == 2:
                            raise
                        continue  # the link moved on while we opened it; follow it again
                    self._pid, self._target = os.getpid(), target
                return self._con.cursor()
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
        """Identifies the live file; cache keys include it, so a new release never serves cached old data."""
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
