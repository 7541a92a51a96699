"""A load is a revision, not an overwrite, and never loses published data (issue 17, Build 1-2).

Played as the publication team and an anonymous visitor would: `python -m kdk ingest` (kdk.cli.main) on a private
copy of the built marts, then what the marts file holds for current rows and what /datastatus and the profile show.
The slip: noegletal.dk's area file (km², about 90 for København) loaded as density (7 152 for København).
"""
from __future__ import annotations

import json

import duckdb
import pandas as pd

from kdk.cli import main
from kdk.config import PROJECT_DIR
from kdk.format import published
from tests.conftest import fingerprint
from tests.dash_http import render
from tests.test_datastatus import by_id, page, text
from tests.test_ingest import kommuner, wide_file

BEFOLKNING = PROJECT_DIR / "data" / "kilder" / "befolkning" / "befolkning_og_taethed_2007_2022.csv"
YEARS = tuple(str(y) for y in range(2007, 2023))
REASON = "Arealfilen blev indlæst som tæthed for at prøve revisionen"


def befolkning() -> pd.DataFrame:
    return pd.read_csv(BEFOLKNING, dtype={"kommunekode": str})


def danish(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def by_year(column: pd.Series, decimals: int) -> dict[str, str]:
    """Per municipality code, the column's values for YEARS, as a wide file writes them."""
    df = befolkning().assign(v=column)
    wide = df.pivot(index="kommunekode", columns="aar", values="v")
    return {kode: ";".join(danish(v, decimals) for v in row) for kode, row in wide.iterrows()}


def area_file(path):
    """noegletal.dk's area per municipality and year (km², one decimal): inhabitants / published density."""
    b = befolkning()
    return _wide(path, by_year(b["indbyggere"] / b["befolkningstaethed_pr_km2"], 1))


def density_file(path):
    b = befolkning()
    return _wide(path, by_year(b["befolkningstaethed_pr_km2"].astype(float), 0))


def _wide(path, rows: dict[str, str]):
    lines = [";" + ";".join(YEARS)]
    lines += [f"{k['navn']} Kommune;{rows[k['kommunekode']]}" for _, k in kommuner().iterrows()]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    return path


def current(st, noegletal_id: str) -> pd.DataFrame:
    """The current rows of a key figure in the live marts, by (area, period)."""
    with duckdb.connect(str(st.marts_path), read_only=True) as c:
        return c.execute("""SELECT omraade_kode, periode, vaerdi, taeller, naevner FROM fct_noegletal
                            WHERE noegletal_id = ? AND erstattet_af IS NULL ORDER BY ALL""",
                         [noegletal_id]).df().set_index(["omraade_kode", "periode"])


def changed_on_screen() -> int:
    """Municipality-years whose density as published (whole numbers) changes when the area replaces it: all 1 568
    but Fanø 2017, whose area 57,7 km² shows as 58, its density."""
    b = befolkning()
    area = [published(a, 1) for a in b["indbyggere"] / b["befolkningstaethed_pr_km2"]]
    return sum(published(a, 0) != d for a, d in zip(area, b["befolkningstaethed_pr_km2"]))


def test_the_area_file_loaded_as_density_is_refused_as_a_revision(marts_env, tmp_path, capsys):
    before = fingerprint(marts_env)
    files_before = sorted(marts_env.marts_dir.iterdir())
    assert main(["ingest", str(area_file(tmp_path / "areal.csv")), "--noegletal", "befolkning.taethed"]) == 1
    out, err = capsys.readouterr()
    assert "FEJL [revision]" in out and "Befolkningstæthed" in out
    assert changed_on_screen() == 1567
    assert "1.567 for kommuner, 96 for regioner og hele landet" in out
    assert "København 2022: 7.152 → 90" in out
    assert '--revision "begrundelse"' in out and "uændrede" in err
    assert fingerprint(marts_env) == before
    assert sorted(marts_env.marts_dir.iterdir()) == files_before


def test_with_a_reason_the_revision_loads_recomputes_the_totals_and_says_so(marts_env, tmp_path, client, app):
    before = current(marts_env, "befolkning.taethed")
    report = tmp_path / "rapport.json"
    assert main(["ingest", str(area_file(tmp_path / "areal.csv")), "--noegletal", "befolkning.taethed",
                 "--revision", REASON, "--rapport", str(report)]) == 0
    after = current(marts_env, "befolkning.taethed")
    assert set(after.index) == set(before.index)                      # every region and hele landet is still there
    b = befolkning().query("aar == 2022")
    area = (b["indbyggere"] / b["befolkningstaethed_pr_km2"]).map(lambda a: published(a, 1))
    # Hele landet from the loaded values, as for any ratio: the sum of numerators (the population, which the
    # catalogue names as density's) over the sum of denominators (population / value).
    total = b["indbyggere"].sum() / (b["indbyggere"] / area).sum()
    assert after.loc[("000", "2022"), "vaerdi"] == published(total, 0) != before.loc[("000", "2022"), "vaerdi"]
    assert after.loc[("101", "2022"), "vaerdi"] == 90

    fund = [f for f in json.loads(report.read_text(encoding="utf-8"))["fund"] if f["regel"] == "revision"]
    assert len(fund) == 1 and fund[0]["niveau"] == "advarsel" and fund[0]["noegletal_id"] == "befolkning.taethed"
    assert fund[0]["besked"].startswith(f"Revideret: {REASON}.")
    assert "1.567 for kommuner" in fund[0]["besked"] and "København 2022: 7.152 → 90" in fund[0]["besked"]

    tree = page(client, app)
    assert f"Revideret: {REASON}. 1.663 værdier ændret" in text(by_id(tree, "ds-release"))
    assert f"Revideret: {REASON}." in text(by_id(tree, "ds-revisioner"))
    assert "Befolkningstæthed" in text(by_id(tree, "ds-revisioner"))


def test_a_revised_value_is_marked_as_revised_on_the_profile(marts_env, tmp_path, client, app):
    card = "kort-befolkning.taethed"
    before = render(client, app, "/kommune/101", "?omraade=befolkning")
    assert "revideret" not in _card(before, card).lower()
    assert main(["ingest", str(area_file(tmp_path / "areal.csv")), "--noegletal", "befolkning.taethed",
                 "--revision", REASON]) == 0
    shown = _card(render(client, app, "/kommune/101", "?omraade=befolkning"), card)
    assert "Revideret" in shown and "tidligere 7.152" in shown


def _card(page_json: str, card_id: str) -> str:
    from tests.dash_http import found

    node = next(iter(found(json.loads(page_json), lambda d: d.get("props", {}).get("id") == card_id)))
    return json.dumps(node, ensure_ascii=False)


def test_a_file_that_blanks_a_published_value_is_refused_naming_it(marts_env, tmp_path, capsys):
    before = fingerprint(marts_env)
    b = befolkning().query("aar == 2022").set_index("kommunekode")["befolkningstaethed_pr_km2"]
    values = {k: str(v) for k, v in b.items()}
    values["101"] = ".."                                  # "not available" (a "-" is a true zero)
    path = wide_file(tmp_path / "taethed.csv", values, years=("2022",))
    assert main(["ingest", str(path), "--noegletal", "befolkning.taethed", "--talformat", "plain"]) == 1
    out = capsys.readouterr().out
    assert "FEJL [revision]" in out and "1 offentliggjort værdi forsvinder (1 for kommuner)" in out
    assert "København 2022 (7.152)" in out
    assert fingerprint(marts_env) == before


def test_a_correct_values_only_density_file_removes_no_aggregate(marts_env, tmp_path, capsys):
    before = current(marts_env, "befolkning.taethed")
    assert main(["ingest", str(density_file(tmp_path / "taethed.csv")), "--noegletal", "befolkning.taethed"]) == 0
    assert "[revision]" not in capsys.readouterr().out
    after = current(marts_env, "befolkning.taethed")
    assert len(before) == len(after) == 98 * 16 + 6 * 16
    pd.testing.assert_series_equal(after["vaerdi"], before["vaerdi"])


def test_a_population_load_recomputes_the_5_year_growth_and_the_density(marts_env, tmp_path, capsys):
    b = befolkning().set_index(["kommunekode", "aar"])["indbyggere"]
    area = current(marts_env, "befolkning.taethed").loc[("101", "2022"), "naevner"]
    values = {k: str(b[(k, 2022)]) for k in kommuner()["kommunekode"]}
    values["101"] = str(b[("101", 2022)] + 20_000)
    path = wide_file(tmp_path / "indbyggere.csv", values, years=("2022",))
    assert main(["ingest", str(path), "--noegletal", "befolkning.indbyggere", "--talformat", "plain"]) == 0
    growth = current(marts_env, "befolkning.udvikling_5aar")
    kbh = b[("101", 2017)]
    assert growth.loc[("101", "2022"), "vaerdi"] == published(100 * (b[("101", 2022)] + 20_000 - kbh) / kbh, 1)
    land = b.xs(2022, level="aar").sum() + 20_000, b.xs(2017, level="aar").sum()
    assert growth.loc[("000", "2022"), "vaerdi"] == published(100 * (land[0] - land[1]) / land[1], 1)
    density = current(marts_env, "befolkning.taethed")
    assert density.loc[("101", "2022"), "vaerdi"] == published((b[("101", 2022)] + 20_000) / area, 0)
    assert density.loc[("101", "2021"), "vaerdi"] == 7082                        # another year is left as it was
    assert "[revision]" in capsys.readouterr().out                                 # reported, below the threshold


def test_a_ratio_value_without_its_parts_keeps_the_published_denominator_and_moves_the_totals(marts_env, tmp_path,
                                                                                             capsys):
    before = current(marts_env, "skole.udgift").xs("2024", level="periode")
    kbh = before.loc["101"]
    path = wide_file(tmp_path / "udgift.csv", {"101": str(int(kbh["vaerdi"]) + 2_000)}, years=("2024",))
    assert main(["ingest", str(path), "--noegletal", "skole.udgift", "--talformat", "plain"]) == 0
    out = capsys.readouterr().out
    assert "ADVARSEL [kvote_naevner_beholdt]" in out and "kommune 101; 2024" in out
    after = current(marts_env, "skole.udgift").xs("2024", level="periode")
    assert after.loc["101", "naevner"] == kbh["naevner"]                   # the pupils, as last published
    municipal = before[before.index.str.len() == 3].drop(index="000")
    taeller = municipal["taeller"].sum() - kbh["taeller"] + (kbh["vaerdi"] + 2_000) * kbh["naevner"]
    assert after.loc["000", "vaerdi"] == published(taeller / municipal["naevner"].sum(), 0)
    assert after.loc["000", "vaerdi"] != before.loc["000", "vaerdi"]


def test_a_ratio_value_with_no_parts_to_be_had_is_refused_naming_what_is_missing(marts_env, tmp_path, capsys):
    before = fingerprint(marts_env)
    # Gentofte's (157) 2025 NEET share is missing in the published marts, so it has no denominator to keep either.
    path = wide_file(tmp_path / "neet.csv", {"157": "6,0"}, years=("2025",))
    assert main(["ingest", str(path), "--noegletal", "beskaeftigelse.neet"]) == 1
    out = capsys.readouterr().out
    assert "FEJL [kvote_uden_dele]" in out and "Tilføj kolonnerne taeller og naevner" in out
    assert "kommune 157; 2025" in out
    assert fingerprint(marts_env) == before


def test_a_new_period_of_a_ratio_without_its_parts_still_loads(marts_env, tmp_path):
    values = {k: str(80_000 + 10 * int(k)) for k in kommuner()["kommunekode"]}
    path = wide_file(tmp_path / "udgift.csv", values, years=("2026",))
    assert main(["ingest", str(path), "--noegletal", "skole.udgift", "--talformat", "plain"]) == 0
    assert current(marts_env, "skole.udgift").xs("2026", level="periode").index.str.len().max() == 3   # no totals


def test_a_staged_revision_is_not_marked_before_its_embargo(marts_env, tmp_path, client, app):
    assert main(["ingest", str(area_file(tmp_path / "areal.csv")), "--noegletal", "befolkning.taethed",
                 "--revision", REASON, "--embargo-til", "2099-01-10 08:00"]) == 0
    shown = _card(render(client, app, "/kommune/101", "?omraade=befolkning"), "kort-befolkning.taethed")
    assert "Revideret" not in shown and "7.152" in shown
    assert REASON not in json.dumps(page(client, app), ensure_ascii=False)
