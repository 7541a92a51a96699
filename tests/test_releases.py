"""How a release stacks on the ones before it: nothing it changes is lost to those who may not see it yet."""
from __future__ import annotations

import pandas as pd

from kdk.marts import releases


def _rows(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(["noegletal_id", "omraade_kode", "periode", "vaerdi", "status", "release_id",
                                   "erstattet_af"], r)) for r in rows])


def test_a_cell_the_new_release_hides_stays_published_in_the_release_before_it():
    old = _rows(("a", "101", "2024", 7.0, "normal", "r1", None), ("a", "147", "2024", 9.0, "normal", "r1", None))
    state = _rows(("a", "101", "2024", None, "diskretioneret", "r1", None),   # untouched by the file, now hidden
                  ("a", "147", "2024", 9.0, "normal", "r1", None)).drop(columns="erstattet_af")
    stacked = releases.stack(old, state, "r2")
    kbh = stacked[stacked["omraade_kode"] == "101"].set_index("release_id")
    assert kbh.loc["r1", "vaerdi"] == 7.0 and kbh.loc["r1", "erstattet_af"] == "r2"
    assert kbh.loc["r2", "status"] == "diskretioneret" and pd.isna(kbh.loc["r2", "erstattet_af"])
    frb = stacked[stacked["omraade_kode"] == "147"]
    assert len(frb) == 1 and frb["release_id"].item() == "r1" and pd.isna(frb["erstattet_af"].item())
