"""New marts replace the old ones under a running gunicorn without a restart and without a failed request; each
worker serves the new release once it has warmed it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from kdk.config import PROJECT_DIR
from tests.conftest import running_server
from tests.test_ingest import all_98, wide_file

ROUTER = {"output": ".._pages_content.children..._pages_store.data..",
          "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
          "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/kommune/101"},
                     {"id": "_pages_location", "property": "search", "value": "?omraade=skole"}],
          "state": [], "changedPropIds": ["_pages_location.pathname"]}


def status(url: str, body: dict | None = None) -> int:
    data = json.dumps(body).encode() if body else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_marts_swapped_while_serving(fresh_marts, tmp_path):
    new_year = "?noegletal=skole.karakter&aar=2026"
    # a short warm-up (as tests/test_levering.py): the swap and the warmed hand-over are the subject, not how soon
    # the first pages come, and each swap warms each worker again
    with running_server(fresh_marts, extra_env={"KDK_OPVARMNING_SEKUNDER": "2"}) as base:
        assert status(base + "/" + new_year) == 400            # 2026 does not exist yet
        failures, counts, stop = [], [0], threading.Event()

        def hammer():
            while not stop.is_set():
                for url, body in ((base + "/kommune/101", None), (base + "/_dash-update-component", ROUTER),
                                  (base + "/?noegletal=skole.karakter", None)):
                    code = status(url, body)
                    counts[0] += 1
                    if code != 200:
                        failures.append((url, code))

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for t in threads:
            t.start()
        env = {**os.environ, "KDK_MARTS": str(fresh_marts.marts_path)}
        before = counts[0]
        for n in range(2):                                   # two swaps: the second prunes versioned files
            path = wide_file(tmp_path / f"k{n}.csv", all_98(f"7,{n + 1}"))
            done = subprocess.run([sys.executable, "-m", "kdk", "ingest", str(path), "--noegletal", "skole.karakter"],
                                  cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
        during = counts[0]
        stop.wait(2)
        stop.set()
        for t in threads:
            t.join()
        assert counts[0] > during > before      # requests were answered while the marts were swapped
        assert failures == []
        # Both workers serve the new release as soon as they have warmed it (web/epoch.py).
        deadline = time.monotonic() + 120
        while {status(base + "/" + new_year) for _ in range(12)} != {200}:
            assert time.monotonic() < deadline, "a worker never served the new release"
            time.sleep(1)
