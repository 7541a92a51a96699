"""The rows of a data selection (key figures × areas × periods), as /api/v1/data and the table builder show them.

Reads the marts through kdk.export.rows with the viewer's scope; the answers are kept per release and scope
(kdk.queries.cache). Writes nothing.
"""
from __future__ import annotations

import pandas as pd

from kdk.db import marts
from kdk.export.rows import Selection, export_rows
from kdk.queries.cache import cached
from kdk.queries.scope import Scope

PR_SIDE = 10_000   # rows in one page of /api/v1/data's answer, and the most the table builder shows


@cached
def data_rows(scope: Scope, selection: Selection) -> pd.DataFrame:
    """The rows of a selection, kept per release: the CSV links under the charts are asked for again and again,
    and the table builder (pages/tabel.py) shows these rows."""
    return export_rows(marts(), scope, selection)
