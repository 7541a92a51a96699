"""`python -m kdk ingest`: good files land as a new release; bad files are refused and change nothing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from kdk.cli import main
from kdk.config import PROJECT_DIR
from kdk.marts import store
from kdk.marts.store import read_tables
from tests.conftest import fingerprint

FILER = Path(__file__).parent / "filer"


def kommuner() -> pd.DataFrame:
    return pd.read_csv(PROJECT_DIR / "data" / "kilder" / "kommuner" / "kommuner.csv", dtype=str)


def wide_file(path: Path, values: dict[str, str], years=("2026",), encoding="cp1252", suffix=" Kommune") -> Path:
    """A StatBank-style wide file: names, one column per year, Danish notation."""
    lines = [";" + ";".join(years)]
    for _, k in kommuner().iterrows():
        if k["kommunekode"] in values:
            lines.append(f"{k['navn']}{suffix};" + ";".join(values[k["kommunekode"]] for _ in years))
    path.write_text("\r\n".join(lines) + "\r\n", encoding=encoding)
    return path


def all_98(value: str) -> dict[str, str]:
    return {k: value for k in kommuner()["kommunekode"]}


def test_a_good_file_becomes_a_new_release_with_aggregates(marts_env, tmp_path, capsys):
    before = read_tables(marts_env.marts_path.resolve())
    values = all_98("7,4")
    values["101"] = "7,9"
    path = wide_file(tmp_path / "karakterer.csv", values)
    assert main(["ingest", str(path), "--noegletal", "skole.karakter", "--udtraeksdato", "2026-11-20"]) == 0
    assert "Indlæst: 98 rækker" in capsys.readouterr().out
    after = read_tables(marts_env.marts_path.resolve())
    assert len(after["release"]) == len(before["release"]) + 1
    new = after["release"].iloc[-1]
    assert new["kilde_fil"] == "karakterer.csv" and str(new["udtraeksdato"].date()) == "2026-11-20"
    f = after["fct_noegletal"]
    rows = f[(f["noegletal_id"] == "skole.karakter") & (f["periode"] == "2026")].set_index("omraade_kode")
    assert rows.loc["101", "vaerdi"] == 7.9 and rows.loc["101", "release_id"] == new["release_id"]
    assert {"000", "1081", "1082", "1083", "1084", "1085"} <= set(rows.index)
    assert 7.4 < rows.loc["1084", "vaerdi"] < 7.9  # population-weighted: København pulls the region up
    untouched = f[f["periode"] != "2026"].reset_index(drop=True)
    pd.testing.assert_frame_equal(untouched, before["fct_noegletal"].reset_index(drop=True))


def test_warnings_are_reported_and_stored_and_the_load_goes_on(marts_env, tmp_path, capsys):
    values = {k: v for k, v in all_98("6,5").items() if k != "825"}
    values["101"] = "14,5"   # a rise of more than the catalogue's max_spring from 2024
    path = wide_file(tmp_path / "fravaer.csv", values, years=("2025",))
    report = tmp_path / "rapport.json"
    # 2025 is published (demo data): the file revises it, beyond the threshold, so it needs a reason.
    assert main(["ingest", str(path), "--noegletal", "skole.elevfravaer", "--rapport", str(report),
                 "--revision", "Rettede fraværstal"]) == 0
    out = capsys.readouterr().out
    assert "ADVARSEL [manglende_kommuner]" in out and "825" in out
    findings = json.loads(report.read_text(encoding="utf-8"))["fund"]
    assert {f["regel"] for f in findings} == {"manglende_kommuner", "spring", "diskretion_revision", "revision"}
    spring = next(f for f in findings if f["regel"] == "spring")
    assert spring["linje"] == 2 and spring["kolonne"] == "2025"
    stored = read_tables(marts_env.marts_path.resolve())["validering"]
    assert set(stored.loc[stored["fil"] == "fravaer.csv", "regel"]) == {"manglende_kommuner", "spring",
                                                                       "diskretion_revision", "revision"}


def bad_files(tmp: Path) -> list[tuple[str, Path, list[str], str]]:
    """(rule, file, extra options, text the user must see) — one per validation rule."""
    def long(name: str, rows: list[str]) -> Path:
        p = tmp / name
        p.write_text("noegletal_id;kommunekode;periode;vaerdi\n" + "\n".join(rows) + "\n", encoding="utf-8")
        return p

    ok = [f"skole.karakter;{k};2026;7,1" for k in kommuner()["kommunekode"] if k != "101"]
    return [
        ("ukendt_kommune", FILER / "fejl_ukendt_kommune.csv", ["--noegletal", "skole.karakter"], "Aarhuus"),
        ("ugyldig_periode", FILER / "fejl_ugyldig_periode.csv", ["--noegletal", "skole.karakter"], "2021K5"),
        ("ikke_tal", FILER / "fejl_ikke_tal.csv", ["--noegletal", "skole.karakter"], "ca. 12"),
        ("ukendt_noegletal", long("ukendt.csv", ok + ["skole.karaktr;101;2026;7,0"]), [], "skole.karaktr"),
        ("dublet", long("dublet.csv", ok + ["skole.karakter;101;2026;7,0", "skole.karakter;0101;2026;7,3"]), [],
         "dublet"),
        ("uden_for_interval", long("interval.csv", ok + ["skole.karakter;101;2026;70,0"]), [], "maksimum"),
        ("periodicitet", long("periode.csv", ok + ["skole.karakter;101;2026M01;7,0"]), [], "2026M01"),
    ]


@pytest.mark.parametrize("case", range(7))
def test_each_rule_refuses_a_bad_file_and_leaves_the_marts_byte_for_byte(case, marts_env, tmp_path, capsys):
    rule, path, options, shown = bad_files(tmp_path)[case]
    before = fingerprint(marts_env)
    files_before = sorted(marts_env.marts_dir.iterdir())
    assert main(["ingest", str(path), *options]) == 1
    out, err = capsys.readouterr()
    assert f"FEJL [{rule}]" in out and shown in out
    assert "uændrede" in err
    assert fingerprint(marts_env) == before
    assert sorted(marts_env.marts_dir.iterdir()) == files_before


def test_an_ambiguous_number_format_is_refused_naming_the_option(marts_env, capsys):
    before = fingerprint(marts_env)
    assert main(["ingest", str(FILER / "fejl_talformat_tvetydigt.csv"), "--noegletal", "skole.karakter"]) == 1
    assert "--talformat" in capsys.readouterr().err
    assert fingerprint(marts_env) == before


def _suppressed_with_a_value(facts):
    broken = facts.copy()
    broken.loc[0, "status"] = "diskretioneret"
    return broken


@pytest.mark.parametrize("breaks", [_suppressed_with_a_value, lambda facts: pd.concat([facts, facts.iloc[[5]]])],
                         ids=["suppressed-row-with-a-value", "duplicated-key"])
def test_a_failed_write_leaves_the_live_marts_and_no_half_written_file(marts_env, breaks):
    before = fingerprint(marts_env)
    files_before = sorted(marts_env.marts_dir.iterdir())
    tables = read_tables(marts_env.marts_path.resolve())
    broken = breaks(tables["fct_noegletal"])   # both violate the contract
    with pytest.raises(store.StoreError), store.writing(marts_env):
        store.write_and_switch(marts_env, {**tables, "fct_noegletal": broken}, "broken")
    assert fingerprint(marts_env) == before
    assert sorted(marts_env.marts_dir.iterdir()) == files_before


def test_the_command_line_runs_as_documented(marts_env, tmp_path):
    path = wide_file(tmp_path / "k.csv", all_98("7,0"), encoding="utf-8-sig", suffix="")
    env = {**os.environ, "KDK_MARTS": str(marts_env.marts_path)}
    done = subprocess.run([sys.executable, "-m", "kdk", "ingest", str(path), "--noegletal", "skole.karakter"],
                          cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(marts_env.marts_path), read_only=True)
    assert con.execute("SELECT count(*) FROM fct_noegletal WHERE noegletal_id = 'skole.karakter' "
                       "AND periode = '2026'").fetchone()[0] == 98 + 6
    con.close()


def test_a_partial_outcome_load_does_not_invent_comparison_groups(marts_env, tmp_path):
    few = {k: "81.000" for k in ["101", "147", "151", "153", "155", "157", "159"]}
    path = wide_file(tmp_path / "udgift.csv", few)
    assert main(["ingest", str(path), "--noegletal", "skole.udgift", "--talformat", "dansk"]) == 0
    tables = read_tables(marts_env.marts_path.resolve())
    years = set(tables["bm_sammenligning"].query("sammenligningsomraade == 'skole'")["aar"])
    assert 2026 not in years and 2025 in years
