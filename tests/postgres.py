"""A throwaway PostgreSQL cluster for tests, from the Debian packages (postgresql-NN): initdb and pg_ctl into a
folder of the test's, on a free loopback port with its socket in that folder, run as the `postgres` user when the
tests run as root (PostgreSQL refuses to run as root). Writes only inside the folder; stops the cluster afterwards.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import free_port

DATABASE = "kdk"


def _binaries() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
    return found[-1].parent


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def postgres_server(folder: Path) -> Iterator[str]:
    """A cluster in `folder`, started; yields its `postgresql+psycopg://…` URL (database `kdk`, user `postgres`)."""
    bin_dir, port = _binaries(), free_port()
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "pgdata"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                              "--no-sync", "-E", "UTF8"]), **run)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "postgres.log"),
                              "-o", options, "-w", "start"]), **run)
    try:
        subprocess.run(_as_owner([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                                  DATABASE]), **run)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DATABASE}"
    finally:
        subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       check=False, capture_output=True)
