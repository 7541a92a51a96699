"""The load benchmark's yardstick: the smallest reasonable Dash app on the same marts file.

One page with a year picker and a chart; one callback that runs one DuckDB query (the 98 municipalities'
population for the chosen year, from `fct_noegletal` joined to `dim_kommune`) and returns one Plotly bar figure.
bench/bench_load.py serves it under gunicorn with the app's own gunicorn.conf.py (2 workers, gthread, 4 threads)
and compares the profile page's router callback with this callback under the same light load.

Reads the marts named by KDK_MARTS (read-only, one connection per worker process, a cursor per request); writes
nothing. Run alone: `KDK_MARTS=data/kdk.duckdb .venv/bin/gunicorn --config gunicorn.conf.py bench.yardstick:server`.
"""
from __future__ import annotations

import os

import duckdb
import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

from web import timing

FIGURE = "befolkning.indbyggere"
YEARS = [str(y) for y in range(2015, 2023)]
QUERY = """
    SELECT k.navn, f.vaerdi FROM fct_noegletal f JOIN dim_kommune k ON k.kommunekode = f.omraade_kode
    WHERE f.noegletal_id = ? AND f.periode = ? ORDER BY f.vaerdi DESC
"""

con = duckdb.connect(os.path.realpath(os.environ["KDK_MARTS"]), read_only=True)   # imported after the fork
app = Dash(__name__)
app.layout = html.Div([dcc.Dropdown(id="aar", options=YEARS, value=YEARS[-1], clearable=False), dcc.Graph(id="graf")])
server = app.server
timing.install(server)


@app.callback(Output("graf", "figure"), Input("aar", "value"))
def chart(aar):
    cur = con.cursor()
    try:
        rows = cur.execute(QUERY, [FIGURE, aar]).df()
    finally:
        cur.close()
    return go.Figure(go.Bar(x=rows["navn"], y=rows["vaerdi"]), layout={"title": {"text": f"Indbyggere {aar}"}})
