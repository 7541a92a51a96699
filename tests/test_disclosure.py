"""The outside attacker against small-number suppression: from what a reader may fetch, recover nothing.

The attacker is a reader entitled to the area (ubu is restricted, so a personal API token with the ubu area;
anonymous for public figures). From /api/v1/data (json, kommune=alle and the totals) they learn which cells are
published and which are suppressed. As the strongest such reader, they also know the counts behind every
published cell as the marts hold them (a published rate times a public population gives the numerator back);
they never see a suppressed cell's value, which the marts do not hold. They apply every relation with linear
programming (scipy linprog):
- hierarchy: a region's count (a ratio's numerator and denominator) is the sum of its municipalities'; hele
  landet too, where it equals the regions' sum;
- time: a yearly value of a monthly figure is the mean of its 12 months, published rounded to the figure's
  decimals (so 12 × the mean is known within ±6 for whole numbers);
- linked figures: ubu.familiepleje's denominator is ubu.anbragte's numerator, personale.sosu_frafald's is
  personale.sosu_elever's; a share's numerator is at most its denominator; counts are not negative.
Every suppressed count must keep a range of at least PROTECTION = 3 (spec "Small numbers and status").
"""
from __future__ import annotations

import dataclasses

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from kdk import format as fmt
from kdk.auth import users
from kdk.cli import main
from kdk.config import PROJECT_DIR
from kdk.marts.build import build
from kdk.marts.findings import IngestError
from tests.conftest import altered, fingerprint
from tests.test_auth import GOOD, sign_in
from tests.test_datastatus import by_id, page, text
from tests.test_ingest import wide_file

PROTECTION = 3.0
TOTALS = ["000", "1081", "1082", "1083", "1084", "1085"]
KIND = {"ubu.anbragte": "kvote", "ubu.familiepleje": "kvote", "beskaeftigelse.langtidsledige": "sum",
        "personale.sosu_elever": "kvote", "personale.sosu_frafald": "kvote"}
LINKS = {("ubu.familiepleje", "naevner"): ("ubu.anbragte", "taeller"),
         ("personale.sosu_frafald", "naevner"): ("personale.sosu_elever", "taeller")}
GROUPS = [["ubu.anbragte", "ubu.familiepleje"], ["beskaeftigelse.langtidsledige"],
          ["personale.sosu_elever", "personale.sosu_frafald"]]
# The cells an outside audit recovered exactly before (true value): Samsø's primary cells and Lemvig's secondary.
NAMED = [("ubu.anbragte", "741", "2022", 4), ("ubu.anbragte", "741", "2023", 4), ("ubu.anbragte", "741", "2025", 4),
         ("beskaeftigelse.langtidsledige", "741", "2025M03", 4),
         ("ubu.anbragte", "665", "2022", 31), ("ubu.anbragte", "665", "2023", 27), ("ubu.anbragte", "665", "2025", 26),
         ("beskaeftigelse.langtidsledige", "665", "2025M03", 20)]


@pytest.fixture
def ubu_reader(tmp_path, monkeypatch):
    """Authorization headers of a reader entitled to the restricted ubu area (a personal API token)."""
    from kdk.auth import tokens, users

    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    owner = users.add("ubu", "korrekt-hest-batteri-hæfteklamme", "laeser", "101", {"ubu"})
    return {"Authorization": f"Bearer {tokens.create(owner, 'revision')}"}


def fetch(client, fid: str, headers: dict | None = None) -> pd.DataFrame:
    """Every row of a figure the reader can fetch: municipalities, regions and hele landet."""
    rows = []
    for areas in ("alle", ",".join(TOTALS)):
        url = f"/api/v1/data?noegletal={fid}&kommune={areas}&format=json&pr_side=50000"
        while url:
            page = client.get(url, headers=headers or {})
            assert page.status_code == 200, page.get_data(as_text=True)
            body = page.get_json()
            rows += body["data"]
            url = body["naeste"] and body["naeste"].replace("http://localhost", "")
    return pd.DataFrame(rows)


