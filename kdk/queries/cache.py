"""Caching of query results per live marts file and embargo state.

Marts are immutable between releases, so a result can be reused until the link points at a new file
or an embargo time passes; both are part of the cache key (`epoch`). Every cached query function keeps its answers
in ANSWERS, one cache bounded in bytes (`Settings.answers_max_bytes`, KDK_CACHE_SVAR_MB) that forgets the least
recently used first; `Kept` is the app's one cache implementation (web/rendercache.py keeps pages in another).
A DataFrame result is copied for each caller; every other result is shared, so it is made read-only once, when
it is computed (`freeze`: lists as tuples, dicts as read-only mappings, all through): a caller that tries to change
one gets an error instead of changing the next caller's answer. Callers asking for an answer that another thread
is computing wait for it rather than compute it again: after a start or a new release, eight threads asking for
the same year of 290 municipalities' profiles run one query, not eight.

Finding the live file follows the link (a system call) and the embargo state reads the clock: within `pinned()`,
as the web app holds it around each request, both are read once, so a page's many cached queries do not repeat
them, and its queries all read the same release (kdk.db.reading), even if the link moves meanwhile.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import sys
import threading
import weakref
from collections.abc import Callable, Hashable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, ParamSpec, TypeVar, cast

import pandas as pd
from cachetools import LRUCache

from kdk import sprog
from kdk.config import settings
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


SAMPLE = 16   # items of a container sized one by one; a larger container is judged by this many, spread over it


def sizeof(value) -> int:
    """A cheap, honest estimate of the bytes `value` holds: a DataFrame's deep memory use, a text's or bytes' length,
    a container's own size and its items' (each object once; of a large container, SAMPLE items spread over it,
    scaled up: an answer of 98 municipalities' profile rows is sized in about a millisecond), anything else's
    `sys.getsizeof`."""
    seen: set[int] = set()

    def size(v) -> int:
        if id(v) in seen:
            return 0
        seen.add(id(v))
        if isinstance(v, pd.DataFrame):
            return int(v.memory_usage(deep=True).sum())
        if isinstance(v, pd.Series):
            return int(v.memory_usage(deep=True))
        if isinstance(v, Mapping):
            return sys.getsizeof(v) + items(list(v.items()))
        if isinstance(v, tuple | list | set | frozenset):
            return sys.getsizeof(v) + items(v if isinstance(v, tuple | list) else list(v))
        return sys.getsizeof(v)

    def items(all_items: Sequence) -> int:
        sample = all_items[::max(1, len(all_items) // SAMPLE)]
        return sum(size(x) for x in sample) * len(all_items) // max(1, len(sample))

    return size(value)


MISSING = object()   # no value (kept values may be None)
_ALL: weakref.WeakSet[Kept] = weakref.WeakSet()   # every cache of the process, for `clear_all`


class Kept:
    """At most `max_bytes` of values by key (sized by `sizeof`), the least recently used forgotten first; a key
    being made makes others asking for it wait (one computation). The one cache implementation of the app: query
    answers (ANSWERS) and rendered pages (web/rendercache.py) are each kept in one.

    `claim` and `done` are for a caller who makes the value outside a function call (a render between a request's
    start and its end); `get` makes it by calling `compute`. Every one is registered, so `clear_all` empties them
    all."""

    def __init__(self, max_bytes: int, getsizeof: Callable[[object], int] = sizeof):
        self._kept: LRUCache[Hashable, object] = LRUCache(max_bytes, getsizeof=getsizeof)
        self._making: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()
        _ALL.add(self)

    def stats(self) -> tuple[int, int]:
        """(values kept, their bytes)."""
        with self._lock:
            return len(self._kept), int(self._kept.currsize)

    def claim(self, key: Hashable, wait: float | None = None) -> tuple[object, bool]:
        """(value, False) when kept; (MISSING, True) when the caller is to make it and then call `done`;
        (MISSING, False) when the one making it failed, made one too large to keep, or took longer than `wait`
        seconds."""
        with self._lock:
            if key in self._kept:
                return self._kept[key], False
            making = self._making.get(key)
            if making is None:
                self._making[key] = threading.Event()
                return MISSING, True
        making.wait(wait)
        with self._lock:
            return self._kept.get(key, MISSING), False

    def done(self, key: Hashable, value: object = MISSING) -> None:
        """The value of `key` is made: keep it (MISSING: nothing to keep) and wake those waiting for it."""
        with self._lock:
            if value is not MISSING:
                self._put(key, value)
            making = self._making.pop(key, None)
        if making is not None:
            making.set()

    def put(self, key: Hashable, value: object) -> None:
        """Keep `value` for `key` again, sized anew (it has grown), if `key` is still kept."""
        with self._lock:
            if key in self._kept:
                self._put(key, value)

    def _put(self, key: Hashable, value: object) -> None:
        try:
            self._kept[key] = value
        except ValueError:   # larger than the whole bound: answered, not kept
            self._kept.pop(key, None)

    def get(self, key: Hashable, compute: Callable[[], object]):
        """The value of `key`, computed by `compute` unless kept or being computed by another caller."""
        value, mine = self.claim(key)
        while not mine:
            if value is not MISSING:
                return value
            value, mine = self.claim(key)   # the other caller failed: compute it, or wait for whoever does
        answer = MISSING
        try:
            answer = compute()
            return answer
        finally:
            self.done(key, answer)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def clear_all() -> None:
    """Forget every kept value of this process: query answers and rendered pages (as tests need between cases)."""
    for kept in list(_ALL):
        kept.clear()


ANSWERS = Kept(settings().answers_max_bytes)


def freeze(value):
    """`value` read-only all through: a list or tuple as a tuple, a dict or read-only mapping as a read-only mapping
    (types.MappingProxyType), a set as a frozenset, each of their items frozen; anything else (a DataFrame, a named
    tuple of plain values, a text) as it is. Plain items are not walked (one profile answer has 100 000 of them)."""
    kind = type(value)
    if kind is tuple and all(type(v) in _PLAIN for v in value):
        return value
    if kind is list or kind is tuple:
        return tuple(v if type(v) in _PLAIN else freeze(v) for v in value)
    if kind is dict or kind is MappingProxyType:
        return MappingProxyType({k: v if type(v) in _PLAIN else freeze(v) for k, v in value.items()})
    if kind is set:
        return frozenset(value)
    return value


_PLAIN = frozenset({str, int, float, bool, type(None), bytes, pd.Timestamp})
Row = Mapping[str, Any]   # a row of a cached answer: a dict, frozen into a read-only mapping
P = ParamSpec("P")
R = TypeVar("R")


def cached(fn: Callable[P, R]) -> Callable[P, R]:
    """Cache a query function whose arguments are hashable (a Scope, codes, ids, years) in ANSWERS, which all of
    them share; its answers are frozen (`freeze`), a DataFrame copied for each caller. Its annotation says what
    the caller gets: tuples and read-only mappings (`Row`), never a list or dict to change. An answer is kept per
    language (kdk.sprog): the catalogue's texts come in the active one. `clear_all` forgets every kept answer (as a
    new release does)."""

    @functools.wraps(fn)
    def wrapper(*args):
        key = (fn.__module__, fn.__qualname__, *epoch(), sprog.aktivt(), *args)
        result = ANSWERS.get(key, lambda: freeze(fn(*args)))
        return result.copy() if isinstance(result, pd.DataFrame) else result

    return cast(Callable[P, R], wrapper)
