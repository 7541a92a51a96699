"""Report: how much of last year's comparison group is kept this year, per area and year, from a built marts file.

Reads bm_sammenligning (of the newest release with groups, by `release.loebenummer`) of one marts file (the
argument, by default the marts the app reads, `settings().marts_path`) and writes nothing. Prints, per area and per
consecutive pair of years, the share of a municipality's previous-year top k that is in its top k again (the mean
over the municipalities), and per area the mean over the pairs. Unlike bench_group_stability.py it builds nothing,
so the same command compares two builds (before and after a change to the candidates).
Run: `.venv/bin/python bench/gruppestabilitet.py [MARTS] [--k 10]` from the repo root.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
from bench_group_stability import year_to_year  # noqa: E402

from kdk.config import settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("marts", type=Path, nargs="?", default=settings().marts_path)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    with duckdb.connect(str(args.marts), read_only=True) as con:
        ranking = con.sql("SELECT sammenligningsomraade, aar, kommunekode, sammenligningskode, rang "
                          "FROM bm_sammenligning "
                          "WHERE rang <= ? AND release_id = (SELECT release_id FROM release WHERE release_id IN "
                          "(SELECT release_id FROM bm_sammenligning) ORDER BY loebenummer DESC LIMIT 1)",
                          params=[args.k]).df()
    steps = year_to_year(ranking, args.k)
    table = steps.pivot(index="sammenligningsomraade", columns="aar", values="andel")
    table["middel"] = table.mean(axis=1)
    print(f"Comparison groups: share of last year's top {args.k} kept this year (mean over "
          f"{ranking['kommunekode'].nunique()} municipalities), {args.marts.resolve().name}")
    print(f"{'area':<13}" + "".join(f"{str(c):>7}" for c in table.columns))
    for kode, row in table.iterrows():
        print(f"{kode:<13}" + "".join(f"{v:>7.0%}" for v in row))


if __name__ == "__main__":
    main()
