"""`python bench/kolada_marts.py OUT.duckdb`: marts of Kolada's size behind the same app.

Kolada, the Swedish municipal key-figure database, holds about 290 municipalities × 5 000 key figures × 20 years.
This writes marts of that size: the 98 real municipalities and 192 generated ones, the real catalogue and
generated variants of its figures in the same 10 data areas, 2006-2025: about 29 M fact rows (kolada_data.py
says what is generated and why). Normal marts are built from the shipped sources first (or `--grundlag` names
them); the municipal rows are generated in DuckDB SQL; then the build's own steps run: aggregates and primary
suppression (kdk.marts.build.finished_facts_sql), secondary suppression and its audit (kdk.marts.disclosure, over
the blocks of linked figures and years that hold a hidden cell), comparison groups by the real method
(kdk.marts.sammenligning), and the store (kdk.marts.store: the schema, the read-only verification, and OUT as a link
to a versioned file in the folder `marts/` beside it). Serve it with `KDK_MARTS=OUT`. Prints the time, the file
size and the row counts.

    .venv/bin/python bench/kolada_marts.py /tmp/kolada/kdk.duckdb [--kommuner 290] [--noegletal 5000] [--aar 20]
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from bench import kolada_data  # noqa: E402
from kdk import format as fmt  # noqa: E402
from kdk.config import settings  # noqa: E402
from kdk.marts import disclosure, sammenligning, sources, store, suppression  # noqa: E402
from kdk.marts.build import CANONICAL_ORDER, build, finished_facts_sql  # noqa: E402
from kdk.marts.findings import IngestError  # noqa: E402

COPIED = ["dim_region", "dim_dataomraade", "kilde", "geo_kommune", "tema"]
MEMORY_LIMIT = "4GB"


def main(argv: list[str] | None = None) -> Path:
    args = _arguments(argv)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        base = (args.grundlag.resolve() if args.grundlag
                else build(dataclasses.replace(settings(), marts_path=Path(tmp) / "kdk.duckdb")).path)
        release_id = _release_id(base, args)
        target = dataclasses.replace(settings(), marts_path=args.out.absolute())
        with store.writing(target):
            path = store.publish(target, release_id, partial(_fill, base, args, release_id))
    seconds = time.perf_counter() - start
    con = duckdb.connect(str(path), read_only=True)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("dim_kommune", "dim_noegletal", "fct_noegletal", "bm_sammenligning")}
    con.close()
    print(f"{args.out} -> {path.name}: release {release_id}, "
          + ", ".join(f"{t} {fmt.number(n)}" for t, n in counts.items()))
    print(f"generated in {fmt.number(seconds, 1)} s; file {fmt.number(path.stat().st_size / 1e6, 0)} MB")
    return path


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Marts of Kolada's size for the same app.")
    parser.add_argument("out", type=Path, help="the link the app reads (KDK_MARTS); the file goes in marts/ beside it")
    parser.add_argument("--kommuner", type=int, default=290, help="municipalities, at least the 98 real ones")
    parser.add_argument("--noegletal", type=int, default=5000, help="key figures, at least the real catalogue's")
    parser.add_argument("--aar", type=int, default=20, help=f"years, up to {kolada_data.LAST_YEAR}")
    parser.add_argument("--grundlag", type=Path, help="normal marts to start from (default: build them now)")
    args = parser.parse_args(argv)
    if args.kommuner > 900 or args.aar < 1:
        parser.error("--kommuner at most 900 (3-digit codes), --aar at least 1")
    return args


def _release_id(base: Path, args: argparse.Namespace) -> str:
    con = duckdb.connect(str(base), read_only=True)
    base_id = con.execute("SELECT release_id FROM release ORDER BY loebenummer DESC LIMIT 1").fetchone()[0]
    con.close()
    return hashlib.sha256(f"kolada:{base_id}:{args.kommuner}:{args.noegletal}:{args.aar}".encode()).hexdigest()[:12]


def _fill(base: Path, args: argparse.Namespace, release_id: str, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every marts table, into the new file's connection (store.publish)."""
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")   # beyond it DuckDB spills to a temporary folder
    con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
    with _step("plans"):
        kolada_data.plan_municipalities(con, args.kommuner)
        kolada_data.plan_figures(con, args.noegletal)
    if con.execute("SELECT count(*) FROM kommuneplan").fetchone()[0] != args.kommuner or \
            con.execute("SELECT count(*) FROM figurplan").fetchone()[0] != args.noegletal:
        raise ValueError("--kommuner and --noegletal must be at least the real ones (98 and the catalogue)")
    first_year = kolada_data.LAST_YEAR - args.aar + 1
    counts = store.insert_frames({"dim_noegletal": con.execute(kolada_data.catalogue_sql()).df()}, con)
    with _step("municipal facts"):
        kolada_data.generate_facts(con, first_year)
        counts |= store.insert_frames({"dim_kommune": _municipalities(con)}, con)
    with _step("aggregates, primary suppression"):
        con.execute(f"""CREATE TEMP TABLE markeret AS
                        {finished_facts_sql("kommune_fakta_vaegt", "dim_noegletal", "dim_kommune")}""")
    with _step("secondary suppression and audit"):
        audit = _disclosure(con)
        figures = con.execute("SELECT noegletal_id FROM dim_noegletal ORDER BY raekkefoelge").df()["noegletal_id"]
        counts |= store.insert_frames({"diskretion": audit.rows(release_id, figures)}, con)
    with _step("sorted write"):
        counts["fct_noegletal"] = con.execute(f"""
            INSERT INTO fct_noegletal BY NAME SELECT * EXCLUDE (primaer), '{release_id}' AS release_id
            FROM ({suppression.hide_sql("markeret", "skjulte")}) ORDER BY {CANONICAL_ORDER}""").fetchone()[0]
        con.execute("DROP TABLE markeret")
    description = (f"Genereret i Koladas størrelse: {fmt.number(args.kommuner)} kommuner, "
                   f"{fmt.number(args.noegletal)} nøgletal, {args.aar} år ({first_year}-{kolada_data.LAST_YEAR})")
    release = con.execute("SELECT * FROM base.release ORDER BY loebenummer DESC LIMIT 1").df().assign(
        release_id=release_id, beskrivelse=description, kilde_fil=None, loebenummer=1)
    tables = {name: con.execute(f"SELECT * FROM base.{name}").df() for name in COPIED}
    tables["validering"] = con.execute("SELECT * FROM base.validering").df().assign(release_id=release_id)
    with _step("comparison groups"):
        tables |= _comparison_groups(con, release_id)
        counts |= store.insert_frames({"release": release, **tables}, con)
    con.execute("DETACH base")
    return counts