def knowledge(client, con, headers=None, figures=tuple(KIND)) -> pd.DataFrame:
    """The attacker's table: per cell its status, and for published cells the counts behind it."""
    frames = []
    for fid in figures:
        seen = fetch(client, fid, headers if fid.startswith(("ubu", "personale")) else None)
        counts = con.execute("""SELECT noegletal_id, omraade_kode, periode, vaerdi AS v, taeller AS t, naevner AS n
                                FROM fct_noegletal WHERE noegletal_id = ? AND erstattet_af IS NULL""", [fid]).df()
        cells = seen.merge(counts, on=["noegletal_id", "omraade_kode", "periode"], how="left")
        shown = cells["status"].isin(["normal", "foreloebig"])
        cells.loc[~shown, ["v", "t", "n"]] = np.nan
        assert cells.loc[cells["status"] == "diskretioneret", "vaerdi"].isna().all()
        frames.append(cells[cells["status"] != "mangler"])
    return pd.concat(frames, ignore_index=True)


def regions(con) -> dict[str, str]:
    return dict(con.execute("SELECT kommunekode, regionskode FROM dim_kommune").fetchall())


def decimals(client) -> dict[str, int]:
    """The public catalogue's decimals: a yearly mean is published rounded to them."""
    catalogue = client.get("/api/v1/noegletal?format=json").get_json()["noegletal"]
    return {f["noegletal_id"]: f["decimaler"] for f in catalogue}


def attack(cells: pd.DataFrame, region: dict[str, str], decimaler: int) -> dict[tuple, tuple[float, float]]:
    """The interval of every suppressed municipality count (a ratio's numerator); `decimaler` are those of
    beskaeftigelse.langtidsledige, whose yearly mean of 12 months is published rounded to them."""
    found = {}
    for group in GROUPS:
        block = cells[cells["noegletal_id"].isin(group)]
        for _, part in block.groupby(block["periode"].str[:4]):
            found |= _attack_block(part, region, 12 * 0.5 * 10.0 ** -decimaler)
    return found


def _attack_block(cells: pd.DataFrame, region: dict[str, str], yearly_slack: float) -> dict[tuple, tuple]:
    value, unknown = {}, []
    for r in cells.itertuples(index=False):
        for felt in (("v",) if KIND[r.noegletal_id] == "sum" else ("t", "n")):
            key = (r.noegletal_id, r.omraade_kode, r.periode, felt)
            value[key] = getattr(r, felt)
            if np.isnan(value[key]):
                unknown.append(key)
    if not unknown:
        return {}
    col = {k: j for j, k in enumerate(unknown)}
    relations = []   # (coefficients by key, slack): |sum(c * x)| <= slack
    by = {}
    for key in value:
        by.setdefault(key[0:1] + key[2:], []).append(key)
    for keys in by.values():
        municipal = [k for k in keys if k[1] in region]
        for total in [k for k in keys if k[1] in TOTALS]:
            members = municipal if total[1] == "000" else [k for k in municipal if region[k[1]] == total[1]]
            if total[1] == "000":
                parts = [value[k] for k in keys if k[1] in TOTALS[1:]]
                if not np.isnan(parts).any() and abs(sum(parts) - value[total]) > 1e-6:
                    continue   # the source's own national figure, not the regions' sum
            relations.append(({total: 1.0, **{m: -1.0 for m in members}}, 0.0))
    for key in value:
        fid, area, periode, felt = key
        if len(periode) == 4 and fid == "beskaeftigelse.langtidsledige":
            months = [(fid, area, f"{periode}M{m:02d}", felt) for m in range(1, 13)]
            if all(m in value for m in months):
                relations.append(({key: 12.0, **{m: -1.0 for m in months}}, yearly_slack))
        other = LINKS.get((fid, {"t": "taeller", "n": "naevner"}.get(felt)))
        if other and (other[0], area, periode, other[1][0]) in value:
            relations.append(({key: 1.0, (other[0], area, periode, other[1][0]): -1.0}, 0.0))
    rows, bounds = [], []
    tol = 1e-6
    for coef, slack in relations:
        if not any(k in col for k in coef):
            continue
        row, b = np.zeros(len(unknown)), 0.0
        for k, c in coef.items():
            if k in col:
                row[col[k]] += c
            else:
                b -= c * value[k]
        rows += [row, -row]
        bounds += [b + slack + tol, -b + slack + tol]
    for k in unknown:   # numerator <= denominator
        if k[3] == "t":
            n = k[:3] + ("n",)
            row = np.zeros(len(unknown))
            row[col[k]] = 1.0
            if n in col:
                row[col[n]] = -1.0
            rows.append(row)
            bounds.append((0.0 if n in col else value[n]) + tol)
    found = {}
    for k in unknown:
        if k[1] not in region or k[3] == "n":
            continue
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(len(unknown))
            c[col[k]] = sign
            res = linprog(c, A_ub=np.array(rows) if rows else None, b_ub=np.array(bounds) if rows else None,
                          bounds=(0, None), method="highs")
            assert res.status in (0, 3), res.message
            ends.append(sign * res.fun if res.status == 0 else np.inf)
        found[k] = (ends[0], ends[1])
    return found


