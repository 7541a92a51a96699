"""Which source of the `kilde` table (data/kilder/kilder.toml) each key figure comes from, as SQL for the queries and
the exports to join: `FIGURE_SOURCE` gives (noegletal_id, kilde_id) from dim_noegletal and kilde.

A generated figure (the catalogue's `demodata`) comes from the source `demo`; a real one from the source whose
attribution, without its leading "Kilde: ", its source text begins with (the longest such attribution, should one
begin another). A real figure no source matches has no row: tests/test_attribution.py checks there is none.
"""
from __future__ import annotations

DEMO = "demo"   # the id of the generated demo data in kilder.toml

FIGURE_SOURCE = f"""
    SELECT d.noegletal_id, arg_max(k.id, length(k.attribution)) AS kilde_id
    FROM dim_noegletal d JOIN kilde k ON CASE WHEN d.demodata THEN k.id = '{DEMO}'
         ELSE k.id <> '{DEMO}' AND starts_with(d.kilde, regexp_replace(k.attribution, '^Kilde: ', '')) END
    GROUP BY d.noegletal_id
"""
