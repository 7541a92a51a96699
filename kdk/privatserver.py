"""Starting and stopping the app on a private loopback port for the publication renderer (kdk/publikation.py).

`running()` starts `python -m web.privatserver` (the child, which says why it is safe) as a separate process, so
the data layer starts the app by name and never imports it. The parent makes the random key (`HEADER`) for this
run and hands it to the child on standard input, not on its command line, which other users of the machine can
read. Reads and writes nothing itself.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator

from kdk.config import PROJECT_DIR

HEADER = "X-Kdk-Publikation"


@contextlib.contextmanager
def running(release_file: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Start the private server on the versioned marts file `release_file` (kdk.db.Marts.live); yields its base URL
    and the headers each request must carry. Stopped on exit."""
    token = secrets.token_urlsafe(32)
    env = {**os.environ, "KDK_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([sys.executable, "-m", "web.privatserver"], cwd=PROJECT_DIR, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(f"{token}\n{release_file}\n")
        proc.stdin.close()
        port = proc.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError(f"the private server did not start (exit code {proc.poll()})")
        yield f"http://127.0.0.1:{port}", {HEADER: token}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
