"""A throwaway PostgreSQL cluster for tests, from the Debian packages (postgresql-NN): initdb and pg_ctl into a
folder, on a free loopback port with its socket in that folder. PostgreSQL refuses to run as root: as root the
cluster is run by the `postgres` user in a folder of its own under the system's temporary folder (the given one may
lie below one only root may enter, such as pytest's), linked from the given folder as `postgres`. Stops the cluster
and removes its folder afterwards.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
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


def _home(folder: Path) -> Path:
    """Where the cluster lives: `folder`, or as root a folder of the `postgres` user's, linked from it."""
    if os.geteuid() != 0:
        return folder
    home = Path(tempfile.mkdtemp(prefix="kdk-postgres-"))
    shutil.chown(home, "postgres", "postgres")
    (folder / "postgres").symlink_to(home)
    return home


@contextlib.contextmanager
def postgres_server(folder: Path) -> Iterator[str]:
    """A cluster in `folder`, started; yields its `postgresql+psycopg://…` URL (database `kdk`, user `postgres`)."""
    bin_dir, port = _binaries(), free_port()
    folder.mkdir(parents=True, exist_ok=True)
    home = _home(folder)
    data = home / "pgdata"
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                              "--no-sync", "-E", "UTF8"]), **run)
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(home / "postgres.log"),
                              "-o", options, "-w", "start"]), **run)
    try:
        subprocess.run(_as_owner([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                                  DATABASE]), **run)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DATABASE}"
    finally:
        subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       check=False, capture_output=True)
        if home != folder:
            shutil.rmtree(home, ignore_errors=True)
