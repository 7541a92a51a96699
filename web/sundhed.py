"""GET /sundhed: whether this worker serves a warmed release, for the load balancer and `python -m kdk status`.

Public and cheap: answered from the release state web/epoch.py keeps and the marts link's target (no query, no page
render), never cached (`Cache-Control: no-store`). JSON `{"release": id, "version": marts file, "varm": true,
"pid": …}` with 200 when the worker serves a release it has warmed; `varm: false` with 503 while it has not (a
gunicorn worker takes requests only after its first warm-up, so a process answering 503 was started without one, e.g.
`python app.py`), or when the marts cannot be found. Reads the link `data/kdk.duckdb`; writes nothing.
"""
from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify

from kdk.db import marts
from kdk.marts.levering import release_of

sundhed = Blueprint("sundhed", __name__)


@sundhed.get("/sundhed")
def health():
    served = current_app.extensions["kdk.releases"].served
    version = os.path.basename(served or marts().live)
    warm = served is not None and os.path.exists(served)
    response = jsonify({"release": release_of(version), "version": version.removesuffix(".duckdb"), "varm": warm,
                        "pid": os.getpid()})
    response.status_code = 200 if warm else 503
    response.headers["Cache-Control"] = "no-store"
    return response