def test_no_suppressed_count_is_pinned_by_what_a_reader_can_fetch(client, con, ubu_reader):
    cells = knowledge(client, con, ubu_reader)
    intervals = attack(cells, regions(con), decimals(client)["beskaeftigelse.langtidsledige"])
    assert len(intervals) > 100
    narrow = {k: v for k, v in intervals.items() if v[1] - v[0] < PROTECTION - 1e-6}
    assert not narrow, f"{len(narrow)} pinned, e.g. {sorted(narrow.items())[:5]}"
    for fid, area, periode, true in NAMED:   # the cells the outside audit recovered exactly
        felt = "v" if KIND[fid] == "sum" else "t"
        status = cells.set_index(["noegletal_id", "omraade_kode", "periode"]).loc[(fid, area, periode), "status"]
        if true < 5:
            assert status == "diskretioneret"
        if status == "diskretioneret":
            lo, hi = intervals[(fid, area, periode, felt)]
            assert lo <= true <= hi and hi - lo >= PROTECTION


def test_a_partial_load_does_not_let_the_totals_give_a_small_count_away(fresh_marts, tmp_path, monkeypatch,
                                                                          client):
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    # A month not loaded before, with three municipalities, each alone in its region: Samsø (Midtjylland) 3.
    path = wide_file(tmp_path / "langtidsledige.csv", {"741": "3", "101": "812", "461": "377"}, years=("2027M01",))
    assert main(["ingest", str(path), "--noegletal", "beskaeftigelse.langtidsledige"]) == 0
    con = duckdb.connect(str(fresh_marts.marts_path.resolve()), read_only=True)
    try:
        cells = knowledge(client, con, figures=["beskaeftigelse.langtidsledige"])
        got = cells[(cells["noegletal_id"] == "beskaeftigelse.langtidsledige") & (cells["periode"] == "2027M01")]
        assert got.loc[got["omraade_kode"] == "741", "status"].tolist() == ["diskretioneret"]
        intervals = attack(got, regions(con), decimals(client)["beskaeftigelse.langtidsledige"])
    finally:
        con.close()
    lo, hi = intervals[("beskaeftigelse.langtidsledige", "741", "2027M01", "v")]
    assert lo <= 3 <= hi and hi - lo >= PROTECTION, got[["omraade_kode", "status", "v"]]


