"""Secondary suppression and the interval audit (disclosure control), as statistics offices do it.

Reads fact rows with their true values and the primary-suppression flag `primaer` (suppression.sql), the
catalogue (dim_noegletal rows: aggregering, faktor, max, decimaler, periodicitet, diskretion, taeller_er,
naevner_er) and the municipalities (kommunekode, regionskode); writes nothing. `protect` returns which cells to
hide and the audit of the result; `Audit.finding` is the summary for the validation report, `Audit.rows` the
audit per key figure (the marts table `diskretion`, from which /datastatus sums what a viewer may see), and
`opsummering` words a summary for both.

The model. Every count behind a published cell is taken as known to a reader: the value of a count (`sum`), and
the numerator and denominator of a ratio (`kvote`) — a published rate times a public population gives them back,
so the audit does not count on the rate's rounding. The relations a reader can apply are linear:
- hierarchy: a region's, and hele landet's, count is the sum of its municipalities' counts (for a ratio: of
  the numerators and of the denominators); the totals are computed from the true values and stay published;
- time: a yearly value of a monthly or quarterly figure is the mean of its 12 months (4 quarters), for a
  ratio its numerator and denominator too; if a figure publishes its yearly values rounded to `decimaler`, the
  relation holds within ±12 · ½ · 10^-decimaler, else exactly;
- links (catalogue `taeller_er`/`naevner_er`): e.g. ubu.familiepleje's denominator is ubu.anbragte's numerator;
- shares (a ratio whose catalogue max is at most its factor): numerator ≤ denominator; all counts ≥ 0.
A relation is used only where it holds for the values known here (true values, and the published values of
cells hidden in an earlier release): a total the source publishes itself (Jobindsats' hele landet) is not the
sum of the municipalities, and after a partial load a yearly value may no longer be the mean of changed months.
Nor where a published cell lacks its count (a loaded file may give a rate only).
Cells hidden in an earlier release have no true value in the marts; they enter as unknowns, and a total that
was computed without them (the load recomputes totals from the values it has) leaves them out.

The rule (spec "Small numbers and status"): a suppressed count must not be pinned closer than a range of width
PROTECTION_WIDTH = 3: for every hidden cell, the minimum and maximum of its count (for a ratio its numerator,
and its denominator where that is below 5) over everything published must lie at least 3 apart. This is
Tau-Argus' interval audit, solved as linear programmes (the LP relaxation: a range of width 3 holds at least 4
integers).

Secondary suppression is the same model: while a hidden count is pinned, hide the cheapest published
municipality cell in a relation that pins it (nonzero dual value of the audit LP at the bound that is too
narrow), smallest count first, then key order; a total (region, hele landet) only where no municipality cell
is left to hide (a region with a single municipality in a partial load); then audit again, until every hidden
count is protected or no cell is left to hide (the audit then fails). Every relation stays within one block (a
group of linked figures and one calendar year), so only blocks with a hidden cell are modelled; within them the
problem decomposes into the connected components of hidden counts and their relations, which stay small (a
region's municipalities, a year's months, a few linked figures), so each LP is tiny; a relation with a single
hidden count pins it without an LP.

Why this and not Tau-Argus: pytauargus writes batch files for the Tau-Argus program, a Windows application that
this Linux server does not have; the same optimisation model (interval audit by LP, secondary suppression chosen
by it) runs on HiGHS, the open solver Tau-Argus also uses, through its own Python binding `highspy`: one model per
component, re-solved with another objective from the last basis (0,1 ms a solve, against 3 ms through
scipy.optimize.linprog, which builds everything anew). The greedy choice is not Tau-Argus' optimal (minimum-cost)
pattern, but it is deterministic (fixed order, no randomness, HiGHS is deterministic for the same input) and the
audit, not the heuristic, is what guarantees protection.
"""
from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import connected_components

from kdk import format as fmt
from kdk.marts import suppression
from kdk.marts.findings import Finding
from kdk.marts.katalog import LINK_FIELDS
from kdk.marts.protection import PROTECTION_WIDTH, opsummering
from kdk.marts.sources import LAND

QUANTITIES = {"sum": ("vaerdi",), "kvote": ("taeller", "naevner")}
FELTER = ["vaerdi", "taeller", "naevner"]
KINDS = ["hierarki", "tid", "link", "andel"]
SUBPERIODS = {"maaned": 12, "kvartal": 4}
KEY = ["noegletal_id", "omraade_kode", "periode"]
_EPS = 1e-7


