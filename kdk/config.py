"""Every setting of the app and of its gunicorn, each a field of `Settings` read from one KDK_* environment variable,
with its default and one line of documentation. No other module reads a KDK_* variable (tests/test_indstillinger.py).

Reads the environment; writes nothing. A value that cannot be read (a word where a number belongs) raises
SettingsError, naming the variable, at the first `settings()`: app.py and gunicorn.conf.py call it as they load, so
the server does not start; nor does it with a shared user database and no shared secret key (`check_shared_secret`).
Within `using(s)`, `settings()` is `s` instead: an app made by `create_app(s)` binds its Settings so around its
making and each of its requests (a thread started within inherits it only if it is started in a copy of the
context). Relative paths are taken from the project folder. `python -m kdk.config` prints the settings table that
docs/operations.md shows, and `python -m kdk.config --env` every setting as a commented line of an environment
file, which deploy/kdk.env starts from (the tests check both).
"""
from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A KDK_* variable holds a value the app cannot use."""


def _whole(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError("a whole number of 0 or more")
    return int(text)


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise ValueError("a number of 0 or more (a decimal point, not a comma)")
    return value


def _switch(text: str) -> bool:
    if text.strip().lower() not in ("0", "1", "", "true", "false"):
        raise ValueError("1 (on) or 0 (off)")
    return text.strip().lower() in ("1", "true")


def _path(text: str) -> Path:
    return PROJECT_DIR / text


def _optional(text: str) -> str | None:
    return text.strip() or None


def _optional_path(text: str) -> Path | None:
    return PROJECT_DIR / text.strip() if text.strip() else None


def _source(text: str) -> str | None:
    """An http(s) base URL as given, or a folder taken from the project folder; unset: None."""
    text = text.strip().rstrip("/")
    if text.startswith(("http://", "https://")) or not text:
        return text or None
    return str(PROJECT_DIR / text)


def _urls(text: str) -> tuple[str, ...]:
    return tuple(name.rstrip("/") for name in _names(text))


def _url(text: str) -> str | None:
    return text.strip().rstrip("/") or None


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _log_level(text: str) -> str:
    if text.upper() not in logging.getLevelNamesMapping():
        raise ValueError("a log level: DEBUG, INFO, WARNING or ERROR")
    return text.upper()


def _var(env: str, default: str, parse: Callable[[str], Any], doc: str) -> Any:
    """A field read from the variable `env`, or from the text `default` when it is unset (`{KDK_X}` in it stands for
    the value of an earlier one), by `parse`; `doc` says what it sets, in the README's table."""
    return field(metadata={"env": env, "default": default, "parse": parse, "doc": doc})


