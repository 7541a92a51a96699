"""Comparison groups (sammenligningsgrupper): which municipalities are most alike, and why.

Pure computation, independent of Danish codes: reads a frame of areas × structural variables and an
outcome; writes nothing. The method (see shared spec `sammenligningsgrupper.md`):

1. outcome y = net operating expenditure per target person for the area;
2. candidate structural variables X, never service choices; a missing value gets the mean (flagged, so a page can
   show where the mean stood in: see kdk.marts.sammenligning for why it is kept rather than left out);
3. each candidate standardised across the areas, z = (x - mean) / sd;
4. OLS of y on all standardised candidates (statsmodels); keep those with p < 0.05, or the strongest
   one if none is significant; refit on the kept ones; weight = |standardised coefficient|, summing to 1;
5. distance d(i, j) = sqrt(sum_k w_k (z_ik - z_jk)^2);
6. every j != i ranked by distance, ties broken by code.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm

ALPHA = 0.05
# Below this R² the kept variables explain little of the differences in the outcome between areas (under 30 %), and
# the page says in plain words that the groups say little about whose conditions are alike.
R2_LAV = 0.3


class TooFewObservations(ValueError):
    """The outcome is known for too few areas to estimate the model."""


@dataclass(frozen=True)
class Model:
    kandidater: pd.DataFrame   # per candidate: koefficient, p_vaerdi (full model), beholdt, vaegt
    r2: float                  # R² of the final model (kept variables only); see R2_LAV
    r2_fuld: float             # R² with all candidates
    n: int                     # areas with an outcome (the regression's observations)
    ingen_signifikante: bool   # True when no candidate had p < ALPHA and the strongest was kept

    @property
    def vaegte(self) -> pd.Series:
        kept = self.kandidater[self.kandidater["beholdt"]]
        return kept["vaegt"]


@dataclass(frozen=True)
class Result:
    model: Model
    z: pd.DataFrame                      # areas × kept variables, standardised
    z_alle: pd.DataFrame                 # areas × all candidates, standardised
    imputeret: pd.DataFrame              # areas × candidates: True where the mean stood in for a missing value
    afstand: pd.DataFrame                # areas × areas
    rangering: pd.DataFrame = field(repr=False)   # kode, sammenligningskode, afstand, rang


def standardise(x: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """z-scores per column (population sd); missing values become the column mean (z = 0), flagged."""
    values = x.to_numpy(dtype=float)
    missing = np.isnan(values)
    mean = np.nanmean(values, axis=0)
    filled = np.where(missing, mean, values)
    sd = filled.std(axis=0)
    z = (filled - mean) / np.where(sd > 0, sd, 1.0)
    return (pd.DataFrame(z, index=x.index, columns=x.columns),
            pd.DataFrame(missing, index=x.index, columns=x.columns))


def _ols(y: np.ndarray, z: np.ndarray):
    return sm.OLS(y, np.column_stack([np.ones(len(y)), z])).fit()


def fit(y: pd.Series, z: pd.DataFrame) -> Model:
    """Select and weight the standardised structural variables `z` that explain the outcome `y`."""
    yy = y.reindex(z.index).to_numpy(dtype=float)
    has_y = ~np.isnan(yy)
    if has_y.sum() < z.shape[1] + 3:
        raise TooFewObservations(f"outcome known for {has_y.sum()} areas; {z.shape[1] + 3} needed for "
                                 f"{z.shape[1]} candidates")
    zz = z.to_numpy()[has_y]
    full = _ols(yy[has_y], zz)
    p = pd.Series(full.pvalues[1:], index=z.columns)
    kept = list(p[p < ALPHA].index)
    none_significant = not kept
    if none_significant:
        kept = [p.idxmin()]
    final = _ols(yy[has_y], z[kept].to_numpy()[has_y])
    strength = pd.Series(np.abs(final.params[1:]), index=kept)
    weights = strength / strength.sum() if strength.sum() > 0 else pd.Series(1 / len(kept), index=kept)
    table = pd.DataFrame({"koefficient": full.params[1:], "p_vaerdi": p.to_numpy()}, index=z.columns)
    table["beholdt"] = table.index.isin(kept)
    table["vaegt"] = weights.reindex(table.index).fillna(0.0)
    table["koefficient_endelig"] = pd.Series(final.params[1:], index=kept).reindex(table.index)
    return Model(kandidater=table, r2=float(final.rsquared), r2_fuld=float(full.rsquared), n=int(has_y.sum()),
                 ingen_signifikante=none_significant)


def distances(z: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    scaled = z[weights.index].to_numpy() * np.sqrt(weights.to_numpy())
    diff = scaled[:, None, :] - scaled[None, :, :]
    return pd.DataFrame(np.sqrt((diff ** 2).sum(axis=2)), index=z.index, columns=z.index)


def ranking(afstand: pd.DataFrame) -> pd.DataFrame:
    """Every other area ranked by distance (1 = most alike), ties broken by code; long format.
    `afstand` must be sorted by code (compare() does that), so a stable sort breaks ties by code."""
    codes = np.asarray(afstand.index)
    d = afstand.to_numpy().copy()
    np.fill_diagonal(d, np.inf)
    order = np.argsort(d, axis=1, kind="stable")[:, :-1]   # the last is the area itself (infinite distance)
    n, others = order.shape
    return pd.DataFrame({
        "kode": np.repeat(codes, others),
        "sammenligningskode": codes[order].ravel(),
        "afstand": np.take_along_axis(d, order, axis=1).ravel(),
        "rang": np.tile(np.arange(1, others + 1), n),
    })


def compare(y: pd.Series, x: pd.DataFrame) -> Result:
    """The whole method for one area and year. `x` is indexed by area code; rows are sorted by code first,
    so the result does not depend on the input's row order."""
    x = x.sort_index()
    z_all, missing = standardise(x)
    model = fit(y, z_all)
    kept = model.vaegte
    z = z_all[kept.index]
    afstand = distances(z, kept)
    return Result(model=model, z=z, z_alle=z_all, imputeret=missing, afstand=afstand, rangering=ranking(afstand))


def contributions(z: pd.DataFrame, weights: pd.Series, i: str, others: list[str]) -> pd.DataFrame:
    """Each variable's share of the squared distance between i and each of `others` (a row each, summing to 1, or
    all 0 for an identical pair): the 'why'."""
    parts = (z.loc[others, weights.index] - z.loc[i, weights.index]) ** 2 * weights
    total = parts.sum(axis=1)
    return parts.div(total.where(total > 0, 1.0), axis=0)
