"""Shared fixtures: marts built by the real build from the shipped sources, in a temporary folder."""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import duckdb
import pytest

from kdk.config import PROJECT_DIR, Settings, settings
from kdk.marts.build import build


def settings_in(folder: Path) -> Settings:
    return dataclasses.replace(settings(), marts_path=folder / "kdk.duckdb")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Settings:
    """Marts built once per test session; tests must not change them (use `fresh_marts` for that)."""
    st = settings_in(tmp_path_factory.mktemp("marts"))
    build(st)
    return st


def copy_of(st: Settings, folder: Path) -> Settings:
    """Settings reading a copy, in `folder`, of the marts file `st` serves, under the same name (a cached answer
    for it is an answer for the copy: same name, same bytes), so that a test may change its copy (ingest, swap)."""
    copy = settings_in(folder)
    copy.marts_dir.mkdir()
    target = copy.marts_dir / st.marts_path.resolve().name
    target.write_bytes(st.marts_path.resolve().read_bytes())
    copy.marts_path.symlink_to(target.relative_to(folder))
    return copy


@pytest.fixture
def fresh_marts(tmp_path, built) -> Settings:
    """A private copy of the built marts that a test may change (ingest, swap)."""
    return copy_of(built, tmp_path)


@pytest.fixture(scope="session")
def loaded_once(built, tmp_path_factory):
    """`loaded_once(name, load)`: the built marts after `load(folder)` ran on a copy of them (KDK_MARTS pointing at
    it; `folder` for its input files), made once per test process for each name. A module whose every test stages
    the same release loads it once this way and gives each test `copy_of` the result: a load takes seconds, a copy
    a fraction of one."""
    made: dict[str, Settings] = {}

    def load_once(name: str, load) -> Settings:
        if name not in made:
            folder = tmp_path_factory.mktemp(name)
            st = copy_of(built, folder)
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("KDK_MARTS", str(st.marts_path))
                load(folder)
            made[name] = st
        return made[name]

    return load_once


def altered(st: Settings, name: str, *statements: tuple[str, list]) -> Settings:
    """Point `st`'s link at a copy of its marts, named `name` and changed by the SQL `statements` (with their
    parameters): a file name of its own, so no answer cached for the old file is reused."""
    from kdk.marts import store

    copy = st.marts_path.resolve().with_name(f"kdk-{name}.duckdb")
    copy.write_bytes(st.marts_path.resolve().read_bytes())
    with duckdb.connect(str(copy)) as c:
        for sql, params in statements:
            c.execute(sql, params)
    store.switch(st.marts_path, copy)
    return st


@pytest.fixture(scope="session")
def server(built):
    """The app (app.create_app), made once per session as a gunicorn worker makes it at its start. Settings are read
    per request, so the marts a test module reads follow the KDK_MARTS its `app` fixture sets."""
    from app import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KDK_MARTS", str(built.marts_path))   # the secret key file is made beside these marts
        return create_app()


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="module")
def app(built, server, monkeypatch_module):
    """The Dash app, reading the session's built marts for the test module (a module may override this fixture to
    point KDK_MARTS elsewhere)."""
    monkeypatch_module.setenv("KDK_MARTS", str(built.marts_path))
    return server.extensions["kdk.dash"]


@pytest.fixture
def client(app):
    """An anonymous browser: the Flask test client, with its own cookies."""
    return app.server.test_client()


@pytest.fixture(scope="session")
def con(built):
    c = duckdb.connect(str(built.marts_path), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="session")
def export_bundle(built, con, tmp_path_factory) -> zipfile.ZipFile:
    """The databank bundle of the built release in every format (CSV, PX, xlsx), as the publication team builds it:
    every data area."""
    from kdk.db import Marts
    from kdk.export.bundle import FORMATS, build_bundle
    from kdk.queries.scope import Scope

    release = con.execute("SELECT release_id FROM release").fetchone()[0]
    areas = frozenset(kode for (kode,) in con.execute("SELECT kode FROM dim_dataomraade").fetchall())
    return zipfile.ZipFile(build_bundle(Marts(built.marts_path), Scope(omraader=areas, se_embargo=True), release,
                                        tmp_path_factory.mktemp("bundle"), tuple(FORMATS)))


