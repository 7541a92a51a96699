"""`python -m kdk ...`: build the marts, ingest a source file, export a release, publish a theme as PDF, users,
deliver releases to the app servers (udgiv, hent) and ask them which they serve (status), the user database's
schema (`db status|upgrade|revision`).

Messages to the user are Danish; the log (stderr, `--verbose`) is English.
Exit codes: 0 done, 1 the data were refused (nothing changed), 2 wrong use of the command.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from kdk.auth import rettigheder
from kdk.auth.users import UserError
from kdk.config import settings
from kdk.export.bundle import ExportError
from kdk.marts.findings import IngestError
from kdk.marts.levering import LeveringError
from kdk.marts.store import StoreError
from kdk.publikation import PublikationError

EMBARGO_HELP = ("stil releasen op under embargo til dette tidspunkt (dansk tid, 'ÅÅÅÅ-MM-DD TT:MM'): indtil da "
                "ser kun redaktion og admin den")


def embargo_time(text: str) -> dt.datetime:
    """An embargo time as the command line takes it: Danish wall-clock time in the future, to the minute."""
    return _future_time(text, "embargotidspunkt")


def expiry_time(text: str) -> dt.datetime:
    """A demo account's expiry as the command line takes it: Danish wall-clock time in the future, to the minute."""
    return _future_time(text, "udløbstidspunkt")


def _future_time(text: str, what: str) -> dt.datetime:
    from kdk.queries.scope import now

    try:
        when = dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ugyldigt {what} {text!r}: skriv dansk tid som 'ÅÅÅÅ-MM-DD TT:MM', fx '2027-01-10 08:00'"
        ) from None
    if when <= now():
        raise argparse.ArgumentTypeError(f"{what}et {when:%d.%m.%Y kl. %H.%M} er allerede passeret")
    return when


def end_of_today() -> dt.datetime:
    """Midnight after today, Danish wall-clock time: a demo account's default expiry."""
    from kdk.queries.scope import now

    return dt.datetime.combine(now().date() + dt.timedelta(days=1), dt.time())


def _utc(danish: dt.datetime) -> dt.datetime:
    from kdk.queries.scope import DANISH_TIME

    return danish.replace(tzinfo=DANISH_TIME).astimezone(dt.UTC).replace(tzinfo=None)


