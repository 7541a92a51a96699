"""Caching of query results per live marts file and embargo state.

Marts are immutable between releases, so a result can be reused until the link points at a new file
or an embargo time passes; both are part of the cache key (`epoch`). A DataFrame result is copied for each
caller; other results (tuples, read-only mappings of plain rows) are shared and never changed. Callers asking for
an answer that another thread is computing wait for it rather than compute it again: after a start or a new release,
eight threads asking for the same year of 290 municipalities' profiles run one query, not eight.

Finding the live file follows the link (a system call) and the embargo state reads the clock: within `pinned()`,
as the web app holds it around each request, both are read once, so a page's many cached queries do not repeat
them, and its queries all read the same release (kdk.db.reading), even if the link moves meanwhile.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

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


class Answers:
    """At most `maxsize` answers by key, the least recently used forgotten first; a key being computed makes other
    callers wait for its answer (one computation)."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._kept: OrderedDict[Hashable, object] = OrderedDict()
        self._computing: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], object]):
        while True:
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    return self._kept[key]
                computing = self._computing.get(key)
                if computing is None:
                    computing = self._computing[key] = threading.Event()
                    break
            computing.wait()   # then take its answer, or compute it if that failed
        try:
            answer = compute()
            with self._lock:
                self._kept[key] = answer
                if len(self._kept) > self.maxsize:
                    self._kept.popitem(last=False)
            return answer
        finally:
            with self._lock:
                del self._computing[key]
            computing.set()

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def cached(fn=None, *, maxsize: int = 2048):
    """Cache a query function whose arguments are hashable (a Scope, codes, ids, years): `@cached`, or
    `@cached(maxsize=n)` for one whose answers are large."""
    if fn is None:
        return functools.partial(cached, maxsize=maxsize)
    answers = Answers(maxsize)

    @functools.wraps(fn)
    def wrapper(*args):
        result = answers.get((*epoch(), *args), lambda: fn(*args))
        return result.copy() if isinstance(result, pd.DataFrame) else result

    wrapper.cache_clear = answers.clear
    return wrapper
