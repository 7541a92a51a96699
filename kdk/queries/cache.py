"""Caching of query results per live marts file and embargo state.

Marts are immutable between releases, so a result can be reused until the link points at a new file
or an embargo time passes; both are part of the cache key (`epoch`). A DataFrame result is copied for each
caller; other results (tuples, read-only mappings of plain rows) are shared and never changed.

Finding the live file follows the link (a system call) and the embargo state reads the clock: within `pinned()`,
as the web app holds it around each request, both are read once, so a page's many cached queries do not repeat
them, and its queries all read the same release (kdk.db.reading), even if the link moves meanwhile.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools

import pandas as pd

from kdk.db import marts, reading

_pinned: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("kdk_cache_epoch", default=None)


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


def epoch() -> tuple:
    """(live marts version, embargo state): which answers are current. Read once within `pinned()`."""
    return _pinned.get() or (marts().version, embargo_state())


@contextlib.contextmanager
def pinned(release: str | None = None):
    """Within this block (a request), queries read `release` (a versioned marts file; by default the live one), and
    `epoch` is read once, at its start."""
    with reading(release or marts().live):
        token = _pinned.set((marts().version, embargo_state()))
        try:
            yield
        finally:
            _pinned.reset(token)


def cached(fn=None, *, maxsize: int = 2048):
    """Cache a query function whose arguments are hashable (a Scope, codes, ids, years): `@cached`, or
    `@cached(maxsize=n)` for one whose answers are large."""
    if fn is None:
        return functools.partial(cached, maxsize=maxsize)

    @functools.lru_cache(maxsize=maxsize)
    def keyed(version, embargo, *args):
        return fn(*args)

    @functools.wraps(fn)
    def wrapper(*args):
        result = keyed(*epoch(), *args)
        return result.copy() if isinstance(result, pd.DataFrame) else result

    wrapper.cache_clear = keyed.cache_clear
    return wrapper
