"""/eksport/<file>: download of a built release bundle (the publication page's job writes it)."""
from __future__ import annotations

from flask import Blueprint, abort, send_from_directory

from kdk.config import settings

eksport = Blueprint("eksport", __name__)


@eksport.get("/eksport/<name>")
def download(name: str):
    if not settings().publication_page or not name.startswith("kdk-release-") or not name.endswith(".zip"):
        abort(404)
    return send_from_directory(settings().export_dir, name, as_attachment=True)