def _disclosure(con: duckdb.DuckDBPyConnection, batch: int = 500) -> disclosure.Audit:
    """Secondary suppression and the audit (kdk.marts.disclosure) over the blocks of `markeret` with a hidden
    cell, read into memory `batch` link groups at a time (every relation stays within a group); registers the
    table `skjulte` (the cells to hide), prints the audit's summary and returns the audit."""
    regler = con.execute("SELECT * FROM dim_noegletal").df()
    kommuner = con.execute("SELECT * FROM dim_kommune").df()
    groups = disclosure.link_groups(regler).reset_index()
    names = sorted(groups["gruppe"].unique())
    hidden_keys, audits, rows_read = [], [], 0
    for start in range(0, len(names), batch):
        con.register("grupper", groups[groups["gruppe"].isin(names[start:start + batch])])
        rows = con.execute(disclosure.block_rows_sql("markeret", "grupper")).df()
        hidden, audit = disclosure.protect(rows, regler, kommuner)
        hidden_keys.append(rows.loc[hidden, ["noegletal_id", "omraade_kode", "periode"]])
        audits.append(audit)
        rows_read += len(rows)
    audit = disclosure.Audit.combine(audits)
    if not audit.ok:
        raise IngestError(audit.tekst())
    con.register("skjulte", pd.concat(hidden_keys, ignore_index=True))
    print(f"  {rows_read} rows in blocks with a hidden cell; {audit.tekst()}", flush=True)
    return audit


@contextlib.contextmanager
def _step(name: str):
    start = time.perf_counter()
    yield
    print(f"  {name}: {fmt.number(time.perf_counter() - start, 1)} s", flush=True)


def _municipalities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """dim_kommune: the real rows as built; a generated municipality's group and area from its generated
    population and density in the latest year (as sources.load_kommuner derives them)."""
    real = con.execute("SELECT * FROM base.dim_kommune").df()
    generated = con.execute("""
        SELECT k.kommunekode, k.navn, k.regionskode, k.regionsnavn,
               arg_max(f.vaerdi, f.periode) FILTER (WHERE f.noegletal_id = 'befolkning.indbyggere') AS indbyggere,
               arg_max(f.vaerdi, f.periode) FILTER (WHERE f.noegletal_id = 'befolkning.taethed') AS taethed
        FROM kommuneplan k JOIN kommune_fakta f ON f.omraade_kode = k.kommunekode
        WHERE k.genereret AND f.vaerdi IS NOT NULL AND length(f.periode) = 4
          AND f.noegletal_id IN ('befolkning.indbyggere', 'befolkning.taethed')
        GROUP BY ALL ORDER BY k.kommunekode""").df()
    generated["kommunegruppe"] = [sources.kommunegruppe(i, t) for i, t in zip(generated["indbyggere"],
                                                                              generated["taethed"])]
    generated["areal_km2"] = (generated["indbyggere"] / generated["taethed"]).round(1)
    return pd.concat([real, generated[real.columns]], ignore_index=True)


def _comparison_groups(con: duckdb.DuckDBPyConnection, release_id: str) -> dict[str, pd.DataFrame]:
    """The bm_* tables by the real method, over every municipality (kdk.marts.sammenligning)."""
    definition = con.execute("SELECT * FROM base.bm_definition").df()
    facts = con.execute("""SELECT * FROM fct_noegletal WHERE length(periode) = 4
                           AND noegletal_id IN (SELECT noegletal_id FROM base.bm_definition)""").df()
    codes = sorted(con.execute("SELECT kommunekode FROM dim_kommune").df()["kommunekode"])
    return sammenligning.build_tables(definition, facts, codes, release_id)


if __name__ == "__main__":
    main()