@dataclass(frozen=True)
class Interval:
    """The range of one hidden count consistent with everything published."""
    noegletal_id: str
    omraade_kode: str
    periode: str
    felt: str
    lo: float
    hi: float

    @property
    def width(self) -> float:
        return self.hi - self.lo

    def tekst(self) -> str:
        hi = "ubegrænset" if np.isinf(self.hi) else fmt.number(self.hi, 1)
        return (f"{self.noegletal_id} {self.omraade_kode} {self.periode} ({self.felt}): "
                f"mellem {fmt.number(self.lo, 1)} og {hi}")


# Audit.rows: per key figure, the hidden cells, how many of them this run hid secondarily, the audited counts, and
# the narrowest interval's width (inf where no count is bounded above by what is published; NaN where none is audited).
ROW_COLUMNS = ["noegletal_id", "skjulte", "sekundaere", "antal", "smalleste"]


@dataclass
class Audit:
    intervals: list[Interval]
    hidden: int          # hidden cells in all
    secondary: int       # of these, hidden by secondary suppression in this run
    per_figure: pd.DataFrame   # ROW_COLUMNS for the key figures with a hidden cell or an audited count

    @classmethod
    def combine(cls, audits: list[Audit]) -> Audit:
        """One audit of parts audited apart (disjoint sets of link groups)."""
        return cls([i for a in audits for i in a.intervals], sum(a.hidden for a in audits),
                   sum(a.secondary for a in audits),
                   pd.concat([a.per_figure for a in audits], ignore_index=True))

    @property
    def failures(self) -> list[Interval]:
        return [i for i in self.intervals if i.width < PROTECTION_WIDTH - _EPS]

    @property
    def narrowest(self) -> Interval | None:
        return min(self.intervals, key=lambda i: (i.width, i.noegletal_id, i.omraade_kode, i.periode, i.felt),
                   default=None)

    @property
    def ok(self) -> bool:
        return not self.failures

    def tekst(self) -> str:
        if not self.ok:
            shown = "; ".join(i.tekst() for i in self.failures[:5])
            more = f" og {len(self.failures) - 5} flere" if len(self.failures) > 5 else ""
            return (f"Diskretioneringen beskytter ikke alle skjulte tal: {len(self.failures)} skjulte antal kan "
                    f"regnes ud til et interval smallere end {fmt.number(PROTECTION_WIDTH)} ud fra de "
                    f"offentliggjorte tal ({shown}{more}). Ret kataloget (diskretion, taeller_er/naevner_er) eller "
                    "kilden; datasættet er ikke ændret.")
        narrow = self.narrowest
        return opsummering(self.hidden, self.secondary, len(self.intervals),
                           None if narrow is None else narrow.width)

    def finding(self, fil: str) -> Finding:
        """The summary over every key figure, for the publication team's validation report (niveau info, which
        /datastatus does not list: it would count restricted figures' cells)."""
        return Finding(fil, None, None, "diskretion_revision", "info" if self.ok else "fejl", self.tekst())

    def rows(self, release_id: str, noegletal_ids) -> pd.DataFrame:
        """The marts table `diskretion` of a release: ROW_COLUMNS for every key figure in `noegletal_ids` (zeros
        and no width for a figure without a hidden cell)."""
        df = (self.per_figure.set_index("noegletal_id").reindex(pd.Index(noegletal_ids, name="noegletal_id"))
              .reset_index())
        counts = ["skjulte", "sekundaere", "antal"]
        df[counts] = df[counts].fillna(0).astype(int)
        return df.assign(release_id=release_id)[["release_id", *ROW_COLUMNS]]


