"""Caching of query results per live marts file and embargo state.

Marts are immutable between releases, so a result can be reused until the link points at a new file
or an embargo time passes; both are part of the cache key. Results are DataFrames: callers get a copy.
"""
from __future__ import annotations

import functools

import pandas as pd

from kdk.db import marts


def embargo_state() -> tuple:
    """Which releases have an embargo that has not yet passed: changes the moment one passes."""
    from kdk.queries.scope import now

    times = _embargo_times(marts().version)
    current = now()
    return tuple(t > current for t in times)


@functools.lru_cache(maxsize=8)
def _embargo_times(version: str) -> tuple:
    df = marts().query("SELECT embargo_til FROM release WHERE embargo_til IS NOT NULL ORDER BY embargo_til")
    return tuple(df["embargo_til"].dt.to_pydatetime())


def cached(fn):
    """Cache a query function whose arguments are hashable (a Scope, codes, ids, years)."""
    @functools.lru_cache(maxsize=2048)
    def keyed(version, embargo, *args):
        return fn(*args)

    @functools.wraps(fn)
    def wrapper(*args):
        result = keyed(marts().version, embargo_state(), *args)
        return result.copy() if isinstance(result, pd.DataFrame) else result

    wrapper.cache_clear = keyed.cache_clear
    return wrapper
