"""Shared fixtures: marts built by the real build from the shipped sources, in a temporary folder."""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import duckdb
import pytest

from kdk.config import Settings, settings
from kdk.marts.build import build


def settings_in(folder: Path) -> Settings:
    return dataclasses.replace(settings(), marts_path=folder / "kdk.duckdb")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Settings:
    """Marts built once per test session; tests must not change them (use `fresh_marts` for that)."""
    st = settings_in(tmp_path_factory.mktemp("marts"))
    build(st)
    return st


@pytest.fixture
def fresh_marts(tmp_path, built) -> Settings:
    """A private copy of the built marts that a test may change (ingest, swap)."""
    st = settings_in(tmp_path)
    st.marts_dir.mkdir()
    target = st.marts_dir / built.marts_path.resolve().name
    target.write_bytes(built.marts_path.resolve().read_bytes())
    st.marts_path.symlink_to(target.relative_to(tmp_path))
    return st


@pytest.fixture(scope="session")
def con(built):
    c = duckdb.connect(str(built.marts_path), read_only=True)
    yield c
    c.close()


def fingerprint(st: Settings) -> tuple[str, str]:
    """Where the link points and the bytes of what it points at: equal before and after = untouched."""
    target = st.marts_path.resolve()
    return str(target), hashlib.sha256(target.read_bytes()).hexdigest()
