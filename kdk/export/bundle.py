"""The release bundle for the KL databank: one zip with the CSV, a PX file per key figure (and, if asked, the
Excel workbook) and a manifest (release id, extraction date, embargo, generated at, key-figure and row counts,
SHA-256 of each file). Entries have fixed times and order, so building the same release twice gives identical
files apart from `generated_at` in the manifest.

The files are written in the active language (kdk.sprog; the PX files in both), and so are the messages; the
progress texts are Danish message ids, which the page that shows them translates (kdk.export.jobs). Reads the marts
through kdk.export.rows; writes the zip to the given folder. `demo_andel` says how many of the values a release's
bundle would hold are generated demo data, without building it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd

from kdk.db import Marts
from kdk.export import excel, px, statbank
from kdk.export.rows import Selection, demo_count, export_rows
from kdk.export.zipfiles import deterministic_zip
from kdk.queries.scope import Scope
from kdk.sprog import N_, gettext

FORMATS = ("csv", "px", "xlsx")
DATABANK = ("csv", "px")   # what goes to the KL databank; Excel is for people and smaller selections


class ExportError(Exception):
    """The export cannot be made (unknown release, nothing selected); the message is in the active language."""


def release_row(marts: Marts, release_id: str) -> dict:
    df = marts.query("SELECT * FROM release WHERE release_id = $id", {"id": release_id})
    if df.empty:
        known = ", ".join(marts.query("SELECT release_id FROM release ORDER BY loebenummer")["release_id"])
        raise ExportError(gettext("Releasen «{release}» findes ikke. Kendte releases: {kendte}.").format(
            release=release_id, kendte=known))
    return df.iloc[0].to_dict()


def stamp(release: dict) -> tuple[int, int, int, int, int, int]:
    return tuple(pd.Timestamp(release["udtraeksdato"]).timetuple()[:6])


def files(rows: pd.DataFrame, release: dict, formats: tuple[str, ...]) -> dict[str, bytes]:
    created = pd.Timestamp(release["udtraeksdato"]).date()
    out: dict[str, bytes] = {}
    if "csv" in formats:
        out["noegletal.csv"] = statbank.write(rows)
    if "px" in formats:
        out |= {f"px/{name}": px.write(group, created) for name, group in px.matrices(rows)}
    if "xlsx" in formats:
        out["noegletal.xlsx"] = excel.write(rows, release)
    return out


def _of_release(release: dict, selection: Selection | None) -> Selection:
    """The selection as of the release: rows of that release and the ones before it."""
    return dataclasses.replace(selection or Selection(), release_til=int(release["loebenummer"]))


def demo_andel(marts: Marts, scope: Scope, release_id: str) -> tuple[int, int]:
    """(generated demo values, all values) in the release's whole bundle, as `build_bundle` would write it."""
    return demo_count(marts, scope, _of_release(release_row(marts, release_id), None))


def build_bundle(marts: Marts, scope: Scope, release_id: str, out_dir: Path, formats: tuple[str, ...] = DATABANK,
                 selection: Selection | None = None, progress=lambda share, text: None) -> Path:
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ExportError(gettext("Ukendt format: {formater}. Brug {gyldige}.").format(
            formater=", ".join(sorted(unknown)), gyldige=", ".join(FORMATS)))
    release = release_row(marts, release_id)
    progress(0.1, N_("Henter data"))
    rows = export_rows(marts, scope, _of_release(release, selection))
    if rows.empty:
        raise ExportError(gettext("Udvælgelsen giver ingen rækker."))
    progress(0.4, N_("Skriver filer"))
    content = files(rows, release, formats)
    progress(0.9, N_("Pakker zip-filen"))
    manifest = {
        "release_id": release_id,
        "udtraeksdato": str(release["udtraeksdato"])[:10],
        "embargo_til": None if pd.isna(release["embargo_til"]) else pd.Timestamp(release["embargo_til"]).isoformat(),
        "genereret": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "antal_noegletal": int(rows["noegletal_id"].nunique()),
        "antal_raekker": len(rows),
        "filer": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(content.items())},
    }
    content["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"kdk-release-{release_id}.zip"
    tmp = target.with_suffix(".zip.tmp")
    tmp.write_bytes(deterministic_zip(content, stamp(release)))
    tmp.replace(target)   # never a half-written bundle under the final name
    progress(1.0, N_("Færdig"))
    return target
