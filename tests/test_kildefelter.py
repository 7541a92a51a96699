"""A key figure names its source by field, not by sentence: the build refuses a real figure without a `kilde_id` or
with one kilder.toml does not have, with a Danish message naming the figure, and the marts carry each figure's source
id (`demo` for generated demo data) and that source's attribution."""
from __future__ import annotations

import dataclasses
import re

import pytest

from kdk.config import PROJECT_DIR, settings
from kdk.marts.build import build
from kdk.marts.findings import IngestError

CATALOGUE = PROJECT_DIR / "data" / "noegletal.toml"


def build_with(tmp_path, old: str, new: str):
    """Build marts from a copy of the shipped data whose catalogue has `old` replaced by `new` (once)."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("kilder", "temaer", "sammenligningsgrupper.toml"):
        (data / name).symlink_to(PROJECT_DIR / "data" / name)
    text = CATALOGUE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    (data / "noegletal.toml").write_text(text.replace(old, new), encoding="utf-8")
    st = dataclasses.replace(settings(), data_dir=data, marts_path=tmp_path / "kdk.duckdb",
                             themes_dir=data / "temaer")
    return build(st)


GINI = "Statistikbanken IFOR41, Gini-koefficient.\"\n"


def test_a_real_figure_with_an_unknown_source_stops_the_build(tmp_path):
    with pytest.raises(IngestError, match=r"^Nøgletallet befolkning\.gini har kilde_id = «dst-ukendt», men den kilde "
                                          r"findes ikke i data/kilder/kilder\.toml"):
        build_with(tmp_path, f'{GINI}kilde_id = "dst"', f'{GINI}kilde_id = "dst-ukendt"')


def test_a_real_figure_without_a_source_stops_the_build(tmp_path):
    with pytest.raises(IngestError, match=r"^Nøgletallet befolkning\.gini skal som rigtigt nøgletal have kilde og "
                                          r"kilde_id"):
        build_with(tmp_path, f'{GINI}kilde_id = "dst"\n', GINI)


def test_the_marts_carry_each_figures_source_id_and_attribution(con):
    rows = con.execute("""SELECT d.noegletal_id, d.demodata, d.kilde_id, d.kildeangivelse, k.attribution
                          FROM dim_noegletal d LEFT JOIN kilde k ON k.id = d.kilde_id""").fetchall()
    assert {r[0]: r[2] for r in rows if not r[1]}["befolkning.gini"] == "dst"
    assert all(r[4] is not None and r[3] == r[4] for r in rows)
    assert all((r[2] == "demo") == r[1] for r in rows)
    demo = con.execute("SELECT kilde, rigtige_data FROM dim_noegletal WHERE demodata").fetchall()
    assert all(re.fullmatch(r"Genererede demodata .*Rigtige data: .+\.", k) and r and r in k for k, r in demo)


def test_a_demo_figure_naming_a_real_source_stops_the_build(tmp_path):
    trivsel = 'rigtige_data = "Børne- og Undervisningsministeriet (den nationale trivselsmåling)"'
    with pytest.raises(IngestError, match=r"^Nøgletallet skole\.\w+ skal som demonøgletal have rigtige_data og "
                                          r"hverken kilde eller kilde_id"):
        build_with(tmp_path, trivsel, f'{trivsel}\nkilde_id = "dst"')
