"""Tests for kdk.marts.validation: one bad file per rule (read with read_source), build data without line numbers,
and the speed over 100 000 rows."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kdk.marts.findings import ADVARSEL, FEJL
from kdk.marts.ingest_reader import ReadOptions, read_source
from kdk.marts.validation import validate

ROD = Path(__file__).resolve().parents[1]
FILER = Path(__file__).resolve().parent / "filer"
KATALOG = {
    "ledighed": {"periodicitet": "maaned", "min": 0, "max": 100, "max_spring": 0.5, "titel": "Ledighed"},
    "ledighed_kvt": {"periodicitet": "kvartal", "min": 0, "max": 100, "max_spring": None, "titel": "Ledighed"},
    "udgift_elev": {"periodicitet": "aar", "min": 0, "max": None, "max_spring": 0.5, "titel": "Udgift pr. elev"},
}


@pytest.fixture(scope="module")
def kommuner() -> pd.DataFrame:
    return pd.read_csv(ROD / "data" / "kilder" / "kommuner" / "kommuner.csv", dtype=str)


@pytest.fixture(scope="module")
def koder(kommuner) -> set[str]:
    return set(kommuner["kommunekode"])


def valider(navn: str, kommuner: pd.DataFrame, noegletal_id: str | None = None, tidligere=None):
    data, fund = read_source(FILER / navn, ReadOptions(noegletal_id=noegletal_id), kommuner)
    assert fund == []
    return validate(data, KATALOG, set(kommuner["kommunekode"]), navn, tidligere)


def regler(fund, regel: str) -> list[tuple]:
    return [(f.niveau, f.fil, f.linje, f.kolonne) for f in fund if f.regel == regel]


def byggedata(raekker: list[tuple]) -> pd.DataFrame:
    """Build data: no linje/kolonne columns."""
    return pd.DataFrame(raekker, columns=["noegletal_id", "omraade_kode", "periode", "vaerdi"])


def test_ukendt_noegletal(kommuner):
    fund = valider("validering_ukendt_noegletal.csv", kommuner)
    assert regler(fund, "ukendt_noegletal") == [(FEJL, "validering_ukendt_noegletal.csv", 3, "vaerdi")]
    besked = fund[0].besked
    assert besked.startswith("Ukendt nøgletal 'ledighedd' (2 rækker)")
    assert "Mente du 'ledighed' eller 'ledighed_kvt'? Et nyt nøgletal tilføjes" in besked
    assert "data/noegletal.toml" in besked and besked.endswith("kør derefter python -m kdk build og indlæs filen igen.")


def test_periodicitet(kommuner):
    fund = valider("validering_periodicitet.csv", kommuner)
    assert regler(fund, "periodicitet") == [(FEJL, "validering_periodicitet.csv", 3, "vaerdi"),
                                            (FEJL, "validering_periodicitet.csv", 5, "vaerdi")]
    assert [f.besked for f in fund if f.regel == "periodicitet"] == [
        "Perioden '2024M01' er en måned, men nøgletallet 'udgift_elev' opgøres pr. år (1 række).",
        "Perioden '2024K1' er et kvartal, men nøgletallet 'ledighed' opgøres pr. måned (1 række).",
    ]


def test_aar_er_tilladt_for_kvartals_og_maanedstal(koder):
    data = byggedata([("ledighed", "000", "2024", 4.0), ("ledighed_kvt", "000", "2024", 4.0),
                      ("ledighed_kvt", "000", "2024K2", 4.0)])
    assert validate(data, KATALOG, koder, "bygning") == []


def test_dublet(kommuner):
    fund = valider("validering_dublet.csv", kommuner)
    assert regler(fund, "dublet") == [(FEJL, "validering_dublet.csv", 4, "vaerdi")]
    assert fund[0].besked == "Dublet: nøgletal 'ledighed', område 101, periode 2024M01 står også på linje 2."


def test_dublet_uden_linjenumre(koder):
    data = byggedata([("udgift_elev", "000", "2024", 1.0), ("udgift_elev", "000", "2024", 2.0)])
    fund = validate(data, KATALOG, koder, "bygning")
    assert [(f.regel, f.linje, f.kolonne) for f in fund] == [("dublet", None, None)]
    assert fund[0].besked.endswith("forekommer mere end én gang.")


def test_uden_for_interval(kommuner):
    fund = valider("validering_interval.csv", kommuner)
    assert regler(fund, "uden_for_interval") == [(FEJL, "validering_interval.csv", 3, "vaerdi"),
                                                 (FEJL, "validering_interval.csv", 4, "vaerdi")]
    assert [f.besked for f in fund if f.regel == "uden_for_interval"] == [
        "Værdien 120 er større end maksimum 100 for nøgletallet 'ledighed' (område 147, periode 2024M01).",
        "Værdien -1 er mindre end minimum 0 for nøgletallet 'ledighed' (område 151, periode 2024M01).",
    ]


def test_interval_uden_maksimum(koder):
    data = byggedata([("udgift_elev", "000", "2024", 1e9), ("udgift_elev", "101", "2024", -0.5)])
    fund = [f for f in validate(data, KATALOG, koder, "bygning") if f.regel == "uden_for_interval"]
    assert [f.besked for f in fund] == [
        "Værdien -0,5 er mindre end minimum 0 for nøgletallet 'udgift_elev' (område 101, periode 2024)."]


def test_interval_for_regioner_og_hele_landet(koder):
    """A region's or the country's rate lies within a municipality's range; a count's total within 98 maxima."""
    katalog = {**KATALOG, "elever": {"periodicitet": "aar", "min": 0, "max": 1000, "aggregering": "sum"}}
    data = byggedata([("ledighed", "1084", "2024M01", 120.0), ("ledighed", "000", "2024M01", 4.0),
                      ("elever", "000", "2024", 98_000.0), ("elever", "1081", "2024", 98_001.0),
                      ("elever", "101", "2024", 1001.0)])
    fund = [f.besked for f in validate(data, katalog, koder, "bygning") if f.regel == "uden_for_interval"]
    assert fund == [
        "Værdien 120 er større end maksimum 100 for nøgletallet 'ledighed' (område 1084, periode 2024M01).",
        "Værdien 98.001 er større end maksimum 98.000 (summen af 98 kommuners maksimum) for nøgletallet 'elever' "
        "(område 1081, periode 2024).",
        "Værdien 1.001 er større end maksimum 1.000 for nøgletallet 'elever' (område 101, periode 2024)."]


def test_spring_i_samme_fil(kommuner):
    fund = valider("validering_spring.csv", kommuner, noegletal_id="udgift_elev")
    assert regler(fund, "spring") == [(ADVARSEL, "validering_spring.csv", 2, "2024"),
                                      (ADVARSEL, "validering_spring.csv", 3, "2023")]
    assert [f.besked for f in fund if f.regel == "spring"] == [
        ("Værdien for område 101 ændrer sig +54,5 pct. fra 2023 (110) til 2024 (170); grænsen for nøgletallet "
         "'udgift_elev' er 50,0 pct."),
        ("Værdien for område 147 ændrer sig -100,0 pct. fra 2022 (100) til 2023 (0); grænsen for nøgletallet "
         "'udgift_elev' er 50,0 pct."),
    ]


def test_spring_mod_tidligere_data(kommuner):
    tidligere = pd.DataFrame({"noegletal_id": ["udgift_elev"] * 2, "omraade_kode": ["101", "151"],
                              "periode": ["2021", "2021"], "vaerdi": [40.0, 90.0]})
    fund = valider("validering_spring.csv", kommuner, noegletal_id="udgift_elev", tidligere=tidligere)
    assert [(f.linje, f.kolonne) for f in fund if f.regel == "spring"] == [(2, "2022"), (2, "2024"), (3, "2023")]


def test_spring_foretraekker_egne_data_frem_for_tidligere(koder):
    data = byggedata([("ledighed", "000", "2024M01", 4.0), ("ledighed", "000", "2024M02", 4.4)])
    tidligere = byggedata([("ledighed", "000", "2024M01", 1.0)])
    assert validate(data, KATALOG, koder, "bygning", tidligere) == []


def test_spring_springes_over_uden_graense(koder):
    data = byggedata([("ledighed_kvt", "000", "2024K1", 1.0), ("ledighed_kvt", "000", "2024K2", 90.0)])
    assert validate(data, KATALOG, koder, "bygning") == []


def test_ukendt_kommune_i_byggedata(koder):
    data = byggedata([("udgift_elev", "999", "2024", 1.0), ("udgift_elev", "999", "2023", 1.0),
                      ("udgift_elev", "1084", "2024", 1.0)])
    fund = validate(data, KATALOG, koder, "bygning")
    assert [(f.regel, f.niveau, f.fil, f.linje, f.kolonne) for f in fund] == [
        ("ukendt_kommune", FEJL, "bygning", None, None)]
    assert fund[0].besked.startswith("Ukendt områdekode '999' (2 rækker).")


def test_ugyldig_periode_i_byggedata(koder):
    data = byggedata([("udgift_elev", "000", "2024-01", 1.0)])
    fund = validate(data, KATALOG, koder, "bygning")
    assert [(f.regel, f.besked) for f in fund] == [
        ("ugyldig_periode", "Ugyldig periode '2024-01' (1 række). Brug fx 2024, 2024K1, 2024M01 eller 2021:2025 "
                            f"(fem år), med år mellem 1970 og {dt.date.today().year + 1}.")]


def alle_kommuner(koder: set[str], perioder: list[str], undtagen: dict[str, set[str]]) -> pd.DataFrame:
    raekker = [("udgift_elev", kode, periode, 100.0) for periode in perioder
               for kode in sorted(koder) if kode not in undtagen.get(periode, set())]
    return byggedata(raekker)


def test_manglende_kommuner_pr_periode(koder):
    mangler = {"2023": {"101"}, "2024": set(sorted(koder, key=int)[:12])}
    fund = validate(alle_kommuner(koder, ["2022", "2023", "2024"], mangler), KATALOG, koder, "bygning")
    assert [(f.regel, f.niveau, f.linje, f.kolonne) for f in fund] == [("manglende_kommuner", ADVARSEL, None, None)] * 2
    assert fund[0].besked == "Nøgletallet 'udgift_elev' mangler 1 kommune i perioden 2023: 101."
    assert fund[1].besked == ("Nøgletallet 'udgift_elev' mangler 12 kommuner i perioden 2024: 101, 147, 151, 153, "
                              "155, 157, 159, 161, 163, 165 og 2 flere.")


def test_manglende_kommuner_samme_i_alle_perioder(koder, tmp_path, kommuner):
    data = alle_kommuner(koder, ["2022", "2023"], {"2022": {"400", "825"}, "2023": {"400", "825"}})
    fil = tmp_path / "alle.csv"
    data.drop(columns="noegletal_id").to_csv(fil, sep=";", index=False)
    laest, _ = read_source(fil, ReadOptions(noegletal_id="udgift_elev"), kommuner)
    fund = validate(laest, KATALOG, koder, "alle.csv")
    assert [f.besked for f in fund] == ["Nøgletallet 'udgift_elev' mangler 2 kommuner i alle 2 perioder: 400, 825."]


def test_kun_hele_landet_giver_ingen_manglende_kommuner(koder):
    data = byggedata([("udgift_elev", "000", "2024", 1.0), ("udgift_elev", "1081", "2024", 1.0)])
    assert validate(data, KATALOG, koder, "bygning") == []


def test_gode_filer_giver_ingen_fund(kommuner, koder):
    data, _ = read_source(FILER / "lang_tab_noegletal.tsv", ReadOptions(), kommuner)
    fund = validate(data[data["noegletal_id"] == "udgift_elev"], KATALOG, {"101"}, "lang_tab_noegletal.tsv")
    assert fund == []


def test_over_100_000_gyldige_raekker_giver_ingen_fund(koder):
    perioder = [f"{aar}M{maaned:02d}" for aar in range(2016, 2026) for maaned in range(1, 13)][:114]
    ids = [f"ledighed{i}" for i in range(9)]
    data = pd.MultiIndex.from_product([ids, sorted(koder), perioder], names=["noegletal_id", "omraade_kode",
                                                                             "periode"]).to_frame(index=False)
    data["vaerdi"] = np.random.default_rng(1).uniform(4, 5, len(data))
    data["linje"] = np.arange(2, len(data) + 2)
    data["kolonne"] = "vaerdi"
    katalog = {n: KATALOG["ledighed"] for n in ids}
    fund = validate(data, katalog, koder, "stor.csv")
    assert (len(data), fund) == (100_548, [])


def test_a_finding_about_one_key_figure_names_it(koder):
    """Who may see a stored finding is decided by the figure it is about (noegletal_id), never by its message."""
    data = byggedata([("ledighed", "101", "2024K1", 1.0),                                   # periodicitet
                      ("udgift_elev", "101", "2024", -1.0), ("udgift_elev", "101", "2024", -1.0),   # interval, dublet
                      ("udgift_elev", "147", "2023", 100.0), ("udgift_elev", "147", "2024", 170.0),  # spring
                      ("findes_ikke", "101", "2024", 1.0),                                 # unknown figure
                      ("udgift_elev", "999", "2024", 1.0), ("udgift_elev", "101", "24", 1.0)])  # area, period
    about = {(f.regel, f.noegletal_id) for f in validate(data, KATALOG, koder, "bygning")}
    assert about == {("periodicitet", "ledighed"), ("uden_for_interval", "udgift_elev"), ("dublet", "udgift_elev"),
                     ("spring", "udgift_elev"), ("manglende_kommuner", "udgift_elev"),
                     ("manglende_kommuner", "ledighed"),
                     ("ukendt_noegletal", None), ("ukendt_kommune", None), ("ugyldig_periode", None)}


@pytest.mark.parametrize("navn", ["fejl_ikke_tal.csv", "fejl_ukendt_kommune.csv", "fejl_ugyldig_periode.csv"])
def test_a_row_the_reader_leaves_out_is_about_the_rows_key_figure(navn, kommuner):
    _, fund = read_source(FILER / navn, ReadOptions(noegletal_id="udgift_elev"), kommuner)
    assert fund and {f.noegletal_id for f in fund} == {"udgift_elev"}
