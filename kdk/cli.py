"""`python -m kdk ...`: build the marts, ingest a source file.

Messages to the user are Danish; the log (stderr, `--verbose`) is English.
Exit codes: 0 done, 1 the data were refused (nothing changed), 2 wrong use of the command.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
from pathlib import Path

from kdk.config import settings
from kdk.export.bundle import ExportError
from kdk.marts.findings import IngestError
from kdk.marts.store import StoreError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kdk", description="Kend din kommune: data og marts.")
    parser.add_argument("--verbose", action="store_true", help="skriv log (engelsk) til stderr")
    sub = parser.add_subparsers(dest="kommando", required=True)
    sub.add_parser("build", help="byg marts fra kildefilerne i data/ til data/kdk.duckdb")
    ing = sub.add_parser("ingest", help="indlæs en ny kildefil i marts (valideres først)")
    ing.add_argument("fil", type=Path)
    ing.add_argument("--noegletal", help="nøgletal-id for hele filen, når filen ikke har en nøgletalskolonne")
    ing.add_argument("--encoding", help="tegnsæt, fx utf-8 eller cp1252 (ellers gættes sikkert)")
    ing.add_argument("--talformat", choices=["dansk", "plain"], help="dansk: 1.234,5  plain: 1234.5")
    ing.add_argument("--separator", help="feltseparator: ';' ',' eller 'tab'")
    ing.add_argument("--udtraeksdato", type=dt.date.fromisoformat, help="dataudtræksdato (ÅÅÅÅ-MM-DD), ellers i dag")
    ing.add_argument("--rapport", type=Path, help="skriv valideringsrapporten som JSON til denne fil")
    exp = sub.add_parser("export", help="skriv release-bundtet til KL's databank (zip med CSV, PX og manifest)")
    exp.add_argument("--release", required=True, help="release-id (se tabellen release)")
    exp.add_argument("--out", required=True, type=Path, help="mappe, zip-filen skrives i")
    exp.add_argument("--format", default="csv,px", help="kommasepareret: csv, px, xlsx (standard: csv,px)")
    exp.add_argument("--omraader", help="dataområder, fx skole,aeldre (standard: alle)")
    exp.add_argument("--noegletal", help="nøgletal-id'er, kommasepareret (standard: alle)")
    exp.add_argument("--perioder", help="perioder, fx 2024,2025 (standard: alle)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return COMMANDS[args.kommando](args)
    except (IngestError, StoreError, ExportError) as exc:
        logging.getLogger("kdk.cli").error("%s failed: %s", args.kommando, str(exc).splitlines()[0])
        unchanged = "" if args.kommando == "export" else "\nDe eksisterende marts er uændrede."
        print(f"Fejl: {exc}{unchanged}", file=sys.stderr)
        return 1


def _build(args) -> int:
    from kdk.marts.build import build

    start = time.perf_counter()
    result = build(settings())
    print(f"Marts bygget: {result.path} (release {result.release_id}, {result.rows} rækker, "
          f"{len(result.report.advarsler)} advarsler) på {time.perf_counter() - start:.1f} s.")
    return 0


def _ingest(args) -> int:
    from kdk.marts.ingest import ingest
    from kdk.marts.ingest_reader import ReadOptions

    if not args.fil.is_file():
        print(f"Fejl: filen {args.fil} findes ikke.", file=sys.stderr)
        return 2
    sep = "\t" if args.separator == "tab" else args.separator
    options = ReadOptions(noegletal_id=args.noegletal, encoding=args.encoding, talformat=args.talformat, separator=sep)
    result = ingest(settings(), args.fil, options, args.udtraeksdato)
    print(result.report.tekst())
    if args.rapport:
        args.rapport.write_text(result.report.json(), encoding="utf-8")
    if not result.report.ok:
        print("Filen blev afvist. De eksisterende marts er uændrede.", file=sys.stderr)
        return 1
    print(f"Indlæst: {result.rows} rækker som release {result.release_id}.")
    return 0


def _split(text: str | None) -> tuple[str, ...] | None:
    return tuple(p.strip() for p in text.split(",") if p.strip()) if text else None


def _export(args) -> int:
    from kdk.db import marts
    from kdk.export.bundle import build_bundle
    from kdk.export.rows import Selection
    from kdk.queries.scope import Scope

    start = time.perf_counter()
    # The command line is the publication team's tool: every data area, embargoed releases included.
    areas = frozenset(marts().query("SELECT kode FROM dim_dataomraade")["kode"])
    selection = Selection(noegletal=_split(args.noegletal), dataomraader=_split(args.omraader),
                          perioder=_split(args.perioder))
    path = build_bundle(marts(), Scope(omraader=areas, se_embargo=True), args.release, args.out,
                        _split(args.format) or (), selection)
    print(f"Skrevet: {path} på {time.perf_counter() - start:.1f} s.")
    return 0


COMMANDS = {"build": _build, "ingest": _ingest, "export": _export}