def fingerprint(st: Settings) -> tuple[str, str]:
    """Where the link points and the bytes of what it points at: equal before and after = untouched."""
    target = st.marts_path.resolve()
    return str(target), hashlib.sha256(target.read_bytes()).hexdigest()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(st: Settings, workers: int = 2, extra_env: dict[str, str] | None = None,
                   app: str = "app:create_app()", port: int | None = None, warm: bool = True):
    """The app under gunicorn as deployed (gunicorn.conf.py), on `port` (default a free local one), reading `st`'s
    marts. `app` serves another WSGI app with the same settings (the load benchmark's yardstick). `warm=False` lets
    the workers take requests without their warm-up (KDK_OPVARMNING_SEKUNDER=0), for a test whose subject is not how
    soon the first pages come: the warm-up costs each worker about 15 s of CPU, and the suite starts many servers."""
    port = port or free_port()
    env = {**os.environ, "KDK_MARTS": str(st.marts_path), "KDK_BIND": f"127.0.0.1:{port}",
           "KDK_WORKERS": str(workers), "KDK_ACCESS_LOG": "/dev/null", "KDK_LOG_LEVEL": "WARNING",
           **({} if warm else {"KDK_OPVARMNING_SEKUNDER": "0"}), **(extra_env or {})}
    log = open(st.marts_path.parent / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", app],
                            cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(base + "/", timeout=5).status == 200:
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log.name}") from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.fixture(scope="session")
def live_server(built):
    """Base URL of the app under gunicorn on the session's built marts, warmed as deployed: the browser tests visit
    many pages, and a cold server computed each of them in each of its workers (slower than the warm-up, and past
    Playwright's waits on a loaded machine)."""
    with running_server(built) as base:
        yield base


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory):
    """The URL of a PostgreSQL cluster of the session's own (tests/postgres.py); tests using it are marked `server`."""
    from tests.postgres import postgres_server

    with postgres_server(tmp_path_factory.mktemp("postgres")) as url:
        yield url


@pytest.fixture
def sqlite_userdb(tmp_path, monkeypatch):
    """An empty user database of the test's own: the embedded default, a SQLite file in `tmp_path`."""
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    return tmp_path


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.server)])
def userdb(request, tmp_path, monkeypatch):
    """An empty user database of the test's own, once as a SQLite file in `tmp_path` (the embedded default) and once
    (`pg`, marked `server`) as a database of its own in the session's PostgreSQL, as several app servers share it."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_userdb")
        return
    from tests.postgres import fresh_database

    with fresh_database(request.getfixturevalue("postgres_url")) as url:
        monkeypatch.setenv("KDK_BRUGER_DB", url)
        yield tmp_path


@pytest.fixture
def marts_env(fresh_marts, monkeypatch):
    """The app reads a private copy of the marts (`fresh_marts`) that the test may change."""
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    return fresh_marts


@pytest.fixture
def kbh_admin(client, userdb):
    """`client` signed in as Copenhagen's administrator, beside a reader of Copenhagen's and one of Frederiksberg's."""
    from kdk.auth import users
    from tests.test_admin import sign_in_with_code
    from tests.test_auth import GOOD

    users.add("kbh-admin", GOOD, "kommune_admin", "101")
    users.add("kbh-laeser", GOOD, "laeser", "101")
    users.add("frb-laeser", GOOD, "laeser", "147", {"ubu"})
    sign_in_with_code(client, "kbh-admin")
    return client


@pytest.fixture
def english_catalogue(tmp_path, monkeypatch):
    """An English catalogue of the test's own, read instead of the app's (kdk/oversaettelser/):
    `english_catalogue({"Dansk": "English", ("ental", "flertal"): ("singular", "plural")})`. Answers and renders kept
    before are forgotten, as a new process would start without them."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from kdk import sprog
    from kdk.queries.cache import clear_all

    def made(texts: dict) -> None:
        monkeypatch.setattr(sprog, "KATALOGER", tmp_path / "oversaettelser")
        po = sprog.katalog("en")
        po.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale="en")
        for danish, english in texts.items():
            catalog.add(danish, english)
        with po.open("wb") as f:
            write_po(f, catalog)
        sprog._oversaettelser.cache_clear()
        clear_all()

    yield made
    sprog._oversaettelser.cache_clear()
    clear_all()


@pytest.fixture(scope="module")
def browser():
    """The system Chromium through Playwright (tests/browser.py)."""
    from playwright.sync_api import expect

    from tests.browser import chromium

    # expect() waits up to 15 s, not Playwright's 5: a wait for a page drawn on a loaded machine, not a timing test
    expect.set_options(timeout=15_000)
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, live_server):
    """A fresh context and page per test; script errors on the page are collected in `page.errors`."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="da-DK")
    context.set_default_timeout(30_000)
    p = context.new_page()
    p.errors = []
    p.on("pageerror", lambda exc: p.errors.append(str(exc)))
    yield p
    context.close()


def pytest_collection_modifyitems(items):
    """Mark `server` every test that starts gunicorn (running_server in its body or in a fixture it uses, such as
    live_server) or uses the session's PostgreSQL (postgres_url), and `marts` every test that builds, loads or swaps
    a marts copy of its own (fresh_marts or loaded_once among its fixtures), so that `make check` can leave them out
    with the browser tests; and put the tests of the databank bundle in one xdist group, so that one test process
    builds it."""
    for item in items:
        functions = [getattr(item, "function", None), *(d.func for defs in item._fixtureinfo.name2fixturedefs.values()
                                                       for d in defs)]
        if any(f is not None and "running_server" in f.__code__.co_names for f in functions):
            item.add_marker(pytest.mark.server)
        if "postgres_url" in item.fixturenames:
            item.add_marker(pytest.mark.server)
        if {"fresh_marts", "loaded_once"} & set(item.fixturenames):
            item.add_marker(pytest.mark.marts)
        if "export_bundle" in item.fixturenames:   # the Makefile runs pytest with `--dist loadgroup`
            item.add_marker(pytest.mark.xdist_group("databank-bundt"))
