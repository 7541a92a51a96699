"""Cached answers (kdk/queries/cache.py): threads asking for an answer being computed wait for it instead of
computing it again, a failed computation is not kept, and the least recently used answer is forgotten first when
the bytes kept would exceed the bound."""
from __future__ import annotations

import sys
import threading
import time

import pandas as pd
import pytest

from kdk.queries.cache import Kept


def test_threads_asking_for_an_answer_being_computed_share_one_computation():
    answers, computed = Kept(2**20), []

    def slow():
        computed.append(1)
        time.sleep(0.2)
        return ("rows",)

    got = []
    threads = [threading.Thread(target=lambda: got.append(answers.get("2024", slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert computed == [1] and got == [("rows",)] * 8


def test_a_failed_computation_is_not_kept_and_the_next_caller_computes_again():
    answers = Kept(2**20)

    def broken():
        raise RuntimeError("marts unreadable")

    with pytest.raises(RuntimeError):
        answers.get("k", broken)
    assert answers.get("k", lambda: 42) == 42


def test_the_least_recently_used_answer_is_forgotten_first():
    answers = Kept(2 * sys.getsizeof(1))   # room for two numbers
    answers.get("a", lambda: 1)
    answers.get("b", lambda: 2)
    answers.get("a", lambda: 0)          # a is used again, so b is the oldest
    answers.get("c", lambda: 3)
    assert answers.get("a", lambda: -1) == 1 and answers.get("b", lambda: -2) == -2


def frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"kode": [f"{i:04d}" for i in range(rows)], "vaerdi": range(rows)})


def test_answers_are_bounded_in_bytes_not_in_count():
    small, big = frame(10), frame(1000)
    answers = Kept(big.memory_usage(deep=True).sum() + small.memory_usage(deep=True).sum() + 200)
    answers.get("small", lambda: small)
    answers.get("big", lambda: big)
    answers.get("another big", lambda: frame(1000))   # no room for both big ones: the least recently used go
    assert isinstance(answers.get("big", lambda: "computed again"), str)
    assert isinstance(answers.get("small", lambda: "computed again"), str)


def test_an_answer_larger_than_the_whole_bound_is_answered_but_not_kept():
    answers = Kept(100)
    assert len(answers.get("huge", lambda: frame(1000))) == 1000
    assert isinstance(answers.get("huge", lambda: "computed again"), str)


def test_a_cached_function_promises_what_its_callers_get():
    """A cached answer is shared, so it is handed out frozen (tuples, read-only mappings): a cached function's
    annotation never promises a list or a dict, which a caller would take as its own to change."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    promised = []
    for path in [*root.glob("kdk/**/*.py"), *root.glob("web/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(isinstance(d, ast.Name) and d.id == "cached"
                                                         for d in node.decorator_list) and node.returns:
                names = {n.id for n in ast.walk(node.returns) if isinstance(n, ast.Name)}
                promised += [f"{path.relative_to(root)}: {node.name}"] if names & {"list", "dict"} else []
    assert promised == []
