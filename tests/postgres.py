"""A throwaway PostgreSQL for tests: a fresh cluster made by the Debian package's own programs (initdb, pg_ctl) in a
folder, listening on a free loopback port (its unix socket in the folder too), stopped and removed afterwards.

Reads nothing but the server programs under /usr/lib/postgresql/*/bin (the newest version there); writes the cluster
(`pgdata/`), its socket and its log (`postgres.log`) into the given folder and removes them when the block ends (the
end of the log is in the error when the server does not start). The programs refuse to run as root: as root they run
as the `postgres` system user, in a private folder of its own under the system's temporary folder (the given folder
may lie below one only root may enter, such as pytest's, which pytest keeps so), linked from the given folder as
`postgres`. The superuser is `kdk`, trusted on loopback only; the database is `kdk`.
`fresh_database` makes an empty database of a test's own in such a cluster, and drops it afterwards.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tests.conftest import free_port

PROGRAMS = "/usr/lib/postgresql/*/bin"


def _programs() -> Path:
    found = sorted(Path("/").glob(PROGRAMS.lstrip("/")), key=lambda p: int(p.parent.name))
    if not found or not (found[-1] / "initdb").exists():
        raise RuntimeError(f"PostgreSQL's server programs are missing ({PROGRAMS}/initdb): `make test` installs them "
                           "(the Debian package postgresql)")
    return found[-1]


def _home(folder: Path) -> tuple[Path, list[str]]:
    """Where the cluster lives, and the prefix that runs a server program as a user it accepts (root: the `postgres`
    system user, in a folder of its own)."""
    if os.geteuid() != 0:
        return folder, []
    home = Path(tempfile.mkdtemp(prefix="kdk-postgres-"))
    shutil.chown(home, "postgres", "postgres")
    (folder / "postgres").symlink_to(home)
    return home, ["runuser", "-u", "postgres", "--"]


@contextlib.contextmanager
def postgres_server(folder: Path) -> Iterator[str]:
    """A fresh cluster in `folder`; yields its SQLAlchemy URL (`postgresql+psycopg://kdk@127.0.0.1:<port>/kdk`)."""
    programs = _programs()
    folder.mkdir(parents=True, exist_ok=True)
    home, run_as = _home(folder)
    data, log, port = home / "pgdata", home / "postgres.log", free_port()

    def run(program: str, *args: str) -> None:
        done = subprocess.run([*run_as, str(programs / program), *args], capture_output=True, text=True, cwd=home)
        if done.returncode:
            raise RuntimeError(f"{program} failed in {home}: {done.stderr.strip()[-2000:]}")

    try:
        run("initdb", "-D", str(data), "-U", "kdk", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
        run("pg_ctl", "-D", str(data), "-l", str(log), "-o", _options(port, home), "-w", "-t", "60", "start")
    except RuntimeError as exc:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        _remove(folder, home, data, log)
        raise RuntimeError(f"PostgreSQL did not start: {exc}\n{tail}") from None
    try:
        run("createdb", "-h", str(home), "-p", str(port), "-U", "kdk", "kdk")
        yield f"postgresql+psycopg://kdk@127.0.0.1:{port}/kdk"
    finally:
        run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        _remove(folder, home, data, log)


def _options(port: int, home: Path) -> str:
    """The server's settings: loopback only, and no waiting for the disk (a test's data need not survive a crash)."""
    return (f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200")


def _remove(folder: Path, home: Path, data: Path, log: Path) -> None:
    if home == folder:
        shutil.rmtree(data, ignore_errors=True)
        log.unlink(missing_ok=True)
    else:
        shutil.rmtree(home, ignore_errors=True)
        (folder / "postgres").unlink()


@contextlib.contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """An empty database of its own in the cluster at `server_url`; yields its URL, and drops it afterwards (ending
    connections still open to it)."""
    name = f"t_{secrets.token_hex(6)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as con:
            con.exec_driver_sql(f"CREATE DATABASE {name}")
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as con:
            con.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
    finally:
        admin.dispose()
