"""`python -m kdk status`: which release each app server serves, whether it is warm, and whether they agree.

Asks each server's GET /sundhed (web/sundhed.py) over HTTP and reads the live marts link and, when a delivery folder
or source is set (KDK_UDGIV_TIL, KDK_HENT_FRA), its newest manifest (kdk.marts.levering); writes nothing. The table
is Danish, for the operator at the terminal.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from kdk.config import Settings
from kdk.format import number
from kdk.marts import levering, store

TIMEOUT = 5


@dataclass(frozen=True)
class Answer:
    server: str
    version: str | None   # the marts file it serves; None: no answer
    warm: bool
    seconds: float
    problem: str = ""

    @property
    def up(self) -> bool:
        return self.version is not None and self.warm


def ask(server: str) -> Answer:
    """The answer of `server`'s /sundhed (a 503 is an answer too: a worker not warm)."""
    began = time.monotonic()
    try:
        with urllib.request.urlopen(f"{server}/sundhed", timeout=TIMEOUT) as response:
            body = response.read(4096)
    except urllib.error.HTTPError as exc:
        body = exc.read(4096)
    except OSError as exc:
        return Answer(server, None, False, time.monotonic() - began, str(getattr(exc, "reason", exc)))
    seconds = time.monotonic() - began
    try:
        state = json.loads(body)
        return Answer(server, str(state["version"]), state["varm"] is True, seconds)
    except (ValueError, KeyError, TypeError):
        return Answer(server, None, False, seconds, "svarer ikke som /sundhed")


def servers(settings: Settings) -> tuple[str, ...]:
    return settings.servers or (f"http://{settings.bind}",)


def report(settings: Settings, asked: tuple[str, ...]) -> tuple[str, bool]:
    """The status table of the servers `asked`, and whether they all answer, warm, with the same marts file."""
    answers = [ask(server) for server in asked]
    width = max(len(a.server) for a in answers)
    lines = [f"{'Server':{width}}  {'Release':14}  {'Varm':4}  {'Svartid':>8}  Datafil"]
    for a in answers:
        if a.version is None:
            lines.append(f"{a.server:{width}}  {'–':14}  {'nede':4}  {'–':>8}  {a.problem}")
        else:
            lines.append(f"{a.server:{width}}  {levering.release_of(a.version):14}  {'ja' if a.warm else 'nej':4}  "
                         f"{number(a.seconds * 1000) + ' ms':>8}  {a.version}")
    live = store.current(settings)
    lines.append(f"Lokalt ({settings.marts_path}): {live.stem if live else 'ingen data'}")
    for label, source in (("Udgivet til", settings.udgiv_til), ("Nyeste i", settings.hent_fra)):
        if source:
            try:
                newest = levering.nyeste(str(source)).fil.removesuffix(".duckdb")
            except levering.LeveringError as exc:
                newest = str(exc)
            lines.append(f"{label} {source}: {newest}")
    agree = all(a.up for a in answers) and len({a.version for a in answers}) == 1
    lines.append("Serverne er enige og varme." if agree else "Serverne er IKKE enige, eller en af dem er nede/kold.")
    return "\n".join(lines), agree