def protect(marked: pd.DataFrame, regler: pd.DataFrame, kommuner: pd.DataFrame) -> tuple[pd.Series, Audit]:
    """Which rows of `marked` (the fact columns plus `primaer`) to hide — the primary cells, every cell already
    suppressed, and the secondary cells chosen here — and the audit of that pattern."""
    hidden_at_start = marked["primaer"].fillna(False).to_numpy(bool) | (marked["status"] == suppression.STATUS)
    groups = marked["noegletal_id"].map(link_groups(regler))
    block = pd.Series(list(zip(groups, marked["periode"].str[:4])), index=marked.index)
    in_block = block.isin(set(block[hidden_at_start.to_numpy()])).to_numpy()
    facts = marked[in_block].reset_index(drop=True)
    model = _Model(facts, regler, kommuner)
    hidden = hidden_at_start.to_numpy()[in_block].copy()
    before = hidden.copy()
    cache: dict[tuple, tuple[list[tuple[int, Interval]], dict[int, list[int]]]] = {}
    while True:
        intervals, chosen = [], set()
        for variables, relations in model.components(hidden):
            key = (tuple(variables), tuple(relations))
            if key not in cache:   # a component that fails is audited only up to its first pinned count
                cache[key] = model.audit(variables, relations, hidden, stop_at_failure=True)
            found, binding = cache[key]
            failing = [qid for qid, i in found if i.width < PROTECTION_WIDTH - _EPS]
            row = model.cheapest(failing[0], binding, relations, hidden) if failing else None
            if row is not None:
                chosen.add(row)
            elif failing:   # nothing left to hide: the audit fails, with every interval
                found, _ = cache[key] = model.audit(variables, relations, hidden)
            intervals += [i for _, i in found]
        if not chosen:
            break
        hidden[sorted(chosen)] = True
    intervals.sort(key=lambda i: (i.noegletal_id, i.omraade_kode, i.periode, i.felt))
    audit = Audit(intervals, int(hidden.sum()), int((hidden & ~before).sum()),
                  _per_figure(facts["noegletal_id"], hidden, before, intervals))
    result = pd.Series(False, index=marked.index)
    result[marked.index[in_block]] = hidden
    return result, audit


def _per_figure(noegletal_id: pd.Series, hidden: np.ndarray, before: np.ndarray,
                intervals: list[Interval]) -> pd.DataFrame:
    """ROW_COLUMNS for the key figures with a hidden cell or an audited count."""
    cells = pd.DataFrame({"noegletal_id": noegletal_id.to_numpy(), "skjulte": hidden, "sekundaere": hidden & ~before})
    cells = cells[cells["skjulte"]].groupby("noegletal_id")[["skjulte", "sekundaere"]].sum()
    widths = pd.DataFrame({"noegletal_id": [i.noegletal_id for i in intervals],
                           "bredde": [i.width for i in intervals]}, columns=["noegletal_id", "bredde"])
    audited = widths.groupby("noegletal_id")["bredde"].agg(antal="size", smalleste="min")
    df = cells.join(audited, how="outer").reset_index()
    df[["skjulte", "sekundaere", "antal"]] = df[["skjulte", "sekundaere", "antal"]].fillna(0).astype(int)
    return df[ROW_COLUMNS]


def link_groups(regler: pd.DataFrame) -> pd.Series:
    """noegletal_id -> its link group: the first id (sorted) of the figures connected by taeller_er/naevner_er.
    Every relation stays within one group and one calendar year (a block), so blocks without a hidden cell need
    no work."""
    parent = {fid: fid for fid in regler["noegletal_id"]}

    def root(fid: str) -> str:
        while parent[fid] != fid:
            fid = parent[fid]
        return fid

    for field in LINK_FIELDS:
        for fid, target in zip(regler["noegletal_id"], regler.get(field, pd.Series(index=regler.index))):
            other = target.partition(":")[2] if isinstance(target, str) else ""
            if other in parent:
                a, b = sorted((root(fid), root(other)))
                parent[b] = a
    return pd.Series({fid: root(fid) for fid in parent}, name="gruppe").rename_axis("noegletal_id")


def block_rows_sql(marked: str, grupper: str) -> str:
    """The rows of the table `marked` (finished_facts_sql's columns) in a block with a hidden cell, for marts too
    large to hold in memory (bench/kolada_marts.py); `grupper` is link_groups as a table."""
    return f"""
        WITH g AS (SELECT m.*, gr.gruppe, left(m.periode, 4) AS aar
                   FROM {marked} m JOIN {grupper} gr USING (noegletal_id)),
        b AS (SELECT DISTINCT gruppe, aar FROM g WHERE primaer OR status = '{suppression.STATUS}')
        SELECT g.* EXCLUDE (gruppe, aar) FROM g SEMI JOIN b USING (gruppe, aar)"""


