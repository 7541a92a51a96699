"""Zip archives: with fixed entry times and order, so the same content always gives the same bytes
(`deterministic_zip`, built in memory); and of files on disk, streamed as they are read (`streamed_zip`). Reads the
files it is given; writes nothing.
"""
from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1 << 20   # bytes read from a file at a time


def deterministic_zip(entries: dict[str, bytes], stamp: tuple[int, int, int, int, int, int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])
    return buffer.getvalue()


class _Chunks(io.RawIOBase):
    """A write-only, unseekable stream that keeps what is written until `take` hands it on."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> list[bytes]:
        """What was written since the last call, as it was written."""
        data, self.chunks = self.chunks, []
        return data


def streamed_zip(files: list[Path], chunk: int = CHUNK) -> Iterator[bytes]:
    """A zip of `files`, in their order, each under its own name with its modification time, stored as it is (PDFs
    do not compress), yielded piece by piece as it is read: at most about `chunk` bytes of it in memory at once."""
    out = _Chunks()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.name, date_time=time.localtime(path.stat().st_mtime)[:6])
            with archive.open(info, "w") as entry, path.open("rb") as source:
                while data := source.read(chunk):
                    entry.write(data)
                    yield from out.take()
            yield from out.take()
    yield from out.take()
