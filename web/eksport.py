"""/eksport/<file>: download of a built release bundle or publication PDF (the publication page's jobs write them,
kdk.export.jobs), for the publication team only (those who `kan_publicere`, asked of web.viewer.person); anyone
else gets 404. Each download is audited."""
from __future__ import annotations

from flask import Blueprint, abort, request, send_from_directory

from kdk.auth import audit
from kdk.config import settings
from web import viewer

eksport = Blueprint("eksport", __name__)


@eksport.get("/eksport/<name>")
def download(name: str):
    bundle = name.startswith("kdk-release-") and name.endswith(".zip")
    if not viewer.person().kan_publicere or not (bundle or name.endswith(".pdf")):
        abort(404)
    user = viewer.user()
    audit.log("eksport_hentet", user.brugernavn if user else None, name, request.remote_addr)
    return send_from_directory(settings().export_dir, name, as_attachment=True)
