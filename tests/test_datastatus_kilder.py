"""/datastatus as an anonymous viewer reads it: how many key figures of each data area are real and how many
generated, with a total row, and the real sources with attribution, licence and extraction date. The expected
numbers come from the marts with SQL of the test's own (the catalogue's `demodata` and the `kilde` table)."""
from __future__ import annotations

from kdk import format as fmt
from tests.dash_http import nodes
from tests.test_datastatus import by_id, cells, danish_date, page, table_rows, text
from tests.test_spreadsheet_safety import edited_copy


def test_real_and_generated_key_figures_per_area_with_a_total_row(client, app, con):
    expected = con.execute("""
        SELECT a.navn, count(*) FILTER (WHERE NOT d.demodata) AS rigtige, count(*) FILTER (WHERE d.demodata) AS demo,
               count(*) AS alle
        FROM dim_noegletal d JOIN dim_dataomraade a ON a.kode = d.dataomraade
        WHERE d.adgang = 'offentlig' GROUP BY a.navn, a.raekkefoelge ORDER BY a.raekkefoelge""").df()
    section = by_id(page(client, app), "ds-rigtige")
    table = next(n for n in nodes(section) if n["type"] == "Table")
    shown = [[text(c) for c in cells(r)] for r in table_rows(table)]
    want = [[r.navn, fmt.number(r.rigtige), fmt.number(r.demo), fmt.number(r.alle)] for r in expected.itertuples()]
    total = expected[["rigtige", "demo", "alle"]].sum()
    assert shown == want + [["I alt", *(fmt.number(int(total[c])) for c in ("rigtige", "demo", "alle"))]]
    assert int(total["rigtige"]) >= 10     # population, Jobindsats, DST yearly and life expectancy are real


def test_every_real_source_is_listed_with_attribution_licence_and_extraction_date(client, app, con):
    sources = con.execute("SELECT * FROM kilde WHERE id <> 'demo'").df()
    section = text(by_id(page(client, app), "ds-rigtige"))
    for s in sources.itertuples():
        for wanted in (s.navn, s.attribution, s.licens, danish_date(s.udtraeksdato)):
            assert wanted in section, (s.id, wanted)
    assert "Demodata genereret af Kend din kommune" not in section    # the generated data are no source here


def test_the_dst_sources_are_dated_the_day_their_values_were_copied(client, app):
    """Neither DST SOURCE.md dates the extract; the copy into the project on 5 December 2026 is the only date."""
    items = [text(n) for n in nodes(by_id(page(client, app), "ds-rigtige")) if n["type"] == "Li"]
    for attribution in ("Kilde: Danmarks Statistik (IFOR41", "Kilde: Danmarks Statistik, HISBK"):
        item = next(i for i in items if attribution in i)
        assert "dataudtræk 5. december 2026" in item, attribution


def test_an_areas_demo_source_says_where_its_real_data_will_come_from_by_field(fresh_marts, monkeypatch, client, app):
    """Read from the figures' field `rigtige_data`, not from their source text: a reworded text changes nothing."""
    con = edited_copy(fresh_marts, monkeypatch)
    con.execute("UPDATE dim_noegletal SET kilde = 'Genererede demodata.' WHERE dataomraade = 'skole' AND demodata")
    con.close()
    section = text(by_id(page(client, app), "skole"))
    assert "Rigtige data, når de indlæses: Børne- og Undervisningsministeriet" in section


def test_a_sources_block_in_an_area_says_each_text_once(client, app, con):
    """The attribution is not repeated as a figure's source text; a text that says more is kept."""
    tree = page(client, app)
    areas = con.execute("""SELECT DISTINCT dataomraade FROM dim_noegletal
                           WHERE NOT demodata AND adgang = 'offentlig'""").fetchall()
    for (area,) in areas:
        for item in (n for n in nodes(by_id(tree, area)) if n["type"] == "Li"
                     and "ds-kilde" in n["props"]["className"]):
            said = [text(p).removeprefix("Kildeangivelse på nøgletallet: ").removeprefix("Kilde: ")
                    for p in nodes(item) if p["type"] == "P"]
            assert len(said) == len(set(said)), (area, said)
    befolkning = text(by_id(tree, "befolkning"))
    assert "beregnet af Kend din kommune ud fra indbyggertallet" in befolkning
    assert "Dette nøgletal: Statistikbanken IFOR41, Gini-koefficient." in befolkning