@functools.cache
def _solver() -> highspy.Highs:
    """One HiGHS instance per process, quiet, without presolve: the LPs are tiny and solved many times with
    another objective, each run starting from the last basis. HiGHS writes a banner to the process's stdout when
    made, before any option can be set, so stdout goes to /dev/null for that moment."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            solver = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("presolve", "off")
    return solver


def _load(a: csr_array, lo: np.ndarray, hi: np.ndarray) -> highspy.Highs:
    """The solver holding lo <= a @ x <= hi, x >= 0, with a zero objective."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = a.shape[1], a.shape[0]
    lp.col_cost_ = np.zeros(a.shape[1])
    lp.col_lower_ = np.zeros(a.shape[1])
    lp.col_upper_ = np.full(a.shape[1], highspy.kHighsInf)
    lp.row_lower_ = np.where(np.isfinite(lo), lo, -highspy.kHighsInf)
    lp.row_upper_ = np.where(np.isfinite(hi), hi, highspy.kHighsInf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(float)
    solver = _solver()
    solver.passModel(lp)
    return solver


class _Model:
    """The counts (one per cell and quantity), the relations between them, and the LP audit."""

    def __init__(self, facts: pd.DataFrame, regler: pd.DataFrame, kommuner: pd.DataFrame):
        self.keys = facts[KEY].to_numpy(str)
        rules = regler.set_index("noegletal_id")
        region = kommuner.set_index("kommunekode")["regionskode"]
        fid, self.fids = pd.factorize(facts["noegletal_id"], sort=True)
        area, areas = pd.factorize(facts["omraade_kode"], sort=True)
        period, periods = pd.factorize(facts["periode"], sort=True)
        agg = rules["aggregering"].reindex(self.fids).to_numpy()
        present = (facts["status"] != "mangler").to_numpy()
        frames = []
        for felt_code, felt in enumerate(FELTER):
            wanted = np.isin(agg, [a for a, felter in QUANTITIES.items() if felt in felter])[fid] & present
            rows = np.flatnonzero(wanted)
            frames.append(pd.DataFrame({"row": rows, "fid": fid[rows], "area": area[rows], "period": period[rows],
                                        "felt": felt_code, "value": facts[felt].to_numpy(float)[rows]}))
        q = pd.concat(frames, ignore_index=True)
        area_region = pd.Series(areas).map(region)
        region_code = {code: i for i, code in enumerate(areas)}
        q["region"] = area_region.map(region_code).reindex(q["area"]).to_numpy()   # the region's own area code
        q["kommune"] = area_region.notna().to_numpy()[q["area"]]
        q["land"] = q["area"].to_numpy() == region_code.get(LAND, -1)
        q["applies"] = rules["diskretion"].astype(bool).reindex(self.fids).to_numpy()[q["fid"]]
        q["period_len"] = periods.str.len().to_numpy()[q["period"]]
        self.q, self.periods = q, periods
        self.values = q["value"].to_numpy(float)
        self.felt = q["felt"].to_numpy()
        self.rows = q["row"].to_numpy(int)
        # A published cell without its count (a loaded file may give a rate only): no relation can use it.
        self.opaque = np.isnan(self.values) & (facts["status"].to_numpy() != suppression.STATUS)[self.rows]
        by_fid = {c: rules.loc[f] for c, f in enumerate(self.fids)}
        relations = [self._hierarchy(), self._time(by_fid, periods), self._links(rules), self._shares(by_fid)]
        self._set_relations(pd.concat(relations, ignore_index=True))
        size_felt = q["felt"].isin([FELTER.index("vaerdi"), FELTER.index("taeller")]).to_numpy()
        self.size = np.full(len(facts), np.nan)   # a cell's count: its value, or a ratio's numerator
        self.size[self.rows[size_felt]] = self.values[size_felt]
        self.filled = np.nan_to_num(self.values)
        small_naevner = (q["felt"] == FELTER.index("naevner")) & (q["value"] < suppression.LIMIT)
        self.protected = (q["applies"] & (size_felt | small_naevner)).to_numpy()
        self.eligible_row = np.zeros(len(facts), bool)
        self.eligible_row[self.rows[(q["kommune"] & q["applies"]).to_numpy()]] = True
        self.eligible_total = np.zeros(len(facts), bool)
        self.eligible_total[self.rows[(~q["kommune"] & q["applies"]).to_numpy()]] = True

    # -- relations: members (key, qid, coef, slack); key = kind * len(q) + the qid the relation is named by --------

    def _relation(self, kind: str, key, qid, coef, slack=0.0) -> pd.DataFrame:
        return pd.DataFrame({"key": KINDS.index(kind) * len(self.q) + np.asarray(key, np.int64),
                             "qid": np.asarray(qid, np.int64), "coef": coef, "slack": slack})

    def _hierarchy(self) -> pd.DataFrame:
        q = self.q.reset_index(names="qid")
        totals, members = q[~q["kommune"]], q[q["kommune"]]
        on = ["fid", "period", "felt"]
        parts = []
        for is_land in (False, True):
            tot = totals[totals["land"] == is_land]
            if is_land:   # hele landet as the source publishes it (not the regions' sum) is no relation
                regions = totals[~totals["land"]].groupby(on)["value"].sum().rename("regions")
                summed = tot.join(regions, on=on)
                tot = tot[~(np.abs(summed["regions"] - summed["value"]) > 1e-9 * summed["regions"].abs() + 1e-6)]
            join = on if is_land else on + ["region"]
            right = tot.assign(region=tot["area"])[join + ["qid"]].rename(columns={"qid": "total"})
            m = members.merge(right, on=join)
            parts += [self._relation("hierarki", m["total"], m["qid"], -1.0),
                      self._relation("hierarki", tot["qid"], tot["qid"], 1.0)]
        return pd.concat(parts, ignore_index=True)

    def _time(self, by_fid: dict, periods: pd.Index) -> pd.DataFrame:
        q = self.q.reset_index(names="qid")
        per_year = pd.Series({c: SUBPERIODS.get(r["periodicitet"], 0) for c, r in by_fid.items()})
        q = q[per_year.reindex(q["fid"]).to_numpy() > 0]
        yearly = q[q["period_len"] == 4]
        sub = q[q["period_len"] > 4]
        year_of = pd.Series(periods.str[:4]).map({p: i for i, p in enumerate(periods)})
        sub = sub.assign(year=year_of.reindex(sub["period"]).to_numpy())
        on = ["fid", "area", "felt"]
        m = sub.merge(yearly[on + ["period", "qid"]].rename(columns={"period": "year", "qid": "y_qid"}),
                      on=on + ["year"])
        k = per_year.reindex(yearly["fid"]).to_numpy(float)
        complete = m.groupby("y_qid").size().reindex(yearly["qid"]).fillna(0).to_numpy() == k
        yearly, k = yearly[complete], k[complete]
        m = m[m["y_qid"].isin(yearly["qid"])]
        half = self._rounding(yearly, by_fid)
        return pd.concat([self._relation("tid", m["y_qid"], m["qid"], -1.0),
                          self._relation("tid", yearly["qid"], yearly["qid"], k, k * half)], ignore_index=True)

    @staticmethod
    def _rounding(yearly: pd.DataFrame, by_fid: dict) -> np.ndarray:
        """Half a unit of the last shown decimal for yearly values a figure publishes rounded, else 0."""
        decimals = pd.Series({c: int(r["decimaler"]) for c, r in by_fid.items()}).reindex(yearly["fid"]).to_numpy()
        scaled = yearly["value"].to_numpy() * 10.0 ** decimals
        is_round = pd.Series(np.abs(scaled - np.round(scaled)) < 1e-6)
        rounded = is_round.groupby(yearly["fid"].to_numpy()).transform("all").to_numpy() \
            & (yearly["felt"].to_numpy() == FELTER.index("vaerdi"))
        return np.where(rounded, 0.5 * 10.0 ** -decimals, 0.0)

    def _links(self, rules: pd.DataFrame) -> pd.DataFrame:
        q = self.q.reset_index(names="qid")
        groups = dict(list(q.groupby(["fid", "felt"])))
        code = {f: i for i, f in enumerate(self.fids)}
        parts = []
        for field, felt in LINK_FIELDS.items():
            for fid, target in rules.get(field, pd.Series(dtype=object)).items():
                til_felt, _, til_id = target.partition(":") if isinstance(target, str) else ("", "", "")
                a = groups.get((code.get(fid), FELTER.index(felt)))
                b = groups.get((code.get(til_id), FELTER.index(til_felt) if til_felt in FELTER else -1))
                if a is None or b is None:
                    continue
                m = a.merge(b, on=["area", "period"], suffixes=("", "_b"))
                parts += [self._relation("link", m["qid"], m["qid"], 1.0),
                          self._relation("link", m["qid"], m["qid_b"], -1.0)]
        return pd.concat(parts, ignore_index=True) if parts else self._relation("link", [], [], 1.0)

    def _shares(self, by_fid: dict) -> pd.DataFrame:
        """numerator - denominator <= 0 for a ratio whose catalogue max is at most its factor (a share)."""
        share = pd.Series({c: r["aggregering"] == "kvote" and r["max"] <= r["faktor"] for c, r in by_fid.items()})
        q = self.q.reset_index(names="qid")
        q = q[share.reindex(q["fid"]).to_numpy(bool)]
        t = q[q["felt"] == FELTER.index("taeller")][["row", "qid"]]
        n = q[q["felt"] == FELTER.index("naevner")][["row", "qid"]]
        m = t.merge(n, on="row", suffixes=("", "_n"))
        return pd.concat([self._relation("andel", m["qid"], m["qid"], 1.0),
                          self._relation("andel", m["qid"], m["qid_n"], -1.0)], ignore_index=True)

    def _set_relations(self, rel: pd.DataFrame) -> None:
        """Keep the relations that hold for the known values (see the module docstring); number them."""
        v = self.values[rel["qid"].to_numpy()]
        known = ~np.isnan(v)
        coef = rel["coef"].to_numpy(float)
        term = np.where(known, coef * np.nan_to_num(v), 0.0)
        g = pd.DataFrame({"key": rel["key"].to_numpy(), "term": term, "mag": np.abs(term), "slack": rel["slack"],
                          "unknown": ~known, "neg": ~known & (coef < 0), "pos": ~known & (coef > 0),
                          "opaque": self.opaque[rel["qid"].to_numpy()]})
        per = g.groupby("key", sort=True).agg(s=("term", "sum"), mag=("mag", "sum"), slack=("slack", "max"),
                                              unknown=("unknown", "sum"), neg=("neg", "sum"), pos=("pos", "sum"),
                                              opaque=("opaque", "sum"))
        kind = per.index.to_numpy() // len(self.q)
        tol = 1e-9 * per["mag"].to_numpy() + 1e-6
        lo = np.where(kind == KINDS.index("andel"), -np.inf, -per["slack"].to_numpy() - tol)
        hi = per["slack"].to_numpy() + tol
        s = per["s"].to_numpy()
        holds_known = (s >= lo) & (s <= hi)
        unknown = per["unknown"].to_numpy() > 0
        neg, pos = per["neg"].to_numpy() > 0, per["pos"].to_numpy() > 0
        feasible = np.where(~unknown, holds_known, (neg & pos) | (neg & (s >= lo)) | (pos & ~neg & (s <= hi)))
        feasible &= per["opaque"].to_numpy() == 0
        # A total that matches its known members was computed without the unknown ones: leave those out.
        drop_unknown = pd.Series((kind == KINDS.index("hierarki")) & unknown & holds_known, index=per.index)
        keep = pd.Series(feasible, index=per.index)
        rows = keep.reindex(g["key"]).to_numpy() & ~(drop_unknown.reindex(g["key"]).to_numpy() & g["unknown"])
        kept = np.flatnonzero(feasible)
        number = pd.Series(np.arange(len(kept)), index=per.index[kept])
        self.rel_lo, self.rel_hi, self.rel_kind = lo[kept], hi[kept], kind[kept]
        r = number.reindex(g["key"][rows]).to_numpy(int)
        self.incidence = csr_array(coo_array((coef[rows], (r, rel["qid"].to_numpy()[rows])),
                                             shape=(len(kept), len(self.q))))

    # -- components, audit, secondary choice ------------------------------------------------------------------

    def components(self, hidden_rows: np.ndarray):
        """(variables, relations) per connected component of hidden counts that holds a protected count."""
        components = []
        hidden_q = hidden_rows[self.rows]
        variables = np.flatnonzero(hidden_q)
        sub = self.incidence[:, variables]
        active = np.flatnonzero(np.diff(sub.indptr) > 0)
        sub = sub[active]
        pattern = (sub != 0).astype(np.int8)
        n, labels = connected_components(pattern.T @ pattern, directed=False)
        rel_label = labels[pattern.tocsr().indices[pattern.indptr[:-1]]] if len(active) else np.array([], int)
        protected = self.protected[variables]
        for c in np.unique(labels[protected]):
            components.append((variables[labels == c].tolist(), active[rel_label == c].tolist()))
        return components

    def audit(self, variables: list[int], relations: list[int], hidden_rows: np.ndarray,
              stop_at_failure: bool = False) -> tuple[list[tuple[int, Interval]], dict[int, list[int]]]:
        """The interval of every protected count among `variables` (or up to the first one narrower than the
        protection width), and for each, the relations binding at its bounds (nonzero dual values)."""
        col = {qid: j for j, qid in enumerate(variables)}
        a = self.incidence[relations]
        published = ~hidden_rows[self.rows[a.indices]]
        known = np.add.reduceat(np.where(published, a.data * self.filled[a.indices], 0.0), a.indptr[:-1])
        a_var = a[:, variables]
        lo, hi = self.rel_lo[relations] - known, self.rel_hi[relations] - known
        if stop_at_failure:   # a relation with one hidden count pins it without an LP
            single = (np.diff(a_var.indptr) == 1) & np.isfinite(lo) & np.isfinite(hi)
            j = np.where(single, a_var.indices[np.minimum(a_var.indptr[:-1], max(a_var.nnz - 1, 0))], -1)
            c = np.where(single, a_var.data[np.minimum(a_var.indptr[:-1], max(a_var.nnz - 1, 0))], 1.0)
            pins = single & ((hi - lo) / np.abs(c) < PROTECTION_WIDTH - _EPS)
            pins &= self.protected[np.asarray(variables)[np.maximum(j, 0)]]
            if pins.any():
                first = np.flatnonzero(pins)[0]
                qid = variables[j[first]]
                ends = sorted((lo[first] / c[first], hi[first] / c[first]))
                same = np.flatnonzero(pins & (j == j[first]))
                return [(qid, self._interval(qid, *ends))], {qid: [relations[i] for i in same]}
        intervals, binding = [], {}
        if not len(relations):
            return [(qid, self._interval(qid, 0.0, np.inf)) for qid in variables if self.protected[qid]], {}
        solver = _load(a_var, lo, hi)
        for qid in variables:
            if not self.protected[qid]:
                continue
            bounds, tight = [], set()
            for sign in (1.0, -1.0):
                solver.changeColCost(col[qid], sign)
                solver.run()
                status = solver.getModelStatus()
                if status == highspy.HighsModelStatus.kUnbounded and sign < 0:
                    bounds.append(np.inf)   # only a maximum can be unbounded: every count is >= 0
                    continue
                if status != highspy.HighsModelStatus.kOptimal:
                    raise RuntimeError(f"disclosure audit LP: {solver.modelStatusToString(status)} for count {qid}")
                bounds.append(sign * solver.getInfo().objective_function_value)
                duals = np.asarray(solver.getSolution().row_dual)
                tight |= {relations[i] for i in np.flatnonzero(np.abs(duals) > 1e-9)}
            solver.changeColCost(col[qid], 0.0)
            intervals.append((qid, self._interval(qid, *bounds)))
            binding[qid] = sorted(tight)
            if stop_at_failure and intervals[-1][1].width < PROTECTION_WIDTH - _EPS:
                break
        return intervals, binding

    def _interval(self, qid: int, lo: float, hi: float) -> Interval:
        fid, area, periode = self.keys[self.rows[qid]]
        return Interval(fid, area, periode, FELTER[self.felt[qid]], max(0.0, lo), hi)

    def cheapest(self, qid: int, binding: dict[int, list[int]], relations: list[int],
                 hidden_rows: np.ndarray) -> int | None:
        """The published cell to hide next for the pinned count `qid`: a municipality cell from the smallest
        relation binding its interval (a region before hele landet); only where none is left (a region with one
        municipality in a partial load) a total. The smallest count first, then key order. None when no cell of
        a binding relation may be hidden (a figure exempt from suppression publishes the count)."""
        pool = sorted(binding.get(qid) or relations,
                      key=lambda r: (self.incidence.indptr[r + 1] - self.incidence.indptr[r], r))
        for tier in (self.eligible_row, self.eligible_total):
            for rel in pool:
                rows = np.unique(self.rows[self.incidence[[rel]].indices])
                rows = rows[tier[rows] & ~hidden_rows[rows]]
                if len(rows):
                    keys = self.keys[rows]
                    order = np.lexsort((keys[:, 2], keys[:, 1], keys[:, 0], self.size[rows]))
                    return int(rows[order[0]])
        return None