@dataclass(frozen=True)
class Settings:
    data_dir: Path = _var("KDK_DATA_DIR", "data", _path, "the data folder: sources, catalogue, themes")
    marts_path: Path = _var("KDK_MARTS", "{KDK_DATA_DIR}/kdk.duckdb", _path,
                            "the marts the app reads: a link to a versioned file in `marts/` beside it")
    keep_versions: int = _var("KDK_KEEP_VERSIONS", "3", _whole,
                              "versioned marts files kept after a switch (running workers may still read old ones)")
    udgiv_til: Path | None = _var("KDK_UDGIV_TIL", "", _optional_path,
                                  "a folder every build and ingest also publishes the new marts file to, for the "
                                  "other app servers to fetch (`python -m kdk udgiv`)")
    hent_fra: str | None = _var("KDK_HENT_FRA", "", _source,
                                "where `python -m kdk hent` fetches releases from: that folder, or an http(s) URL "
                                "serving it")
    servers: tuple[str, ...] = _var("KDK_SERVERE", "", _urls,
                                    "the app servers' base URLs, comma-separated, that `python -m kdk status` asks "
                                    "on `/sundhed`; unset: KDK_BIND's")
    themes_dir: Path = _var("KDK_TEMAER_DIR", "{KDK_DATA_DIR}/temaer", _path,
                            "theme files (`*.toml`), validated and loaded by the build")
    export_dir: Path = _var("KDK_EKSPORT_DIR", "{KDK_DATA_DIR}/eksport", _path,
                            "release bundles and publication PDFs built from the publication page; with several app "
                            "servers, one folder they share")
    user_db: str | None = _var("KDK_BRUGER_DB", "", _optional,
                               "the user database's URL (SQLAlchemy; e.g. `postgresql://…` for several app servers, "
                               "which then need KDK_SECRET_KEY); unset: `brugere.sqlite` beside the marts")
    secret_key: str | None = _var("KDK_SECRET_KEY", "", _optional,
                                  "signs cookies and encrypts TOTP secrets; required when KDK_BRUGER_DB is not "
                                  "SQLite; unset: a key file `.hemmelig_noegle` made beside the marts")
    session_minutes: int = _var("KDK_SESSION_MINUTTER", "30", _whole, "a session ends after this many idle minutes")
    session_max_hours: float = _var("KDK_SESSION_MAKS_TIMER", "12", _number,
                                    "a session ends this many hours after sign-in, however busy")
    second_factor_minutes: int = _var("KDK_ANDEN_FAKTOR_MINUTTER", "5", _whole,
                                      "minutes a login waits for its code from the authenticator app")
    login_max_per_user: int = _var("KDK_LOGIN_MAX_BRUGER", "10", _whole,
                                   "failed logins per username within 15 minutes before more are refused")
    login_max_per_address: int = _var("KDK_LOGIN_MAX_ADRESSE", "50", _whole,
                                      "failed logins per address within 15 minutes before more are refused")
    audit_days: int = _var("KDK_AUDIT_DAGE", "365", _whole,
                           "days the audit log keeps an entry (`kdk audit slet` deletes older ones)")
    https: bool = _var("KDK_HTTPS", "0", _switch, "1 behind HTTPS: the cookies are sent as Secure")
    base_url: str | None = _var("KDK_BASE_URL", "", _url,
                                "the public address, e.g. `https://kdk.example.dk`, absolute links start with; "
                                "unset: the request's host")
    extra_hosts: tuple[str, ...] = _var("KDK_TILLADTE_VAERTER", "", _names,
                                        "more host names answered, comma-separated (a leading dot allows "
                                        "subdomains), besides `localhost`, `127.0.0.1` and the host of KDK_BASE_URL")
    warmup_seconds: float = _var("KDK_OPVARMNING_SEKUNDER", "30", _number,
                                 "a worker's warm-up renders pages for at most this long; below gunicorn's timeout")
    writer_wait_seconds: float = _var("KDK_SKRIVER_VENT_SEKUNDER", "10", _number,
                                      "an embargo change from /publicering waits at most this long while a build, "
                                      "load or fetch writes the marts, then answers 409; below gunicorn's timeout")
    answers_mb: float = _var("KDK_CACHE_SVAR_MB", "256", _number,
                             "MB of query answers and API result sets a worker keeps, all together")
    renders_mb: float = _var("KDK_CACHE_SIDER_MB", "64", _number,
                             "MB of rendered pages a worker keeps, with their compressed copies")
    xlsx_samtidige: int = _var("KDK_XLSX_SAMTIDIGE", "2", _whole,
                               "large Excel exports a worker writes at once; more get 429")
    log_level: str = _var("KDK_LOG_LEVEL", "INFO", _log_level, "the app's log level")
    bind: str = _var("KDK_BIND", "127.0.0.1:8050", str, "the address gunicorn listens on")
    workers: int = _var("KDK_WORKERS", "2", _whole, "gunicorn's worker processes")
    threads: int = _var("KDK_THREADS", "4", _whole, "threads per gunicorn worker")
    access_log: str = _var("KDK_ACCESS_LOG", "-", str, "gunicorn's access log file (`-`: standard output)")
    server_name: str | None = _var("KDK_SERVER_NAVN", "", _optional,
                                   "this app server's name, sent as the `X-KDK-Server` header of every answer from "
                                   "the app (several servers behind a load balancer); unset: no such header")

    @property
    def marts_dir(self) -> Path:
        return self.marts_path.parent / "marts"

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "kilder"

    @property
    def catalogue_path(self) -> Path:
        return self.data_dir / "noegletal.toml"

    @property
    def user_db_url(self) -> str:
        return self.user_db or f"sqlite:///{self.marts_path.parent / 'brugere.sqlite'}"

    @property
    def answers_max_bytes(self) -> int:
        """The bound of the query answers a worker keeps (kdk/queries/cache.py)."""
        return int(self.answers_mb * 2**20)

    @property
    def renders_max_bytes(self) -> int:
        """The bound of the rendered pages a worker keeps (web/rendercache.py)."""
        return int(self.renders_mb * 2**20)

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        """Host headers answered (others get 400), so a forged one reaches no link: loopback always (the warm-up
        renders pages as localhost), the base URL's host, and the extra ones."""
        hosts = ("localhost", "127.0.0.1", urlsplit(self.base_url or "").hostname or "", *self.extra_hosts)
        return tuple(dict.fromkeys(h for h in hosts if h))

    def check_shared_secret(self) -> None:
        """Refuse a user database other than SQLite (one that several servers may share) without KDK_SECRET_KEY:
        each server would make a key file of its own, and reject the cookies and TOTP secrets of the others."""
        if not self.user_db_url.startswith("sqlite") and not self.secret_key:
            raise SettingsError("KDK_SECRET_KEY must be set when KDK_BRUGER_DB is not SQLite: every server sharing "
                                "the user database needs the same secret key (a long random text, e.g. from "
                                "`python -c 'import secrets; print(secrets.token_hex(32))'`)")

    def check_warmup_within(self, timeout: float) -> None:
        """Refuse a warm-up budget that gunicorn's worker `timeout` would cut short: the worker would be killed
        while warming, restarted and killed again, and never serve."""
        if self.warmup_seconds >= timeout:
            raise SettingsError(f"KDK_OPVARMNING_SEKUNDER={self.warmup_seconds:g} must be below gunicorn's worker "
                                f"timeout ({timeout:g} s, gunicorn.conf.py): a worker still warming would be killed")


