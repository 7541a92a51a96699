"""Delivering releases to every app server: publish the live marts file to a folder, and fetch it from there.

`udgiv(settings, dest)` reads the live versioned marts file (kdk.marts.store) and writes, in the folder `dest`, a copy
under the same name (`kdk-<release id>-<time>.duckdb`), then its manifest `<that name>.json` (release id, SHA-256,
size, embargo as a UTC instant, when it was built) and last `aktuel.json`, a copy of the newest manifest. Each is
written under a temporary name starting with a dot, synced to disk and renamed, so no final name ever holds a part
of a file, and a reader that follows `aktuel.json` finds the file and manifest it names complete; a temporary file
whose process was stopped is deleted by the next publish or fetch. The newest
KDK_KEEP_VERSIONS files published stay in `dest`; older ones are deleted.

`hent(settings, source)` reads `aktuel.json` from `source` (a folder, or an http(s) base URL serving that folder),
and when it names another file than the live one, downloads that file to a temporary name in `data/marts/` (at most
the size the manifest gives), checks its size and SHA-256 and that DuckDB opens it, and installs it as a build
does, in the writers' turn (kdk.marts.store.writing) from looking at the live file through the switch: the link moves
atomically (kdk.marts.store.switch) and the workers warm it before they serve it (web/epoch.py). A file that fails a
check is deleted and nothing is switched (LeveringError, logged in English).

The embargo in the marts' release table is Danish wall-clock time, which every server reads with the zone
Europe/Copenhagen (kdk.queries.scope.now), whatever its own clock's zone; the manifest states it as a UTC instant.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import logging
import os
import re
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

import duckdb

from kdk.config import Settings
from kdk.marts import store
from kdk.queries.scope import DANISH_TIME

log = logging.getLogger(__name__)
CURRENT = "aktuel.json"
VERSION = re.compile(r"kdk-(?P<release>[A-Za-z0-9_.-]+?)(?:-(?P<ns>\d{16,}))?")   # a marts file's stem
CHUNK = 1 << 20
MANIFEST_MAX = 64 * 1024
TIMEOUT = 30
# The promise (docs/operations.md, tests/test_flaade.py): seconds from `udgiv` until every app server's workers serve
# the new release, warmed: the fetcher's wait (deploy/kdk-hent.service: 10 s), the copy and its check, and the
# warm-up (KDK_OPVARMNING_SEKUNDER, 30 s by default), with room to spare on a busy server.
LEVERET_INDEN = 60


class LeveringError(Exception):
    """A release could not be published or fetched; the message is Danish. Nothing was switched."""


@dataclass(frozen=True)
class Manifest:
    fil: str                   # the marts file's name, the same on every server
    release: str               # the newest release in it
    sha256: str
    stoerrelse: int            # bytes
    embargo_til: str | None    # the newest release's embargo, UTC, ISO 8601; None: public
    bygget: str                # when the file was written, UTC, ISO 8601

    @classmethod
    def read(cls, text: bytes) -> Manifest:
        """The manifest in `text`; LeveringError when it is not one (a file name with a path in it included)."""
        try:
            fields = json.loads(text)
            manifest = cls(**{k: fields[k] for k in cls.__dataclass_fields__})
            valid = (VERSION.fullmatch(manifest.fil.removesuffix(".duckdb")) and manifest.fil.endswith(".duckdb")
                     and type(manifest.stoerrelse) is int and re.fullmatch(r"[0-9a-f]{64}", manifest.sha256))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise LeveringError(f"Manifestet kan ikke læses: {exc}") from None
        if not valid:
            raise LeveringError(f"Manifestet er ugyldigt: fil {manifest.fil!r}, størrelse {manifest.stoerrelse!r}.")
        return manifest

    def json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2).encode()


def release_of(version: str) -> str:
    """The release id in a marts file's name ('kdk-<release id>-<time>'), or the name itself if it is not one."""
    match = VERSION.fullmatch(Path(version).name.removesuffix(".duckdb"))
    return match["release"] if match else version


def udgiv(settings: Settings, dest: Path) -> Manifest:
    """Publish the live marts file to the folder `dest`; its manifest."""
    live = store.current(settings)
    if live is None:
        raise LeveringError("Der er ingen data at udgive; byg dem først med python -m kdk build.")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        _remove_stopped(dest)
        with live.open("rb") as source:
            digest, size = _write(dest / live.name, source)
        release, embargo = _newest(live)
        manifest = Manifest(fil=live.name, release=release, sha256=digest, stoerrelse=size, embargo_til=embargo,
                            bygget=_utc_iso(_built(live)))
        for name in (f"{live.stem}.json", CURRENT):
            _write(dest / name, [manifest.json()])
        _prune(dest, settings.keep_versions)
    except OSError as exc:
        raise LeveringError(f"Releasen kan ikke udgives til {dest}: {exc}") from exc
    log.info("release file %s published to %s (%d bytes)", live.name, dest, size)
    return manifest


def nyeste(source: str) -> Manifest:
    """The manifest `aktuel.json` of `source` (a folder or an http(s) base URL)."""
    with _open(source, CURRENT) as stream:
        return Manifest.read(stream.read(MANIFEST_MAX))


