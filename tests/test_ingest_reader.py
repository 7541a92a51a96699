"""Tests for kdk.marts.ingest_reader: the portal formats in tests/filer/ read back exactly, bad files give findings
or IngestError messages that name the CLI option."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from kdk.marts.findings import FEJL, IngestError
from kdk.marts.ingest_reader import KOLONNER, ReadOptions, open_source, read_source, udtraeksdato

ROD = Path(__file__).resolve().parents[1]
FILER = Path(__file__).resolve().parent / "filer"


@pytest.fixture(scope="module")
def kommuner() -> pd.DataFrame:
    return pd.read_csv(ROD / "data" / "kilder" / "kommuner" / "kommuner.csv", dtype=str)


def laes(navn: str, kommuner: pd.DataFrame, **options):
    return read_source(FILER / navn, ReadOptions(**options), kommuner)


def raekker(data: pd.DataFrame, *kolonner: str) -> list[tuple]:
    """The chosen columns as tuples, NaN as None so that lists compare."""
    return [tuple(None if isinstance(v, float) and math.isnan(v) else v for v in r)
            for r in data[list(kolonner)].itertuples(index=False)]


def fejl(fund) -> list[tuple]:
    assert all(f.niveau == FEJL for f in fund)
    return [(f.regel, f.linje, f.kolonne) for f in fund]


# --- good files: every supported variant ---------------------------------------------------------------------------

def test_statbank_bred_cp1252_semikolon_dansk_tal(kommuner):
    data, fund = laes("statbank_bred_cp1252.csv", kommuner, noegletal_id="folketal")
    assert fund == []
    assert list(data.columns) == KOLONNER
    assert raekker(data, "omraade_kode", "periode", "vaerdi", "status", "linje", "kolonne")[::3] == [
        ("000", "2019", 5806081.0, "normal", 2, "2019"),
        ("1084", "2019", 1835562.0, "normal", 3, "2019"),
        ("101", "2019", 623404.0, "normal", 4, "2019"),
        ("169", "2019", 50399.0, "normal", 5, "2019"),
        ("492", "2019", 6167.0, "normal", 6, "2019"),
        ("810", "2019", 36045.0, "normal", 7, "2019"),
    ]
    assert raekker(data[data["omraade_kode"] == "169"], "periode", "vaerdi", "status") == [
        ("2019", 50399.0, "normal"), ("2020", 50844.0, "normal"), ("2021", None, "mangler")]
    assert set(data["noegletal_id"]) == {"folketal"}


def test_kolonnetyper(kommuner):
    data, _ = laes("lang_tab_noegletal.tsv", kommuner)
    assert data.dtypes.astype(str).to_dict() == {
        "noegletal_id": "str", "omraade_kode": "str", "periode": "str", "vaerdi": "float64", "status": "str",
        "taeller": "float64", "naevner": "float64", "linje": "int64", "kolonne": "str"}


def test_noegletal_bom_kommunenavne_og_dansk_decimal(kommuner):
    data, fund = laes("noegletal_bom.csv", kommuner, noegletal_id="elever_pr_laerer")
    assert fund == []
    assert raekker(data[data["periode"] == "2021"], "omraade_kode", "vaerdi", "linje") == [
        ("101", 12.5, 2), ("400", 1234.5, 3), ("169", 8.0, 4), ("751", 10.0, 5), ("820", 7.1, 6), ("810", 9.9, 7)]
    assert raekker(data[data["omraade_kode"] == "400"], "vaerdi") == [(1234.5,), (1240.0,), (1251.75,)]
    assert raekker(data[data["status"] != "normal"], "omraade_kode", "periode", "status", "kolonne") == [
        ("810", "2022", "mangler", "2022")]
    assert raekker(data[data["omraade_kode"] == "101"], "vaerdi") == [(12.5,), (13.1,), (0.0,)]   # '-' is nil


def test_jobindsats_lang_komma_plain_tal(kommuner):
    data, fund = laes("jobindsats_lang.csv", kommuner, noegletal_id="ledighed")
    assert fund == []
    assert raekker(data, "noegletal_id", "omraade_kode", "periode", "vaerdi", "status", "linje", "kolonne") == [
        ("ledighed", "101", "2021M08", 4.9, "normal", 2, "vaerdi"),
        ("ledighed", "101", "2021M09", 4.75, "normal", 3, "vaerdi"),
        ("ledighed", "101", "2021M10", 5.0, "normal", 4, "vaerdi"),
        ("ledighed", "147", "2021M08", None, "mangler", 5, "vaerdi"),
        ("ledighed", "000", "2021M08", 3.6, "normal", 6, "vaerdi"),
    ]


def test_statbank_api_koder_og_kvartaler(kommuner):
    data, fund = laes("statbank_api_lang.csv", kommuner, noegletal_id="folketal_kvt")
    assert fund == []
    assert raekker(data, "omraade_kode", "periode", "vaerdi", "status", "kolonne") == [
        ("000", "2024K1", 5961249.0, "normal", "INDHOLD"),
        ("1084", "2024K1", 1905785.0, "normal", "INDHOLD"),
        ("101", "2024K2", 667099.0, "normal", "INDHOLD"),
        ("147", "2024K2", 105042.0, "normal", "INDHOLD"),
        ("1085", "2024K2", None, "mangler", "INDHOLD"),
    ]


def test_tab_med_noegletal_taeller_og_naevner(kommuner):
    data, fund = laes("lang_tab_noegletal.tsv", kommuner)
    assert fund == []
    assert raekker(data, "noegletal_id", "omraade_kode", "periode", "vaerdi", "status", "taeller", "naevner") == [
        ("ledighed", "101", "2024M01", 4.25, "normal", 12345.0, 290470.0),
        ("ledighed", "147", "2024M01", 3.5, "normal", 2100.0, 60000.0),
        ("ledighed", "151", "2024M01", None, "mangler", None, None),
        ("udgift_elev", "101", "2024", 78123.5, "normal", None, 0.0),   # NA: no value; '-': nil
    ]


def test_citerede_felter_mellemrum_og_nbsp_som_tusindtalsskilletegn(kommuner):
    data, fund = laes("lang_citeret_komma_dansk.csv", kommuner, noegletal_id="x")
    assert fund == []
    assert raekker(data, "omraade_kode", "periode", "vaerdi", "kolonne") == [
        ("751", "2021M03", 1234.5, "værdi"), ("1082", "2021M03", 2345678.0, "værdi"),
        ("000", "2021M03", 12345678.9, "værdi"), ("000", "2021M04", -7.25, "værdi")]


def test_noegletalskolonne_med_titler_viger_for_option(kommuner):
    data, fund = laes("noegletal_titler.csv", kommuner, noegletal_id="udgift_elev")
    assert fund == []
    assert raekker(data, "noegletal_id", "omraade_kode", "periode", "vaerdi") == [
        ("udgift_elev", "461", "2023", 78123.5), ("udgift_elev", "851", "2023", 80001.25)]


def test_noegletalskolonne_med_id_vinder_over_option(kommuner):
    data, _ = laes("lang_tab_noegletal.tsv", kommuner, noegletal_id="andet")
    assert list(data["noegletal_id"]) == ["ledighed"] * 3 + ["udgift_elev"]


def test_tom_noegletalscelle_udfyldes_fra_option(kommuner):
    data, fund = laes("fejl_mangler_noegletal.csv", kommuner, noegletal_id="ledighed")
    assert fund == []
    assert list(data["noegletal_id"]) == ["ledighed", "ledighed"]


def test_plain_tal_med_tre_decimaler_er_entydige_naar_andre_tal_er_plain(kommuner):
    data, _ = laes("tvetydigt_plain.csv", kommuner, noegletal_id="x")
    assert list(data["vaerdi"]) == [466.129, 12.5]


@pytest.mark.parametrize(("talformat", "forventet"), [("dansk", 466129.0), ("plain", 466.129)])
def test_talformat_option_afgoer_tvetydige_tal(kommuner, talformat, forventet):
    data, fund = laes("fejl_talformat_tvetydigt.csv", kommuner, noegletal_id="x", talformat=talformat)
    assert fund == []
    assert data["vaerdi"].iloc[2] == forventet


@pytest.mark.parametrize("navn", [
    "København", "101", "0101", "Københavns Kommune", "københavn kommune", "  KØBENHAVN  ",
])
def test_koebenhavn_skrevet_paa_mange_maader(kommuner, tmp_path, navn):
    fil = tmp_path / "k.csv"
    fil.write_text(f"kommune;aar;vaerdi\n{navn};2024;1\n", encoding="utf-8")
    data, fund = read_source(fil, ReadOptions(noegletal_id="x"), kommuner)
    assert (fund, list(data["omraade_kode"])) == ([], ["101"])


@pytest.mark.parametrize(("navn", "kode"), [
    ("Høje Taastrup", "169"), ("Høje-Taastrup Kommune", "169"), ("Århus", "751"), ("Aarhus Kommune", "751"),
    ("Vesthimmerland", "820"), ("Nordfyn Kommune", "480"), ("Bornholms Regionskommune", "400"),
    ("Brønderslev-Dronninglund", "810"), ("Tårnby", "185"), ("Hele landet", "000"), ("Danmark", "000"),
    ("Landet", "000"), ("0", "000"), ("000", "000"), ("Region Hovedstaden", "1084"), ("Hovedstaden", "1084"),
    ("Region Sjælland", "1085"), ("1081", "1081"), ("082", "1082"),
])
def test_omraadenavne_og_koder(kommuner, tmp_path, navn, kode):
    fil = tmp_path / "k.csv"
    fil.write_text(f"område;periode;værdi\n{navn};2024;1\n", encoding="utf-8")
    data, fund = read_source(fil, ReadOptions(noegletal_id="x"), kommuner)
    assert (fund, list(data["omraade_kode"])) == ([], [kode])


@pytest.mark.parametrize(("periode", "kode"), [
    ("2024", "2024"), ("2024K1", "2024K1"), ("2024Q3", "2024K3"), ("2024M1", "2024M01"), ("2024-03", "2024M03")])
def test_periodeformater(kommuner, tmp_path, periode, kode):
    fil = tmp_path / "p.csv"
    fil.write_text(f"kommunekode,tid,vaerdi\n101,{periode},1\n", encoding="utf-8")
    data, _ = read_source(fil, ReadOptions(noegletal_id="x"), kommuner)
    assert list(data["periode"]) == [kode]


def test_bred_med_maanedsoverskrifter_og_ekstra_kolonner(kommuner, tmp_path):
    fil = tmp_path / "b.csv"
    fil.write_text("kommunekode;navn;enhed;2021M03;2021-04\n101;København;pct;1,5;2\n", encoding="utf-8")
    data, fund = read_source(fil, ReadOptions(noegletal_id="x"), kommuner)
    assert fund == []
    assert raekker(data, "omraade_kode", "periode", "vaerdi", "kolonne") == [
        ("101", "2021M03", 1.5, "2021M03"), ("101", "2021M04", 2.0, "2021-04")]


def test_fysiske_linjenumre_med_tomme_linjer_og_linjeskift_i_felt(kommuner, tmp_path):
    fil = tmp_path / "l.csv"
    fil.write_text('kommunekode,periode,vaerdi,note\n\n101,2024,1,"to\nlinjer"\n147,2024,2,x\n', encoding="utf-8")
    data, _ = read_source(fil, ReadOptions(noegletal_id="x"), kommuner)
    assert list(data["linje"]) == [3, 5]


@pytest.mark.parametrize(("option", "separator"), [(";", ";"), ("tab", "\t"), ("\t", "\t")])
def test_separator_option(kommuner, tmp_path, option, separator):
    fil = tmp_path / "s.csv"
    fil.write_text(separator.join(["kommunekode", "periode", "vaerdi"]) + "\n"
                   + separator.join(["101", "2024", "1"]) + "\n", encoding="utf-8")
    data, _ = read_source(fil, ReadOptions(noegletal_id="x", separator=option), kommuner)
    assert list(data["vaerdi"]) == [1.0]


def test_encoding_option(kommuner):
    data, _ = laes("statbank_bred_cp1252.csv", kommuner, noegletal_id="x", encoding="cp1252")
    assert len(data) == 18


def test_latin1_naar_cp1252_ikke_kender_en_byte(kommuner, tmp_path):
    fil = tmp_path / "l.csv"
    fil.write_bytes("område;aar;vaerdi;note\nKøge;2024;1;".encode("latin-1") + b"\x81\n")
    data, fund = read_source(fil, ReadOptions(noegletal_id="x"), kommuner)
    assert (fund, list(data["omraade_kode"])) == ([], ["259"])


# --- source flags: footnotes and symbols become a status ---------------------------------------------------------

def test_noegletal_dk_fodnote_3_i_overskrift_og_celle_er_estimat_og_noter_er_ikke_data(kommuner):
    data, fund = laes("noegletal_fodnote.csv", kommuner, noegletal_id="x")
    assert fund == []
    assert raekker(data, "omraade_kode", "periode", "vaerdi", "status", "linje", "kolonne") == [
        ("101", "2005", 12.5, "estimat", 4, "2005 (3)"), ("101", "2006", 12.7, "estimat", 4, "2006 (3)"),
        ("101", "2007", 13.0, "normal", 4, "2007"),
        ("751", "2005", 11.0, "estimat", 5, "2005 (3)"), ("751", "2006", 11.2, "estimat", 5, "2006 (3)"),
        ("751", "2007", 11.4, "estimat", 5, "2007"),
        ("825", "2005", None, "mangler", 6, "2005 (3)"),   # '..': not available or confidential
        ("825", "2006", 0.0, "estimat", 6, "2006 (3)"),           # '-': nil
        ("825", "2007", 8.0, "normal", 6, "2007")]


def test_statbank_note_kolonne_med_fodnote(kommuner):
    data, fund = laes("statbank_note_kolonne.csv", kommuner, noegletal_id="x")
    assert raekker(data, "omraade_kode", "vaerdi", "status") == [
        ("101", 623404.0, "estimat"), ("147", None, "mangler"), ("151", 0.0, "normal"),
        ("153", 51234.0, "normal")]   # free text in the note column is no flag
    assert fejl(fund) == [("ukendt_fodnote", 6, "INDHOLD")]
    assert fund[0].besked.startswith("Fodnoten (7) ved værdien er ukendt")


def test_en_note_midt_i_tabellen_er_en_fejl(kommuner, tmp_path):
    fil = tmp_path / "n.csv"
    fil.write_text("kommune;2024\nOdense;1\n(3) Omregnet\nAarhus;2\n", encoding="utf-8")
    data, fund = read_source(fil, ReadOptions(noegletal_id="x"), kommuner)
    assert fejl(fund) == [("antal_felter", 3, None)]
    assert list(data["vaerdi"]) == [1.0, 2.0]


@pytest.mark.parametrize(("linje", "dato"), [
    ("Udtræksdato: 20-11-2026", dt.date(2026, 11, 20)), ("Data udtrukket 20. november 2026", dt.date(2026, 11, 20)),
    ("Hentet 2026-11-03", dt.date(2026, 11, 3)), ('"Dato: 3.1.2026";;', dt.date(2026, 1, 3)),
    ("Kilde: Danmarks Statistik", None), ("Udtræksdato: 31-02-2026", None)])
def test_udtraeksdato_fra_en_noteline(linje, dato):
    assert udtraeksdato(f"kommune;2024\nOdense;1\n{linje}\n") == dato


def test_udtraeksdato_fra_filen(kommuner):
    assert udtraeksdato(open_source(FILER / "noegletal_fodnote.csv", None)) == dt.date(2026, 11, 20)
    assert udtraeksdato(open_source(FILER / "statbank_bred_cp1252.csv", None)) is None


# --- bad files: one per rule ---------------------------------------------------------------------------------------

def test_ukendt_kommune(kommuner):
    data, fund = laes("fejl_ukendt_kommune.csv", kommuner, noegletal_id="x")
    assert fejl(fund) == [("ukendt_kommune", 3, "kommune"), ("ukendt_kommune", 4, "kommune")]
    assert fund[0].besked == "Ukendt kommune eller område 'Aarhuus'. Mente du 'Aarhus'?"
    assert fund[0].fil == "fejl_ukendt_kommune.csv"
    assert fund[1].besked == "Ukendt kommune eller område '999'."
    assert list(data["omraade_kode"]) == ["461", "157"]


def test_ukendt_kommune_i_bred_fil_en_gang_pr_linje(kommuner, tmp_path):
    fil = tmp_path / "b.csv"
    fil.write_text("kommune;2021;2022\nSydjylland;1;2\nOdense;3;4\n", encoding="utf-8")
    data, fund = read_source(fil, ReadOptions(noegletal_id="x"), kommuner)
    assert fejl(fund) == [("ukendt_kommune", 2, "kommune")]
    assert list(data["linje"]) == [3, 3]


def test_ugyldig_periode(kommuner):
    data, fund = laes("fejl_ugyldig_periode.csv", kommuner, noegletal_id="x")
    assert fejl(fund) == [("ugyldig_periode", 3, "periode"), ("ugyldig_periode", 4, "periode")]
    assert "'2021K5'" in fund[0].besked and "'2021M13'" in fund[1].besked
    assert list(data["periode"]) == ["2021K4"]


def test_ugyldig_periode_i_overskrift(kommuner):
    data, fund = laes("fejl_bred_periode.csv", kommuner, noegletal_id="x")
    assert fejl(fund) == [("ugyldig_periode", 1, "2021K5")]
    assert raekker(data, "periode", "vaerdi") == [("2021K4", 1.0)]


def test_ikke_tal(kommuner):
    data, fund = laes("fejl_ikke_tal.csv", kommuner, noegletal_id="x")
    assert fejl(fund) == [("ikke_tal", 3, "vaerdi"), ("ikke_tal", 4, "vaerdi")]
    assert fund[0].besked.startswith("'ca. 12' er hverken et tal")
    assert fund[1].besked.startswith("'n/a' er hverken et tal")
    assert list(data["vaerdi"]) == [12.0]


def test_ikke_tal_i_taeller(kommuner, tmp_path):
    fil = tmp_path / "t.csv"
    fil.write_text("kommunekode;periode;vaerdi;Tæller;Nævner\n101;2024;1,5;3;2\n147;2024;2;x;1\n", encoding="utf-8")
    data, fund = read_source(fil, ReadOptions(noegletal_id="x"), kommuner)
    assert fejl(fund) == [("ikke_tal", 3, "Tæller")]
    assert raekker(data, "vaerdi", "taeller", "naevner") == [(1.5, 3.0, 2.0)]


def test_tal_i_forkert_format_naar_formatet_er_angivet(kommuner):
    _, fund = laes("tvetydigt_plain.csv", kommuner, noegletal_id="x", talformat="dansk")
    assert fejl(fund) == [("ikke_tal", 3, "andel")]
    assert "'12.5'" in fund[0].besked and "dansk talformat" in fund[0].besked


def test_antal_felter(kommuner):
    data, fund = laes("fejl_antal_felter.csv", kommuner, noegletal_id="x")
    assert fejl(fund) == [("antal_felter", 3, None)]
    assert "4 felter" in fund[0].besked and "overskriften har 3" in fund[0].besked
    assert list(data["linje"]) == [2, 4]


def test_mangler_noegletal(kommuner):
    data, fund = laes("fejl_mangler_noegletal.csv", kommuner)
    assert fejl(fund) == [("mangler_noegletal", 3, "noegletal_id")]
    assert "--noegletal ID" in fund[0].besked
    assert list(data["noegletal_id"]) == ["ledighed"]


# --- IngestError: the message names the option ---------------------------------------------------------------------

@pytest.mark.parametrize("overskrift", ["kommunekode;periode;vaerdi;Værdi", "kommunekode;2024;2025;2024 (3)"])
def test_kolonnenavne_to_gange(kommuner, tmp_path, overskrift):
    fil = tmp_path / "d.csv"
    fil.write_text(f"{overskrift}\n101;2024;1;2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="^Overskriften har to kolonner med samme navn: .* \\(kolonne [23] og 4\\)"):
        read_source(fil, ReadOptions(noegletal_id="x"), kommuner)


def test_en_fil_der_forsvinder(tmp_path):
    with pytest.raises(IngestError, match="^Filen v.csv kan ikke læses: den findes ikke"):
        open_source(tmp_path / "v.csv", None)
    with pytest.raises(IngestError, match="^Filen .* kan ikke læses: det er en mappe"):
        open_source(tmp_path, None)


def test_talformat_tvetydigt(kommuner):
    with pytest.raises(IngestError) as fejlen:
        laes("fejl_talformat_tvetydigt.csv", kommuner, noegletal_id="x")
    assert str(fejlen.value) == ("Talformatet er tvetydigt: '466.129' (linje 4) kan være 466,129 eller 466129. "
                                 "Angiv --talformat dansk eller --talformat plain.")


def test_talformat_blandet(kommuner):
    with pytest.raises(IngestError) as fejlen:
        laes("fejl_talformat_blandet.csv", kommuner, noegletal_id="x")
    assert str(fejlen.value) == (
        "Talformatet er blandet: '1.234,5' (linje 2) er dansk talformat, men '12.5' (linje 3) er plain "
        "talformat. Ret filen, eller angiv --talformat dansk eller --talformat plain.")


def test_ukendt_talformat(kommuner):
    with pytest.raises(IngestError, match="Ukendt talformat 'engelsk'. Angiv --talformat dansk"):
        laes("jobindsats_lang.csv", kommuner, noegletal_id="x", talformat="engelsk")


def test_uden_noegletal(kommuner):
    with pytest.raises(IngestError) as fejlen:
        laes("jobindsats_lang.csv", kommuner)
    assert str(fejlen.value) == "Filen har ingen kolonne med nøgletal-id. Angiv nøgletallet med --noegletal ID."


def test_forkert_encoding(kommuner):
    with pytest.raises(IngestError) as fejlen:
        laes("statbank_bred_cp1252.csv", kommuner, noegletal_id="x", encoding="utf-8")
    assert "tegnsættet 'utf-8'" in str(fejlen.value) and "--encoding" in str(fejlen.value)


def test_ukendt_encoding(kommuner):
    with pytest.raises(IngestError, match="Ukendt tegnsæt 'utf-9'. Angiv fx --encoding utf-8"):
        laes("jobindsats_lang.csv", kommuner, noegletal_id="x", encoding="utf-9")


def test_ukendt_separator(kommuner):
    with pytest.raises(IngestError, match="Ukendt skilletegn '|'. Angiv --separator"):
        laes("jobindsats_lang.csv", kommuner, noegletal_id="x", separator="|")


def test_separator_kan_ikke_findes(kommuner, tmp_path):
    fil = tmp_path / "s.csv"
    fil.write_text("kommunekode periode vaerdi\n101 2024 1\n", encoding="utf-8")
    with pytest.raises(IngestError, match="Angiv skilletegnet med --separator"):
        read_source(fil, ReadOptions(noegletal_id="x"), kommuner)


def test_separator_tvetydig(kommuner, tmp_path):
    fil = tmp_path / "s.csv"
    fil.write_text("kommunekode;periode,vaerdi\n101;2024,1\n", encoding="utf-8")
    with pytest.raises(IngestError, match="Skilletegnet er tvetydigt.*--separator"):
        read_source(fil, ReadOptions(noegletal_id="x"), kommuner)


def test_uafsluttet_anfoerselstegn(kommuner, tmp_path):
    fil = tmp_path / "q.csv"
    fil.write_text('kommunekode;periode;vaerdi\n101;2024;"1\n' + "x;" * 70_000 + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match="kan ikke læses som CSV ved linje 3.*--separator"):
        read_source(fil, ReadOptions(noegletal_id="x"), kommuner)


def test_tom_fil(kommuner):
    with pytest.raises(IngestError, match="^Filen tom.csv er tom.$"):
        laes("tom.csv", kommuner, noegletal_id="x")


def test_fil_med_kun_overskrift(kommuner, tmp_path):
    fil = tmp_path / "h.csv"
    fil.write_text("kommunekode;periode;vaerdi\n;;\n", encoding="utf-8")
    with pytest.raises(IngestError, match="^Filen h.csv har ingen datarækker under overskriften.$"):
        read_source(fil, ReadOptions(noegletal_id="x"), kommuner)


def test_fil_med_kun_bom_er_tom(kommuner, tmp_path):
    fil = tmp_path / "bom.csv"
    fil.write_bytes(b"\xef\xbb\xbf\r\n")
    with pytest.raises(IngestError, match="er tom"):
        read_source(fil, ReadOptions(noegletal_id="x"), kommuner)


def test_ingen_vaerdikolonne(kommuner):
    with pytest.raises(IngestError, match="^Filen har ingen kolonne med værdier"):
        laes("fejl_ingen_vaerdikolonne.csv", kommuner, noegletal_id="x")


def test_ingen_periodekolonne(kommuner, tmp_path):
    fil = tmp_path / "p.csv"
    fil.write_text("kommunekode;vaerdi\n101;1\n", encoding="utf-8")
    with pytest.raises(IngestError, match="^Filen har ingen kolonne med perioder"):
        read_source(fil, ReadOptions(noegletal_id="x"), kommuner)


def test_ingen_omraadekolonne(kommuner, tmp_path):
    fil = tmp_path / "o.csv"
    fil.write_text("skole;periode;vaerdi\nBakkeskolen;2024;1\n", encoding="utf-8")
    with pytest.raises(IngestError, match="^Filen har ingen kolonne med kommune eller område"):
        read_source(fil, ReadOptions(noegletal_id="x"), kommuner)


def test_alle_98_kommuner_efter_navn(kommuner, tmp_path):
    fil = tmp_path / "alle.csv"
    linjer = ["Kommune;2024"] + [f"{navn} Kommune;{i}" for i, navn in enumerate(kommuner["navn"])]
    fil.write_text("\n".join(linjer) + "\n", encoding="cp1252")
    data, fund = read_source(fil, ReadOptions(noegletal_id="x"), kommuner)
    assert fund == []
    assert list(data["omraade_kode"]) == list(kommuner["kommunekode"])
    assert list(data["vaerdi"]) == [float(i) for i in range(98)]