_bound: ContextVar[Settings | None] = ContextVar("kdk_settings", default=None)


def settings() -> Settings:
    """The settings bound by `using`, else as the environment's KDK_* variables give them now (read on every call,
    built once per set of values: a login asks about ten times, and building them costs more than the rest of its
    bookkeeping)."""
    return _bound.get() or _settings(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("KDK_"))))


@contextlib.contextmanager
def using(given: Settings | None) -> Iterator[None]:
    """Within this block, in this context, `settings()` is `given`; None: the environment's, read per call."""
    token = _bound.set(given)
    try:
        yield
    finally:
        _bound.reset(token)


@functools.lru_cache(maxsize=8)
def _settings(kdk_environment: tuple[tuple[str, str], ...]) -> Settings:
    given = dict(kdk_environment)
    texts: dict[str, str] = {}
    values: dict[str, Any] = {}
    for f in fields(Settings):
        env = f.metadata["env"]
        texts[env] = given[env] if env in given else f.metadata["default"].format(**texts)
        try:
            values[f.name] = f.metadata["parse"](texts[env])
        except ValueError as exc:
            raise SettingsError(f"{env}={texts[env]!r} cannot be used: it must be {exc}") from None
    return Settings(**values)


def _shown(default: str) -> str:
    return f"`{default}`" if default else "unset"


def settings_table() -> str:
    """The settings as the Markdown table in README.md."""
    rows = [f"| `{f.metadata['env']}` | {_shown(f.metadata['default'])} | {f.metadata['doc']} |"
            for f in fields(Settings)]
    return "\n".join(["| Variable | Default | What it sets |", "|---|---|---|", *rows])


def environment_file() -> str:
    """Every setting as a commented line of an environment file, with its documentation and default: what
    deploy/kdk.env starts from (the tests check that it names every setting)."""
    lines = []
    for f in fields(Settings):
        default = f.metadata["default"]
        lines += [f"# {f.metadata['doc']}" + ("" if "{" not in default else f" (default: {default})"),
                  f"#{f.metadata['env']}={default if '{' not in default else ''}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print(environment_file() if sys.argv[1:] == ["--env"] else settings_table())
