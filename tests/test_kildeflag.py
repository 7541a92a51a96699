"""Issue 17, items 3 and 4, through `python -m kdk ingest` on a private copy of the marts: a source's flags survive to
what a visitor sees and downloads, and each loose validation is closed with a Danish message, a refused load leaving
the marts byte-for-byte unchanged."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kdk.cli import main
from kdk.marts.store import read_tables
from tests.conftest import fingerprint
from tests.dash_http import render
from tests.test_ingest import all_98, kommuner, wide_file

ESTIMAT = "Estimat: omregnet til nuværende kommuner"


@pytest.fixture
def marts_env(fresh_marts, monkeypatch):
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    return fresh_marts


def _dansk(tal: float) -> str:
    return f"{tal:,.0f}".replace(",", ".")


def noegletal_dk_file(path: Path, st, footer: tuple[str, ...] = ("Udtræksdato: 20-11-2026",)) -> Path:
    """A noegletal.dk-style export of the population for 2005 and 2006: municipality names, one column per year
    whose header carries footnote (3) (recalculated to today's municipalities), Danish numbers, Windows-1252, and
    the footnote's legend and the extraction date under the table."""
    facts = read_tables(st.marts_path.resolve())["fct_noegletal"]
    y2007 = facts[(facts["noegletal_id"] == "befolkning.indbyggere") & (facts["periode"] == "2007")
                  & facts["erstattet_af"].isna()].set_index("omraade_kode")["vaerdi"]
    lines = ["Kommune;2005 (3);2006 (3)"]
    for k in kommuner().itertuples():
        lines.append(f"{k.navn};{_dansk(y2007[k.kommunekode] * 0.98)};{_dansk(y2007[k.kommunekode] * 0.99)}")
    lines += ["", "(3) Tallene for 1993-2006 er omregnet til nuværende kommuner.", *footer]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    return path


def test_an_estimate_from_noegletal_dk_is_shown_on_the_profile_and_written_to_csv_json_and_px(
        marts_env, tmp_path, client, app, capsys):
    path = noegletal_dk_file(tmp_path / "noegletal_befolkning.csv", marts_env)
    assert main(["ingest", str(path), "--noegletal", "befolkning.indbyggere", "--talformat", "dansk"]) == 0, \
        capsys.readouterr()
    # The profile card, where the value is shown, says it is an estimate (anonymous, over HTTP).
    page = render(client, app, "/kommune/101", "?aar=2006")
    assert ESTIMAT in page
    assert ESTIMAT not in render(client, app, "/kommune/101", "?aar=2008")
    # The chart over time, in the area's depth, says so where the pointer rests on an estimated year.
    depth = render(client, app, "/kommune/101", "?omraade=befolkning")
    assert f"<br>{ESTIMAT}" in depth
    assert f"<br>{ESTIMAT}" not in render(client, app, "/kommune/101", "?omraade=skole")
    assert f"<br>{ESTIMAT}" in render(client, app, "/noegletal/befolkning.indbyggere")   # the country and regions
    # The API's CSV: STATUS E, the value still given; hele landet, summed from estimates, is an estimate too.
    csv = client.get("/api/v1/data?noegletal=befolkning.indbyggere&kommune=101,000&periode=2006,2008&format=csv")
    lines = {tuple(line.split(";")[4:9:2]): line.split(";") for line in csv.get_data(as_text=True).splitlines()[1:]}
    assert lines[("101", "2006", "E")][7] != "" and lines[("000", "2006", "E")][7] != ""
    assert ("101", "2008", "") in lines
    book = openpyxl.load_workbook(io.BytesIO(client.get(
        "/api/v1/data?noegletal=befolkning.indbyggere&kommune=101&periode=2006&format=xlsx").get_data()))
    assert [r[8] for r in book["Data"].iter_rows(min_row=2, values_only=True)] == ["E"]
    assert ("E", ESTIMAT) in [r[:2] for r in book["Om data"].iter_rows(values_only=True)]
    rows = client.get("/api/v1/data?noegletal=befolkning.indbyggere&kommune=101&periode=2006&format=json").get_json()
    assert [(r["status"], r["vaerdi"] is not None) for r in rows["data"]] == [("estimat", True)]
    # Disclosure control treats an estimate as a published value: every municipality's and region's is shown.
    everyone = client.get("/api/v1/data?noegletal=befolkning.indbyggere&kommune=alle&periode=2006&format=json")
    regions = client.get("/api/v1/data?noegletal=befolkning.indbyggere&kommune=1081,1082,1083,1084,1085"
                         "&periode=2006&format=json")
    shown = [(r["status"], r["vaerdi"] is not None) for r in everyone.get_json()["data"] + regions.get_json()["data"]]
    assert shown == [("estimat", True)] * (98 + 5)
    # The databank's PX: each estimated cell carries a cell note a PX reader shows with the figure.
    release = read_tables(marts_env.marts_path.resolve())["release"].iloc[-1]["release_id"]
    assert main(["export", "--release", release, "--out", str(tmp_path), "--noegletal", "befolkning.indbyggere",
                 "--perioder", "2006,2008"]) == 0
    bundle = zipfile.ZipFile(next(tmp_path.glob("*.zip")))
    matrix = bundle.read("px/befolkning_indbyggere.px").decode("windows-1252")
    assert f'CELLNOTE("*","2006")="{ESTIMAT}.";' in matrix
    assert '"2008")' not in matrix
    assert ";E;" in bundle.read("noegletal.csv").decode("utf-8-sig")


def test_the_extraction_date_is_read_from_the_file_and_the_option_still_wins(marts_env, tmp_path, capsys):
    path = noegletal_dk_file(tmp_path / "n.csv", marts_env)
    assert main(["ingest", str(path), "--noegletal", "befolkning.indbyggere", "--talformat", "dansk"]) == 0, \
        capsys.readouterr()
    assert "udtræksdato 20.11.2026 (fra filen)" in capsys.readouterr().out
    releases = read_tables(marts_env.marts_path.resolve())["release"]
    assert releases.iloc[-1]["udtraeksdato"].date() == dt.date(2026, 11, 20)
    path = noegletal_dk_file(tmp_path / "m.csv", marts_env, footer=("Data udtrukket 20. november 2026",))
    assert main(["ingest", str(path), "--noegletal", "befolkning.indbyggere", "--talformat", "dansk",
                 "--udtraeksdato", "2026-11-25"]) == 0
    releases = read_tables(marts_env.marts_path.resolve())["release"]
    assert releases.iloc[-1]["udtraeksdato"].date() == dt.date(2026, 11, 25)


# --- validation gaps: each refused with a Danish message, and the marts stay byte-for-byte as they were ----------

def _long(path: Path, extra: list[str], header: str = "noegletal_id;kommunekode;periode;vaerdi") -> Path:
    ok = [f"skole.karakter;{k};2026;7,1" for k in kommuner()["kommunekode"] if k != "101"]
    path.write_text(header + "\n" + "\n".join(ok + extra) + "\n", encoding="utf-8")
    return path


def refused(st, argv: list[str], capsys, code: int = 1) -> str:
    """Run the ingest, which must be refused with exit `code` and leave the marts untouched; its output."""
    before, files_before = fingerprint(st), sorted(st.marts_dir.iterdir())
    assert main(["ingest", *argv]) == code
    out, err = capsys.readouterr()
    assert fingerprint(st) == before and sorted(st.marts_dir.iterdir()) == files_before
    assert "Traceback" not in out + err
    return out + err


@pytest.mark.parametrize("periode", ["9999", "0000", "1969", "2026M13", "2026M00", "2026K5"])
def test_an_implausible_period_is_refused(periode, marts_env, tmp_path, capsys):
    shown = refused(marts_env, [str(_long(tmp_path / "p.csv", [f"skole.karakter;101;{periode};7,0"]))], capsys)
    assert "FEJL [ugyldig_periode]" in shown and f"'{periode}'" in shown
    assert f"mellem 1970 og {dt.date.today().year + 1}" in shown


@pytest.mark.parametrize("omraade", ["1084", "000"])
def test_a_region_or_national_value_outside_the_plausible_range_is_refused(omraade, marts_env, tmp_path, capsys):
    path = _long(tmp_path / "r.csv", ["skole.karakter;101;2026;7,0", f"skole.karakter;{omraade};2026;70,0"])
    shown = refused(marts_env, [str(path)], capsys)
    assert "FEJL [uden_for_interval]" in shown and f"område {omraade}" in shown and "maksimum 11" in shown


def test_a_total_is_checked_against_the_range_times_its_municipalities(marts_env, tmp_path, capsys):
    """A count's total may exceed one municipality's maximum, never that of all 98 together."""
    lines = [f"befolkning.indbyggere;{k};2026;50.000" for k in kommuner()["kommunekode"]]
    path = _long(tmp_path / "t.csv", [*lines, "befolkning.indbyggere;000;2026;5.800.000",
                                      "befolkning.indbyggere;1084;2026;99.000.000"])
    shown = refused(marts_env, [str(path)], capsys)
    assert "område 1084" in shown and "område 000" not in shown


def test_duplicate_column_names_are_refused(marts_env, tmp_path, capsys):
    path = _long(tmp_path / "d.csv", [], header="noegletal_id;kommunekode;periode;vaerdi;Værdi")
    path.write_text(path.read_text(encoding="utf-8").replace("7,1\n", "7,1;7,2\n"), encoding="utf-8")
    shown = refused(marts_env, [str(path)], capsys)
    assert "'Værdi'" in shown and "kolonne 4 og 5" in shown


@pytest.mark.parametrize("problem", [FileNotFoundError, PermissionError, IsADirectoryError])
def test_a_file_that_vanishes_or_cannot_be_read_gives_a_clear_message(problem, marts_env, tmp_path, capsys,
                                                                      monkeypatch):
    path = wide_file(tmp_path / "k.csv", all_98("7,0"))
    original = Path.read_bytes

    def vanish(self):
        if self == path:
            raise problem(2, "simulated", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", vanish)
    shown = refused(marts_env, [str(path), "--noegletal", "skole.karakter"], capsys)
    assert f"Filen {path.name} kan ikke læses" in shown


def test_an_unwritable_report_path_is_refused_before_anything_is_loaded(marts_env, tmp_path, capsys):
    path = wide_file(tmp_path / "k.csv", all_98("7,0"))
    report = tmp_path / "findes-ikke" / "rapport.json"
    shown = refused(marts_env, [str(path), "--noegletal", "skole.karakter", "--rapport", str(report)], capsys,
                    code=2)
    assert "--rapport" in shown and "findes-ikke" in shown and "Indlæst" not in shown
    shown = refused(marts_env, [str(path), "--noegletal", "skole.karakter", "--rapport", str(tmp_path)], capsys,
                    code=2)
    assert "er en mappe" in shown


def test_an_unknown_key_figure_says_how_to_add_it_to_the_catalogue(marts_env, tmp_path, capsys):
    shown = refused(marts_env, [str(_long(tmp_path / "u.csv", ["skole.karaktr;101;2026;7,0"]))], capsys)
    assert "Ukendt nøgletal 'skole.karaktr'" in shown and "Mente du 'skole.karakter'" in shown
    assert "data/noegletal.toml" in shown and "python -m kdk build" in shown
    assert "id, titel, definition" in shown