def test_a_known_disclosure_fails_the_build_and_leaves_the_marts_unchanged(fresh_marts, tmp_path):
    """A catalogue that exempts ubu.familiepleje from suppression publishes its denominator, the number of
    placed children, so Samsø's hidden ubu.anbragte is pinned and no cell can be hidden to stop it."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("kilder", "sammenligningsgrupper.toml"):
        (data / name).symlink_to(PROJECT_DIR / "data" / name)
    catalogue = (PROJECT_DIR / "data" / "noegletal.toml").read_text(encoding="utf-8")
    entry = catalogue.index('id = "ubu.familiepleje"')
    cut = catalogue.index("\n[[noegletal]]", entry)
    (data / "noegletal.toml").write_text(catalogue[:cut] + "\ndiskretion = false" + catalogue[cut:],
                                         encoding="utf-8")
    settings = dataclasses.replace(fresh_marts, data_dir=data)
    before = fingerprint(fresh_marts)
    with pytest.raises(IngestError) as failed:
        build(settings)
    assert "Diskretioneringen beskytter ikke alle skjulte tal" in str(failed.value)
    assert "ubu.anbragte 741 2022 (taeller)" in str(failed.value)
    assert fingerprint(fresh_marts) == before
    assert sorted(p.name for p in fresh_marts.marts_dir.iterdir()) == [fresh_marts.marts_path.resolve().name]


def hidden_cells(con, where: str = "TRUE") -> int:
    """The suppressed current cells in the marts of the key figures `where` selects (from dim_noegletal d)."""
    return con.execute(f"""SELECT count(*) FROM fct_noegletal f JOIN dim_noegletal d USING (noegletal_id)
                           WHERE f.status = 'diskretioneret' AND f.erstattet_af IS NULL AND {where}""").fetchone()[0]


def test_datastatus_shows_the_audit_summary_without_naming_a_cell(client, app, con):
    section = text(by_id(page(client, app), "ds-diskretion"))
    assert "Diskretionering revideret:" in section and "skjulte antal har et interval på mindst 3" in section
    assert "ubu." not in section


def test_the_audit_summary_counts_only_the_cells_a_viewer_may_see(client, app, con, tmp_path,
                                                                  monkeypatch):
    """Anonymous learns nothing of the restricted areas' suppressed cells from the summary; a reader granted them
    sees the whole count."""
    public, everything = hidden_cells(con, "d.adgang = 'offentlig'"), hidden_cells(con)
    assert 0 < public < everything
    section = text(by_id(page(client, app), "ds-diskretion"))
    assert f"Diskretionering revideret: {fmt.number(public)} skjulte celler" in section
    assert fmt.number(everything) not in section
    monkeypatch.setenv("KDK_BRUGER_DB", f"sqlite:///{tmp_path / 'brugere.sqlite'}")
    users.add("med", GOOD, "laeser", "101", {"ubu"})
    sign_in(client, "med")
    section = text(by_id(page(client, app), "ds-diskretion"))
    assert f"Diskretionering revideret: {fmt.number(everything)} skjulte celler" in section


def test_a_load_on_marts_without_the_audit_table_writes_it_and_the_summary_follows(fresh_marts, tmp_path, con,
                                                                                    monkeypatch, client, app):
    """Marts written before the per-figure audit (table diskretion) take a load, and /datastatus then sums the
    new release's audit: Samsø's new small count and the cells hidden to protect it."""
    monkeypatch.setenv("KDK_MARTS", str(fresh_marts.marts_path))
    altered(fresh_marts, "uden-diskretion", ("DROP TABLE diskretion", []))
    path = wide_file(tmp_path / "langtidsledige.csv", {"741": "3", "101": "812", "461": "377"}, years=("2027M01",))
    assert main(["ingest", str(path), "--noegletal", "beskaeftigelse.langtidsledige"]) == 0
    with duckdb.connect(str(fresh_marts.marts_path.resolve()), read_only=True) as loaded:
        public = hidden_cells(loaded, "d.adgang = 'offentlig'")
    assert public > hidden_cells(con, "d.adgang = 'offentlig'")
    section = text(by_id(page(client, app), "ds-diskretion"))
    assert f"Diskretionering revideret: {fmt.number(public)} skjulte celler" in section


def test_the_catalogue_states_the_links_as_data(con):
    links = con.execute("""SELECT noegletal_id, taeller_er, naevner_er FROM dim_noegletal
                           WHERE taeller_er <> '' OR naevner_er <> ''""").df().set_index("noegletal_id")
    assert links.loc["ubu.familiepleje", "naevner_er"] == "taeller:ubu.anbragte"
    assert links.loc["personale.sosu_frafald", "naevner_er"] == "taeller:personale.sosu_elever"
    assert links.loc["befolkning.taethed", "taeller_er"] == "vaerdi:befolkning.indbyggere"
    # Every link holds in the published municipality cells (the relation the audit relies on).
    for fid, row in links.iterrows():
        for felt, link in (("taeller", row["taeller_er"]), ("naevner", row["naevner_er"])):
            if isinstance(link, str) and link:
                til_felt, _, til_id = link.partition(":")
                bad = con.execute(f"""
                    SELECT count(*) FROM fct_noegletal a JOIN fct_noegletal b USING (omraade_kode, periode)
                    JOIN dim_kommune k ON k.kommunekode = a.omraade_kode
                    WHERE a.noegletal_id = ? AND b.noegletal_id = ? AND a.erstattet_af IS NULL
                      AND b.erstattet_af IS NULL AND abs(a.{felt} - b.{til_felt}) > 1e-6""", [fid, til_id])
                assert bad.fetchone()[0] == 0, (fid, link)
