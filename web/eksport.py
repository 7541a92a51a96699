"""/eksport/<file>: download of a built release bundle (the publication page's job writes it)."""
from __future__ import annotations

from flask import Blueprint, abort, request, send_from_directory

from kdk.auth import audit
from kdk.config import settings
from web import viewer

eksport = Blueprint("eksport", __name__)


def allowed() -> bool:
    user = viewer.user()
    return settings().publication_page or (user is not None and user.rolle in ("redaktion", "admin"))


@eksport.get("/eksport/<name>")
def download(name: str):
    if not allowed() or not name.startswith("kdk-release-") or not name.endswith(".zip"):
        abort(404)
    user = viewer.user()
    audit.log("eksport_hentet", user.brugernavn if user else None, name, request.remote_addr)
    return send_from_directory(settings().export_dir, name, as_attachment=True)