def hent(settings: Settings, source: str) -> Manifest | None:
    """Fetch the newest release file of `source` and switch to it; its manifest, or None when it is live already."""
    manifest = nyeste(source)
    with store.writing(settings):
        live = store.current(settings)
        if live is not None and live.name == manifest.fil:
            return None
        final = settings.marts_dir / manifest.fil
        try:
            settings.marts_dir.mkdir(parents=True, exist_ok=True)
            _remove_stopped(settings.marts_dir)
            with _open(source, manifest.fil) as stream:
                _, size = _write(final, _limited(stream, manifest.stoerrelse), partial(_check, manifest))
        except OSError as exc:
            raise LeveringError(f"{manifest.fil} kan ikke skrives i {settings.marts_dir}: {exc}") from exc
        store.switch(settings.marts_path, final)
        store.prune(settings)
    log.info("release file %s fetched from %s (%d bytes) and switched to", manifest.fil, source, size)
    return manifest


def _check(manifest: Manifest, written: Path, digest: str, size: int) -> None:
    """Refuse a fetched file whose size or SHA-256 is not the manifest's, or that DuckDB cannot open."""
    problem = (f"{size} bytes where the manifest says {manifest.stoerrelse}" if size != manifest.stoerrelse
               else f"SHA-256 {digest} where the manifest says {manifest.sha256}" if digest != manifest.sha256
               else _unopenable(written))
    if problem:
        log.error("fetched file %s refused, deleted, nothing switched: %s", manifest.fil, problem)
        raise LeveringError(f"Den hentede fil {manifest.fil} stemmer ikke med manifestet (størrelse eller SHA-256) "
                            "eller kan ikke åbnes; den er slettet, og intet er skiftet.")


def _unopenable(path: Path) -> str | None:
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            con.execute("SELECT count(*) FROM release").fetchall()
    except duckdb.Error as exc:
        return f"DuckDB cannot open it: {exc}"
    return None


def _write(path: Path, chunks: BinaryIO | Iterable[bytes], check: Callable[[Path, str, int], None] | None = None
           ) -> tuple[str, int]:
    """Write `chunks` (a binary file or bytes) to `path` through a temporary name, synced, and renamed only after
    `check(temporary file, sha256, size)` passes; (sha256, size). On any failure the temporary file is deleted."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    digest, size = hashlib.sha256(), 0
    try:
        with tmp.open("wb") as out:
            for chunk in iter(lambda: chunks.read(CHUNK), b"") if hasattr(chunks, "read") else chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if check:
            check(tmp, digest.hexdigest(), size)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return digest.hexdigest(), size


def _remove_stopped(folder: Path) -> None:
    """Delete the temporary files of `folder` whose writer (`_write`, the process id in the name) is no longer
    running: what a publish or a fetch that was killed left."""
    for tmp in folder.glob(".kdk-*.*.tmp"):
        pid = tmp.name.rsplit(".", 2)[1]
        if pid.isdigit() and not _running(int(pid)):
            log.info("removing %s, left by a stopped process", tmp)
            tmp.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # another user's process
        return True
    return True


def _limited(stream: BinaryIO, limit: int) -> Iterator[bytes]:
    """The chunks of `stream`, reading at most one byte more than `limit` (so a longer file is seen to be longer)."""
    left = limit + 1
    while left > 0 and (chunk := stream.read(min(CHUNK, left))):
        left -= len(chunk)
        yield chunk


@contextmanager
def _open(source: str, name: str) -> Iterator[BinaryIO]:
    """The file `name` of `source`, a folder or an http(s) base URL, open for reading."""
    try:
        if re.match(r"https?://", source):
            with urllib.request.urlopen(f"{source.rstrip('/')}/{name}", timeout=TIMEOUT) as response:
                yield response
        else:
            with (Path(source) / name).open("rb") as file:
                yield file
    except (OSError, http.client.HTTPException) as exc:   # urllib's errors are OSErrors
        raise LeveringError(f"{name} kan ikke hentes fra {source}: {exc}") from None


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(dest: Path, keep: int) -> None:
    """Delete all but the `keep` release files of `dest` published last (and their manifests); never the current
    one."""
    current = Manifest.read((dest / CURRENT).read_bytes()).fil
    manifests = sorted(dest.glob("kdk-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in manifests[keep:]:
        if old.stem + ".duckdb" != current:
            (dest / f"{old.stem}.duckdb").unlink(missing_ok=True)
            old.unlink()


def _newest(path: Path) -> tuple[str, str | None]:
    """The newest release of the marts file `path` and its embargo as a UTC instant (None: public)."""
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute("SELECT release_id, embargo_til FROM release ORDER BY loebenummer DESC LIMIT 1").fetchone()
    if row is None:
        raise LeveringError(f"{path.name} har ingen udgivelse")
    release, embargo = row
    return release, None if embargo is None else _utc_iso(embargo.replace(tzinfo=DANISH_TIME))


def _built(path: Path) -> dt.datetime:
    """When the marts file was written: the time in its name (nanoseconds), else its modification time."""
    match = VERSION.fullmatch(path.stem)
    seconds = int(match["ns"]) / 1e9 if match and match["ns"] else path.stat().st_mtime
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _utc_iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
