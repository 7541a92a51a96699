"""Zip archives with fixed entry times and order, so the same content always gives the same bytes."""
from __future__ import annotations

import io
import zipfile


def deterministic_zip(entries: dict[str, bytes], stamp: tuple[int, int, int, int, int, int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])
    return buffer.getvalue()