def _danish(utc: dt.datetime) -> str:
    from kdk.queries.scope import DANISH_TIME

    return f"{utc.replace(tzinfo=dt.UTC).astimezone(DANISH_TIME):%d.%m.%Y kl. %H.%M}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kdk", description="Kend din kommune: byg, indlæs og udgiv data.")
    parser.add_argument("--verbose", action="store_true", help="skriv log (engelsk) til stderr")
    sub = parser.add_subparsers(dest="kommando", required=True)
    bld = sub.add_parser("build", help="byg datasættet fra kildefilerne i data/ til data/kdk.duckdb")
    bld.add_argument("--embargo-til", type=embargo_time, help=EMBARGO_HELP)
    ing = sub.add_parser("ingest", help="indlæs en ny kildefil i datasættet (valideres først)")
    ing.add_argument("fil", type=Path)
    ing.add_argument("--noegletal", help="nøgletal-id for hele filen, når filen ikke har en nøgletalskolonne")
    ing.add_argument("--encoding", help="tegnsæt, fx utf-8 eller cp1252 (ellers gættes sikkert)")
    ing.add_argument("--talformat", choices=["dansk", "plain"], help="dansk: 1.234,5  plain: 1234.5")
    ing.add_argument("--separator", help="feltseparator: ';' ',' eller 'tab'")
    ing.add_argument("--udtraeksdato", type=dt.date.fromisoformat,
                     help="dataudtræksdato (ÅÅÅÅ-MM-DD); ellers filens egen, eller i dag")
    ing.add_argument("--rapport", type=Path, help="skriv valideringsrapporten som JSON til denne fil")
    ing.add_argument("--embargo-til", type=embargo_time, help=EMBARGO_HELP)
    ing.add_argument("--revision", metavar="BEGRUNDELSE",
                     help="tillad, at filen reviderer offentliggjorte tal ud over grænsen (kdk/marts/revision.py); "
                          "begrundelsen vises i rapporten, releasens beskrivelse og på /datastatus")
    exp = sub.add_parser("export", help="skriv release-bundtet til KL's databank (zip med CSV, PX og manifest)")
    exp.add_argument("--release", required=True, help="release-id (se tabellen release)")
    exp.add_argument("--out", required=True, type=Path, help="mappe, zip-filen skrives i")
    exp.add_argument("--format", default="csv,px", help="kommasepareret: csv, px, xlsx (standard: csv,px)")
    exp.add_argument("--omraader", help="dataområder, fx skole,aeldre (standard: alle)")
    exp.add_argument("--noegletal", help="nøgletal-id'er, kommasepareret (standard: alle)")
    exp.add_argument("--perioder", help="perioder, fx 2024,2025 (standard: alle)")
    pub = sub.add_parser("publikation", help="udgiv et tema som PDF: hele landet og hver kommune, og én samlet fil")
    pub.add_argument("--release", required=True, help="release-id (den nyeste; også under embargo)")
    pub.add_argument("--tema", required=True, help="temaets navn, fx rekruttering")
    pub.add_argument("--out", required=True, type=Path, help="mappe, PDF-filerne skrives i")
    pub.add_argument("--kommuner", help="kun disse kommunekoder, fx 101,147 (standard: alle 98)")
    usr = sub.add_parser("users", help="brugere: add, list, disable, grant, demo")
    usr_sub = usr.add_subparsers(dest="handling", required=True)
    add = usr_sub.add_parser("add", help="opret en bruger (adgangskoden læses fra standard input)")
    add.add_argument("navn")
    add.add_argument("--rolle", required=True, choices=list(rettigheder.ROLLER))
    add.add_argument("--kommune", help="kommunekode, fx 101 (kræves for laeser og kommune_admin)")
    add.add_argument("--omraader", help="dataområder med lukkede data, fx ubu")
    add.add_argument("--password-stdin", action="store_true", required=True, help="læs adgangskoden fra stdin")
    usr_sub.add_parser("list", help="vis alle brugere")
    dis = usr_sub.add_parser("disable", help="deaktivér en bruger")
    dis.add_argument("navn")
    gra = usr_sub.add_parser("grant", help="sæt en brugers dataområder")
    gra.add_argument("navn")
    gra.add_argument("--omraader", required=True, help="dataområder med lukkede data, fx ubu ('' = ingen)")
    demo = usr_sub.add_parser("demo", help="opret en demokonto til et webinar: ser kun offentlige data og udløber")
    demo.add_argument("--udloeber", type=expiry_time, default=None,
                      help="hvornår kontoen udløber (dansk tid, 'ÅÅÅÅ-MM-DD TT:MM'; standard: ved dagens slutning)")
    udg = sub.add_parser("udgiv", help="udgiv de aktuelle data til en mappe, som de andre servere henter fra")
    udg.add_argument("--til", type=Path, default=settings().udgiv_til, required=settings().udgiv_til is None,
                     help="mappen (standard: KDK_UDGIV_TIL)")
    hnt = sub.add_parser("hent", help="hent den nyeste udgivne release og skift til den, når den er ny")
    hnt.add_argument("--fra", default=settings().hent_fra, required=settings().hent_fra is None,
                     help="mappen eller en http(s)-adresse, der viser den (standard: KDK_HENT_FRA)")
    hnt.add_argument("--hver", type=float, metavar="SEKUNDER",
                     help="bliv ved og se efter en ny release hvert så mange sekunder (standard: én gang)")
    sta = sub.add_parser("status", help="hvilken release hver server viser, om den er varm, og om de er enige")
    sta.add_argument("--servere", help="serveradresser, kommasepareret (standard: KDK_SERVERE, ellers KDK_BIND)")
    aud = sub.add_parser("audit", help="auditlog: slet (anvend slettepolitikken)")
    aud.add_argument("handling", choices=["slet"])
    dbp = sub.add_parser("db", help="brugerdatabasens skema: status, upgrade (til nyeste revision), revision (ny)")
    dbp.add_argument("handling", choices=["status", "upgrade", "revision"])
    dbp.add_argument("-m", "--besked", default="ny revision",
                     help="revision: hvad den ændrer (den laves ud fra tabellerne i kdk/auth/store.py)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return COMMANDS[args.kommando](args)
    except (IngestError, StoreError, ExportError, UserError, PublikationError, LeveringError) as exc:
        logging.getLogger("kdk.cli").error("%s failed: %s", args.kommando, str(exc).splitlines()[0])
        unchanged = "\nDe udgivne data er uændrede." if args.kommando in ("build", "ingest", "hent") else ""
        print(f"Fejl: {exc}{unchanged}", file=sys.stderr)
        return 1


def _build(args) -> int:
    from kdk.marts.build import build

    start = time.perf_counter()
    with _turn():
        result = build(settings(), args.embargo_til)
    print(f"Data bygget: {result.path} (release {result.release_id}, {result.rows} rækker, "
          f"{len(result.report.advarsler)} advarsler){_embargo(args)} på {time.perf_counter() - start:.1f} s.")
    return _deliver()


@contextlib.contextmanager
def _turn() -> Iterator[None]:
    """The turn to write the live marts (kdk.marts.store.writing) for the writer a command runs: while another
    writer (a build, a load, an embargo change, a fetch) has it, say so on stderr and wait for it."""
    from kdk.marts.store import writing

    def waiting() -> None:
        print("Venter på en anden indlæsning eller ændring af data …", file=sys.stderr, flush=True)

    with writing(settings(), waiting=waiting):
        yield


def _deliver() -> int:
    """After a build or an ingest: publish the new marts to KDK_UDGIV_TIL, when it is set."""
    from kdk.marts.levering import udgiv

    dest = settings().udgiv_til
    if dest is None:
        return 0
    try:
        manifest = udgiv(settings(), dest)
    except LeveringError as exc:
        logging.getLogger("kdk.cli").error("publishing to %s failed: %s", dest, exc)
        print(f"Fejl: {exc}\nDataene er skiftet her, men ikke udgivet til de andre servere. Kør "
              f"python -m kdk udgiv --til {dest}", file=sys.stderr)
        return 1
    print(f"Udgivet til {dest}: {manifest.fil}.")
    return 0


def _embargo(args) -> str:
    return f", under embargo til {args.embargo_til:%d.%m.%Y kl. %H.%M}" if args.embargo_til else ""


def _ingest(args) -> int:
    from kdk.marts.ingest import ingest
    from kdk.marts.ingest_reader import ReadOptions

    if not args.fil.is_file():
        print(f"Fejl: filen {args.fil} findes ikke.", file=sys.stderr)
        return 2
    if args.rapport and (problem := _unwritable(args.rapport)):
        print(f"Fejl: --rapport {args.rapport}: {problem}. Intet er indlæst; de udgivne data er uændrede.",
              file=sys.stderr)
        return 2
    sep = "\t" if args.separator == "tab" else args.separator
    options = ReadOptions(noegletal_id=args.noegletal, encoding=args.encoding, talformat=args.talformat, separator=sep)
    with _turn():
        result = ingest(settings(), args.fil, options, args.udtraeksdato, args.embargo_til, args.revision)
    print(result.report.tekst())
    if args.rapport:
        args.rapport.write_text(result.report.json(), encoding="utf-8")
    if not result.report.ok:
        print("Filen blev afvist. De udgivne data er uændrede.", file=sys.stderr)
        return 1
    print(f"Indlæst: {result.rows} rækker som release {result.release_id}{_embargo(args)}, udtræksdato "
          f"{result.udtraeksdato:%d.%m.%Y} ({result.dato_fra}).")
    return _deliver()


def _unwritable(path: Path) -> str | None:
    """Why the report cannot be written to `path` (in Danish), checked before anything is loaded; None if it can."""
    folder = path.parent
    if path.is_dir():
        return "det er en mappe, ikke en fil"
    if not folder.is_dir():
        return f"mappen {folder} findes ikke"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "der er ikke skriveadgang"
    return None


def _split(text: str | None) -> tuple[str, ...] | None:
    return tuple(p.strip() for p in text.split(",") if p.strip()) if text else None


def _export(args) -> int:
    from kdk.db import marts
    from kdk.export.bundle import build_bundle
    from kdk.export.rows import Selection
    from kdk.queries.omraader import fuld_adgang

    start = time.perf_counter()
    # The command line is the publication team's tool: every data area, embargoed releases included.
    selection = Selection(noegletal=_split(args.noegletal), dataomraader=_split(args.omraader),
                          perioder=_split(args.perioder))
    path = build_bundle(marts(), fuld_adgang(), args.release, args.out,
                        _split(args.format) or (), selection)
    from kdk.auth import audit

    audit.log("eksport", "kommandolinjen", f"release {args.release} -> {path.name}")
    print(f"Skrevet: {path} på {time.perf_counter() - start:.1f} s.")
    return 0


def _publikation(args) -> int:
    from kdk.auth import audit
    from kdk.publikation import publish

    start = time.perf_counter()
    files = publish(args.release, args.tema, args.out, _split(args.kommuner), progress=_bar)
    audit.log("publikation", "kommandolinjen", f"release {args.release}, tema {args.tema} -> {len(files)} PDF-filer")
    print(f"Skrevet: {len(files) - 1} PDF-filer og {files[0]} på {time.perf_counter() - start:.1f} s.")
    return 0


def _bar(done: int, of: int, part) -> None:
    """A text progress bar on stderr, redrawn in place, naming the part just done (kdk.publikation.Del)."""
    width = 30
    filled = width * done // of
    print(f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{of} {part.navn[:30]:30s}",
          end="\n" if done == of else "", file=sys.stderr, flush=True)


def _users(args) -> int:
    import secrets

    from kdk.auth import users

    if args.handling == "add":
        password = sys.stdin.readline().rstrip("\n")
        user = users.add(args.navn, password, args.rolle, args.kommune, set(_split(args.omraader) or ()))
        print(f"Oprettet: {user.brugernavn} ({user.rolle}).")
    elif args.handling == "list":
        for u in users.find()[0]:
            state = "udløbet" if u.udloebet else "aktiv" if u.aktiv else "deaktiveret"
            expiry = f"  udløber {_danish(u.udloeber)}" if u.udloeber else ""
            print(f"{u.brugernavn:30s} {u.rolle:14s} {u.kommunekode or '-':5s} {state:12s} "
                  f"{','.join(sorted(u.omraader)) or '-'}{expiry}")
    elif args.handling == "disable":
        users.set_active(args.navn, False, "kommandolinjen")
        print(f"Deaktiveret: {args.navn}.")
    elif args.handling == "grant":
        user = users.grant(args.navn, set(_split(args.omraader) or ()), "kommandolinjen")
        print(f"{user.brugernavn} har nu: {','.join(sorted(user.omraader)) or 'ingen lukkede områder'}.")
    else:
        password = secrets.token_urlsafe(12)
        until = args.udloeber or end_of_today()
        user = users.add(f"demo-{secrets.token_hex(3)}", password, rettigheder.DEMO, udloeber=_utc(until))
        print(f"Demokonto til webinar: {user.brugernavn}  adgangskode: {password}  udløber {until:%d.%m.%Y kl. %H.%M} "
              "(dansk tid). Den ser kun offentlige data og kan starte en session, som seerne følger.")
    return 0


def _udgiv(args) -> int:
    from kdk.format import number
    from kdk.marts.levering import udgiv

    manifest = udgiv(settings(), args.til)
    print(f"Udgivet til {args.til}: {manifest.fil} (release {manifest.release}, {number(manifest.stoerrelse)} bytes).")
    return 0


def _hent(args) -> int:
    """Fetch once, or every `--hver` seconds until stopped; a refused file is deleted and tried again next time."""
    from kdk.marts.levering import hent

    while True:
        try:
            with _turn():
                manifest = hent(settings(), args.fra)
            if manifest is not None:
                print(f"Hentet og skiftet til {manifest.fil} (release {manifest.release}).", flush=True)
            elif args.hver is None:
                print("Den nyeste release er allerede i brug.")
            status = 0
        except LeveringError as exc:
            if args.hver is None:
                raise
            print(f"Fejl: {exc} Prøver igen om {args.hver:g} s.", file=sys.stderr, flush=True)
            status = 1
        if args.hver is None:
            return status
        time.sleep(args.hver)


def _status(args) -> int:
    from kdk.marts import serverstatus

    asked = tuple(s.strip().rstrip("/") for s in args.servere.split(",") if s.strip()) if args.servere else \
        serverstatus.servers(settings())
    table, agree = serverstatus.report(settings(), asked)
    print(table)
    return 0 if agree else 1


def _audit(args) -> int:
    from kdk.auth import audit

    print(f"Slettet {audit.apply_retention()} auditposter ældre end {audit.retention_days()} dage.")
    return 0


def _db(args) -> int:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from kdk.auth import migrations, store

    if args.handling == "revision":
        print(f"Skrevet: {migrations.new_revision(args.besked)}. Læs den igennem, før den committes.")
        return 0
    url = store.database_url()
    shown = make_url(url).render_as_string(hide_password=True)
    engine = store.engine() if args.handling == "upgrade" else store.connect(url)
    try:
        current, head = migrations.current(engine), migrations.head()
    except OperationalError as exc:
        print(f"Fejl: brugerdatabasen {shown} kan ikke nås: {str(exc.orig).strip()}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if current is None:
        state = "ingen revision (tom, eller lavet af en ældre version: `python -m kdk db upgrade` tager den i brug)"
    elif current == head:
        state = f"revision {current} (den nyeste)"
    else:
        state = f"revision {current}; den nyeste er {head}: kør `python -m kdk db upgrade`"
    print(f"Brugerdatabasen {shown}: {state}.")
    return 0


COMMANDS = {"build": _build, "ingest": _ingest, "export": _export, "publikation": _publikation, "users": _users,
            "audit": _audit, "udgiv": _udgiv, "hent": _hent, "status": _status, "db": _db}
